"""The Policy: every number of the credit rules in one validated object, overridable from TOML.

The classes are plain frozen dataclasses, so reading them costs nothing; pydantic validates
them (through a TypeAdapter) only when a policy comes from outside: a user's TOML file or a
scenario's `[policy]` table. Amounts are in fen, rates and factors are Decimal.

Every value has a range the engine can compute with, written on its annotation with `Bound`;
what ties values together (tiers in order, the points within the score scale, no tier above
the APR ceiling, …) is checked by the functions in `CHECKS`. A policy that passes both cannot
break a command: `tests/test_policy_fuzz.py` drives the engine with random ones.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, field
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal

from .money import MAX_AMOUNT_FEN
from .records import record

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, TypeAdapter
    from pydantic_core import CoreSchema

# --- limits (each refused with its own catalogue kind) ----------------------------------------

#: No amount in a policy beyond the largest anyone can type (¥1,000,000,000.00): every sum the
#: engine forms from them (interest, decades of penalties) stays far inside SQLite's integers.
MAX_POLICY_FEN = MAX_AMOUNT_FEN
#: The widest score scale (Sesame's is 350–950): scores stay small integers everywhere.
MAX_SCORE = 10_000
#: Edges per scorecard attribute (a real scorecard has a handful).
MAX_EDGES = 32
#: Entries in any other list of a policy: tiers, score bands, risk cuts, terms.
MAX_ENTRIES = 32
#: Characters in a text of a policy (a score band's name).
MAX_TEXT_LENGTH = 40
#: The largest scorecard edge (attribute values are counts, percentages and yuan).
MAX_EDGE = 10**12
#: Decimal places of any rate, factor or edge.
MAX_DECIMAL_PLACES = 8
#: Penalty interest is at most this many times the loan's daily rate.
MAX_PENALTY_MULTIPLIER = 10
#: How deeply a policy's tables and lists may nest (the policy itself needs 5 levels).
MAX_NESTING = 8
#: How many values (numbers, texts, lists, tables) a policy may hold; the largest valid one
#: holds about 1,300.
MAX_VALUES = 4_000
#: The largest policy file read (the defaults written out are about 3 KB).
MAX_POLICY_BYTES = 256 * 1024
#: No policy may price above this simple APR (the 36 % line of Chinese consumer-lending rules,
#: a simple annual rate); it is not a policy setting, so a policy file cannot lift it.
APR_CEILING = Decimal("0.36")


class PolicyError(ValueError):
    """A policy that cannot be used: `source` (the file, or what the dict was read from),
    `key` (the dotted path of the offending setting, made printable and short), `kind` (a
    catalogue key under `validation.`, with the `params` its message needs) and `problem`
    (the same in English words, for when the catalogue has no such kind)."""

    def __init__(
        self,
        key: str,
        problem: str,
        kind: str = "",
        params: dict[str, Any] | None = None,
        *,
        source: str = "",
    ) -> None:
        self.key = printable(key)
        self.problem = problem
        self.kind = kind
        self.params = params or {}
        self.source = source
        super().__init__(f"{source}: {self.key}: {problem}" if source else f"{self.key}: {problem}")


#: Unicode categories no policy text may hold: control, format (the bidi overrides among
#: them), surrogate, private-use and unassigned characters, line and paragraph separators.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def is_plain_text(text: str) -> bool:
    """One line of printable characters (spaces of any width are fine)."""
    import unicodedata

    return not any(unicodedata.category(c) in _UNPRINTABLE for c in text)


def printable(text: str, limit: int = 80) -> str:
    """`text` on one line as typed, with what `is_plain_text` refuses escaped (`\\x1b`,
    `\\u202e`), at most `limit` characters."""
    import unicodedata

    out = "".join(ascii(c)[1:-1] if unicodedata.category(c) in _UNPRINTABLE else c for c in text)
    return out if len(out) <= limit else out[: limit - 1] + "…"


class Bound:
    """The range of a policy value, read by pydantic from the value's annotation:
    `Annotated[int, Bound(ge=0, le=600)]` (`ge`, `gt`, `le`, `lt`; `min_length`, `max_length`
    for lists and texts). Whole numbers are strict (`true`, `3.0` and `"3"` are not whole
    numbers) and decimals have at most MAX_DECIMAL_PLACES places.

    Our own marker, not annotated_types' `Ge`/`Le`: the decoder of a stored policy reads these
    annotations on every run, and importing annotated_types costs a command ~10 ms (it loads
    typing_extensions and builds two dozen dataclasses); this costs nothing until pydantic
    asks for it."""

    __slots__ = ("limits",)

    def __init__(self, **limits: object) -> None:
        self.limits = limits

    def __repr__(self) -> str:
        return f"Bound({', '.join(f'{k}={v!r}' for k, v in self.limits.items())})"

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema: dict[str, Any] = {**handler(source), **self.limits}
        if schema["type"] == "int":
            schema["strict"] = True
        elif schema["type"] == "decimal":
            schema.setdefault("decimal_places", MAX_DECIMAL_PLACES)
        return schema


Points = Annotated[int, Bound(ge=0, le=600)]
Score = Annotated[int, Bound(ge=0, le=MAX_SCORE)]
Amount = Annotated[int, Bound(ge=0, le=MAX_POLICY_FEN)]
PositiveAmount = Annotated[int, Bound(ge=1, le=MAX_POLICY_FEN)]
Count = Annotated[int, Bound(ge=1, le=1000)]
Days = Annotated[int, Bound(ge=1, le=36500)]
Months = Annotated[int, Bound(ge=1, le=120)]
Edge = Annotated[Decimal, Bound(ge=0, le=MAX_EDGE)]
Factor = Annotated[Decimal, Bound(gt=0, le=1)]
Share = Annotated[Decimal, Bound(ge=0, le=10)]
Text = Annotated[str, Bound(min_length=1, max_length=MAX_TEXT_LENGTH)]
Term = Annotated[int, Bound(ge=1, le=60)]


def entries(limit: int = MAX_ENTRIES, *, at_least: int = 0) -> Bound:
    """The bound of a list: at most `limit` entries (and at least `at_least`)."""
    return Bound(min_length=at_least, max_length=limit)


_FORBID = {"extra": "forbid"}


@record(frozen=True)
class Bins:
    """A scorecard attribute: `points[i]` for values below `edges[i]`; the last for the rest."""

    __pydantic_config__ = _FORBID
    edges: Annotated[tuple[Edge, ...], entries(MAX_EDGES)]
    points: Annotated[tuple[Points, ...], entries(MAX_EDGES + 1, at_least=1)]

    def __post_init__(self) -> None:
        if len(self.points) != len(self.edges) + 1:
            raise PolicyError(
                "points",
                "points must have exactly one more entry than edges",
                "points_count",
                {"edges": len(self.edges), "points": len(self.points)},
            )
        for i, (a, b) in enumerate(zip(self.edges, self.edges[1:], strict=False)):
            if b <= a:
                raise PolicyError(f"edges.{i + 1}", "edges must increase", "edges_order")

    def index(self, value: Decimal) -> int:
        """The bin a value falls in."""
        for i, edge in enumerate(self.edges):
            if value < edge:
                return i
        return len(self.edges)

    @property
    def max_points(self) -> int:
        return max(self.points)


def _bins(edges: list[int | str], points: list[int]) -> Bins:
    return Bins(tuple(Decimal(e) for e in edges), tuple(points))


# Tuned (issue 13) so that a new account with the default profile starts "very good" (670),
# not "excellent"; 30 days past due takes it below 600, 90 days (the line closed) below 550 —
# and the delinquency ceiling (DelinquencyCeiling) holds that for any profile.


@record(frozen=True)
class HistoryCard:
    __pydantic_config__ = _FORBID
    worst_dpd_24m: Bins = field(default_factory=lambda: _bins([1, 4, 30, 90], [90, 40, 25, 18, 0]))
    on_time_installments: Bins = field(
        default_factory=lambda: _bins([1, 6, 12, 24], [0, 35, 50, 65, 80])
    )
    account_age_months: Bins = field(
        default_factory=lambda: _bins([6, 12, 24, 48], [0, 10, 20, 30, 40])
    )


@record(frozen=True)
class BehaviourCard:
    __pydantic_config__ = _FORBID
    utilisation_pct: Bins = field(
        default_factory=lambda: _bins([10, 30, 50, 90], [90, 80, 55, 25, 0])
    )
    applications_30d: Bins = field(default_factory=lambda: _bins([2, 3, 5], [30, 20, 8, 0]))
    other_lenders: Bins = field(default_factory=lambda: _bins([1, 2, 3, 5], [30, 22, 15, 6, 0]))


@record(frozen=True)
class CapacityCard:
    __pydantic_config__ = _FORBID
    monthly_income_yuan: Bins = field(
        default_factory=lambda: _bins(
            [3000, 5000, 8000, 12000, 20000, 50000], [0, 5, 12, 20, 35, 55, 80]
        )
    )
    dti_pct: Bins = field(default_factory=lambda: _bins([10, 30, 50, 70], [40, 32, 20, 8, 0]))


@record(frozen=True)
class IdentityCard:
    __pydantic_config__ = _FORBID
    verified: Bins = field(default_factory=lambda: _bins([1], [0, 20]))
    employment_months: Bins = field(
        default_factory=lambda: _bins([6, 12, 36, 60], [0, 5, 10, 20, 50])
    )
    social_insurance: Bins = field(default_factory=lambda: _bins([1], [0, 20]))


@record(frozen=True)
class SocialCard:
    __pydantic_config__ = _FORBID
    trust: Bins = field(default_factory=lambda: _bins([20, 40, 60, 80], [0, 5, 10, 15, 30]))


@record(frozen=True)
class ThinFile:
    """The points of an attribute the account has no history for yet (a real scorecard's
    'no record' bin), in the middle of its range, not the top: the payment history until an
    installment is paid or falls overdue, utilisation until the first drawdown."""

    __pydantic_config__ = _FORBID
    #: false: every attribute is scored from its bins, history or not (a policy stored before
    #: the thin file existed reads as false: it keeps its old scores).
    enabled: bool = True
    worst_dpd_24m: Points = 45
    on_time_installments: Points = 35
    utilisation_pct: Points = 45


@record(frozen=True)
class DelinquencyCeiling:
    """The most a score can be while a serious delinquency is in the scored window
    (credit_record_scored_months): a real score falls below "good" at 30 days past due
    whatever the rest of the file, below 550 at 90 days or once the line is closed. The
    scorecard shows it as a line of its own (ScoreAttribute "delinquency_ceiling", with the
    points it takes off), so the score stays base + Σ points."""

    __pydantic_config__ = _FORBID
    #: false: no ceiling (a policy stored before the ceiling existed reads as false: it keeps
    #: its old scores).
    enabled: bool = True
    #: From this worst days past due on, the score is at most `serious_max_score`.
    serious_dpd: Days = 30
    serious_max_score: Score = 599
    #: From this worst days past due on, or while the line is closed, at most `severe_max_score`.
    severe_dpd: Days = 90
    severe_max_score: Score = 549


@record(frozen=True)
class Scorecard:
    """Five dimensions; their maximum points are the teaching weights (35/25/20/15/5 % of 600)."""

    __pydantic_config__ = _FORBID
    history: HistoryCard = field(default_factory=HistoryCard)
    behaviour: BehaviourCard = field(default_factory=BehaviourCard)
    capacity: CapacityCard = field(default_factory=CapacityCard)
    identity: IdentityCard = field(default_factory=IdentityCard)
    social: SocialCard = field(default_factory=SocialCard)
    no_history: ThinFile = field(default_factory=ThinFile)
    delinquency_ceiling: DelinquencyCeiling = field(default_factory=DelinquencyCeiling)

    def attributes(self) -> list[tuple[str, str, Bins]]:
        """(dimension, attribute, bins) in display order."""
        out: list[tuple[str, str, Bins]] = []
        for dim in ("history", "behaviour", "capacity", "identity", "social"):
            card = getattr(self, dim)
            for name in card.__dataclass_fields__:
                if not name.startswith("__"):
                    out.append((dim, name, getattr(card, name)))
        return out

    def dimension_max(self, dimension: str) -> int:
        return sum(b.max_points for d, _, b in self.attributes() if d == dimension)


@record(frozen=True)
class Tier:
    """A score tier: from `min_score` up, its cap, its income multiple and its daily rate."""

    __pydantic_config__ = _FORBID
    min_score: Annotated[int, Bound(ge=350, le=950)]
    cap_fen: Amount
    income_multiple: Annotated[Decimal, Bound(gt=0, le=24)]
    daily_rate: Annotated[Decimal, Bound(gt=0, lt=Decimal("0.01"))]


@record(frozen=True)
class Step:
    """A risk cut that applies from a threshold on: `factor` when value ≥ (or >) `threshold`."""

    __pydantic_config__ = _FORBID
    threshold: Share
    factor: Factor


def _default_tiers() -> tuple[Tier, ...]:
    return (
        Tier(550, 500_000, Decimal(1), Decimal("0.0006")),
        Tier(600, 2_000_000, Decimal(2), Decimal("0.0005")),
        Tier(650, 5_000_000, Decimal(3), Decimal("0.0004")),
        Tier(700, 10_000_000, Decimal(4), Decimal("0.0003")),
        Tier(750, 20_000_000, Decimal(4), Decimal("0.0002")),
    )


@record(frozen=True)
class Policy:
    """Every default number of DESIGN §3. Fields are grouped by the rule they drive."""

    __pydantic_config__ = _FORBID
    # Score
    score_base: Score = 350
    score_max: Annotated[int, Bound(ge=1, le=MAX_SCORE)] = 950
    scorecard: Scorecard = field(default_factory=Scorecard)
    score_bands: Annotated[tuple[tuple[Score, Text], ...], entries()] = (
        (350, "poor"),
        (550, "fair"),
        (600, "good"),
        (650, "very_good"),
        (700, "excellent"),
    )
    applications_window_days: Days = 30
    # Limit
    #: No line without real-name verification (实名认证): NOT_VERIFIED.
    verification_required: bool = True
    tiers: Annotated[tuple[Tier, ...], entries()] = field(default_factory=_default_tiers)
    #: ¥200,000: a bank's internet consumer credit to one customer (REGULATORY_SOURCES).
    regulatory_cap_fen: Amount = 20_000_000
    #: ¥300,000: the 2020 online micro-lending draft's cap on the balance owed (same place).
    microlending_cap_fen: Amount = 30_000_000
    #: The same draft: the balance at most ⅓ of the last three years' average annual income
    #: (4 months of the declared monthly income).
    regulatory_income_months: Months = 4
    limit_step_fen: PositiveAmount = 10_000
    multi_lender_cuts: Annotated[tuple[Step, ...], entries()] = (
        Step(Decimal(3), Decimal("0.7")),
        Step(Decimal(5), Decimal("0.4")),
    )
    high_dti_cuts: Annotated[tuple[Step, ...], entries()] = (
        Step(Decimal("0.5"), Decimal("0.7")),
        Step(Decimal("0.7"), Decimal("0.4")),
    )
    credit_record_factor: Factor = Decimal("0.5")
    credit_record_scored_months: Months = 24
    credit_record_kept_years: Annotated[int, Bound(ge=1, le=20)] = 5
    raise_max_fraction: Share = Decimal("0.5")
    raise_clean_months: Annotated[int, Bound(ge=0, le=120)] = 3
    review_interval_days: Days = 30
    income_drop_fraction: Annotated[Decimal, Bound(gt=0, lt=1)] = Decimal("0.3")
    # Borrowing
    terms: Annotated[tuple[Term, ...], entries(at_least=1)] = (3, 6, 12)
    min_borrow_fen: PositiveAmount = 10_000
    drawdown_max_dti: Share = Decimal("0.7")
    #: How an interest-first loan counts in debt-to-income: "average" (its payments not yet
    #: due, the balloon included, averaged over their months) or "next" (its next payment).
    dti_interest_first: Literal["average", "next"] = "average"
    # Other lenders
    #: "wallet": their monthly payments leave the wallet on their day and their balances fall;
    #: "outside": they are paid outside the simulation (balances stay as declared).
    external_payments: Literal["wallet", "outside"] = "wallet"
    #: The simple annual rate of another lender's loan declared without one.
    external_apr: Annotated[Decimal, Bound(ge=0, le=APR_CEILING)] = Decimal("0.18")
    frequent_applications: Count = 3
    frequent_window_days: Days = 7
    cooloff_days: Days = 14
    # Overdue
    penalty_multiplier: Annotated[Decimal, Bound(ge=1, le=MAX_PENALTY_MULTIPLIER)] = Decimal("1.5")
    grace_days: Annotated[int, Bound(ge=0, le=365)] = 3
    cut_to_outstanding_dpd: Days = 30
    #: 只还不借: from cut_to_outstanding_dpd the line is frozen, repaid principal lowers the
    #: limit with it (no revolving) until a scheduled review after raise_clean_months clean
    #: months lifts the freeze; off: the cut limit revolves as soon as the overdue is repaid.
    freeze_on_serious_delinquency: bool = True
    close_dpd: Days = 90
    # Disclosure
    apr_warn: Share = Decimal("0.24")
    # Interest: "actual" days per period (按日计息) or "30" (the 30-day convention)
    day_count: Literal["actual", "30"] = "actual"
    # 复利: penalty interest also on overdue interest (off: simple, on overdue principal only)
    compound_overdue_interest: bool = False

    def tier_for(self, score: int) -> Tier | None:
        """The highest tier whose minimum the score reaches; None below eligibility."""
        found: Tier | None = None
        for tier in self.tiers:
            if score >= tier.min_score:
                found = tier
        return found

    @property
    def eligibility_min_score(self) -> int:
        return self.tiers[0].min_score

    def band_for(self, score: int) -> str:
        name = self.score_bands[0][1]
        for low, band in self.score_bands:
            if score >= low:
                name = band
        return name


DEFAULT_POLICY = Policy()

#: What a policy stored before a setting existed meant by it (how it behaved then).
BEFORE_SETTINGS: dict[str, Any] = {
    "dti_interest_first": "next",
    "external_payments": "outside",
    "verification_required": False,
    "day_count": "30",
    "freeze_on_serious_delinquency": False,
}

#: Where the regulatory caps come from (`policy show` names them). The lower of the two
#: amounts and the income rule bind together: the limit, which bounds the balance owed.
REGULATORY_SOURCES = {
    "regulatory_cap_fen": "商业银行互联网贷款管理暂行办法 (2020)",
    "microlending_cap_fen": "网络小额贷款业务管理暂行办法（征求意见稿）(2020)",
    "regulatory_income_months": "网络小额贷款业务管理暂行办法（征求意见稿）(2020)",
}


def regulatory_cap_fen(policy: Policy, monthly_income_fen: int) -> int:
    """The regulatory cap for a monthly income: the bank cap, the micro-lending draft's cap and
    its third of annual income, whichever is lowest."""
    return min(
        policy.regulatory_cap_fen,
        policy.microlending_cap_fen,
        monthly_income_fen * policy.regulatory_income_months,
    )


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    """A JSON/TOML-friendly dict (Decimals as strings) that `policy_from_dict` reads back."""
    return json.loads(json.dumps(asdict(policy), default=str))  # type: ignore[no-any-return]


# --- reading a policy from outside ---------------------------------------------------------------


def load_policy_file(path: str) -> Policy:
    """Read a TOML policy file laid over the defaults; every problem with it, from an
    unreadable file to a bad value, is a PolicyError naming the file."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_POLICY_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise PolicyError(
            "file", f"cannot be read: {reason}", "unreadable", {"reason": reason}, source=path
        ) from None
    if len(raw) > MAX_POLICY_BYTES:
        raise PolicyError(
            "file",
            f"is larger than {MAX_POLICY_BYTES} bytes",
            "file_too_large",
            {"max_bytes": MAX_POLICY_BYTES},
            source=path,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyError(
            "toml",
            f"is not UTF-8 text (byte {exc.start + 1})",
            "not_utf8",
            {"position": exc.start + 1},
            source=path,
        ) from None
    return policy_from_toml(text, path)


def policy_from_toml(text: str, source: str) -> Policy:
    """A policy from TOML text (`source` names it in messages)."""
    return policy_from_dict(toml_table(text, source), source)


def toml_table(text: str, source: str) -> dict[str, Any]:
    """TOML text as a table, for any file limitlab reads (a policy, a scenario holding one):
    nesting deep enough to exhaust the parser's stack is refused as nesting deeper than
    MAX_NESTING, and invalid TOML (an integer of thousands of digits too) as not TOML; both are
    a PolicyError with key "toml"."""
    import tomllib

    try:
        return tomllib.loads(text)
    except RecursionError:
        raise PolicyError(
            "toml",
            f"nests deeper than {MAX_NESTING} levels",
            "too_deep",
            {"depth": MAX_NESTING},
            source=source,
        ) from None
    except ValueError as exc:  # TOMLDecodeError, and an integer of thousands of digits
        detail = printable(str(exc), 200)
        raise PolicyError(
            "toml", f"not valid TOML: {detail}", "toml", {"detail": detail}, source=source
        ) from None


def policy_from_dict(overrides: object, source: str = "") -> Policy:
    """Validate `overrides` (a dict as TOML or JSON gives it, read from `source`) laid over the
    defaults. Any problem, whatever the data, is a PolicyError naming the first bad key; the
    dict is not changed."""
    from pydantic import ValidationError

    data = _deep_merge(policy_to_dict(DEFAULT_POLICY), _checked_table(overrides, source))
    try:
        policy: Policy = _adapter().validate_python(data)
    except ValidationError as exc:
        raise _policy_error(exc.errors()[0], source) from None
    for check in CHECKS:
        try:
            check(policy)
        except PolicyError as exc:
            raise PolicyError(exc.key, exc.problem, exc.kind, exc.params, source=source) from None
    return policy


@cache
def _adapter() -> TypeAdapter[Policy]:
    """pydantic's validator of a Policy, built once (it takes a few milliseconds)."""
    from pydantic import TypeAdapter

    return TypeAdapter(Policy)


def policy_from_stored(data: dict[str, Any]) -> Policy:
    """A policy limitlab stored itself (validated when it came in): decoded without pydantic,
    so an account keeps its own numbers even when a later limitlab changes the defaults or its
    rules. Data that does not decode is validated as if it came in (a PolicyError when bad)."""
    if data == policy_to_dict(DEFAULT_POLICY):
        return DEFAULT_POLICY
    from .model import from_jsonable

    # A setting added since the policy was stored keeps the account's old behaviour.
    if isinstance(data, dict):
        data = {**BEFORE_SETTINGS, **data}
        card = data.get("scorecard")
        if isinstance(card, dict) and "no_history" not in card:  # stored before the thin file
            data["scorecard"] = card = {**card, "no_history": {"enabled": False}}
        if isinstance(card, dict) and "delinquency_ceiling" not in card:  # before the ceiling
            data["scorecard"] = {**card, "delinquency_ceiling": {"enabled": False}}

    try:
        policy: Policy = from_jsonable(Policy, data)
    except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError, RecursionError):
        return policy_from_dict(data, "stored policy")
    return policy


