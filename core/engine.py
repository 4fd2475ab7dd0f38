"""The engine: `apply(state, policy, command)` returns the new state and the events that happened.

Pure: it copies the state it is given and never touches a database, a clock or a screen.
Refusals by the credit rules come back as `Outcome.refusal` (and may still change the state: a
refused borrow within what is available is an application); impossible requests raise
DomainError and change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from . import commands as c
from .change import attribute_review, review_basis
from .cohort import CohortError, parse_cohort
from .limits import current_dpd, freeze_lifts, review
from .loans import Quote, add_months, quote
from .model import (
    AccountState,
    Application,
    BureauRecord,
    Delinquency,
    Event,
    ExternalLoan,
    IncomeDrop,
    LimitDecision,
    Loan,
    MissedPayment,
    PlatformMeasure,
    Profile,
    shallow,
    to_jsonable,
)
from .money import Fen, round_fen
from .payments import Paid, due_now_fen, overdue_fen, pay, payoff_fen
from .policy import Policy
from .records import record
from .scoring import applications_in, debt_to_income, ratio_text, score_attributes, total
from .standing import available_fen, suspensions

#: The longest single `advance`: 50 simulated years.
MAX_ADVANCE_DAYS = 366 * 50
#: The simulated calendar's first and last days: an account never passes the last (the dates a
#: command takes lie between the two, cli/edge.py parse_date), far from the ends of Python's
#: calendar (1 and 9999).
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2199, 12, 31)


class DomainError(ValueError):
    """A request that cannot apply to this account (bad input for its state); nothing changes."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@record(frozen=True)
