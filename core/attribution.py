"""Who is responsible for how much: root causes, their neutralisations, exact Shapley shares.

A cause is something a person recognises and can act on: the own loans, each live overdue
(with what it set off: the suspension, the bureau record's cut, its score points), a past
overdue on the record, other lenders, an income drop, recent applications, each platform
measure, maintenance, the frozen line (只还不借), the closure, no income, not being eligible,
and a raise held back by the review rules. Its neutralisation is a pure function that returns
a counterfactual copy of the account (and policy) with that cause removed. A score drop, a
base-limit drop or a high debt-to-income is not a cause but a channel: its yuan go to the
causes that moved it.

v(S) is the amount available with the causes in S neutralised, computed by the engine's own
functions: the scorecard, `limits.review` and `standing.available_fen`. Each cause's amount is
its exact Shapley value over v(all) − v(none) (Baseline Shapley), in fen by largest remainder,
so the amounts sum exactly to reference − available.

The limit in force is the last review's; a review today could give another. A counterfactual
keeps that lag: with the causes in S removed the assessment rises by what they took, the raise
the review rules hold back stays held (REVIEW_PENDING is the cause that lifts it), and a limit
above today's assessment stands until a review lowers it (see `Game._hold`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import date
from fractions import Fraction
from math import factorial
from typing import NamedTuple

from .limits import active_measures, review
from .loans import add_months
from .model import AccountState, Delinquency, LimitDecision, Loan, ScoreAttribute, shallow
from .money import FEN_PER_YUAN
from .policy import Policy
from .scoring import score_attributes, total
from .standing import available_fen

#: The documented order of causes of equal share (after blocking ones): what stops borrowing
#: outright first, then the person's own doing, then the platform's, then the rules'.
CAUSE_ORDER = (
    "ACCOUNT_CLOSED",
    "FROZEN",
    "OVERDUE",
    "MAINTENANCE",
    "FREQUENT_APPLICATIONS",
    "USED_BY_LOANS",
    "CREDIT_RECORD",
    "LATE_PAYMENT",
    "MULTI_LENDER",
    "INCOME_DROP",
    "NO_INCOME",
    "PLATFORM_POLICY",
    "REVIEW_PENDING",
    "NOT_VERIFIED",
    "NOT_ELIGIBLE",
)
#: Causes whose neutralisation cannot move the score (their v(S) reuse the score of the rest).
#: The closure can, through the delinquency ceiling (a closed line scores at most its severe
#: ceiling): with the ceiling in the policy it is scored (`Game._set_masks`); without it, its
#: neutralisation keeps the score of the rest, as it did before the ceiling existed.
_UNSCORED = frozenset(
    {"ACCOUNT_CLOSED", "FROZEN", "MAINTENANCE", "PLATFORM_POLICY", "REVIEW_PENDING", "NOT_ELIGIBLE"}
)
#: With more causes than this, causes of the same code are grouped into one (2^n reviews).
MAX_CAUSES = 10


class World(NamedTuple):
    """A counterfactual: an account, the policy it is judged by, and whether the limit
    follows today's assessment at once (the review rules' lag lifted)."""

    state: AccountState
    policy: Policy
    lag_free: bool = False


Neutraliser = Callable[[World], World]


class Cause(NamedTuple):
    """A root cause: its code, a key telling apart causes of one code (`loan:1`,
    `measure:2`, or empty), whether it blocks borrowing outright while it lasts (a live
    suspension or the closure), and its neutralisation."""

    code: str
    key: str
    blocking: bool
    neutralise: Neutraliser

    @property
    def scoring(self) -> bool:
        return self.code not in _UNSCORED

    @property
    def order(self) -> tuple[int, tuple[int, ...]]:
        """The documented tie order: CAUSE_ORDER, then the key's numbers (loan or measure
        ids, ascending) — never alphabetical."""
        numbers = tuple(int(p) for p in self.key.replace(":", ",").split(",") if p.isdigit())
        return CAUSE_ORDER.index(self.code), numbers


# --- neutralisations ---------------------------------------------------------------------------


def _with(state: AccountState, **changes: object) -> AccountState:
    """A shallow copy with some fields replaced: neutralisations never change what they read."""
    new = shallow(state)
    for name, value in changes.items():
        setattr(new, name, value)
    return new


def _cured(state: AccountState, keys: set[tuple[int, int]]) -> list[Loan]:
    """The loans with the installments `keys` ((loan id, seq)) paid in full on their due dates,
    without late days, penalty or bureau report."""
    loans = []
    for loan in state.loans:
        if not any((loan.id, i.seq) in keys for i in loan.installments):
            loans.append(loan)
            continue
        new = shallow(loan)
        new.installments = [
            dataclasses.replace(
                i,
                principal_paid_fen=i.principal_fen,
                interest_paid_fen=i.interest_fen,
                penalty_fen=0,
                penalty_paid_fen=0,
                paid_on=i.due_date,
                max_dpd=0,
                reported_on=None,
            )
            if (loan.id, i.seq) in keys
            else i
            for i in loan.installments
        ]
        loans.append(new)
    return loans


def _last_overdue(remaining: Iterable[Delinquency], unexplained: date | None) -> date | None:
    """The last overdue day once some delinquencies are forgotten: the latest of those left
    (and of a day no delinquency explains, from one no longer kept)."""
    days = [d.last_overdue_on for d in remaining]
    if unexplained is not None:
        days.append(unexplained)
    return max(days, default=None)


def repay_loans(world: World) -> World:
    """USED_BY_LOANS: every installment not yet past due repaid in full today (the loans keep
    only their paid and overdue installments; a loan with nothing left unpaid goes)."""
    st = world.state
    today = st.today
    loans = []
    for loan in st.loans:
        kept = [i for i in loan.installments if i.is_paid or i.due_date < today]
        if len(kept) == len(loan.installments):
            loans.append(loan)
        elif any(not i.is_paid for i in kept):
            new = shallow(loan)
            new.installments = kept
            loans.append(new)
    return world._replace(state=_with(st, loans=loans))


def cure_overdue(loan_id: int, seqs: frozenset[int], unexplained: date | None) -> Neutraliser:
    """OVERDUE of one loan: its overdue installments paid on their due dates, with no late
    days, no penalty, no bureau record (they count as paid on time)."""

    def neutralise(world: World) -> World:
        st = world.state
        keys = {(loan_id, seq) for seq in seqs}
        loans = _cured(st, keys)
        delinquencies = [d for d in st.delinquencies if (d.loan_id, d.seq) not in keys]
        new = _with(
            st,
            loans=loans,
            delinquencies=delinquencies,
            bureau=[r for r in st.bureau if (r.loan_id, r.seq) not in keys],
            on_time_installments=st.on_time_installments + len(seqs),
            last_overdue_on=_last_overdue(delinquencies, unexplained),
        )
        return world._replace(state=new)

    return neutralise


def forget_records(keys: frozenset[tuple[int, int]], unexplained: date | None) -> Neutraliser:
    """CREDIT_RECORD, LATE_PAYMENT: past overdue (repaid since) gone from the bureau record
    and the scorecard."""

    def neutralise(world: World) -> World:
        st = world.state
        delinquencies = [d for d in st.delinquencies if (d.loan_id, d.seq) not in keys]
        new = _with(
            st,
            delinquencies=delinquencies,
            bureau=[r for r in st.bureau if (r.loan_id, r.seq) not in keys],
            last_overdue_on=_last_overdue(delinquencies, unexplained),
        )
        return world._replace(state=new)

    return neutralise


def settle_external(seqs: frozenset[int], unexplained: date | None) -> Neutraliser:
    """CREDIT_RECORD, LATE_PAYMENT of another lender's late payments still unpaid (keyed
    `lender:SEQ`): the arrears paid on their due dates, so no late days and no bureau record."""

    def neutralise(world: World) -> World:
        st = world.state
        keys = {(0, seq) for seq in seqs}
        lenders = {d.lender for d in st.delinquencies if (d.loan_id, d.seq) in keys}
        lenders |= {r.lender for r in st.bureau if (r.loan_id, r.seq) in keys}
        delinquencies = [d for d in st.delinquencies if (d.loan_id, d.seq) not in keys]
        external = [
            dataclasses.replace(e, arrears_fen=0, late_since=None, missed=[])
            if e.lender in lenders
            else e
            for e in st.external
        ]
        new = _with(
            st,
            external=external,
            delinquencies=delinquencies,
            bureau=[r for r in st.bureau if (r.loan_id, r.seq) not in keys],
            last_overdue_on=_last_overdue(delinquencies, unexplained),
        )
        return world._replace(state=new)

    return neutralise


def no_lenders(world: World) -> World:
    """MULTI_LENDER: no loans at other lenders."""
    return world._replace(state=_with(world.state, external=[]))


def income_of(income_fen: int) -> Neutraliser:
    """INCOME_DROP (the income before the drop) and NO_INCOME (an income declared)."""

    def neutralise(world: World) -> World:
        st = world.state
        profile = dataclasses.replace(st.profile, monthly_income_fen=income_fen)
        return world._replace(state=_with(st, profile=profile, income_drop=None))

    return neutralise


def forget_applications(world: World) -> World:
    """FREQUENT_APPLICATIONS: no recent applications, so no cool-off and no score points lost."""
    st = _with(world.state, applications=[], cooloff_until=None, cooloff_started_on=None)
    return world._replace(state=st)


def end_measure(measure_id: int) -> Neutraliser:
    """PLATFORM_POLICY and MAINTENANCE: the measure is over."""

    def neutralise(world: World) -> World:
        st = world.state
        measures = [m for m in st.measures if m.id != measure_id]
        return world._replace(state=_with(st, measures=measures))

    return neutralise


def reopen(world: World) -> World:
    """ACCOUNT_CLOSED: the line was never closed."""
    return world._replace(state=_with(world.state, closed_on=None))


def unfreeze(world: World) -> World:
    """FROZEN: the freeze lifted (只还不借 over; the limit revolves again)."""
    return world._replace(state=_with(world.state, frozen_on=None))


def verified(world: World) -> World:
    """NOT_VERIFIED: real-name verification done (实名认证)."""
    st = world.state
    profile = dataclasses.replace(st.profile, verified=True)
    return world._replace(state=_with(st, profile=profile))


def eligible(world: World) -> World:
    """NOT_ELIGIBLE: the lowest tier admits any score."""
    p = world.policy
    tiers = (dataclasses.replace(p.tiers[0], min_score=p.score_base), *p.tiers[1:])
    return world._replace(policy=dataclasses.replace(p, tiers=tiers))


def lift_lag(world: World) -> World:
    """REVIEW_PENDING: the limit follows today's assessment at once."""
    return world._replace(lag_free=True)