def _checked_table(data: object, source: str) -> dict[str, Any]:
    """`data`, when it is a table pydantic may be given. Refused first, as pydantic should never
    see them: anything but tables, lists, texts and numbers (a TOML date, None), a key that is
    not text, nesting deeper than MAX_NESTING (which would exhaust the stack), more than
    MAX_VALUES values. Walked breadth-first, without recursion."""
    if not isinstance(data, dict):
        raise PolicyError("policy", "should be a table", "dict_type", source=source)
    pending: list[tuple[tuple[str, ...], object]] = [((), data)]
    for path, value in pending:  # grows as tables and lists are opened
        if isinstance(value, dict | list | tuple) and len(pending) + len(value) > MAX_VALUES:
            raise PolicyError(
                "policy",
                f"holds more than {MAX_VALUES} values",
                "too_many_values",
                {"max_values": MAX_VALUES},
                source=source,
            )
        if len(path) > MAX_NESTING:
            raise PolicyError(
                ".".join(path),
                f"nests deeper than {MAX_NESTING} levels",
                "too_deep",
                {"depth": MAX_NESTING},
                source=source,
            )
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise PolicyError(
                        ".".join((*path, str(key))),
                        "a key should be text",
                        "invalid_key",
                        source=source,
                    )
                pending.append(((*path, key), item))
        elif isinstance(value, list | tuple):
            pending.extend(((*path, str(i)), item) for i, item in enumerate(value))
        elif not isinstance(value, str | int | float | Decimal):  # bool is an int
            raise PolicyError(
                ".".join(path),
                f"should be a number, a text, a list or a table, not {type(value).__name__}",
                "value_type",
                {"type": type(value).__name__},
                source=source,
            )
    return data


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _policy_error(err: Any, source: str) -> PolicyError:
    """pydantic's first error as a PolicyError: its type is the catalogue kind, its context the
    message's parameters; a PolicyError raised by a class's own check keeps its kind."""
    path = [str(p) for p in err["loc"]]
    ctx = dict(err.get("ctx") or {})
    inner = ctx.get("error")
    if err["type"] == "value_error" and isinstance(inner, PolicyError):
        key = ".".join([*path, inner.key])
        return PolicyError(key, inner.problem, inner.kind, inner.params, source=source)
    message = str(err["msg"]).removeprefix("Value error, ")
    return PolicyError(".".join(path) or "policy", message, str(err["type"]), ctx, source=source)


