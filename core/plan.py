"""The recourse plan: the cheapest way to have an amount available, found by simulation.

Candidates combine what a person can do — repay what is overdue, pay off the smallest other
lenders, wait for a date (a suspension's end, a platform measure's end, a scheduled review),
repay principal — and each is played on a copy of the
account through the engine itself. The cheapest in cash wins, then the earliest. A plan is
only offered if, after its steps, `borrow AMOUNT` is granted. A plan never passes through a
new overdue, here or at another lender: it starts by repaying what is overdue and by paying
other lenders' late payments (before they are reported, or grow), and before each day autopay
or another lender collects on the way, the wallet gets what it would be short of; that cash is
part of the plan's cost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from datetime import date, timedelta
from itertools import combinations

from . import commands as c
from .engine import (
    DomainError,
    Refusal,
    apply,
    check_borrow,
    external_asks,
    next_external_payment,
    validate_borrow,
)
from .model import AccountState, ExternalLoan, Method
from .payments import due_now_fen, overdue_fen, payoff_fen
from .policy import Policy
from .records import record

#: How far ahead a plan may look when no --by date is given, and at the most.
HORIZON_DAYS = 180
MAX_HORIZON_DAYS = 730
#: Up to this many other lenders every subset is tried (2^6 = 64 sets).
MAX_LENDERS_SEARCHED = 6


@record(frozen=True)
class PlanStep:
    #: deposit, repay_overdue, external_repay, external_arrears, wait, fund_installments,
    #: repay_principal, borrow
    action: str
    amount_fen: int
    on: date
    detail: str = ""
    #: For fund_installments: the day autopay collects what this deposit covers.
    due_on: date | None = None


@record
class Plan:
    need_fen: int
    steps: list[PlanStep] = field(default_factory=list)
    cash_fen: int = 0
    ready_on: date | None = None
    #: Why nothing works, when nothing does (a refusal code of the last attempt).
    blocked_by: str | None = None
    #: The drawdown planned for.
    term: int = 12
    method: Method = "equal-installment"
    #: When nothing works: the last day searched, and the most room under the limit any
    #: candidate reached (with the day it did; None: none had any), so a smaller amount
    #: or a later date can be asked for.
    until: date | None = None
    most_fen: int = 0
    most_on: date | None = None

    @property
    def found(self) -> bool:
        return self.ready_on is not None


def _candidate_dates(state: AccountState, policy: Policy, until: date) -> list[date]:
    dates = {state.today}
    if state.cooloff_until:
        dates.add(state.cooloff_until)
    dates.update(m.ends_on for m in state.measures)
    review = state.next_review_on
    while review <= until:
        dates.add(review)
        review += timedelta(days=policy.review_interval_days)
    # Autopay lowers the principal owed on every due date.
    dates.update(i.due_date for loan in state.loans for i in loan.unpaid())
    return sorted(d for d in dates if state.today <= d <= until)


class _Sim:
    """A copy of the account with the plan steps that brought it there."""

    def __init__(self, state: AccountState, policy: Policy) -> None:
        self.state = state
        self.policy = policy
        self.steps: list[PlanStep] = []
        self.cash = 0

    def fund(self, amount: int) -> None:
        """Put cash in the wallet first when it is short (money from outside the simulation)."""
        if amount > self.state.wallet_fen:
            short = amount - self.state.wallet_fen
            self._do(c.Wallet("deposit", short))
            self.steps.append(PlanStep("deposit", short, self.state.today))

    def pay(self, command: c.Command, step: PlanStep, amount: int) -> None:
        self.fund(amount)
        self._do(command)
        self.steps.append(step)
        self.cash += amount

    def wait(self, until: date) -> None:
        """Advance to `until`; the day before each day autopay collects on the way, put into the
        wallet what autopay would be short of (paid for by the plan), so nothing falls overdue."""
        while self.state.today < until:
            collects = _next_collection(self.state, self.policy)
            if collects is None or collects > until:
                self._advance(until)
                return
            self._advance(collects - timedelta(days=1))
            short = self._shortfall(collects)
            if short:
                self._do(c.Wallet("deposit", short))
                self.steps.append(
                    PlanStep("fund_installments", short, self.state.today, due_on=collects)
                )
                self.cash += short
            self._advance(collects)

    def _shortfall(self, collects: date) -> int:
        """What the wallet must receive today for autopay tomorrow to collect all it wants, and
        other lenders what they ask that day (their late payments first, as the engine takes
        them): tried on a copy through the engine (a payday's expenses may take part of a
        deposit first)."""
        wanted = due_now_fen(self.state.loans, collects)
        profile = self.state.profile
        payday = profile.monthly_income_fen - profile.monthly_expenses_fen
        payday = payday if collects.day == profile.payday else 0
        asked = wanted + external_asks(self.state, self.policy, collects)
        short = max(0, asked - self.state.wallet_fen - payday)
        for _ in range(4):
            trial = self.state
            if short:
                trial = apply(
                    trial, self.policy, c.Wallet("deposit", short), attribute_reviews=False
                ).state
            day = apply(trial, self.policy, c.Advance(collects), attribute_reviews=False)
            paid = sum(e.data["total_fen"] for e in day.events if e.kind == "autopay")
            missed = sum(e.data["missing_fen"] for e in day.events if e.kind == "external_missed")
            if paid >= wanted and not missed:
                break
            short += max(wanted - paid, 0) + missed
        return short

    def _advance(self, until: date) -> None:
        if until > self.state.today:
            self._do(c.Advance(until))
            self.steps.append(PlanStep("wait", 0, until))

    def _do(self, command: c.Command) -> None:
        self.state = apply(self.state, self.policy, command, attribute_reviews=False).state

    def copy(self) -> _Sim:
        other = _Sim(self.state.copy(), self.policy)
        other.steps, other.cash = list(self.steps), self.cash
        return other


def find_plan(
    state: AccountState,
    policy: Policy,
    need_fen: int,
    by: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    term: int = 12,
    method: Method = "equal-installment",
) -> Plan:
    """The cheapest plan (cash, then date) after which `borrow need_fen --term --method` is
    granted; `progress(done, total)` hears of each family of candidates searched.

    Every set of other lenders to pay off (cheapest first, at most 64 sets) is tried with
    every candidate date; at each date just enough principal is repaid for the limit to have
    room. A set is left as soon as one of its dates needs no principal (later ones cannot be
    cheaper), or once it already costs more than the best plan found.
    """
    probe = c.Borrow(need_fen, term, method)
    validate_borrow(policy, probe)
    if state.closed_on is not None:
        return Plan(need_fen, blocked_by="ACCOUNT_CLOSED", term=term, method=method)
    until = min(
        by or state.today + timedelta(days=HORIZON_DAYS),
        state.today + timedelta(days=MAX_HORIZON_DAYS),
    )
    best: Plan | None = None
    last_refusal: Refusal | None = None
    most: tuple[int, date | None] = (0, None)
    dates = _candidate_dates(state, policy, until)
    payoffs = _lender_sets(state)
    # Each set of lenders, with the principal kept until the day it is needed, and repaid in
    # full today: a review grants a limit by the debt it sees, so a frozen or cut line may
    # come back larger at its next review only if the debt is gone by then.
    families = [(lenders, early) for lenders in payoffs for early in (False, True)]
    if not state.loans:
        families = [(lenders, early) for lenders, early in families if not early]
    for done, (lenders, early) in enumerate(families, start=1):
        if progress is not None:
            progress(done, len(families))
        sim = _Sim(state.copy(), policy)
        paid_off = {e.lender for e in lenders}
        late = [e for e in state.external if e.arrears_fen > 0 and e.lender not in paid_off]
        try:
            owed = overdue_fen(sim.state.loans, sim.state.today)
            if owed:
                sim.pay(c.Repay("overdue"), PlanStep("repay_overdue", owed, sim.state.today), owed)
            for lender in lenders:
                sim.pay(
                    c.ExternalRepay(lender.lender),
                    PlanStep("external_repay", lender.balance_fen, sim.state.today, lender.lender),
                    lender.balance_fen,
                )
            for lender in late:
                sim.pay(
                    c.ExternalRepay(lender.lender, arrears=True),
                    PlanStep(
                        "external_arrears", lender.arrears_fen, sim.state.today, lender.lender
                    ),
                    lender.arrears_fen,
                )
            if early and sim.state.loans:
                everything = payoff_fen(sim.state.loans, sim.state.today)
                sim.pay(
                    c.Repay("amount", everything),
                    PlanStep("repay_principal", everything, sim.state.today),
                    everything,
                )
        except DomainError:
            continue
        for day in dates:
            if best is not None and sim.cash >= best.cash_fen:
                break  # this set alone already costs as much as the best plan
            try:
                sim.wait(day)
            except DomainError:
                break
            attempt = _top_up(sim.copy(), probe)
            refusal = check_borrow(attempt.state, policy, probe)
            if refusal is not None:
                last_refusal = refusal
                room = attempt.state.limit_fen - attempt.state.used_fen
                if refusal.code == "LIMIT_EXCEEDED" and room > most[0]:
                    most = (room, attempt.state.today)
                continue
            plan = Plan(
                need_fen,
                [*attempt.steps, PlanStep("borrow", need_fen, attempt.state.today)],
                attempt.cash,
                attempt.state.today,
                term=term,
                method=method,
            )
            if best is None or (plan.cash_fen, plan.ready_on) < (best.cash_fen, best.ready_on):
                best = plan
            if attempt.cash == sim.cash:
                break  # no principal was needed: waiting longer cannot make it cheaper
    if best is not None:
        return best
    blocked = last_refusal.code if last_refusal else "LIMIT_EXCEEDED"
    return Plan(
        need_fen,
        blocked_by=blocked,
        term=term,
        method=method,
        until=until,
        most_fen=most[0],
        most_on=most[1],
    )


def _next_collection(state: AccountState, policy: Policy) -> date | None:
    """The next day autopay collects something (an installment falls due, or one due today and
    not yet paid is tried again), or another lender's payment leaves the wallet, after today."""
    tomorrow = state.today + timedelta(days=1)
    days = [max(i.due_date, tomorrow) for loan in state.loans for i in loan.unpaid()]
    external = next_external_payment(state, policy, state.today)
    if external is not None:
        days.append(external)
    return min(days, default=None)