def declared_income_fen(state: AccountState, policy: Policy) -> int:
    """The income NO_INCOME's counterfactual declares: the monthly expenses (what one lives
    on), or when none are declared the scorecard's first income band."""
    if state.profile.monthly_expenses_fen > 0:
        return state.profile.monthly_expenses_fen
    edges = [e for e in policy.scorecard.capacity.monthly_income_yuan.edges if e > 0]
    return int(edges[0] * FEN_PER_YUAN) if edges else policy.limit_step_fen


def live_overdue(state: AccountState) -> dict[int, frozenset[int]]:
    """Loan id → the seqs of its installments past due and unpaid."""
    out: dict[int, set[int]] = {}
    for loan in state.loans:
        for i in loan.installments:
            if not i.is_paid and i.due_date < state.today:
                out.setdefault(loan.id, set()).add(i.seq)
    return {k: frozenset(v) for k, v in sorted(out.items())}


def live_external(state: AccountState) -> dict[int, str]:
    """The seq (loan 0) of each other lender's late payments still unpaid → the lender: the
    delinquency of its current late spell (from its first day past due)."""
    late = {(e.lender, e.late_since) for e in state.external if e.arrears_fen > 0}
    return {
        d.seq: d.lender
        for d in sorted(state.delinquencies, key=lambda d: d.seq)
        if d.loan_id == 0 and (d.lender, d.due_date) in late
    }