# --- what ties the values together --------------------------------------------------------------


def _tiers_rise(policy: Policy) -> None:
    if not policy.tiers:
        raise PolicyError("tiers", "at least one tier is needed", "no_tiers")
    for i, (low, high) in enumerate(zip(policy.tiers, policy.tiers[1:], strict=False)):
        if high.min_score <= low.min_score:
            raise PolicyError(
                f"tiers.{i + 1}.min_score",
                "min_score must increase from tier to tier",
                "tiers_order",
            )


def _caps_reach_a_step(policy: Policy) -> None:
    """A cap below one limit step rounds every limit under it down to nothing (and reads as
    'no income')."""
    step = policy.limit_step_fen
    caps = [
        ("regulatory_cap_fen", policy.regulatory_cap_fen),
        ("microlending_cap_fen", policy.microlending_cap_fen),
    ]
    caps += [(f"tiers.{i}.cap_fen", t.cap_fen) for i, t in enumerate(policy.tiers)]
    for key, cap in caps:
        if cap < step:
            raise PolicyError(
                key,
                f"should be at least limit_step_fen ({step})",
                "below_limit_step",
                {"step": step},
            )


def _bands_rise(policy: Policy) -> None:
    if not policy.score_bands:
        raise PolicyError("score_bands", "at least one band is needed", "no_bands")
    for i, (low, high) in enumerate(zip(policy.score_bands, policy.score_bands[1:], strict=False)):
        if high[0] <= low[0]:
            raise PolicyError(
                f"score_bands.{i + 1}.0",
                "the bands' lowest scores must increase from band to band",
                "bands_order",
            )


