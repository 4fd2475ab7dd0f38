"""Why the limit is used up: the Explanation (waterfall, ranked reasons, score factors).

Pure data from the state and the policy, worded in the CLI (cli/views/). The waterfall is how
the rules computed the number: its non-subtotal lines sum exactly to the available amount.
The reasons are who is responsible for how much: each a root cause (core/attribution.py) with
its exact Shapley share of reference − available (the shares sum to it exactly), what fixing
it alone frees today, dated evidence (its facts, then the chain it set off: the scorecard
points it moved, the score, the base limit and the cuts that apply because of it), what to do
and when it recovers — both simulated paths (core/advice.py). Everything is a code with raw
parameters: `*_fen` integers, ids, counts, dates, and `*_ratio` shares as `Decimal` (0.25 for
25 %).
"""

from __future__ import annotations

from dataclasses import field
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from .attribution import (
    Attribution,
    Game,
    Share,
    attribute,
    declared_income_fen,
    live_external,
    live_overdue,
)
from .limits import bureau_in_scope
from .loans import add_months
from .model import AccountState, LimitDecision
from .policy import Policy
from .records import record
from .scoring import NO_HISTORY, debt_to_income, key_factors
from .standing import Suspension, available_fen, overdue_installments, state_name, suspensions

if TYPE_CHECKING:
    from .advice import Path, Timeline

if TYPE_CHECKING:
    from .drawdown import AmountCheck

CATEGORY = {
    "USED_BY_LOANS": "user",
    "MULTI_LENDER": "user",
    "HIGH_DTI": "user",
    "INCOME_DROP": "user",
    "CREDIT_RECORD": "user",
    "LATE_PAYMENT": "user",
    "OVERDUE": "system",
    "FREQUENT_APPLICATIONS": "system",
    "SCORE_DROP": "system",
    "REVIEW_PENDING": "system",
    "NOT_ELIGIBLE": "system",
    "NOT_VERIFIED": "user",
    "NO_INCOME": "user",
    "ACCOUNT_CLOSED": "system",
    "FROZEN": "system",
    "PLATFORM_POLICY": "platform",
    "MAINTENANCE": "platform",
    "OTHER": "system",
}
#: Waterfall steps that are cuts a cause can set off (shown in its chain of evidence).
_CUTS = ("MULTI_LENDER", "HIGH_DTI", "CREDIT_RECORD", "PLATFORM_POLICY")


@record(frozen=True)
class Line:
    """A waterfall line; `subtotal` lines restate the running total and are not added."""

    code: str
    amount_fen: int
    subtotal: bool = False
    detail: dict[str, Any] = field(default_factory=dict)


@record(frozen=True)
class Evidence:
    """A dated fact behind a reason: its kind (a stable code such as `loan` or `lender`) and
    raw parameters (`*_fen` integers, loan ids, counts, codes, dates, `*_ratio` Decimals).
    `on` is None for a link of the chain (what the cause moves in today's assessment)."""

    on: date | None
    kind: str
    params: dict[str, Any]


#: What to do, or when it recovers: a code and its raw parameters (worded by the CLI).
Coded = tuple[str, dict[str, Any]]


@record
class Reason:
    """A root cause: `amount_fen` its share of the loss, `alone_fen` what fixing it alone
    frees today, `blocking` whether it stops borrowing outright while it lasts,
    `equal_share` whether another cause has exactly the same share. `advice` names the action
    (its `paths` are the simulated ones, each with its cash and what it leads to), and
    `recovers` when the limit comes back (`recovery`: the simulated wait, when there is one)."""

    code: str
    key: str
    category: str
    amount_fen: int
    alone_fen: int
    blocking: bool
    equal_share: bool
    evidence: list[Evidence]
    advice: Coded
    recovers_on: date | None
    recovers: Coded
    paths: list[Path] = field(default_factory=list)
    recovery: Path | None = None
    #: Neither fixing it alone today nor any simulated path of it (its advice, or the wait
    #: until it lifts) frees a yuan. Then `binds_with`: the fewest other causes that also hold
    #: the limit back (codes, in rank order), and `together_fen`: what would be available with
    #: it and them neutralised (v of that coalition); empty and None when no coalition gains
    #: anything from it. `together`: this cause's advice and theirs done today on one copy,
    #: when that frees something (None otherwise, or when one of them only time lifts).
    frees_nothing: bool = False
    binds_with: list[str] = field(default_factory=list)
    together_fen: int | None = None
    together: Path | None = None


@record(frozen=True)
class ScoreFactor:
    attribute: str
    dimension: str
    value: str
    points: int
    max_points: int


@record
class Explanation:
    today: date
    state: str
    limit_fen: int
    used_fen: int
    available_fen: int
    waterfall: list[Line]
    reasons: list[Reason]
    score: int
    score_factors: list[ScoreFactor]
    suspended: bool
    amount: AmountCheck | None = None
    #: What would be available with every cause neutralised (the reasons share the rest).
    reference_fen: int = 0

    @property
    def lost_fen(self) -> int:
        return self.reference_fen - self.available_fen

    @property
    def blocking(self) -> list[Reason]:
        """The live causes that stop every yuan today ("You cannot borrow today because …")."""
        return [r for r in self.reasons if r.blocking]