def _lender_sets(state: AccountState) -> list[list[ExternalLoan]]:
    """Sets of other lenders to pay off, cheapest first: every subset of up to six lenders;
    beyond that, the k smallest for each k."""
    lenders = sorted((e for e in state.external if e.balance_fen > 0), key=lambda e: e.balance_fen)
    if len(lenders) > MAX_LENDERS_SEARCHED:
        return [lenders[:k] for k in range(len(lenders) + 1)]
    sets = [list(chosen) for k in range(len(lenders) + 1) for chosen in combinations(lenders, k)]
    return sorted(sets, key=lambda chosen: sum(e.balance_fen for e in chosen))


def _top_up(sim: _Sim, probe: c.Borrow) -> _Sim:
    """Repay just enough principal that the limit has room for `probe` (when room is all
    that is missing): the shortfall below the limit, plus the interest a repayment settles
    first."""

    for _ in range(3):
        refusal = check_borrow(sim.state, sim.policy, probe)
        if refusal is None or refusal.code != "LIMIT_EXCEEDED" or not sim.state.loans:
            return sim
        short = probe.amount_fen - (sim.state.limit_fen - sim.state.used_fen)
        if short <= 0:
            return sim
        amount = min(short + _accrued(sim.state), payoff_fen(sim.state.loans, sim.state.today))
        try:
            sim.pay(
                c.Repay("amount", amount),
                PlanStep("repay_principal", amount, sim.state.today),
                amount,
            )
        except DomainError:
            return sim
    return sim


def _accrued(state: AccountState) -> int:
    from .payments import accrued_interest_fen

    return sum(accrued_interest_fen(loan, state.today) for loan in state.loans)


def merged_steps(steps: list[PlanStep]) -> list[PlanStep]:
    """Consecutive waits read as one: wait until the last date."""
    out: list[PlanStep] = []
    for step in steps:
        if out and step.action == "wait" and out[-1].action == "wait":
            out[-1] = step
        else:
            out.append(step)
    return out