def _unexplained_overdue_day(state: AccountState) -> date | None:
    days = {d.last_overdue_on for d in state.delinquencies}
    return state.last_overdue_on if state.last_overdue_on not in days else None


def present_causes(state: AccountState, policy: Policy) -> list[Cause]:
    """The causes present on the account now, in CAUSE_ORDER (REVIEW_PENDING comes from the
    game, which alone knows whether a raise is held back)."""
    today = state.today
    unexplained = _unexplained_overdue_day(state)
    scored_since = add_months(today, -policy.credit_record_scored_months)
    out: list[Cause] = []
    if state.closed_on is not None:
        out.append(Cause("ACCOUNT_CLOSED", "", True, reopen))
    elif state.frozen_on is not None:
        out.append(Cause("FROZEN", "", True, unfreeze))
    live = live_overdue(state)
    for loan_id, seqs in live.items():
        out.append(
            Cause("OVERDUE", f"loan:{loan_id}", True, cure_overdue(loan_id, seqs, unexplained))
        )
    for m in active_measures(state, "maintenance"):
        out.append(Cause("MAINTENANCE", f"measure:{m.id}", True, end_measure(m.id)))
    cooling = state.cooloff_until is not None and today < state.cooloff_until
    applications = next((a for a in state.attributes if a.attribute == "applications_30d"), None)
    if cooling or (applications is not None and applications.points < applications.max_points):
        out.append(Cause("FREQUENT_APPLICATIONS", "", cooling, forget_applications))
    if any(not i.is_paid and i.due_date >= today for ln in state.loans for i in ln.installments):
        out.append(Cause("USED_BY_LOANS", "", False, repay_loans))
    live_keys = {(loan, seq) for loan, seqs in live.items() for seq in seqs}
    elsewhere = live_external(state)
    live_keys |= {(0, seq) for seq in elsewhere}
    past = {(d.loan_id, d.seq) for d in state.delinquencies} | {
        (r.loan_id, r.seq) for r in state.bureau
    }
    # reported to the bureau (and still scored there), or only late days in the scorecard
    reported = {(r.loan_id, r.seq) for r in state.bureau if r.reported_on > scored_since}
    if past - live_keys:
        code = "CREDIT_RECORD" if reported - live_keys else "LATE_PAYMENT"
        out.append(Cause(code, "", False, forget_records(frozenset(past - live_keys), unexplained)))
    for seq in elsewhere:  # another lender's payments still late: its own record, its own cause
        code = "CREDIT_RECORD" if (0, seq) in reported else "LATE_PAYMENT"
        neutralise = settle_external(frozenset({seq}), unexplained)
        out.append(Cause(code, f"lender:{seq}", False, neutralise))
    if any(e.balance_fen > 0 for e in state.external):
        out.append(Cause("MULTI_LENDER", "", False, no_lenders))
    if state.income_drop is not None:
        out.append(Cause("INCOME_DROP", "", False, income_of(state.income_drop.from_fen)))
    elif state.profile.monthly_income_fen == 0:
        out.append(Cause("NO_INCOME", "", False, income_of(declared_income_fen(state, policy))))
    for m in active_measures(state, "tighten"):
        out.append(Cause("PLATFORM_POLICY", f"measure:{m.id}", False, end_measure(m.id)))
    if policy.verification_required and not state.profile.verified:
        out.append(Cause("NOT_VERIFIED", "", False, verified))
    if state.score < policy.eligibility_min_score:
        out.append(Cause("NOT_ELIGIBLE", "", False, eligible))
    return out


