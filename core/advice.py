"""What to do and when it comes back, found by simulation, never written rule by rule.

A piece of advice is a path: steps a person can take (repay what is overdue, repay an amount or
everything, pay off another lender or pay its late payments, declare an income, put cash in
the wallet, wait), played in order on a copy of the account through the engine itself, and
what the engine then says is available at each checkpoint. Waiting keeps the installments on
the way paid, and other lenders' payments: just before each day on which autopay or another
lender would come up short, the missing cash goes into the wallet (a `deposit` step), so a
path never passes through a new overdue. Replaying a path's steps
(`commands_for` each, in order) gives exactly its checkpoints.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from . import commands as c
from .engine import DomainError, Outcome, apply, external_asks, next_external_payment
from .model import AccountState
from .payments import due_now_fen, overdue_fen, payoff_fen
from .policy import Policy
from .standing import available_fen

#: How far ahead a recovery is simulated; a later one gives its date only.
HORIZON_DAYS = 92
#: At most this many scheduled reviews are followed for a raise held back.
MAX_REVIEWS = 3


class Step(NamedTuple):
    """One thing to do on date `on` (the days before it pass first): `repay_overdue`
    (`loan_id`), `repay` (`amount_fen`), `repay_all` (`amount_fen` it costs), `external_repay`
    (`lender`, `amount_fen`: paid off), `external_arrears` (`lender`, `amount_fen`: its late
    payments paid), `declare_income` (`amount_fen`, the monthly income), `verify`
    (real-name verification), `deposit` (`amount_fen` into the wallet), `wait` (until `on`)."""

    action: str
    on: date
    amount_fen: int = 0
    loan_id: int | None = None
    lender: str | None = None


class Checkpoint(NamedTuple):
    """After step `after` (its index), on `on`: what is available, and the limit."""

    after: int
    on: date
    available_fen: int
    limit_fen: int


class Path(NamedTuple):
    steps: tuple[Step, ...]
    cash_fen: int
    checkpoints: tuple[Checkpoint, ...]

    @property
    def last(self) -> Checkpoint | None:
        return self.checkpoints[-1] if self.checkpoints else None


def command_for(step: Step) -> c.Command | None:
    """The engine command of a step (None for a wait: the days pass before each step)."""
    if step.action == "repay_overdue":
        return c.Repay("overdue", loan_id=step.loan_id)
    if step.action == "repay":
        return c.Repay("amount", step.amount_fen)
    if step.action == "repay_all":
        return c.Repay("all")
    if step.action == "external_repay":
        assert step.lender is not None
        return c.ExternalRepay(step.lender)
    if step.action == "external_arrears":
        assert step.lender is not None
        return c.ExternalRepay(step.lender, arrears=True)
    if step.action == "declare_income":
        return c.SetProfile(monthly_income_fen=step.amount_fen)
    if step.action == "verify":
        return c.SetProfile(verified=True)
    if step.action == "deposit":
        return c.Wallet("deposit", step.amount_fen)
    if step.action == "wait":
        return None
    raise ValueError(step.action)


def commands_for(state: AccountState, step: Step) -> list[c.Command]:
    """What replaying `step` on `state` takes: the days up to its date, then its command."""
    out: list[c.Command] = []
    if step.on > state.today:
        out.append(c.Advance(step.on))
    command = command_for(step)
    if command is not None:
        out.append(command)
    return out


class Simulation:
    """A copy of the account moved only by engine commands, recording the steps taken."""

    def __init__(
        self,
        state: AccountState,
        policy: Policy,
        steps: list[Step] | None = None,
        cash_fen: int = 0,
        checkpoints: list[Checkpoint] | None = None,
    ) -> None:
        self.state = state
        self.policy = policy
        self.steps: list[Step] = steps or []
        self.cash_fen = cash_fen
        self.checkpoints: list[Checkpoint] = checkpoints or []

    def copy(self) -> Simulation:
        return Simulation(
            self.state, self.policy, list(self.steps), self.cash_fen, list(self.checkpoints)
        )

    def _apply(self, command: c.Command) -> Outcome:
        outcome = apply(self.state, self.policy, command, attribute_reviews=False)
        self.state = outcome.state
        return outcome

    def _advanced(self, day: date) -> AccountState:
        return apply(self.state, self.policy, c.Advance(day), attribute_reviews=False).state

    def _step(self, step: Step) -> Outcome | None:
        outcome = None
        for command in commands_for(self.state, step):
            outcome = self._apply(command)
        self.steps.append(step)
        return outcome

    def deposit(self, amount_fen: int, *, counted: bool) -> None:
        if amount_fen > 0:
            self._step(Step("deposit", self.state.today, amount_fen))
            if counted:
                self.cash_fen += amount_fen

    def pay(self, step: Step) -> bool:
        """A repayment or payoff of `step.amount_fen`, the wallet topped up first when short
        (that cash is the repayment's, not counted twice). False when the engine says no."""
        self.deposit(step.amount_fen - self.state.wallet_fen, counted=False)
        try:
            outcome = self._step(step)
        except DomainError:
            return False
        if outcome is not None and outcome.refusal is not None:
            return False
        self.cash_fen += step.amount_fen
        return True

    def verify_identity(self) -> bool:
        try:
            self._step(Step("verify", self.state.today))
        except DomainError:
            return False
        return True

    def declare_income(self, income_fen: int) -> bool:
        try:
            self._step(Step("declare_income", self.state.today, income_fen))
        except DomainError:
            return False
        return True

    def wait(self, until: date) -> None:
        """Let the days pass to `until`, keeping every installment on the way paid: before
        each day autopay must collect (an installment falls due, or one due today is still
        unpaid), the wallet gets what it will need."""
        while self.state.today < until:
            today = self.state.today
            unpaid = [i for ln in self.state.loans for i in ln.unpaid()]
            late_tomorrow = any(i.due_date == today for i in unpaid)
            due = [i.due_date for i in unpaid if today < i.due_date <= until]
            elsewhere = next_external_payment(self.state, self.policy, today)
            if elsewhere is not None and elsewhere <= until:
                due.append(elsewhere)  # another lender's payment is kept paid too
            day = today + timedelta(days=1) if late_tomorrow else min(due, default=until)
            if day - timedelta(days=1) > today:
                self.state = self._advanced(day - timedelta(days=1))
            if late_tomorrow or day in due:
                self._fund(day)
            else:
                self.state = self._advanced(day)
        self.steps.append(Step("wait", until))

    def _fund(self, day: date) -> None:
        """On the eve of `day`, put in the wallet what autopay will collect then (everything
        due and overdue, and what other lenders ask; a payday that day may take some first),
        and let the day pass; the engine's own day is the judge (a shortfall it reports is
        added, and tried again)."""
        profile = self.state.profile
        net = profile.monthly_income_fen - profile.monthly_expenses_fen
        payday = net if day.day == profile.payday else 0
        wanted = due_now_fen(self.state.loans, day) + external_asks(self.state, self.policy, day)
        need = wanted - self.state.wallet_fen - payday
        for _ in range(4):
            self.deposit(need, counted=True)
            probe = apply(self.state, self.policy, c.Advance(day), attribute_reviews=False)
            need = sum(
                e.data["missing_fen"]
                for e in probe.events
                if e.kind in ("autopay_short", "external_missed")
            ) + sum(e.data["owed_fen"] for e in probe.events if e.kind == "overdue")
            if need == 0:
                break
        self.state = probe.state

    def look(self) -> Checkpoint:
        mark = Checkpoint(
            len(self.steps) - 1, self.state.today, available_fen(self.state), self.state.limit_fen
        )
        self.checkpoints.append(mark)
        return mark

    def path(self) -> Path:
        return Path(tuple(self.steps), self.cash_fen, tuple(self.checkpoints))


def scheduled_reviews(state: AccountState, policy: Policy, until: date) -> list[date]:
    """The engine's scheduled review dates from today to `until` (every review_interval_days
    from the next one; unscheduled reviews never move them)."""
    out = []
    day = state.next_review_on
    while day <= until:
        out.append(day)
        day += timedelta(days=policy.review_interval_days)
    return out


def horizon(state: AccountState) -> date:
    return state.today + timedelta(days=HORIZON_DAYS)


# --- the paths -----------------------------------------------------------------------------------


def repay_overdue(state: AccountState, policy: Policy, loan_ids: list[int]) -> Path:
    """Repay what is overdue on these loans today (one loan: `repay --overdue` of that loan;
    several: of every loan overdue)."""
    sim = Simulation(state, policy)
    one = loan_ids[0] if len(loan_ids) == 1 else None
    loans = [ln for ln in state.loans if ln.id in loan_ids]
    sim.pay(Step("repay_overdue", state.today, overdue_fen(loans, state.today), loan_id=one))
    sim.look()
    return sim.path()


def repay_all(state: AccountState, policy: Policy) -> Path:
    sim = Simulation(state, policy)
    sim.pay(Step("repay_all", state.today, payoff_fen(state.loans, state.today)))
    sim.look()
    return sim.path()


def smallest_repayment(
    state: AccountState, policy: Policy, frees_fen: int, everything: Path
) -> Path | None:
    """The smallest repayment (to the fen) after which `frees_fen` more is available today,
    found by search (what is overdue, interest and any debt above the limit go first), or
    None when no repayment frees that much today (`everything`: the path repaying all)."""
    now = available_fen(state)
    owed = everything.cash_fen
    cache: dict[int, Simulation | None] = {}

    def tried(amount: int) -> Simulation | None:
        if amount not in cache:
            sim = Simulation(state, policy)
            ok = sim.pay(Step("repay", state.today, amount))
            cache[amount] = sim if ok else None
        return cache[amount]

    def works(amount: int) -> bool:
        sim = tried(amount)
        return sim is not None and available_fen(sim.state) >= now + frees_fen

    last = everything.last
    if owed <= 0 or last is None or last.available_fen < now + frees_fen:
        return None
    # The answer lies in (low, high]; a first guess usually settles it in two tries.
    low, high = 0, owed
    guess = min(owed, _repayment_guess(state, now + frees_fen))
    if works(guess):
        high = guess
        if guess - 1 > low and not works(guess - 1):
            low = guess - 1
    else:
        low = guess
    while high - low > 1:
        middle = (low + high) // 2
        if works(middle):
            high = middle
        else:
            low = middle
    found = tried(high)
    assert found is not None
    found.look()
    return found.path()


def repayment_to_borrow(state: AccountState, policy: Policy, command: c.Borrow) -> Path | None:
    """The smallest repayment today after which `command` (the amount asked, its term and
    method) is granted: the search of `smallest_repayment` for the room the amount needs,
    then the borrow rules run on that copy (debt-to-income and every other rule). None when
    no repayment today makes the amount available and granted (a plan may: `plan --need`)."""
    from .engine import borrow_refusals

    now = available_fen(state)
    if command.amount_fen <= now:
        return None
    path = smallest_repayment(state, policy, command.amount_fen - now, repay_all(state, policy))
    if path is None:
        return None
    sim = Simulation(state, policy)
    repaid = next(s for s in path.steps if s.action == "repay")
    if not sim.pay(repaid) or borrow_refusals(sim.state, policy, command):
        return None
    return path


def together(state: AccountState, policy: Policy, paths: list[Path]) -> Path | None:
    """The actions of several advice paths done today one after the other on one copy (a
    repayment of everything stands for any smaller repayment and the overdue's), and what is
    available after them; None when one of them is a wait, or the engine refuses a step."""
    steps = [s for p in paths for s in p.steps if s.action != "deposit"]
    if any(s.action == "wait" or s.on != state.today for s in steps):
        return None
    if any(s.action == "repay_all" for s in steps):
        steps = [s for s in steps if s.action not in ("repay", "repay_overdue", "repay_all")]
        steps.append(Step("repay_all", state.today, payoff_fen(state.loans, state.today)))
    sim = Simulation(state, policy)
    for step in steps:
        if step.action in ("declare_income", "verify"):
            ok = (
                sim.declare_income(step.amount_fen)
                if step.action != "verify"
                else sim.verify_identity()
            )
        else:
            if step.action == "repay_all":  # what is owed by now, after the steps before it
                step = step._replace(amount_fen=payoff_fen(sim.state.loans, sim.state.today))
            ok = sim.pay(step)
        if not ok:
            return None
    sim.look()
    return sim.path()


def _repayment_guess(state: AccountState, wanted_fen: int) -> int:
    """A first guess at the repayment after which `wanted_fen` is available: what is due now,
    then loan by loan (the order a repayment is applied in) the period's interest and the
    principal above the room wanted. Only a starting point: the search checks it."""
    from .payments import accrued_interest_fen, due_now_fen

    today = state.today
    due = due_now_fen(state.loans, today)
    principal_due = sum(
        i.principal_due_fen for ln in state.loans for i in ln.unpaid() if i.due_date <= today
    )
    needed = max(0, state.used_fen - principal_due + wanted_fen - state.limit_fen)
    guess = due
    for loan in sorted(state.loans, key=lambda ln: ln.id):
        if needed <= 0:
            break
        future = sum(i.principal_due_fen for i in loan.unpaid() if i.due_date > today)
        take = min(needed, future)
        guess += accrued_interest_fen(loan, today) + take
        needed -= take
    return max(1, guess)


def pay_off_lenders(state: AccountState, policy: Policy, lenders: list[str], most_fen: int) -> Path:
    """Pay off these other lenders today, then follow the scheduled reviews (see
    `_then_reviews`)."""
    sim = Simulation(state, policy)
    for name in lenders:
        balance = next(e.balance_fen for e in state.external if e.lender == name)
        sim.pay(Step("external_repay", state.today, balance, lender=name))
    sim.look()
    return _then_reviews(sim, most_fen)


def pay_external_arrears(
    state: AccountState, policy: Policy, lenders: list[str], most_fen: int
) -> Path:
    """Pay these other lenders' late payments today (`external repay NAME --arrears`), then
    follow the scheduled reviews (see `_then_reviews`)."""
    sim = Simulation(state, policy)
    for name in lenders:
        arrears = next(e.arrears_fen for e in state.external if e.lender == name)
        sim.pay(Step("external_arrears", state.today, arrears, lender=name))
    sim.look()
    return _then_reviews(sim, most_fen)


def declare_income(state: AccountState, policy: Policy, income_fen: int, most_fen: int) -> Path:
    """Declare this income today, then follow the scheduled reviews (see `_then_reviews`)."""
    sim = Simulation(state, policy)
    sim.declare_income(income_fen)
    sim.look()
    return _then_reviews(sim, most_fen)


def verify_identity(state: AccountState, policy: Policy, most_fen: int) -> Path:
    """Complete real-name verification today, then follow the scheduled reviews (see
    `_then_reviews`)."""
    sim = Simulation(state, policy)
    sim.verify_identity()
    sim.look()
    return _then_reviews(sim, most_fen)


def _then_reviews(sim: Simulation, most_fen: int) -> Path:
    """Follow up to MAX_REVIEWS scheduled reviews while each raises what is available and it
    is below `most_fen` (what removing the cause can give at most); a review that raises
    nothing ends the path before it."""
    before = sim.checkpoints[-1].available_fen
    for day in scheduled_reviews(sim.state, sim.policy, horizon(sim.state))[:MAX_REVIEWS]:
        if before >= most_fen:
            break
        trial = sim.copy()
        trial.wait(day)
        mark = trial.look()
        if mark.available_fen <= before:
            break
        sim = trial
        before = mark.available_fen
    return sim.path()


def lift_freeze(state: AccountState, policy: Policy, until: date) -> tuple[Path, bool]:
    """A frozen line (只还不借) left to the review rules: what is overdue repaid today (when
    anything is), then the scheduled reviews followed, installments kept paid, up to the first
    one that lifts the freeze (or `until`, when none before it does); and whether one did."""
    sim = Simulation(state, policy)
    owed = overdue_fen(state.loans, state.today)
    if owed > 0:
        sim.pay(Step("repay_overdue", state.today, owed))
        sim.look()
    for day in scheduled_reviews(state, policy, until):
        sim.wait(day)
        if sim.state.frozen_on is None:
            break
    sim.look()
    return sim.path(), sim.state.frozen_on is None


class Timeline:
    """The account left alone (installments kept paid) from today: one simulation shared by
    every recovery that only needs time. It moves forward only as far as it is asked, and
    stops at each of the `dates` declared on the way."""

    def __init__(self, state: AccountState, policy: Policy, dates: list[date]) -> None:
        self.state = state
        self._sim = Simulation(state, policy)
        self._ahead = sorted({d for d in dates if state.today < d <= horizon(state)})
        self._marks: dict[date, tuple[int, Checkpoint]] = {}

    def _reach(self, day: date) -> None:
        while self._ahead and self._ahead[0] <= day:
            stop = self._ahead.pop(0)
            self._sim.wait(stop)
            self._marks[stop] = (len(self._sim.steps), self._sim.look())

    def path(self, days: list[date]) -> Path | None:
        """The wait to each of `days` (in order), or None when one lies beyond the horizon."""
        if days:
            self._reach(max(days))
        if not days or any(d not in self._marks for d in days):
            return None
        marks = [self._marks[d] for d in days]
        length = marks[-1][0]
        steps = tuple(self._sim.steps[:length])
        cash = sum(s.amount_fen for s in steps if s.action == "deposit")
        return Path(steps, cash, tuple(m for _, m in marks))