def explain(
    state: AccountState, policy: Policy, amount_fen: int | None = None, *, advise: bool = True
) -> Explanation:
    """The explanation; without `advise` the reasons carry no simulated advice (the ranking,
    shares and evidence are the same), for callers that only need the codes."""
    decision = state.decision
    blocks = suspensions(state)
    waterfall = _waterfall(state, decision, blocks)
    attribution = attribute(state, policy)
    reasons = _reasons(state, policy, attribution, advise)
    factors = [
        ScoreFactor(a.attribute, a.dimension, a.value, a.points, a.max_points)
        for a in key_factors(state.attributes)
    ]
    check = None
    if amount_fen is not None:
        from .drawdown import check_amount  # the engine's own rules, loaded for --amount only

        check = check_amount(state, policy, amount_fen)
    return Explanation(
        today=state.today,
        state=state_name(state),
        limit_fen=state.limit_fen,
        used_fen=state.used_fen,
        available_fen=available_fen(state),
        waterfall=waterfall,
        reasons=reasons,
        score=state.score,
        score_factors=factors,
        suspended=bool(blocks),
        amount=check,
        reference_fen=attribution.reference_fen,
    )


def waterfall(state: AccountState) -> list[Line]:
    """The waterfall alone (what `status --detail` shows and the invariants check)."""
    return _waterfall(state, state.decision, suspensions(state))


def _waterfall(
    state: AccountState, decision: LimitDecision, blocks: list[Suspension]
) -> list[Line]:
    lines = [Line(s.code, s.amount_fen, s.subtotal, s.detail) for s in decision.steps]
    used = state.used_fen
    limit = state.limit_fen
    lines.append(Line("USED_BY_LOANS", -used))
    if used > limit:
        lines.append(Line("OVER_LIMIT", used - limit))
    room = max(0, limit - used)
    if blocks and room > 0:
        lines.append(Line(blocks[0].code, -room, detail={"suspension": True}))
    lines.append(Line("AVAILABLE", available_fen(state), subtotal=True))
    return lines


def _reasons(
    state: AccountState, policy: Policy, attribution: Attribution, advise: bool
) -> list[Reason]:
    """A reason for every cause that holds back a share, or blocks; in the attribution's
    order."""
    shown = [s for s in attribution.shares if s.exact != 0 or s.cause.blocking]
    facts = _Facts(state, policy, attribution.game)
    timeline = None
    if advise and shown:
        from .advice import Timeline  # the engine: loaded only when there is advice to simulate

        timeline = Timeline(state, policy, [d for s in shown for d in facts.dates(s)])
    out = []
    for share in shown:
        evidence = facts.evidence(share) + _chain(attribution.game, share)
        evidence += _beyond_limit(state, attribution.game, share)
        advice, recovers_on, recovers, paths, recovery = facts.advice(share, timeline)
        binds: list[str] = []
        together = None
        nothing = timeline is not None and _frees_nothing(share, paths, recovery, attribution)
        if nothing:
            binds, together = _binds_with(share, attribution)
        out.append(
            Reason(
                code=share.cause.code,
                key=share.cause.key,
                category=CATEGORY.get(share.cause.code, "system"),
                amount_fen=share.amount_fen,
                alone_fen=share.alone_fen,
                blocking=share.cause.blocking,
                equal_share=share.equal_share,
                evidence=evidence,
                advice=advice,
                recovers_on=recovers_on,
                recovers=recovers,
                paths=paths,
                recovery=recovery,
                frees_nothing=nothing,
                binds_with=binds,
                together_fen=together,
            )
        )
    for r in out:
        if r.binds_with and r.paths:
            _simulate_together(r, out, state, policy)
    return out


def _simulate_together(
    r: Reason, reasons: list[Reason], state: AccountState, policy: Policy
) -> None:
    """The reason's advice and the advice of the causes that also bind, done today on one
    copy: kept when it frees more than their advice alone does (what the words then
    promise), else left out."""
    from . import advice as sim

    others = []
    for code in r.binds_with:
        found = next((o for o in reasons if o.code == code and o.paths), None)
        if found is None:
            return  # a cause only time lifts, or without advice: no action to add
        others.append(found.paths[0])
    path = sim.together(state, policy, [r.paths[0], *others])
    if path is None:
        return
    # It must free more than their advice does without this one (else this adds nothing).
    theirs = sim.together(state, policy, others)
    floor = available_fen(state) if theirs is None else theirs.checkpoints[-1].available_fen
    if path.checkpoints[-1].available_fen <= max(floor, available_fen(state)):
        return
    r.together = path