def grouped(causes: list[Cause], limit: int = MAX_CAUSES) -> list[Cause]:
    """Causes of the same code merged into one (largest groups first) until at most `limit`
    remain: the group's key lists its members' numbers, its neutralisation all of theirs."""
    out = list(causes)
    while len(out) > limit:
        counts: dict[str, int] = {}
        for cause in out:
            if ":" in cause.key:  # a cause of its own kind (the past record) is never merged
                counts[cause.code] = counts.get(cause.code, 0) + 1
        code = max((c for c in counts if counts[c] > 1), key=lambda c: counts[c], default=None)
        if code is None:
            break
        members = [c for c in out if c.code == code and ":" in c.key]
        prefix = members[0].key.split(":")[0]
        numbers = ",".join(m.key.split(":")[1] for m in members)

        def neutralise(world: World, members: list[Cause] = members) -> World:
            for member in members:
                world = member.neutralise(world)
            return world

        group = Cause(code, f"{prefix}:{numbers}", any(m.blocking for m in members), neutralise)
        at = out.index(members[0])
        out = [c for c in out if c not in members]
        out.insert(at, group)
    return out


# --- the game ------------------------------------------------------------------------------------


class Assessment(NamedTuple):
    """One counterfactual reviewed: the account rescored, the decision, what is available."""

    state: AccountState
    decision: LimitDecision
    available_fen: int