class Refusal:
    """The credit rules said no (exit 3); `params` are the figures the message needs."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


@record
class Outcome:
    """The new state, what happened, and what the command itself produced."""

    state: AccountState
    events: list[Event]
    result: dict[str, Any] = field(default_factory=dict)
    refusal: Refusal | None = None
    closed_loans: list[Loan] = field(default_factory=list)

    #: Whether anything changed (an uneventful `advance` still moves the date).
    changed: bool = False
    progress: Callable[[int, int], None] | None = field(default=None, repr=False, compare=False)


def validate_profile(profile: Profile) -> None:
    if not 1 <= profile.payday <= 28:
        raise DomainError("bad_payday", value=profile.payday)
    if not 0 <= profile.trust <= 100:
        raise DomainError("bad_trust", value=profile.trust)
    if not 0 <= profile.employment_months <= 720:
        raise DomainError("bad_employment", value=profile.employment_months)


def open_account(command: c.Open, policy: Policy) -> Outcome:
    """授信: a new account on `command.start`, its score, and the first review."""
    validate_profile(command.profile)
    placeholder = LimitDecision(
        on=command.start,
        trigger="opening",
        score=0,
        base_fen=0,
        binding="",
        target_fen=0,
        previous_fen=0,
        limit_fen=0,
        daily_rate=policy.tiers[0].daily_rate,
        steps=[],
        codes=[],
    )
    state = AccountState(
        opened_on=command.start,
        today=command.start,
        profile=command.profile,
        wallet_fen=command.wallet_fen,
        score=0,
        attributes=[],
        limit_fen=0,
        assessed_fen=0,
        daily_rate=placeholder.daily_rate,
        decision=placeholder,
        next_review_on=command.start + timedelta(days=policy.review_interval_days),
    )
    events = [
        Event(
            command.start,
            "opened",
            {"profile": to_jsonable(command.profile), "wallet_fen": command.wallet_fen},
        )
    ]
    _rescore(state, policy, events, announce=False)
    _review(state, policy, events, "opening", scheduled=False, opening=True)
    _rescore(state, policy, events)
    return Outcome(
        state, events, {"limit_fen": state.limit_fen, "score": state.score}, changed=True
    )


#: Whether each review attributes its own change (core/change.py); see `apply`.
_ATTRIBUTE_REVIEWS: ContextVar[bool] = ContextVar("attribute_reviews", default=True)


def apply(
    state: AccountState,
    policy: Policy,
    command: c.Command,
    progress: Callable[[int, int], None] | None = None,
    *,
    attribute_reviews: bool = True,
) -> Outcome:
    """Apply one command to a copy of `state`. `progress(done, total)` hears of each simulated
    day of a long `advance` (for a progress bar; it cannot change anything). Without
    `attribute_reviews` the reviews keep no attribution of their change (None): a simulation
    that only reads what is available and the limit skips 2^n counterfactual reviews a review;
    nothing else changes (no rule reads an attribution)."""
    new = state.copy()
    outcome = Outcome(new, [])
    outcome.progress = progress
    handler = _HANDLERS.get(type(command))
    if handler is None:
        raise DomainError("unknown_command", kind=type(command).__name__)
    if attribute_reviews:
        handler(new, policy, command, outcome)
    else:
        token = _ATTRIBUTE_REVIEWS.set(False)
        try:
            handler(new, policy, command, outcome)
        finally:
            _ATTRIBUTE_REVIEWS.reset(token)
    if outcome.events or outcome.refusal:
        _rescore(new, policy, outcome.events)
    outcome.closed_loans += [loan for loan in new.loans if loan.closed_on is not None]
    new.loans = [loan for loan in new.loans if loan.closed_on is None]
    outcome.changed = bool(outcome.events) or new != state
    return outcome


# --- scoring and reviews ---------------------------------------------------------------------


def _rescore(
    state: AccountState, policy: Policy, events: list[Event], *, announce: bool = True
) -> None:
    attributes = score_attributes(state, policy)
    score = total(attributes, policy)
    # The score is the policy's base plus the points: a new base moves it with the same points.
    if attributes == state.attributes and score == state.score:
        return
    if announce:
        old = {a.attribute: a for a in state.attributes}
        deltas = {
            a.attribute: {
                "from": old[a.attribute].value,
                "to": a.value,
                "points": a.points - old[a.attribute].points,
            }
            for a in attributes
            if a.attribute in old and a.points != old[a.attribute].points
        }
        if score != state.score or deltas:
            events.append(
                Event(
                    state.today,
                    "score_changed",
                    {"from": state.score, "to": score, "attributes": deltas},
                )
            )
    state.attributes = attributes
    state.score = score


def _review(
    state: AccountState,
    policy: Policy,
    events: list[Event],
    trigger: str,
    *,
    scheduled: bool,
    opening: bool = False,
) -> None:
    decision = review(state, policy, trigger, scheduled=scheduled, opening=opening)
    if not opening and _ATTRIBUTE_REVIEWS.get():
        decision.attribution = attribute_review(state, policy, decision, scheduled=scheduled)
    state.review_basis = review_basis(state, policy)
    state.decision = decision
    state.limit_fen = decision.limit_fen
    state.assessed_fen = decision.assessed_fen
    state.daily_rate = decision.daily_rate
    if decision.base_fen >= state.peak_base_fen:
        state.peak_base_fen, state.peak_score = decision.base_fen, decision.score
    events.append(Event(state.today, "limit_review", to_jsonable(decision)))


def _review_now(state: AccountState, policy: Policy, events: list[Event], trigger: str) -> None:
    if state.closed_on is None:
        _rescore(state, policy, events)
        _review(state, policy, events, trigger, scheduled=False)


# --- borrowing ------------------------------------------------------------------------------


def borrow_refusals(state: AccountState, policy: Policy, command: c.Borrow) -> list[Refusal]:
    """Every credit rule that refuses this drawdown now, each judged on its own, in the order
    a refusal names them: closed, not eligible, each suspension, the limit, debt-to-income."""
    out: list[Refusal] = []
    if state.closed_on is not None:
        out.append(Refusal("ACCOUNT_CLOSED", {"closed_on": state.closed_on.isoformat()}))
    elif state.limit_fen == 0 and "NOT_VERIFIED" in state.decision.codes:
        out.append(Refusal("NOT_VERIFIED", {}))
    elif state.limit_fen == 0 and "NOT_ELIGIBLE" in state.decision.codes:
        out.append(
            Refusal(
                "NOT_ELIGIBLE", {"score": state.score, "min_score": policy.eligibility_min_score}
            )
        )
    elif state.limit_fen == 0 and "NO_INCOME" in state.decision.codes:
        out.append(Refusal("NO_INCOME", {"income_fen": state.profile.monthly_income_fen}))
    for s in suspensions(state):
        if s.code != "ACCOUNT_CLOSED":
            until = s.until.isoformat() if s.until else None
            out.append(Refusal(s.code, {"until": until, **s.detail}))
    room = max(0, state.limit_fen - state.used_fen)
    if command.amount_fen > room:
        out.append(
            Refusal(
                "LIMIT_EXCEEDED",
                {
                    "amount_fen": command.amount_fen,
                    "available_fen": available_fen(state),
                    "room_fen": room,
                    "limit_fen": state.limit_fen,
                },
            )
        )
    q = _quote(state, policy, command)
    monthly = q.first_payment_fen
    if command.method == "interest-first" and policy.dti_interest_first == "average":
        owed = sum(i.principal_fen + i.interest_fen for i in q.installments)
        monthly = -(-owed // len(q.installments))  # the average, balloon included, rounded up
    dti = debt_to_income(state, monthly, policy.dti_interest_first)
    if dti > policy.drawdown_max_dti:
        out.append(
            Refusal(
                "HIGH_DTI",
                {
                    "dti_after": ratio_text(dti),
                    "max_dti": str(policy.drawdown_max_dti),
                    "installment_fen": monthly,
                },
            )
        )
    return out


def check_borrow(state: AccountState, policy: Policy, command: c.Borrow) -> Refusal | None:
    """Would the credit rules grant this drawdown now? None when yes, else the first refusal."""
    refusals = borrow_refusals(state, policy, command)
    return refusals[0] if refusals else None


def validate_borrow(policy: Policy, command: c.Borrow) -> None:
    if command.term not in policy.terms:
        raise DomainError("bad_term", term=command.term, terms=list(policy.terms))
    if command.method not in c.METHODS:
        raise DomainError("bad_method", method=command.method)
    if command.amount_fen < policy.min_borrow_fen:
        raise DomainError("below_min_borrow", min_fen=policy.min_borrow_fen)


def is_application(state: AccountState, command: c.Borrow) -> bool:
    """Whether the app takes this drawdown as an application for the credit rules to judge:
    an amount up to the available figure it shows. Above it — or while nothing is available:
    maintenance, a suspension, no limit — the request is refused before it is made, and it
    counts toward nothing (no cool-off, no score points)."""
    return command.amount_fen <= available_fen(state)


def _borrow(state: AccountState, policy: Policy, command: c.Borrow, out: Outcome) -> None:
    validate_borrow(policy, command)
    refusal = check_borrow(state, policy, command)
    if not is_application(state, command):
        assert refusal is not None  # a grant is always within what is available
        out.refusal = refusal
        out.events.append(
            Event(
                state.today,
                "borrow_refused",
                {
                    "amount_fen": command.amount_fen,
                    "code": refusal.code,
                    "available_fen": available_fen(state),
                },
            )
        )
        return
    state.applications.append(Application(state.today, command.amount_fen, refusal is None))
    if refusal is not None:
        out.refusal = refusal
        out.events.append(
            Event(
                state.today,
                "application_refused",
                {"amount_fen": command.amount_fen, "code": refusal.code},
            )
        )
    else:
        q = _quote(state, policy, command)
        loan = Loan(
            state.next_loan_id,
            command.amount_fen,
            command.method,
            command.term,
            state.daily_rate,
            state.today,
            q.installments,
        )
        state.next_loan_id += 1
        state.loans.append(loan)
        state.borrowed_fen += command.amount_fen
        out.result = {"loan_id": loan.id}
        out.events.append(
            Event(
                state.today,
                "borrowed",
                {
                    "loan_id": loan.id,
                    "principal_fen": loan.principal_fen,
                    "term": loan.term,
                    "method": loan.method,
                    "daily_rate": str(loan.daily_rate),
                    "total_interest_fen": q.total_interest_fen,
                },
            )
        )
    recent = applications_in(state, policy.frequent_window_days)
    cooling = state.cooloff_until is not None and state.today < state.cooloff_until
    if recent >= policy.frequent_applications and not cooling:
        state.cooloff_started_on = state.today
        state.cooloff_until = state.today + timedelta(days=policy.cooloff_days)
        out.events.append(
            Event(
                state.today,
                "cooloff_started",
                {
                    "applications": recent,
                    "window_days": policy.frequent_window_days,
                    "until": state.cooloff_until.isoformat(),
                },
            )
        )


# --- repaying -------------------------------------------------------------------------------


def short_of_cash(state: AccountState, amount_fen: int) -> Refusal | None:
    """The refusal when the wallet cannot pay `amount_fen`, naming what is missing."""
    if amount_fen <= state.wallet_fen:
        return None
    return Refusal(
        "INSUFFICIENT_WALLET",
        {
            "amount_fen": amount_fen,
            "wallet_fen": state.wallet_fen,
            "missing_fen": amount_fen - state.wallet_fen,
        },
    )


def _paid_event(state: AccountState, out: Outcome, kind: str, paid: Paid) -> None:
    state.wallet_fen -= paid.total_fen
    state.repaid_principal_fen += paid.principal_fen
    out.events.append(
        Event(
            state.today,
            kind,
            {
                "total_fen": paid.total_fen,
                "penalty_fen": paid.penalty_fen,
                "interest_fen": paid.interest_fen,
                "principal_fen": paid.principal_fen,
                "by_loan": {str(k): v for k, v in sorted(paid.by_loan.items())},
                "wallet_fen": state.wallet_fen,
            },
        )
    )
    for loan in state.loans:
        if loan.closed_on == state.today and paid.by_loan.get(loan.id):
            out.events.append(Event(state.today, "loan_paid_off", {"loan_id": loan.id}))
    _end_delinquencies(state)


def _end_delinquencies(state: AccountState) -> None:
    """A bureau record's delinquency ends the day its installment is paid (the record is
    kept from then on; records are shared between copies, so they are replaced)."""
    paid = {
        (loan.id, i.seq): i.paid_on for loan in state.loans for i in loan.installments if i.is_paid
    }
    if any(r.ended_on is None and (r.loan_id, r.seq) in paid for r in state.bureau):
        state.bureau = [
            replace(r, ended_on=paid[(r.loan_id, r.seq)])
            if r.ended_on is None and (r.loan_id, r.seq) in paid
            else r
            for r in state.bureau
        ]


def _repay(state: AccountState, policy: Policy, command: c.Repay, out: Outcome) -> None:
    loans = state.loans
    if command.loan_id is not None:
        loans = [loan for loan in state.loans if loan.id == command.loan_id]
        if not loans:
            raise DomainError("no_such_loan", loan_id=command.loan_id)
    if not loans:
        raise DomainError("nothing_owed")
    had_overdue = overdue_fen(state.loans, state.today) > 0
    if command.mode == "all":
        amount = payoff_fen(loans, state.today)
    elif command.mode == "overdue":
        amount = overdue_fen(loans, state.today)
        if amount == 0:
            raise DomainError("nothing_overdue")
    else:
        assert command.amount_fen is not None
        amount = command.amount_fen
        owed = payoff_fen(loans, state.today)
        if amount > owed:
            raise DomainError("repay_more_than_owed", amount_fen=amount, owed_fen=owed)
    out.refusal = short_of_cash(state, amount)
    if out.refusal is not None:
        return
    paid = pay(
        loans, amount, state.today, prepay=command.mode != "overdue", day_count=policy.day_count
    )
    if state.closed_on is None:  # paying off a line closed for delinquency builds no history
        state.on_time_installments += paid.on_time
    _paid_event(state, out, "repaid", paid)
    out.result = {
        "paid_fen": paid.total_fen,
        "penalty_fen": paid.penalty_fen,
        "interest_fen": paid.interest_fen,
        "principal_fen": paid.principal_fen,
    }
    if had_overdue and overdue_fen(state.loans, state.today) == 0:
        out.events.append(Event(state.today, "overdue_cleared", {}))
    if state.frozen_on is not None and paid.principal_fen > 0:
        _review_now(state, policy, out.events, "repaid")  # 只还不借: the limit follows it down


def _wallet(state: AccountState, policy: Policy, command: c.Wallet, out: Outcome) -> None:
    if command.direction == "withdraw":
        out.refusal = short_of_cash(state, command.amount_fen)
        if out.refusal is not None:
            return
    sign = 1 if command.direction == "deposit" else -1
    state.wallet_fen += sign * command.amount_fen
    out.events.append(
        Event(
            state.today,
            f"wallet_{command.direction}",
            {"amount_fen": command.amount_fen, "wallet_fen": state.wallet_fen},
        )
    )


# --- profile, other lenders, platform -----------------------------------------------------


def _profile(state: AccountState, policy: Policy, command: c.SetProfile, out: Outcome) -> None:
    changes = {k: v for k, v in to_jsonable(command).items() if v is not None}
    if not changes:
        raise DomainError("no_profile_change")
    old = state.profile
    new = replace(old, **{k: getattr(command, k) for k in changes})
    validate_profile(new)
    if new == old:
        raise DomainError("no_profile_change")
    state.profile = new
    out.events.append(
        Event(
            state.today,
            "profile_changed",
            {
                k: {"from": getattr(old, k), "to": getattr(new, k)}
                for k in changes
                if getattr(old, k) != getattr(new, k)
            },
        )
    )
    drop = Decimal(1) - policy.income_drop_fraction
    if new.monthly_income_fen <= old.monthly_income_fen * drop and old.monthly_income_fen > 0:
        reference = state.income_drop.from_fen if state.income_drop else old.monthly_income_fen
        state.income_drop = IncomeDrop(state.today, reference, new.monthly_income_fen)
        out.events.append(
            Event(
                state.today,
                "income_drop",
                {"from_fen": reference, "to_fen": new.monthly_income_fen},
            )
        )
    elif state.income_drop and new.monthly_income_fen >= state.income_drop.from_fen * drop:
        state.income_drop = None
    if new.verified and not old.verified and "NOT_VERIFIED" in state.decision.codes:
        # Real-name verification completes the opening (授信): the line is granted at once.
        if state.closed_on is None:
            _rescore(state, policy, out.events)
            _review(state, policy, out.events, "profile", scheduled=False, opening=True)
        return
    _review_now(state, policy, out.events, "profile")


def _external_add(
    state: AccountState, policy: Policy, command: c.ExternalAdd, out: Outcome
) -> None:
    name = command.lender.strip()
    if not name or len(name) > 40:
        raise DomainError("bad_lender", lender=command.lender)
    if any(e.lender == name and e.balance_fen > 0 for e in state.external):
        raise DomainError("lender_exists", lender=name)
    apr = policy.external_apr if command.apr is None else command.apr
    if not Decimal(0) <= apr <= Decimal("0.36"):
        raise DomainError("bad_external_apr", apr=str(apr))
    if command.due_day is not None and not 1 <= command.due_day <= 28:
        raise DomainError("bad_payday", value=command.due_day)
    first_interest = round_fen(Decimal(command.balance_fen) * apr / 12)
    if policy.external_payments == "wallet" and 0 < command.monthly_fen <= first_interest:
        raise DomainError(
            "external_never_repaid", monthly_fen=command.monthly_fen, interest_fen=first_interest
        )
    state.external = [e for e in state.external if e.lender != name]
    loan = ExternalLoan(name, command.balance_fen, command.monthly_fen, state.today)
    loan.apr, loan.due_day = apr, command.due_day
    state.external.append(loan)
    out.events.append(
        Event(
            state.today,
            "external_added",
            {
                "lender": name,
                "balance_fen": command.balance_fen,
                "monthly_fen": command.monthly_fen,
                "apr": str(apr),
                "due_day": command.due_day,
            },
        )
    )
    _review_now(state, policy, out.events, "external")


def _external_repay(
    state: AccountState, policy: Policy, command: c.ExternalRepay, out: Outcome
) -> None:
    loan = next(
        (e for e in state.external if e.lender == command.lender and e.balance_fen > 0), None
    )
    if loan is None:
        raise DomainError("no_such_lender", lender=command.lender)
    if command.arrears:
        if loan.arrears_fen == 0:
            raise DomainError("no_external_arrears", lender=loan.lender)
        amount = loan.arrears_fen
    else:
        amount = loan.balance_fen if command.amount_fen is None else command.amount_fen
    if amount > loan.balance_fen:
        raise DomainError("repay_more_than_owed", amount_fen=amount, owed_fen=loan.balance_fen)
    out.refusal = short_of_cash(state, amount)
    if out.refusal is not None:
        return
    state.wallet_fen -= amount
    loan.balance_fen -= amount
    arrears = min(amount, loan.arrears_fen)
    loan.arrears_fen -= arrears
    if loan.balance_fen == 0:
        loan.monthly_fen = 0
    out.events.append(
        Event(
            state.today,
            "external_repaid",
            {
                "lender": loan.lender,
                "amount_fen": amount,
                "arrears_fen": arrears,
                "balance_fen": loan.balance_fen,
                "wallet_fen": state.wallet_fen,
            },
        )
    )
    if loan.arrears_fen == 0 and loan.late_since is not None:
        _end_external(state, loan, out.events)
    if loan.balance_fen == 0:
        _review_now(state, policy, out.events, "external")


def _add_measure(state: AccountState, measure: PlatformMeasure, out: Outcome) -> None:
    state.measures.append(measure)
    state.next_measure_id += 1
    out.events.append(Event(state.today, "platform_started", to_jsonable(measure)))
    out.result = {"measure_id": measure.id, "ends_on": measure.ends_on.isoformat()}


def _check_days(days: int) -> None:
    if not 1 <= days <= 3650:
        raise DomainError("bad_days", days=days)


def _tighten(state: AccountState, policy: Policy, command: c.Tighten, out: Outcome) -> None:
    _check_days(command.days)
    if not Decimal(0) < command.factor < Decimal(1):
        raise DomainError("bad_factor", factor=str(command.factor))
    if command.cohort is not None:
        try:
            parse_cohort(command.cohort)
        except CohortError as exc:
            raise DomainError(
                "bad_cohort", cohort=command.cohort, problem_key=f"cohort.{exc.code}", **exc.params
            ) from None
    _add_measure(
        state,
        PlatformMeasure(
            state.next_measure_id,
            "tighten",
            state.today,
            state.today + timedelta(days=command.days),
            command.factor,
            command.cohort,
        ),
        out,
    )
    _review_now(state, policy, out.events, "platform")


def _maintenance(state: AccountState, policy: Policy, command: c.Maintenance, out: Outcome) -> None:
    _check_days(command.days)
    _add_measure(
        state,
        PlatformMeasure(
            state.next_measure_id,
            "maintenance",
            state.today,
            state.today + timedelta(days=command.days),
        ),
        out,
    )


def _set_policy(state: AccountState, policy: Policy, command: c.SetPolicy, out: Outcome) -> None:
    out.events.append(Event(state.today, "policy_changed", {"policy": command.policy}))
    if not policy.freeze_on_serious_delinquency:
        state.frozen_on = None  # a policy without the freeze lifts it
    _review_now(state, policy, out.events, "policy")


# --- time -------------------------------------------------------------------------------------


def _advance(state: AccountState, policy: Policy, command: c.Advance, out: Outcome) -> None:
    days = (command.until - state.today).days
    if days <= 0:
        raise DomainError(
            "advance_backwards", today=state.today.isoformat(), until=command.until.isoformat()
        )
    if days > MAX_ADVANCE_DAYS:
        raise DomainError("advance_too_far", days=days, max_days=MAX_ADVANCE_DAYS)
    if command.until > LAST_DAY:
        raise DomainError(
            "advance_past_end",
            today=state.today.isoformat(),
            until=command.until.isoformat(),
            last=LAST_DAY.isoformat(),
        )
    for done in range(1, days + 1):
        _next_day(state, policy, out)
        if out.progress is not None:
            out.progress(done, days)
    out.result = {"today": state.today.isoformat(), "days": days}


def _next_day(state: AccountState, policy: Policy, out: Outcome) -> None:
    state.today = day = state.today + timedelta(days=1)
    events = out.events
    triggers: list[str] = []

    for m in [m for m in state.measures if m.ends_on == day]:
        state.measures.remove(m)
        events.append(Event(day, "platform_ended", {"measure_id": m.id, "kind": m.kind}))
        if m.kind == "tighten":
            triggers.append("platform")
    if state.cooloff_until == day:
        events.append(Event(day, "cooloff_ended", {}))
        state.cooloff_until = state.cooloff_started_on = None

    profile = state.profile
    if day.day == profile.payday:
        net = profile.monthly_income_fen - profile.monthly_expenses_fen
        state.wallet_fen = max(0, state.wallet_fen + net)
        events.append(
            Event(
                day,
                "payday",
                {
                    "income_fen": profile.monthly_income_fen,
                    "expenses_fen": profile.monthly_expenses_fen,
                    "wallet_fen": state.wallet_fen,
                },
            )
        )

    if policy.external_payments == "wallet":
        triggers += _external_payments(state, policy, out)

    due = [
        ln
        for ln in state.loans
        if any(not i.is_paid and i.due_date <= day for i in ln.installments)
    ]
    if due:
        had_overdue = overdue_fen(due, day) > 0
        wanted = due_now_fen(due, day)
        if state.wallet_fen > 0:
            paid = pay(
                due, min(wanted, state.wallet_fen), day, prepay=False, day_count=policy.day_count
            )
            state.on_time_installments += paid.on_time
            _paid_event(state, out, "autopay", paid)
            if state.frozen_on is not None and paid.principal_fen > 0:
                triggers.append("repaid")  # 只还不借: the limit follows the principal down
        missing = due_now_fen(due, day)
        falls_due = any(i.due_date == day for ln in due for i in ln.installments)
        if missing > 0 and falls_due:
            events.append(
                Event(
                    day, "autopay_short", {"missing_fen": missing, "wallet_fen": state.wallet_fen}
                )
            )
        if had_overdue and overdue_fen(state.loans, day) == 0:
            events.append(Event(day, "overdue_cleared", {}))
        triggers += _accrue_overdue(
            state, policy, events, [ln for ln in due if ln.closed_on is None]
        )

    _prune(state, policy)
    scheduled = day >= state.next_review_on
    if scheduled:
        state.next_review_on = day + timedelta(days=policy.review_interval_days)
    if state.closed_on is None and scheduled and freeze_lifts(state, policy):
        assert state.frozen_on is not None
        events.append(Event(day, "line_unfrozen", {"frozen_on": state.frozen_on.isoformat()}))
        state.frozen_on = None
    if state.closed_on is None and (scheduled or triggers):
        _rescore(state, policy, events)
        trigger = "scheduled" if scheduled else triggers[0]
        _review(state, policy, events, trigger, scheduled=scheduled)
    _rescore(state, policy, events)
    # Closed loans leave the live state at the end of the day they close.
    for loan in state.loans:
        if loan.closed_on is not None:
            out.closed_loans.append(loan)
    state.loans = [ln for ln in state.loans if ln.closed_on is None]


def _external_payments(state: AccountState, policy: Policy, out: Outcome) -> list[str]:
    """Other lenders' monthly payments from the wallet (after the payday, before our autopay):
    on its day a loan adds the month's interest (balance × apr ÷ 12) and asks for its payment;
    what the wallet cannot pay stays due (arrears) and is collected as cash comes in. A missed
    payment is a late payment as the bureau shows it: a delinquency naming the lender, its days
    past due in the score, reported past the grace days as our own are (a bureau record naming
    the lender, which the credit-record cut reads); it ends the day the arrears are paid. A
    loan paid off leaves the count at once (a review)."""
    day = state.today
    triggers: list[str] = []
    for e in state.external:
        if e.balance_fen <= 0:
            continue
        interest = 0
        falls_due = day.day == (e.due_day or state.profile.payday)
        asked = 0
        if falls_due:
            interest = round_fen(Decimal(e.balance_fen) * e.apr / 12)
            e.balance_fen += interest
            asked = min(e.monthly_fen, e.balance_fen - e.arrears_fen)
            e.arrears_fen += asked
        take = min(e.arrears_fen, state.wallet_fen)
        if take > 0:
            state.wallet_fen -= take
            e.balance_fen -= take
            e.arrears_fen -= take
            out.events.append(
                Event(
                    day,
                    "external_payment",
                    {
                        "lender": e.lender,
                        "amount_fen": take,
                        "interest_fen": min(interest, take),
                        "principal_fen": take - min(interest, take),
                        "balance_fen": e.balance_fen,
                        "wallet_fen": state.wallet_fen,
                    },
                )
            )
        if e.arrears_fen > 0:
            if falls_due and asked > 0:
                e.missed = [*e.missed, MissedPayment(day, min(asked, e.arrears_fen))]
                out.events.append(
                    Event(
                        day,
                        "external_missed",
                        {
                            "lender": e.lender,
                            "missing_fen": e.arrears_fen,
                            "wallet_fen": state.wallet_fen,
                        },
                    )
                )
            e.late_since = e.late_since or day
            if day > e.late_since:
                _track_external(state, policy, e, (day - e.late_since).days, out.events)
        elif e.late_since is not None:
            _end_external(state, e, out.events)
        if e.balance_fen == 0:
            e.monthly_fen = 0
            out.events.append(Event(day, "external_paid_off", {"lender": e.lender}))
            triggers.append("external")
    return triggers


def external_asks(state: AccountState, policy: Policy, day: date) -> Fen:
    """What other lenders take from the wallet on `day` if it can pay it all (their late
    payments, and the payment of each one due that day): 0 when they are paid outside the
    wallet. An estimate from today's balances (a simulation's day is the judge)."""
    if policy.external_payments != "wallet":
        return 0
    total = 0
    for e in state.external:
        if e.balance_fen <= 0:
            continue
        total += e.arrears_fen
        if day.day == (e.due_day or state.profile.payday):
            interest = round_fen(Decimal(e.balance_fen) * e.apr / 12)
            total += min(e.monthly_fen, e.balance_fen + interest - e.arrears_fen)
    return total


def next_external_payment(state: AccountState, policy: Policy, after: date) -> date | None:
    """The first day after `after` an other lender's monthly payment leaves the wallet (None:
    none has a balance, or they are paid outside the wallet)."""
    if policy.external_payments != "wallet":
        return None
    days = {e.due_day or state.profile.payday for e in state.external if e.balance_fen > 0}
    if not days:
        return None
    day = after + timedelta(days=1)
    while day.day not in days:  # every day 1–28 comes within 31 days
        day += timedelta(days=1)
    return day


def _external_seq(state: AccountState, loan: ExternalLoan) -> int | None:
    """The seq (loan 0) of the delinquency of another lender's current late spell, if any."""
    return next(
        (
            d.seq
            for d in state.delinquencies
            if d.loan_id == 0 and d.lender == loan.lender and d.due_date == loan.late_since
        ),
        None,
    )