def _beyond_limit(state: AccountState, game: Game, share: Share) -> list[Evidence]:
    """A share larger than the limit in force, said for what it is: the shares are of what a
    review today would make available without the causes, so a cause that also lowers what a
    review would give (through the score, the base, a cut) can hold back more than the limit.
    Stated with the limit a review today would give without it (when that is higher), and
    not when there is no limit at all."""
    if share.amount_fen <= state.limit_fen or state.limit_fen == 0:
        return []  # (no limit at all: every share is of what a review would give)
    without = game.assessment(1 << share.position, lag_free=True).decision.limit_fen
    if without <= state.limit_fen:
        return []
    params = {"share_fen": share.amount_fen, "limit_fen": state.limit_fen, "without_fen": without}
    return [Evidence(None, "beyond_limit", params)]


def _frees_nothing(
    share: Share, paths: list[Path], recovery: Path | None, attribution: Attribution
) -> bool:
    """Fixing the cause alone today frees nothing, and no simulated path of it (its advice, or
    the wait until it lifts; there is at least one) ever has more available than today."""
    walks = [*paths, *([recovery] if recovery is not None else [])]
    if share.alone_fen > 0 or not any(p.checkpoints for p in walks):
        return False  # frees something, or not simulated (a date beyond the horizon)
    now = attribution.available_fen
    return all(m.available_fen <= now for p in walks for m in p.checkpoints)


@cache
def _by_size(n: int) -> tuple[tuple[int, ...], ...]:
    """The non-empty masks over n causes, grouped by how many causes they hold (1, 2, …)."""
    groups: list[list[int]] = [[] for _ in range(n)]
    for mask in range(1, 1 << n):
        groups[mask.bit_count() - 1].append(mask)
    return tuple(tuple(g) for g in groups)


def _binds_with(share: Share, attribution: Attribution) -> tuple[list[str], int | None]:
    """The fewest other causes T that, neutralised with this one, make something available that
    they do not make available without it (v(T ∪ i) > v(T) and > today; the largest gain
    among coalitions of that size, then the earliest in rank order): what also binds while
    this cause alone frees nothing. Returns T's codes and v(T ∪ i); ([], None) when no
    coalition gains anything from it."""
    game = attribution.game
    now = attribution.available_fen
    me = 1 << share.position
    others = [s.position for s in attribution.shares if s.position != share.position]
    rank = {p: r for r, p in enumerate(others)}
    best: tuple[int, tuple[int, ...], tuple[int, ...], int] | None = None
    for masks in _by_size(game.n):  # the smallest size first
        for mask in masks:
            if mask & me:
                continue
            together, rest = game.value(mask | me), game.value(mask)
            if together <= rest or together <= now:
                continue
            members = tuple(sorted((p for p in others if mask >> p & 1), key=rank.__getitem__))
            key = (rest - together, tuple(rank[p] for p in members), members, together)
            if best is None or key[:2] < best[:2]:
                best = key
        if best is not None:
            codes: list[str] = []
            for p in best[2]:
                code = game.causes[p].code
                if code not in codes:
                    codes.append(code)
            return codes, best[3]
    return [], None


def _chain(game: Game, share: Share) -> list[Evidence]:
    """What the cause sets off in today's assessment: the scorecard points it moves, the score,
    the base limit, and the cuts that apply because of it (compared with the same review of
    the account without it)."""
    if share.cause.code == "REVIEW_PENDING":
        return []
    now = game.assessment(0, lag_free=True)
    without = game.assessment(1 << share.position, lag_free=True)
    out = []
    before = {a.attribute: a for a in without.state.attributes}
    for a in now.state.attributes:
        b = before.get(a.attribute)
        if b is None or a.points == b.points:
            continue
        if a.value != b.value:
            out.append(
                Evidence(
                    None,
                    "moved",
                    {
                        "attribute": a.attribute,
                        "value": a.value,
                        "without": b.value,
                        "points": a.points - b.points,
                    },
                )
            )
        elif NO_HISTORY in (a.band, b.band):
            # The value is the same with and without the cause: its points differ because one
            # side has no history yet and scores the thin file's middle points (not a factor
            # the cause moved, so said as that reason in words).
            kind = "thin_without" if b.band == NO_HISTORY else "thin_now"
            out.append(
                Evidence(
                    None,
                    kind,
                    {
                        "attribute": a.attribute,
                        "value": a.value,
                        "points": a.points - b.points,
                        "now_points": a.points,
                        "without_points": b.points,
                    },
                )
            )
    if now.state.score != without.state.score:
        out.append(
            Evidence(None, "score", {"score": now.state.score, "without": without.state.score})
        )
    d, w = now.decision, without.decision
    if d.base_fen != w.base_fen:
        out.append(
            Evidence(
                None,
                "base",
                {"base_fen": d.base_fen, "without_fen": w.base_fen, "binding": d.binding},
            )
        )
    kept = {(s.code, s.detail.get("measure_id"), s.detail.get("factor")) for s in w.steps}
    for step in d.steps:
        if (
            step.code in _CUTS
            and (step.code, step.detail.get("measure_id"), step.detail.get("factor")) not in kept
        ):
            params: dict[str, Any] = {"factor": step.detail["factor"]}
            if step.code == "HIGH_DTI":
                rule = game.world(0).policy.dti_interest_first
                ratio = debt_to_income(now.state, 0, rule)
                params["dti_ratio"] = ratio
                params["without_ratio"] = debt_to_income(without.state, 0, rule)
                # The threshold the cut applies above (the rule compares the unrounded ratio).
                params["threshold_ratio"] = max(
                    (
                        c.threshold
                        for c in game.world(0).policy.high_dti_cuts
                        if ratio > c.threshold
                    ),
                    default=None,
                )
            out.append(Evidence(None, f"cut.{step.code}", params))
        elif step.code == "OVERDUE" and "OVERDUE" not in {s.code for s in w.steps}:
            out.append(
                Evidence(None, "overdue_cut", {"days_past_due": step.detail["days_past_due"]})
            )
    return out


