"""The account's records: profile, loans and installments, applications, measures, decisions, state.

Plain dataclasses: the engine copies the state and changes the copy, so a command is a pure
function `(state, command) -> (new state, events)`. `to_jsonable`/`from_jsonable` turn any of
them into JSON-ready data and back (dates as ISO strings, Decimals as strings).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from .money import Fen
from .records import record

Method = Literal["equal-installment", "equal-principal", "interest-first"]
METHODS: tuple[Method, ...] = ("equal-installment", "equal-principal", "interest-first")


T = typing.TypeVar("T")


def shallow(obj: T) -> T:
    """What `copy.copy` gives for a record (a new object sharing every field's value), without
    its generic protocol (`__reduce_ex__`), which a simulation's state copies spent most on."""
    new = object.__new__(obj.__class__)
    new.__dict__.update(obj.__dict__)
    return new


@record
class Profile:
    """What the person tells the lender at opening (授信) and later through `profile set`."""

    monthly_income_fen: Fen
    monthly_expenses_fen: Fen
    employment_months: int
    verified: bool
    social_insurance: bool
    trust: int
    payday: int


@record
class ExternalLoan:
    """A loan at another lender (多头借贷): counts for other lenders and debt-to-income."""

    lender: str
    balance_fen: Fen
    monthly_fen: Fen
    added_on: date
    #: Its simple annual rate: each month's interest is balance × apr ÷ 12, on its payment day.
    apr: Decimal = Decimal(0)
    #: The day of the month its payment leaves the wallet (None: the payday).
    due_day: int | None = None
    #: Payments due and not yet collected (the wallet was short), and since when.
    arrears_fen: Fen = 0
    late_since: date | None = None
    #: The payments missed since `late_since` (each due date, and what of it went unpaid);
    #: emptied when the arrears are paid. Replaced, never changed in place (copies share it).
    missed: list[MissedPayment] = field(default_factory=list)


@record(frozen=True)
class MissedPayment:
    """A monthly payment to another lender the wallet could not make on its due date."""

    on: date
    amount_fen: Fen


@record
class Installment:
    """One period of a loan; `*_paid_fen` grow as money comes in."""

    seq: int
    period_start: date
    due_date: date
    principal_fen: Fen
    interest_fen: Fen
    penalty_fen: Fen = 0
    principal_paid_fen: Fen = 0
    interest_paid_fen: Fen = 0
    penalty_paid_fen: Fen = 0
    paid_on: date | None = None
    max_dpd: int = 0
    reported_on: date | None = None
    #: Interest is settled up to this date (a prepayment mid-period moves it).
    settled_on: date | None = None
    settled_interest_fen: Fen = 0

    @property
    def principal_due_fen(self) -> Fen:
        return self.principal_fen - self.principal_paid_fen

    @property
    def interest_due_fen(self) -> Fen:
        return self.interest_fen - self.interest_paid_fen

    @property
    def penalty_due_fen(self) -> Fen:
        return self.penalty_fen - self.penalty_paid_fen

    @property
    def owed_fen(self) -> Fen:
        return self.principal_due_fen + self.interest_due_fen + self.penalty_due_fen

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None

    def days_past_due(self, today: date) -> int:
        if self.is_paid or today <= self.due_date:
            return 0
        return (today - self.due_date).days


@record
class Loan:
    """A drawdown (支用) with its schedule; it occupies the limit until its principal is repaid."""

    id: int
    principal_fen: Fen
    method: Method
    term: int
    daily_rate: Decimal
    drawn_on: date
    installments: list[Installment]
    closed_on: date | None = None

    @property
    def outstanding_principal_fen(self) -> Fen:
        return sum(i.principal_due_fen for i in self.installments)

    def copy(self) -> Loan:
        new = shallow(self)
        new.installments = [shallow(i) for i in self.installments]
        return new

    def unpaid(self) -> list[Installment]:
        return [i for i in self.installments if not i.is_paid]


@record
class Application:
    """A borrow request, granted or refused; the frequent-application rule counts these."""

    on: date
    amount_fen: Fen
    granted: bool


@record
class BureauRecord:
    """An overdue reported to the credit bureau (征信): kept for years from the day the
    delinquency ends (`ended_on`, the day the installment is paid; never while unpaid),
    scored for months from its report."""

    loan_id: int
    seq: int
    due_date: date
    reported_on: date
    days_past_due: int
    ended_on: date | None = None
    #: Another lender's report of a missed payment (loan_id 0, seq the delinquency's); ""
    #: for our own loans.
    lender: str = ""


@record
class Delinquency:
    """An installment that went past due: the scorecard reads the worst in 24 months."""

    loan_id: int
    seq: int
    due_date: date
    max_dpd: int
    last_overdue_on: date
    #: A missed payment at another lender (loan_id 0) names it; "" for our own loans.
    lender: str = ""


@record
class PlatformMeasure:
    """A platform event: a risk-policy tightening for a cohort, or a maintenance pause."""

    id: int
    kind: Literal["tighten", "maintenance"]
    starts_on: date
    ends_on: date
    factor: Decimal | None = None
    cohort: str | None = None


@record
class IncomeDrop:
    """A fall in declared income of 30 % or more, kept as the evidence behind INCOME_DROP."""

    on: date
    from_fen: Fen
    to_fen: Fen


@record
class LimitStep:
    """One line of a limit decision: the base, a cut (negative), a hold, or a subtotal."""

    code: str
    amount_fen: Fen
    subtotal: bool = False
    detail: dict[str, Any] = field(default_factory=dict)


@record
class LimitDecision:
    """The outcome of one review: every step from the base limit to the credit limit."""

    on: date
    trigger: str
    score: int
    base_fen: Fen
    binding: str
    target_fen: Fen
    previous_fen: Fen
    limit_fen: Fen
    daily_rate: Decimal
    steps: list[LimitStep]
    codes: list[str]
    #: What the assessment alone would give, before the raise rules held it back.
    assessed_fen: Fen = 0
    #: The base limit of the decision before this one (0 at opening).
    previous_base_fen: Fen = 0
    #: This review's own change (old → new) split among what changed since the review before
    #: (core/change.py): entries {code, key, amount_fen, evidence}; None at opening and in
    #: decisions made before reviews kept it.
    attribution: list[dict[str, Any]] | None = None

    @property
    def changed(self) -> bool:
        return self.limit_fen != self.previous_fen


@record
class ScoreAttribute:
    """One scorecard line: the value the account has, the band it falls in, and its points.
    The delinquency ceiling's line (attribute "delinquency_ceiling", core/scoring.py) has
    max_points 0 and points ≤ 0: what the ceiling takes off the other lines' total."""

    dimension: str
    attribute: str
    value: str
    band: str
    points: int
    max_points: int


@record
class AccountState:
    """Everything the rules need now. Paid-off loans and old events live only in the store."""

    opened_on: date
    today: date
    profile: Profile
    wallet_fen: Fen
    score: int
    attributes: list[ScoreAttribute]
    limit_fen: Fen
    #: The credit assessment's part of the limit, before platform measures.
    assessed_fen: Fen
    daily_rate: Decimal
    decision: LimitDecision
    next_review_on: date
    loans: list[Loan] = field(default_factory=list)
    external: list[ExternalLoan] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    cooloff_started_on: date | None = None
    cooloff_until: date | None = None
    bureau: list[BureauRecord] = field(default_factory=list)
    delinquencies: list[Delinquency] = field(default_factory=list)
    measures: list[PlatformMeasure] = field(default_factory=list)
    income_drop: IncomeDrop | None = None
    on_time_installments: int = 0
    last_overdue_on: date | None = None
    closed_on: date | None = None
    #: 只还不借: the day the line was frozen at serious delinquency (None: not frozen). The
    #: limit follows the principal owed down and does not revolve until a clean review.
    frozen_on: date | None = None
    next_loan_id: int = 1
    next_measure_id: int = 1
    borrowed_fen: Fen = 0
    repaid_principal_fen: Fen = 0
    #: The highest base limit so far with the score and income behind it (for SCORE_DROP).
    peak_base_fen: Fen = 0
    peak_score: int = 0
    #: The inputs the last review saw, for the next one to tell what changed (core/change.py).
    review_basis: dict[str, Any] | None = None

    @property
    def used_fen(self) -> Fen:
        return sum(loan.outstanding_principal_fen for loan in self.loans)

    def copy(self) -> AccountState:
        """A copy the engine may change freely. Records it mutates in place (loans and their
        installments, other lenders, delinquencies, the profile) are copied; lists are new;
        records it only ever replaces (decision, attributes, applications, measures, bureau
        records) are shared. Much cheaper than a deepcopy, which dominated every command."""
        new = shallow(self)
        new.profile = shallow(self.profile)
        new.loans = [loan.copy() for loan in self.loans]
        new.external = [shallow(e) for e in self.external]
        new.delinquencies = [shallow(d) for d in self.delinquencies]
        new.applications = list(self.applications)
        new.bureau = list(self.bureau)
        new.measures = list(self.measures)
        new.attributes = list(self.attributes)
        return new


@record
class Event:
    """Something that happened on a simulated day; `data` is JSON-ready."""

    on: date
    kind: str
    data: dict[str, Any] = field(default_factory=dict)


# --- JSON codec ---------------------------------------------------------------------------


def to_jsonable(value: Any) -> Any:
    """Dataclasses, dates, Decimals, lists and dicts → JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_jsonable(tp: Any, data: Any) -> Any:
    """The inverse of `to_jsonable` for the types used in this module."""
    return _decoder(tp)(data)


Decoder = Callable[[Any], Any]


def _same(data: Any) -> Any:
    return data


@cache
def _decoder(tp: Any) -> Decoder:
    """A function JSON data → `tp`, worked out once per type (a state with ten years of loans
    is thousands of objects; asking `typing` about each one's type every time was most of
    the cost of reading it). None decodes to None at every level."""
    origin = typing.get_origin(tp)
    inner: Decoder
    if origin is typing.Union or origin is types.UnionType:
        (first, *_) = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decoder(first)
    if origin is list:
        item = _decoder(typing.get_args(tp)[0])

        def inner(data: Any) -> Any:
            return [item(v) for v in data]

    elif origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            each = _decoder(args[0])

            def inner(data: Any) -> Any:
                return tuple(each(v) for v in data)

        else:
            parts = [_decoder(a) for a in args]

            def inner(data: Any) -> Any:
                return tuple(p(v) for p, v in zip(parts, data, strict=True))

    elif origin is dict or tp is Any or origin is Literal:
        return _same
    elif isinstance(tp, type) and dataclasses.is_dataclass(tp):
        fields = {name: _decoder(hint) for name, hint in _hints(tp).items()}

        def inner(data: Any) -> Any:
            return tp(**{k: fields[k](v) for k, v in data.items()})

    elif tp is date:
        inner = date.fromisoformat
    elif tp is Decimal:
        inner = Decimal
    else:
        return _same

    def decode(data: Any) -> Any:
        return None if data is None else inner(data)

    return decode