def _texts_are_plain(policy: Policy) -> None:
    for i, (_, name) in enumerate(policy.score_bands):
        if not is_plain_text(name):
            raise PolicyError(
                f"score_bands.{i}.1",
                "should be one line of printable text (no control or bidi characters)",
                "plain_text",
            )


def _thin_file_within_the_bins(policy: Policy) -> None:
    """A thin file's points lie within its attribute's: the score stays on its scale."""
    card = policy.scorecard
    for name in card.no_history.__dataclass_fields__:
        if name.startswith("__") or name == "enabled":
            continue
        bins = next(b for _, n, b in card.attributes() if n == name)
        points = getattr(card.no_history, name)
        if points > bins.max_points:
            raise PolicyError(
                f"scorecard.no_history.{name}",
                f"should be at most {bins.max_points} (the attribute's most points)",
                "less_than_equal",
                {"le": bins.max_points},
            )


def _ceilings_in_order(policy: Policy) -> None:
    """The delinquency ceiling: the severe threshold past the serious one, its ceiling no
    higher, both on the score scale (a score never falls below the base)."""
    ceiling = policy.scorecard.delinquency_ceiling
    key = "scorecard.delinquency_ceiling"
    if ceiling.severe_dpd <= ceiling.serious_dpd:
        raise PolicyError(
            f"{key}.severe_dpd",
            f"should be greater than {ceiling.serious_dpd} (serious_dpd)",
            "greater_than",
            {"gt": ceiling.serious_dpd},
        )
    for name in ("serious_max_score", "severe_max_score"):
        value = getattr(ceiling, name)
        if value < policy.score_base:
            raise PolicyError(
                f"{key}.{name}",
                f"should be at least {policy.score_base} (score_base)",
                "greater_than_equal",
                {"ge": policy.score_base},
            )
        if value > policy.score_max:
            raise PolicyError(
                f"{key}.{name}",
                f"should be at most {policy.score_max} (score_max)",
                "less_than_equal",
                {"le": policy.score_max},
            )
    if ceiling.severe_max_score > ceiling.serious_max_score:
        raise PolicyError(
            f"{key}.severe_max_score",
            f"should be at most {ceiling.serious_max_score} (serious_max_score)",
            "less_than_equal",
            {"le": ceiling.serious_max_score},
        )