class _Facts:
    """The facts behind each cause, and its advice and recovery (simulated)."""

    def __init__(self, state: AccountState, policy: Policy, game: Game) -> None:
        self.state = state
        self.policy = policy
        self.game = game
        self.live = live_overdue(state)
        #: Other lenders' late spells still unpaid (seq of loan 0 → lender).
        self.elsewhere = live_external(state)

    # --- dates the recoveries need from the shared timeline ---

    def dates(self, share: Share) -> list[date]:
        code = share.cause.code
        st = self.state
        if code == "REVIEW_PENDING":
            from .advice import MAX_REVIEWS, horizon, scheduled_reviews

            return scheduled_reviews(st, self.policy, horizon(st))[:MAX_REVIEWS] or [
                st.next_review_on
            ]
        one = self._wait_until(share)
        return [one] if one is not None else []

    def _wait_until(self, share: Share) -> date | None:
        code = share.cause.code
        st = self.state
        if code in ("PLATFORM_POLICY", "MAINTENANCE"):
            ids = [int(x) for x in share.cause.key.split(":")[1].split(",")]
            return max(m.ends_on for m in st.measures if m.id in ids)
        if code == "FREQUENT_APPLICATIONS":
            if st.cooloff_until is not None and st.today < st.cooloff_until:
                return st.cooloff_until
            return self._review_on_or_after(self._applications_forgotten())
        if code in ("CREDIT_RECORD", "LATE_PAYMENT"):
            if _external_seqs(share):
                return None  # late payments still unpaid never age: paying them is the way
            return self._review_on_or_after(self._record_forgotten())
        if code == "NOT_ELIGIBLE":
            return st.next_review_on
        return None

    def _review_on_or_after(self, day: date) -> date:
        when = self.state.next_review_on
        step = timedelta(days=self.policy.review_interval_days)
        while when < day:
            when += step
        return when

    def _applications_forgotten(self) -> date:
        """The day the last recent application leaves the scorecard's window."""
        last = max(a.on for a in self.state.applications)
        return last + timedelta(days=self.policy.applications_window_days)

    def _record_forgotten(self) -> date:
        """The day the past overdue stops counting: its bureau reports and its late days leave
        the scored window (months after the report, and after the last late day)."""
        months = self.policy.credit_record_scored_months
        live = {(loan, seq) for loan, seqs in self.live.items() for seq in seqs}
        live |= {(0, seq) for seq in self.elsewhere}
        days = [
            add_months(r.reported_on, months)
            for r in self.state.bureau
            if (r.loan_id, r.seq) not in live
        ] + [
            add_months(d.last_overdue_on, months) + timedelta(days=1)
            for d in self.state.delinquencies
            if (d.loan_id, d.seq) not in live
        ]
        return max(days)

    # --- evidence ---

    def evidence(self, share: Share) -> list[Evidence]:
        method = getattr(self, f"_ev_{share.cause.code.lower()}")
        found: list[Evidence] = method(share)
        return found

    def _ev_used_by_loans(self, share: Share) -> list[Evidence]:
        st = self.state
        ev = [
            Evidence(
                loan.drawn_on,
                "loan",
                {
                    "loan_id": loan.id,
                    "principal_fen": loan.principal_fen,
                    "owed_fen": loan.outstanding_principal_fen,
                    "term": loan.term,
                },
            )
            for loan in st.loans
        ]
        if st.used_fen > st.limit_fen:
            ev.append(
                Evidence(
                    st.decision.on,
                    "over_limit",
                    {"owed_fen": st.used_fen, "limit_fen": st.limit_fen},
                )
            )
        return ev

    def _ev_overdue(self, share: Share) -> list[Evidence]:
        ids = {int(x) for x in share.cause.key.split(":")[1].split(",")}
        ev = [
            Evidence(
                date.fromisoformat(i["due_date"]),
                "overdue_installment",
                {k: i[k] for k in ("loan_id", "seq", "due_date", "owed_fen", "days_past_due")},
            )
            for i in overdue_installments(self.state)
            if i["loan_id"] in ids
        ]
        return ev + self._bureau(lambda loan, seq: loan in ids and seq in self.live.get(loan, ()))

    def _bureau(self, pick: Any) -> list[Evidence]:
        return [
            Evidence(
                date.fromisoformat(str(r["reported_on"])),
                "bureau_external" if r.get("lender") else "bureau",
                {
                    **(
                        {"lender": r["lender"]}
                        if r.get("lender")
                        else {"loan_id": r["loan_id"], "seq": r["seq"]}
                    ),
                    "days_past_due": r["days_past_due"],
                    "until": r["scored_until"],
                },
            )
            for r in bureau_in_scope(self.state, self.policy)
            if pick(r["loan_id"], r["seq"])
        ]

    def _ev_external(self, seqs: set[int]) -> list[Evidence]:
        """Another lender's late payments still unpaid: each payment missed (its due date and
        what went unpaid), what is late now and for how long, and its bureau report."""
        st = self.state
        out: list[Evidence] = []
        for seq in sorted(seqs):
            lender = self.elsewhere[seq]
            loan = next(e for e in st.external if e.lender == lender)
            assert loan.late_since is not None
            out += [
                Evidence(m.on, "external_missed", {"lender": lender, "amount_fen": m.amount_fen})
                for m in loan.missed
            ]
            out.append(
                Evidence(
                    loan.late_since,
                    "external_arrears",
                    {
                        "lender": lender,
                        "arrears_fen": loan.arrears_fen,
                        "days_past_due": (st.today - loan.late_since).days,
                    },
                )
            )
        return out + self._bureau(lambda loan, seq: loan == 0 and seq in seqs)

    def _ev_credit_record(self, share: Share) -> list[Evidence]:
        seqs = _external_seqs(share)
        if seqs:
            return self._ev_external(seqs)
        live = {(loan, seq) for loan, seqs in self.live.items() for seq in seqs}
        live |= {(0, seq) for seq in self.elsewhere}
        reported = {(r.loan_id, r.seq) for r in self.state.bureau}
        months = self.policy.credit_record_scored_months
        late = [
            Evidence(
                d.last_overdue_on,
                "late_external" if d.lender else "late",
                {
                    **({"lender": d.lender} if d.lender else {"loan_id": d.loan_id, "seq": d.seq}),
                    "days_past_due": d.max_dpd,
                    "until": add_months(d.last_overdue_on, months).isoformat(),
                },
            )
            for d in self.state.delinquencies
            if (d.loan_id, d.seq) not in live and (d.loan_id, d.seq) not in reported
        ]
        return self._bureau(lambda loan, seq: (loan, seq) not in live) + late

    _ev_late_payment = _ev_credit_record

    def _ev_maintenance(self, share: Share) -> list[Evidence]:
        ids = {int(x) for x in share.cause.key.split(":")[1].split(",")}
        return [
            Evidence(m.starts_on, "maintenance", {"measure_id": m.id, "until": m.ends_on})
            for m in self.state.measures
            if m.id in ids
        ]

    def _ev_platform_policy(self, share: Share) -> list[Evidence]:
        ids = {int(x) for x in share.cause.key.split(":")[1].split(",")}
        return [
            Evidence(
                m.starts_on,
                "platform",
                {
                    "measure_id": m.id,
                    "factor": str(m.factor),
                    "cohort": m.cohort or "all",
                    "until": m.ends_on,
                },
            )
            for m in self.state.measures
            if m.id in ids
        ]

    def _ev_frequent_applications(self, share: Share) -> list[Evidence]:
        st = self.state
        since = st.today - timedelta(days=self.policy.applications_window_days - 1)
        ev = [
            Evidence(
                a.on,
                "application_granted" if a.granted else "application_refused",
                {"amount_fen": a.amount_fen},
            )
            for a in st.applications
            if a.on >= since
        ]
        if st.cooloff_until is not None and st.today < st.cooloff_until:
            ev.append(
                Evidence(
                    st.cooloff_started_on or st.today,
                    "cooloff",
                    {
                        "count": self.policy.frequent_applications,
                        "days": self.policy.frequent_window_days,
                        "until": st.cooloff_until,
                    },
                )
            )
        return ev

    def _ev_multi_lender(self, share: Share) -> list[Evidence]:
        return [
            Evidence(e.added_on, "lender", {"lender": e.lender, "balance_fen": e.balance_fen})
            for e in self.state.external
            if e.balance_fen > 0
        ]

    def _ev_income_drop(self, share: Share) -> list[Evidence]:
        drop = self.state.income_drop
        assert drop is not None
        return [
            Evidence(
                drop.on,
                "income_drop",
                {
                    "old_fen": drop.from_fen,
                    "new_fen": drop.to_fen,
                    "drop_ratio": Decimal(drop.from_fen - drop.to_fen) / drop.from_fen,
                },
            )
        ]

    def _ev_no_income(self, share: Share) -> list[Evidence]:
        st = self.state
        return [
            Evidence(
                st.decision.on,
                "no_income",
                {
                    "income_fen": st.profile.monthly_income_fen,
                    "declared_fen": declared_income_fen(st, self.policy),
                },
            )
        ]

    def _ev_account_closed(self, share: Share) -> list[Evidence]:
        closed = self.state.closed_on or self.state.today
        return [Evidence(closed, "closed", {"days_past_due": self.policy.close_dpd})]

    def _ev_frozen(self, share: Share) -> list[Evidence]:
        st = self.state
        assert st.frozen_on is not None
        return [
            Evidence(
                st.frozen_on,
                "frozen",
                {
                    "days_past_due": self.policy.cut_to_outstanding_dpd,
                    "owed_fen": st.used_fen,
                    "months": self.policy.raise_clean_months,
                },
            )
        ]

    def _ev_not_verified(self, share: Share) -> list[Evidence]:
        return [Evidence(self.state.decision.on, "not_verified", {})]

    def _ev_not_eligible(self, share: Share) -> list[Evidence]:
        return [
            Evidence(
                self.state.today,
                "not_eligible",
                {"score": self.state.score, "min_score": self.policy.eligibility_min_score},
            )
        ]

    def _ev_review_pending(self, share: Share) -> list[Evidence]:
        st = self.state
        free = self.game.assessment(0, lag_free=True).decision
        step = next((s for s in st.decision.steps if s.code == "REVIEW_PENDING"), None)
        if step is not None:
            d = step.detail
            return [
                Evidence(
                    st.decision.on,
                    f"pending.{d['blocker']}",
                    {
                        "old_fen": d["previous_fen"],
                        "new_fen": d["assessment_fen"],
                        "max_raise_ratio": self.policy.raise_max_fraction,
                        "months": self.policy.raise_clean_months,
                    },
                )
            ]
        out = [
            Evidence(
                st.decision.on,
                "pending.since_review",
                {"old_fen": st.limit_fen, "new_fen": free.limit_fen},
            )
        ]
        cut = next((s for s in st.decision.steps if s.code == "OVERDUE"), None)
        if cut is not None:  # the cut at 30 days past due outlives the overdue
            days = cut.detail["days_past_due"]
            out.append(Evidence(st.decision.on, "overdue_cut", {"days_past_due": days}))
        return out

    # --- advice and recovery ---

    def advice(
        self, share: Share, timeline: Timeline | None
    ) -> tuple[Coded, date | None, Coded, list[Path], Path | None]:
        """(advice, recovers_on, recovers, the advice's paths, the recovery's path)."""
        code = share.cause.code
        st, policy = self.state, self.policy
        from . import advice as sim

        if code in ("OVERDUE",):
            ids = [int(x) for x in share.cause.key.split(":")[1].split(",")]
            owed = sum(i["owed_fen"] for i in overdue_installments(st) if i["loan_id"] in ids)
            coded: Coded = ("OVERDUE", {"amount_fen": owed, "loan_ids": ids})
            if timeline is None:
                return coded, None, ("OVERDUE", {}), [], None
            paths = [sim.repay_overdue(st, policy, ids)]
            if st.closed_on is not None:
                return coded, None, ("never", {}), paths, None
            return (coded, *self._after(paths[0], "OVERDUE"), paths, None)
        if code == "USED_BY_LOANS":
            last = max(i.due_date for loan in st.loans for i in loan.installments)
            recovers: Coded = ("USED_BY_LOANS", {"date": last})
            if timeline is None:
                return ("USED_BY_LOANS", {}), last, recovers, [], None
            everything = sim.repay_all(st, policy)
            first = sim.smallest_repayment(st, policy, policy.min_borrow_fen, everything)
            if first is None or first.cash_fen >= everything.cash_fen:
                paths = [everything]
            else:
                paths = [first, everything]
            return ("USED_BY_LOANS", {}), last, recovers, paths, None
        if code == "ACCOUNT_CLOSED":
            from .payments import payoff_fen

            owed = payoff_fen(st.loans, st.today)
            paths = [sim.repay_all(st, policy)] if timeline is not None and st.loans else []
            return ("ACCOUNT_CLOSED", {"owed_fen": owed}), None, ("never", {}), paths, None
        if code == "FROZEN":
            return self._lift_freeze(timeline)
        if code == "MULTI_LENDER":
            chosen = self._lenders_to_pay_off()
            cash = sum(e.balance_fen for e in st.external if e.lender in chosen)
            coded = ("MULTI_LENDER", {"lenders": ", ".join(chosen), "cash_fen": cash})
            if timeline is None:
                return coded, None, ("after_action", {}), [], None
            most = self.game.assessment(1 << share.position).available_fen
            path = sim.pay_off_lenders(st, policy, chosen, most)
            return (coded, *self._after(path, "after_action"), [path], None)
        if code in ("CREDIT_RECORD", "LATE_PAYMENT") and _external_seqs(share):
            lenders = [self.elsewhere[seq] for seq in sorted(_external_seqs(share))]
            owed = sum(e.arrears_fen for e in st.external if e.lender in lenders)
            coded = ("EXTERNAL_ARREARS", {"lenders": ", ".join(lenders), "amount_fen": owed})
            if timeline is None:
                return coded, None, ("after_action", {}), [], None
            most = self.game.assessment(1 << share.position).available_fen
            path = sim.pay_external_arrears(st, policy, lenders, most)
            return (coded, *self._after(path, "after_action"), [path], None)
        if code == "NOT_VERIFIED":
            if timeline is None:
                return ("NOT_VERIFIED", {}), None, ("after_action", {}), [], None
            most = self.game.assessment(1 << share.position).available_fen
            path = sim.verify_identity(st, policy, most)
            return (("NOT_VERIFIED", {}), *self._after(path, "after_action"), [path], None)
        if code in ("INCOME_DROP", "NO_INCOME"):
            drop = st.income_drop
            income = drop.from_fen if drop is not None else declared_income_fen(st, policy)
            coded = (code, {"income_fen": income})
            if timeline is None:
                return coded, None, ("after_action", {}), [], None
            most = self.game.assessment(1 << share.position).available_fen
            path = sim.declare_income(st, policy, income, most)
            return (coded, *self._after(path, "after_action"), [path], None)
        # Causes only time lifts: the shared timeline, or a date beyond its horizon.
        days = self.dates(share)
        until = days[0] if days else None
        if code == "PLATFORM_POLICY":
            coded = ("PLATFORM_POLICY", {"date": until})
        elif code == "MAINTENANCE":
            coded = ("MAINTENANCE", {"until": until})
        elif code == "FREQUENT_APPLICATIONS":
            cooling = st.cooloff_until is not None and st.today < st.cooloff_until
            coded = (
                ("FREQUENT_APPLICATIONS", {"until": until})
                if cooling
                else ("APPLICATIONS", {"date": self._applications_forgotten()})
            )
        elif code in ("CREDIT_RECORD", "LATE_PAYMENT"):
            coded = (code, {"date": self._record_forgotten()})
        elif code == "NOT_ELIGIBLE":
            minimum = policy.eligibility_min_score
            coded = ("NOT_ELIGIBLE", {"min_score": minimum, "gap": minimum - st.score})
        else:  # REVIEW_PENDING
            coded = ("REVIEW_PENDING", {"date": until})
        if timeline is None:
            return coded, until, ("review_on", {"date": until}), [], None
        if code == "REVIEW_PENDING":
            return self._raise_recovery(coded, days, timeline)
        recovery = timeline.path(days)
        if recovery is None:  # beyond the simulated horizon: the date the rules give
            by_review = code not in ("PLATFORM_POLICY", "MAINTENANCE")
            return (
                coded,
                until,
                ("review_on" if by_review else "on_date", {"date": until}),
                [],
                None,
            )
        return (coded, *self._after(recovery, "after_wait"), [], recovery)

    def _raise_recovery(
        self, coded: Coded, reviews: list[date], timeline: Timeline
    ) -> tuple[Coded, date | None, Coded, list[Path], Path | None]:
        """The scheduled reviews that raise the limit held back, each step (followed within
        the horizon until the limit reaches a review's today without the raise rules); beyond
        it, the first review the raise rules allow."""
        st = self.state
        most = self.game.assessment(0, lag_free=True).decision.limit_fen
        kept: list[date] = []
        limit = st.limit_fen
        for day in reviews:
            path = timeline.path([*kept, day])
            if path is None:
                break
            if path.checkpoints[-1].limit_fen > limit:
                kept.append(day)
                limit = path.checkpoints[-1].limit_fen
            if limit >= most:
                break
        recovery = timeline.path(kept) if kept else None
        if recovery is None:
            earliest = self._first_raise_review()
            return coded, earliest, ("earliest_review", {"date": earliest}), [], None
        return coded, _recovered_on(recovery), ("after_wait", {}), [], recovery

    def _lift_freeze(
        self, timeline: Timeline | None
    ) -> tuple[Coded, date | None, Coded, list[Path], Path | None]:
        """When the freeze lifts: the review rules simulated (what is overdue repaid first),
        up to the first scheduled review that lifts it; beyond that, the date the rules give."""
        st, policy = self.state, self.policy
        earliest = self._first_raise_review()
        months = policy.raise_clean_months
        if timeline is None:
            coded: Coded = ("FROZEN", {"date": earliest, "months": months})
            return coded, earliest, ("review_on", {"date": earliest}), [], None
        from . import advice as sim

        path, lifted = sim.lift_freeze(st, policy, add_months(earliest, 1))
        when = path.checkpoints[-1].on if lifted else earliest
        coded = ("FROZEN", {"date": when, "months": months})
        if not lifted:
            return coded, earliest, ("earliest_review", {"date": earliest}), [], None
        if any(s.action == "repay_overdue" for s in path.steps):
            return (coded, *self._after(path, "after_action"), [path], None)
        return (coded, *self._after(path, "after_wait"), [], path)

    def _first_raise_review(self) -> date:
        """The first scheduled review the raise rules allow a raise at (after the months
        without overdue they ask for)."""
        st = self.state
        if st.last_overdue_on is None:
            return st.next_review_on
        return self._review_on_or_after(
            add_months(st.last_overdue_on, self.policy.raise_clean_months)
        )

    def _after(self, path: Path, gains: str) -> tuple[date | None, Coded]:
        """(recovers_on, recovers) of a simulated path: when it has the most it will have, or
        that it frees nothing (while borrowing is suspended, or at all by its last date)."""
        now = available_fen(self.state)
        best = max(m.available_fen for m in path.checkpoints)
        if best > now:
            return _recovered_on(path), (gains, {})
        last = path.checkpoints[-1].on
        if last == self.state.today and any(c.blocking for c in self.game.causes):
            return None, ("while_suspended", {})
        return None, ("no_gain", {"date": last})

    def _lenders_to_pay_off(self) -> list[str]:
        """The fewest other lenders to pay off for the cut to stop (smallest balances first,
        then the oldest): below the first threshold; all of them when no cut applies."""
        lenders = sorted(
            (e for e in self.state.external if e.balance_fen > 0),
            key=lambda e: (e.balance_fen, e.added_on),
        )
        threshold = min((s.threshold for s in self.policy.multi_lender_cuts), default=None)
        count = len(lenders)
        if threshold is None or count < threshold:
            return [e.lender for e in lenders]
        return [e.lender for e in lenders[: count - int(threshold) + 1]]