def _track_external(
    state: AccountState, policy: Policy, loan: ExternalLoan, dpd: int, events: list[Event]
) -> None:
    """A missed payment at another lender in the delinquencies the scorecard reads (loan 0),
    reported to the bureau past the grace days, as the lender would."""
    state.last_overdue_on = state.today
    since = loan.late_since
    assert since is not None
    seq = _external_seq(state, loan)
    if seq is None:
        # kept records (5 years) outlive the scored delinquencies (24 months): a new seq
        seqs = [d.seq for d in state.delinquencies if d.loan_id == 0]
        seq = 1 + max(seqs + [r.seq for r in state.bureau if r.loan_id == 0], default=0)
        state.delinquencies.append(Delinquency(0, seq, since, dpd, state.today, loan.lender))
    else:
        for d in state.delinquencies:
            if d.loan_id == 0 and d.seq == seq:
                d.max_dpd, d.last_overdue_on = max(d.max_dpd, dpd), state.today
    reported = any(r.loan_id == 0 and r.seq == seq for r in state.bureau)
    if dpd > policy.grace_days and not reported:
        state.bureau.append(BureauRecord(0, seq, since, state.today, dpd, lender=loan.lender))
        events.append(
            Event(
                state.today,
                "external_reported",
                {
                    "lender": loan.lender,
                    "due_date": since.isoformat(),
                    "days_past_due": dpd,
                    "arrears_fen": loan.arrears_fen,
                },
            )
        )