def _identity(target: int) -> int:
    return target


class Game:
    """v(S) over the causes present, memoised (2^n reviews at most; fewer, since nothing is
    available while a blocking cause lasts, and the score of S is the score of its causes
    that can move it)."""

    def __init__(self, state: AccountState, policy: Policy, causes: list[Cause]) -> None:
        self.state = state
        self.policy = policy
        self._attributes: dict[int, tuple[list[ScoreAttribute], int]] = {}
        self._worlds: dict[int, World] = {0: World(state, policy)}
        self._values: dict[int, int] = {}
        self._assessed: dict[tuple[int, bool], Assessment] = {}
        # The lag between the limit in force and a review today (module docstring).
        self.causes = list(causes)
        self._scoring = 0
        self._set_masks()
        free = self.assessment(0, lag_free=True)
        self.assessed_fen = state.assessed_fen
        self.lag_fen = free.decision.target_fen - state.assessed_fen
        lagged = self._review(self._scored(0), policy, self._hold)
        self.drift_fen = state.limit_fen - lagged.limit_fen
        if free.decision.limit_fen > state.limit_fen:
            self.causes.append(Cause("REVIEW_PENDING", "", False, lift_lag))
            self._set_masks()

    def _set_masks(self) -> None:
        self.n = len(self.causes)
        self._blocking = sum(1 << i for i, c in enumerate(self.causes) if c.blocking)
        ceiling = self.policy.scorecard.delinquency_ceiling.enabled
        self._scoring = sum(
            1 << i
            for i, c in enumerate(self.causes)
            if c.scoring or (ceiling and c.code == "ACCOUNT_CLOSED")
        )
        self._values.clear()

    def _hold(self, target: int) -> int:
        """The assessment part of a counterfactual limit kept behind today's assessment by the
        lag: a raise held back stays held (the assessment moves by what the causes took), and
        a limit above today's assessment stands unless the assessment passes it."""
        return max(0, min(target - self.lag_fen, max(self.assessed_fen, target)))

    def world(self, mask: int) -> World:
        found = self._worlds.get(mask)
        if found is None:
            high = mask.bit_length() - 1
            found = self.causes[high].neutralise(self.world(mask & ~(1 << high)))
            self._worlds[mask] = found
        return found

    def _scored(self, mask: int) -> AccountState:
        world = self.world(mask)
        key = mask & self._scoring
        if key not in self._attributes:
            scored = self.world(key).state
            attributes = score_attributes(scored, self.policy)
            self._attributes[key] = (attributes, total(attributes, self.policy))
        attributes, score = self._attributes[key]
        return _with(world.state, attributes=attributes, score=score)

    @staticmethod
    def _review(state: AccountState, policy: Policy, hold: Callable[[int], int]) -> LimitDecision:
        return review(state, policy, "explain", scheduled=True, hold=hold)

    def assessment(self, mask: int, *, lag_free: bool | None = None) -> Assessment:
        """The counterfactual with the causes in `mask` neutralised, reviewed."""
        world = self.world(mask)
        free = world.lag_free if lag_free is None else lag_free
        found = self._assessed.get((mask, free))
        if found is None:
            scored = self._scored(mask)
            decision = self._review(scored, world.policy, _identity if free else self._hold)
            limit = decision.limit_fen if free else max(0, decision.limit_fen + self.drift_fen)
            final = _with(scored, limit_fen=limit, assessed_fen=decision.assessed_fen)
            found = Assessment(scored, decision, available_fen(final))
            self._assessed[(mask, free)] = found
        return found

    def value(self, mask: int) -> int:
        """v(S): what is available with the causes in `mask` neutralised."""
        found = self._values.get(mask)
        if found is None:
            if mask & self._blocking != self._blocking:
                found = 0  # a blocking cause left in place: nothing can be borrowed
            elif mask == 0:
                found = available_fen(self.state)
            else:
                found = self.assessment(mask).available_fen
            self._values[mask] = found
        return found

    def shapley(self) -> list[Fraction]:
        """Each cause's exact Shapley value: Σ over S ∌ i of |S|!(n−|S|−1)!/n! · (v(S∪i) − v(S))."""
        n = self.n
        if n == 0:
            return []
        weights = [factorial(s) * factorial(n - s - 1) for s in range(n)]
        values = [self.value(mask) for mask in range(1 << n)]
        sums = [0] * n
        for i in range(n):
            bit = 1 << i
            sums[i] = sum(
                weights[mask.bit_count()] * (values[mask | bit] - values[mask])
                for mask in range(1 << n)
                if not mask & bit and values[mask | bit] != values[mask]
            )
        whole = factorial(n)
        return [Fraction(x, whole) for x in sums]