def _external_seqs(share: Share) -> set[int]:
    """The delinquency seqs (loan 0) of a cause keyed by other lenders' late spells
    (`lender:3` or, grouped, `lender:3,5`); empty for any other cause."""
    key = share.cause.key
    if not key.startswith("lender:"):
        return set()
    return {int(x) for x in key.split(":")[1].split(",")}


def _recovered_on(path: Path) -> date | None:
    """The first checkpoint at which the path has the most it will have."""
    if not path.checkpoints:
        return None
    best = max(m.available_fen for m in path.checkpoints)
    return next(m.on for m in path.checkpoints if m.available_fen == best)


# --- the formal notice ---------------------------------------------------------------------


def is_adverse(decision: dict[str, Any]) -> bool:
    """A decision the borrower must be told about: a cut, or the line closed."""
    return bool(
        decision["limit_fen"] < decision["previous_fen"] or "ACCOUNT_CLOSED" in decision["codes"]
    )


@record(frozen=True)
class Notice:
    """What the notice of an adverse decision says: the action (`cut` or `closed`), the limit
    before and after, up to four principal reason codes (largest first), and the cohort of
    each platform measure among its causes (`all` for everyone)."""

    on: date
    action: str
    old_limit_fen: int
    new_limit_fen: int
    reasons: list[str]
    cohorts: list[str]