def _end_external(state: AccountState, loan: ExternalLoan, events: list[Event]) -> None:
    """Another lender's arrears are paid: its late spell ends (a bureau record of it is kept
    from today, 征信业管理条例 art. 16; records are shared between copies, so replaced)."""
    seq = _external_seq(state, loan)
    if seq is not None:
        events.append(Event(state.today, "external_cleared", {"lender": loan.lender, "seq": seq}))
        state.bureau = [
            replace(r, ended_on=state.today)
            if r.loan_id == 0 and r.seq == seq and r.ended_on is None
            else r
            for r in state.bureau
        ]
    loan.late_since = None
    loan.missed = []


def _accrue_overdue(
    state: AccountState, policy: Policy, events: list[Event], loans: list[Loan]
) -> list[str]:
    """Days past due, penalty interest, bureau reports and the 30/90-day milestones."""
    day = state.today
    triggers: list[str] = []
    yesterday = shallow(state)
    yesterday.today = day - timedelta(days=1)
    before = current_dpd(yesterday)
    for loan in loans:
        for inst in loan.installments:
            if inst.is_paid or inst.due_date >= day:
                continue
            dpd = (day - inst.due_date).days
            base = inst.principal_due_fen
            if policy.compound_overdue_interest:  # 复利: overdue interest also bears penalty
                base += inst.interest_due_fen
            penalty = round_fen(Decimal(base) * loan.daily_rate * policy.penalty_multiplier)
            inst.penalty_fen += penalty
            inst.max_dpd = max(inst.max_dpd, dpd)
            state.last_overdue_on = day
            _track_delinquency(state, loan, inst.seq, inst.due_date, dpd)
            if dpd == 1:
                events.append(
                    Event(
                        day,
                        "overdue",
                        {
                            "loan_id": loan.id,
                            "seq": inst.seq,
                            "due_date": inst.due_date.isoformat(),
                            "owed_fen": inst.owed_fen,
                        },
                    )
                )
            if dpd > policy.grace_days and inst.reported_on is None:
                inst.reported_on = day
                state.bureau.append(BureauRecord(loan.id, inst.seq, inst.due_date, day, dpd))
                events.append(
                    Event(
                        day,
                        "bureau_report",
                        {
                            "loan_id": loan.id,
                            "seq": inst.seq,
                            "due_date": inst.due_date.isoformat(),
                            "days_past_due": dpd,
                        },
                    )
                )
                triggers.append("overdue")
    after = current_dpd(state)
    # ">=" and "not done yet" rather than "crossed today": a policy changed mid-way still fires.
    cut_pending = "OVERDUE" not in state.decision.codes and state.limit_fen > state.used_fen
    if after >= policy.cut_to_outstanding_dpd and (
        before < policy.cut_to_outstanding_dpd or cut_pending
    ):
        events.append(Event(day, "overdue_milestone", {"days_past_due": after}))
        triggers.append("overdue")
    freeze = policy.freeze_on_serious_delinquency and state.closed_on is None
    if freeze and after >= policy.cut_to_outstanding_dpd and state.frozen_on is None:
        state.frozen_on = day  # 只还不借 until a clean scheduled review lifts it
        events.append(Event(day, "line_frozen", {"days_past_due": after}))
        triggers.append("overdue")
    if after >= policy.close_dpd and state.closed_on is None:
        state.closed_on = day
        state.frozen_on = None  # the closure supersedes the freeze: the line never reopens
        events.append(Event(day, "account_closed", {"days_past_due": after}))
        triggers.append("overdue")
        _review(state, policy, events, "overdue", scheduled=False)
    return triggers