# --- the attribution ---------------------------------------------------------------------------


class Share(NamedTuple):
    """A cause's part of the loss: `amount_fen` (its Shapley value in fen, by largest
    remainder), `exact` (the value itself), what fixing it alone frees today (v({i}) − v(∅)),
    and whether another cause has exactly the same share."""

    cause: Cause
    position: int
    exact: Fraction
    amount_fen: int
    alone_fen: int
    equal_share: bool = False


class Attribution(NamedTuple):
    """The loss (reference − available) split among the causes, ranked."""

    available_fen: int
    reference_fen: int
    shares: list[Share]
    game: Game

    @property
    def lost_fen(self) -> int:
        return self.reference_fen - self.available_fen


def largest_remainder(values: list[Fraction], total_fen: int, order: list[int]) -> list[int]:
    """Whole fen summing exactly to `total_fen`: each value rounded down, then one fen more to
    the largest remainders (ties: earlier in `order`, a list of indices)."""
    floors = [v.numerator // v.denominator for v in values]
    left = total_fen - sum(floors)
    rank = {i: r for r, i in enumerate(order)}
    by_remainder = sorted(range(len(values)), key=lambda i: (-(values[i] - floors[i]), rank[i]))
    for i in by_remainder[: max(0, left)]:
        floors[i] += 1
    return floors


def rank_key(share: Share) -> tuple[object, ...]:
    """Blocking causes first (nothing else frees a yuan while one lasts), then by share, then
    by what fixing the cause alone frees, then CAUSE_ORDER."""
    return (not share.cause.blocking, -share.exact, -share.alone_fen, share.cause.order)


def attribute(state: AccountState, policy: Policy) -> Attribution:
    game = Game(state, policy, grouped(present_causes(state, policy)))
    exact = game.shapley()
    reference = game.value((1 << game.n) - 1) if game.n else available_fen(state)
    base = game.value(0)
    alone = [game.value(1 << i) - base for i in range(game.n)]
    provisional = [Share(cause, i, exact[i], 0, alone[i]) for i, cause in enumerate(game.causes)]
    order = [s.position for s in sorted(provisional, key=rank_key)]
    amounts = largest_remainder(exact, reference - base, order)
    counts: dict[Fraction, int] = {}
    for value in exact:
        counts[value] = counts.get(value, 0) + 1
    shares = [
        s._replace(amount_fen=amounts[s.position], equal_share=counts[s.exact] > 1)
        for s in provisional
    ]
    shares.sort(key=rank_key)
    return Attribution(base, reference, shares, game)