def adverse_notice(decision: dict[str, Any]) -> Notice:
    """The notice for an adverse decision (a `limit_review` event's data): its principal
    reasons are the largest cuts of the decision's own attribution (core/change.py), never a
    raise held back and never a cause that did not change in that review; a decision made
    before reviews kept an attribution names the steps that took the most."""
    closed = "ACCOUNT_CLOSED" in decision["codes"]
    entries = decision.get("attribution")
    if entries is not None:
        cuts = [e for e in entries if e["amount_fen"] < 0 and e["code"] != "REVIEW_PENDING"]
        principal: list[str] = []
        for e in sorted(cuts, key=lambda e: e["amount_fen"]):  # stable: entries' own order
            if e["code"] not in principal:
                principal.append(e["code"])
        if closed:
            principal = ["ACCOUNT_CLOSED", *(c for c in principal if c != "ACCOUNT_CLOSED")]
        cohorts = [
            ev["cohort"] or "all"
            for e in cuts
            if e["code"] == "PLATFORM_POLICY"
            for ev in e["evidence"]
            if ev["kind"] == "measure_started"
        ]
        return Notice(
            on=date.fromisoformat(decision["on"]),
            action="closed" if closed else "cut",
            old_limit_fen=decision["previous_fen"],
            new_limit_fen=decision["limit_fen"],
            reasons=principal[:4],
            cohorts=cohorts,
        )
    return _notice_from_steps(decision, closed)