def _track_delinquency(state: AccountState, loan: Loan, seq: int, due: date, dpd: int) -> None:
    for d in state.delinquencies:
        if d.loan_id == loan.id and d.seq == seq:
            d.max_dpd, d.last_overdue_on = max(d.max_dpd, dpd), state.today
            return
    state.delinquencies.append(Delinquency(loan.id, seq, due, dpd, state.today))


def _prune(state: AccountState, policy: Policy) -> None:
    """Forget what no rule can see any more (it stays in the event log)."""
    window = max(policy.applications_window_days, policy.frequent_window_days)
    horizon = state.today - timedelta(days=window)
    if state.applications and state.applications[0].on < horizon:
        state.applications = [a for a in state.applications if a.on >= horizon]
    # 征信业管理条例 art. 16: kept 5 years from the day the delinquency ends; an unpaid one
    # never ages out.
    kept = add_months(state.today, -12 * policy.credit_record_kept_years)
    state.bureau = [r for r in state.bureau if r.ended_on is None or r.ended_on > kept]
    scored = add_months(state.today, -policy.credit_record_scored_months)
    state.delinquencies = [d for d in state.delinquencies if d.last_overdue_on >= scored]


_HANDLERS: dict[type[Any], Any] = {
    c.Borrow: _borrow,
    c.Repay: _repay,
    c.Wallet: _wallet,
    c.Advance: _advance,
    c.SetProfile: _profile,
    c.ExternalAdd: _external_add,
    c.ExternalRepay: _external_repay,
    c.Tighten: _tighten,
    c.Maintenance: _maintenance,
    c.SetPolicy: _set_policy,
}


def quote_for(state: AccountState, policy: Policy, command: c.Borrow) -> Quote:
    """The quote a drawdown would get now, at the account's daily rate."""
    validate_borrow(policy, command)
    return _quote(state, policy, command)


def _quote(state: AccountState, policy: Policy, command: c.Borrow) -> Quote:
    """The quote of a drawdown already validated: at the account's daily rate, today, on the
    policy's day count (the one place the refusal rules and the booking quote it)."""
    return quote(
        command.amount_fen,
        state.daily_rate,
        command.term,
        command.method,
        state.today,
        policy.day_count,
    )