def _points_fit_the_scale(policy: Policy) -> None:
    total = sum(b.max_points for _, _, b in policy.scorecard.attributes())
    if policy.score_base + total > policy.score_max:
        raise PolicyError(
            "scorecard",
            f"the points add up to {total}, more than score_max − score_base",
            "points_sum",
            {"total": total},
        )


def _rates_within_the_ceiling(policy: Policy) -> None:
    """No tier above the ceiling: its simple APR (年化利率(单利), the daily rate × 360),
    compared unrounded. The 36 % line is a simple annual
    rate; the effective APR of the loans a tier books (higher: it compounds the months, and a
    31-day month is priced on 31 days) is warned about on each quote above `apr_warn`."""
    from .loans import simple_apr

    for i, tier in enumerate(policy.tiers):
        apr = simple_apr(tier.daily_rate, policy.day_count)
        if apr > APR_CEILING:
            places = 2
            while round(apr * 100, places) <= APR_CEILING * 100 and places < 8:
                places += 1  # over the line reads as over it: 36.0004 %, not 36.00 %
            shown = f"{apr * 100:.{places}f}%"
            raise PolicyError(
                f"tiers.{i}.daily_rate",
                f"simple APR {shown} is above the {APR_CEILING * 100:.0f}% ceiling",
                "apr_ceiling",
                {"apr": shown, "ceiling": f"{APR_CEILING * 100:.0f}%"},
            )


def _lender_cuts_need_a_lender(policy: Policy) -> None:
    """A cut for other lenders from 0 of them on would cut an account that has none (and its
    explanation would have no lender to name)."""
    for i, cut in enumerate(policy.multi_lender_cuts):
        if cut.threshold <= 0:
            raise PolicyError(
                f"multi_lender_cuts.{i}.threshold",
                "should be greater than 0",
                "greater_than",
                {"gt": 0},
            )


def _close_after_cut(policy: Policy) -> None:
    if policy.close_dpd <= policy.cut_to_outstanding_dpd:
        raise PolicyError(
            "close_dpd", "must be greater than cut_to_outstanding_dpd", "close_after_cut"
        )


#: The checks of a policy as a whole, in the order a problem is reported (each raises
#: PolicyError; the values' own ranges are on their annotations).
CHECKS: list[Callable[[Policy], None]] = [
    _tiers_rise,
    _caps_reach_a_step,
    _bands_rise,
    _texts_are_plain,
    _points_fit_the_scale,
    _thin_file_within_the_bins,
    _ceilings_in_order,
    _rates_within_the_ceiling,
    _lender_cuts_need_a_lender,
    _close_after_cut,
]