def _notice_from_steps(decision: dict[str, Any], closed: bool) -> Notice:
    taken: dict[str, int] = {}
    for s in decision["steps"]:
        if not s["subtotal"] and s["amount_fen"] < 0:
            taken[s["code"]] = taken.get(s["code"], 0) - s["amount_fen"]
    # A fall of the base limit is no step of its own: it is what the base lost since the last
    # decision, credited to the income drop and the score drop the review named.
    fall = max(0, decision.get("previous_base_fen", 0) - decision["base_fen"])
    for code in ("INCOME_DROP", "SCORE_DROP"):
        if code in decision["codes"]:
            taken.setdefault(code, fall)
    for code in decision["codes"]:
        if code in CATEGORY:
            taken.setdefault(code, 0)
    ranked = sorted(taken.items(), key=lambda kv: -kv[1])
    principal = [code for code, _ in ranked][:4]
    if closed:
        principal = ["ACCOUNT_CLOSED", "OVERDUE"]
    return Notice(
        on=date.fromisoformat(decision["on"]),
        action="closed" if closed else "cut",
        old_limit_fen=decision["previous_fen"],
        new_limit_fen=decision["limit_fen"],
        reasons=principal,
        cohorts=[
            s["detail"]["cohort"] for s in decision["steps"] if s["code"] == "PLATFORM_POLICY"
        ],
    )
