"""Why the limit is used up: the Explanation (waterfall, ranked reasons, score factors).

Pure data from the state and the policy, worded in the CLI (cli/views/). The waterfall's
non-subtotal lines sum exactly to the available amount; every reason is a code with its
category, evidence, the yuan it removed, what to do, and when it can recover, each of those a
code with raw parameters: `*_fen` integers, ids, counts, dates, and `*_ratio` shares as
`Decimal` (0.25 for 25 %).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .limits import base_limit
from .loans import add_months
from .model import AccountState, LimitDecision
from .money import FEN_PER_YUAN
from .payments import payoff_fen
from .policy import Policy
from .scoring import key_factors, monthly_debt_service_fen
from .standing import (
    SUSPENSION_ORDER,
    Suspension,
    available_fen,
    overdue_installments,
    state_name,
    suspensions,
)

if TYPE_CHECKING:
    from .drawdown import AmountCheck

CATEGORY = {
    "USED_BY_LOANS": "user",
    "MULTI_LENDER": "user",
    "HIGH_DTI": "user",
    "INCOME_DROP": "user",
    "CREDIT_RECORD": "user",
    "OVERDUE": "system",
    "FREQUENT_APPLICATIONS": "system",
    "SCORE_DROP": "system",
    "REVIEW_PENDING": "system",
    "NOT_ELIGIBLE": "system",
    "NO_INCOME": "user",
    "ACCOUNT_CLOSED": "system",
    "PLATFORM_POLICY": "platform",
    "MAINTENANCE": "platform",
}
#: Codes that stop borrowing outright: they rank first among equal amounts.
BLOCKING = ("ACCOUNT_CLOSED", "NOT_ELIGIBLE", "NO_INCOME", *SUSPENSION_ORDER[1:])


@dataclass(frozen=True)
class Line:
    """A waterfall line; `subtotal` lines restate the running total and are not added."""

    code: str
    amount_fen: int
    subtotal: bool = False
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Evidence:
    """A dated fact behind a reason: its kind (a stable code such as `loan` or `lender`) and
    raw parameters (`*_fen` integers, loan ids, counts, codes, dates, `*_ratio` Decimals)."""

    on: date | None
    kind: str
    params: dict[str, Any]


#: What to do, or when it recovers: a code and its raw parameters (worded by the CLI).
Coded = tuple[str, dict[str, Any]]


@dataclass
class Reason:
    code: str
    category: str
    amount_fen: int
    evidence: list[Evidence]
    advice: Coded
    recovers_on: date | None
    recovers: Coded

    @property
    def blocking(self) -> bool:
        return self.code in BLOCKING


@dataclass(frozen=True)
class ScoreFactor:
    attribute: str
    dimension: str
    value: str
    points: int
    max_points: int


@dataclass
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


def explain(state: AccountState, policy: Policy, amount_fen: int | None = None) -> Explanation:
    decision = state.decision
    blocks = suspensions(state)
    waterfall = _waterfall(state, decision, blocks)
    reasons = _reasons(state, policy, decision, waterfall, blocks)
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
    )


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
    state: AccountState,
    policy: Policy,
    decision: LimitDecision,
    waterfall: list[Line],
    blocks: list[Suspension],
) -> list[Reason]:
    amounts: dict[str, int] = {}
    for line in waterfall:
        if line.subtotal or line.code in ("BASE_LIMIT", "OVER_LIMIT"):
            continue
        if line.amount_fen < 0 or line.code == "USED_BY_LOANS":
            amounts[line.code] = amounts.get(line.code, 0) - line.amount_fen
    over = next((ln.amount_fen for ln in waterfall if ln.code == "OVER_LIMIT"), 0)
    if "USED_BY_LOANS" in amounts:
        amounts["USED_BY_LOANS"] -= over
        if amounts["USED_BY_LOANS"] <= 0 and state.used_fen == 0:
            del amounts["USED_BY_LOANS"]
    for s in blocks:
        amounts.setdefault(s.code, 0)
    if "NO_INCOME" in decision.codes and state.limit_fen == 0 and state.closed_on is None:
        amounts["NO_INCOME"] = max(amounts.get("NO_INCOME", 0), state.peak_base_fen)
    if "NOT_ELIGIBLE" in decision.codes and state.limit_fen == 0 and state.closed_on is None:
        amounts["NOT_ELIGIBLE"] = max(amounts.get("NOT_ELIGIBLE", 0), state.peak_base_fen)
    for code, amount in _base_drops(state, policy, decision).items():
        amounts[code] = amount

    builder = _Builder(state, policy, decision, {s.code: s for s in blocks})
    reasons = [builder.build(code, amount) for code, amount in amounts.items()]
    order = {code: i for i, code in enumerate(BLOCKING)}
    reasons.sort(key=lambda r: (-r.amount_fen, order.get(r.code, len(order)), r.code))
    return reasons


def _base_drops(state: AccountState, policy: Policy, decision: LimitDecision) -> dict[str, int]:
    """What an income drop and a score drop took off the base limit (not waterfall lines)."""
    out: dict[str, int] = {}
    if state.closed_on is not None:  # the closure took everything; nothing else will recover
        return out
    income = state.profile.monthly_income_fen
    base = decision.base_fen
    if state.income_drop is not None:
        before = base_limit(policy, decision.score, state.income_drop.from_fen)[0]
        if before > base:
            out["INCOME_DROP"] = before - base
    if decision.score < state.peak_score:
        before = base_limit(policy, state.peak_score, income)[0]
        if before > base:
            out["SCORE_DROP"] = before - base
    return out


class _Builder:
    """Evidence, advice and recovery for each reason code."""

    def __init__(
        self,
        state: AccountState,
        policy: Policy,
        decision: LimitDecision,
        blocks: dict[str, Suspension],
    ) -> None:
        self.state = state
        self.policy = policy
        self.decision = decision
        self.blocks = blocks
        self.steps = {s.code: s for s in decision.steps}

    def build(self, code: str, amount: int) -> Reason:
        method = getattr(self, f"_{code.lower()}")
        evidence, advice, recovers_on, recovers = method()
        return Reason(
            code, CATEGORY.get(code, "system"), amount, evidence, advice, recovers_on, recovers
        )

    def _next_review(self) -> date:
        return self.state.next_review_on

    def _used_by_loans(self) -> Any:
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
                    self.decision.on,
                    "over_limit",
                    {"owed_fen": st.used_fen, "limit_fen": st.limit_fen},
                )
            )
        last = max((i.due_date for loan in st.loans for i in loan.installments), default=None)
        example = min(st.used_fen, 100_000) or st.used_fen
        return (
            ev,
            ("USED_BY_LOANS", {"example": example // FEN_PER_YUAN}),  # whole yuan, to type
            last,
            ("USED_BY_LOANS", {"date": last}),
        )

    def _overdue(self) -> Any:
        items = overdue_installments(self.state)
        ev = [
            Evidence(
                date.fromisoformat(i["due_date"]),
                "overdue_installment",
                {
                    "loan_id": i["loan_id"],
                    "seq": i["seq"],
                    "due_date": i["due_date"],
                    "owed_fen": i["owed_fen"],
                    "days_past_due": i["days_past_due"],
                },
            )
            for i in items
        ]
        if "OVERDUE" in self.steps:
            ev.append(
                Evidence(
                    self.decision.on,
                    "overdue_cut",
                    {"days_past_due": self.steps["OVERDUE"].detail.get("days_past_due", 0)},
                )
            )
        if not items:
            # Repaid since, but the cut made at 30 days past due stays until a review raises it.
            when = self._clean_review()
            return ev, ("REVIEW_PENDING", {"date": when}), when, ("on_date", {"date": when})
        loan_ids = sorted({i["loan_id"] for i in items})
        overdue = sum(i["owed_fen"] for i in items)
        return (
            ev,
            ("OVERDUE", {"amount_fen": overdue, "loan_ids": loan_ids}),
            None,
            ("never" if self.state.closed_on else "OVERDUE", {}),
        )

    def _clean_review(self) -> date:
        """The first scheduled review that may raise the limit (3 months after the last overdue)."""
        when = self._next_review()
        if self.state.last_overdue_on is None:
            return when
        clean = add_months(self.state.last_overdue_on, self.policy.raise_clean_months)
        while when < clean:
            when = date.fromordinal(when.toordinal() + self.policy.review_interval_days)
        return when

    def _frequent_applications(self) -> Any:
        s = self.blocks["FREQUENT_APPLICATIONS"]
        ev = [
            Evidence(
                date.fromisoformat(a["on"]),
                "application_granted" if a["granted"] else "application_refused",
                {"amount_fen": a["amount_fen"]},
            )
            for a in s.detail["applications"]
        ]
        ev.append(
            Evidence(
                s.since,
                "cooloff",
                {
                    "count": self.policy.frequent_applications,
                    "days": self.policy.frequent_window_days,
                    "until": s.until,
                },
            )
        )
        return (
            ev,
            ("FREQUENT_APPLICATIONS", {"until": s.until}),
            s.until,
            ("on_date", {"date": s.until}),
        )

    def _maintenance(self) -> Any:
        s = self.blocks["MAINTENANCE"]
        ev = [
            Evidence(
                s.since, "maintenance", {"measure_id": s.detail["measure_id"], "until": s.until}
            )
        ]
        return ev, ("MAINTENANCE", {"until": s.until}), s.until, ("on_date", {"date": s.until})

    def _account_closed(self) -> Any:
        st = self.state
        closed = st.closed_on or st.today
        ev = [Evidence(closed, "closed", {"days_past_due": self.policy.close_dpd})]
        return (
            ev,
            ("ACCOUNT_CLOSED", {"owed_fen": payoff_fen(st.loans, st.today)}),
            None,
            ("never", {}),
        )

    def _not_eligible(self) -> Any:
        st = self.state
        minimum = self.policy.eligibility_min_score
        ev = [
            Evidence(
                self.decision.on,
                "not_eligible",
                {"score": self.decision.score, "min_score": minimum},
            )
        ]
        return (
            ev,
            ("NOT_ELIGIBLE", {"min_score": minimum, "gap": minimum - st.score}),
            None,
            ("NOT_ELIGIBLE", {"min_score": minimum, "date": self._next_review()}),
        )

    def _no_income(self) -> Any:
        income = self.state.profile.monthly_income_fen
        ev = [Evidence(self.decision.on, "no_income", {"income_fen": income})]
        return ev, ("NO_INCOME", {}), None, ("NO_INCOME", {"date": self._next_review()})

    def _multi_lender(self) -> Any:
        step = self.steps["MULTI_LENDER"]
        lenders = step.detail["lenders"]
        ev = [
            Evidence(
                date.fromisoformat(x["added_on"]),
                "lender",
                {"lender": x["lender"], "balance_fen": x["balance_fen"]},
            )
            for x in lenders
        ]
        ev.append(Evidence(self.decision.on, "cut", {"factor": step.detail["factor"]}))
        smallest = min(lenders, key=lambda x: x["balance_fen"])
        threshold = min(s.threshold for s in self.policy.multi_lender_cuts)
        return (
            ev,
            (
                "MULTI_LENDER",
                {
                    "count": len(lenders),
                    "lender": smallest["lender"],
                    "balance_fen": smallest["balance_fen"],
                    "threshold": threshold,
                },
            ),
            self._next_review(),
            ("MULTI_LENDER", {"threshold": threshold, "date": self._next_review()}),
        )

    def _high_dti(self) -> Any:
        step = self.steps["HIGH_DTI"]
        st = self.state
        ev = [
            Evidence(
                self.decision.on,
                "dti",
                {
                    "dti_ratio": Decimal(step.detail["dti"]),
                    "debt_fen": monthly_debt_service_fen(st),
                    "income_fen": st.profile.monthly_income_fen,
                },
            ),
            Evidence(self.decision.on, "cut", {"factor": step.detail["factor"]}),
        ]
        threshold = min(s.threshold for s in self.policy.high_dti_cuts)
        return (
            ev,
            ("HIGH_DTI", {"threshold_ratio": threshold}),
            self._next_review(),
            ("HIGH_DTI", {"threshold_ratio": threshold, "date": self._next_review()}),
        )

    def _income_drop(self) -> Any:
        drop = self.state.income_drop
        assert drop is not None
        ev = [
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
        binding = self.decision.binding
        if binding in ("income_cap", "regulatory_cap"):
            ev.append(
                Evidence(
                    self.decision.on, f"binding.{binding}", {"base_fen": self.decision.base_fen}
                )
            )
        return (
            ev,
            ("INCOME_DROP", {}),
            self._next_review(),
            ("INCOME_DROP", {"date": self._next_review()}),
        )

    def _credit_record(self) -> Any:
        step = self.steps["CREDIT_RECORD"]
        records = step.detail["records"]
        ev = [
            Evidence(
                date.fromisoformat(r["reported_on"]),
                "bureau",
                {
                    "loan_id": r["loan_id"],
                    "seq": r["seq"],
                    "days_past_due": r["days_past_due"],
                    "until": r["scored_until"],
                },
            )
            for r in records
        ]
        ev.append(Evidence(self.decision.on, "cut", {"factor": step.detail["factor"]}))
        until = max(date.fromisoformat(r["scored_until"]) for r in records)
        return ev, ("CREDIT_RECORD", {"date": until}), until, ("CREDIT_RECORD", {"date": until})

    def _score_drop(self) -> Any:
        st = self.state
        worst = key_factors(st.attributes, 2)
        ev = [
            Evidence(
                self.decision.on,
                "score_drop",
                {"old": st.peak_score, "new": self.decision.score},
            )
        ]
        ev += [
            Evidence(
                None,
                "factor",
                {
                    "attribute": a.attribute,
                    "value": a.value,
                    "points": a.points,
                    "max_points": a.max_points,
                },
            )
            for a in worst
        ]
        return (
            ev,
            ("SCORE_DROP", {}),
            self._next_review(),
            ("SCORE_DROP", {"date": self._next_review()}),
        )

    def _platform_policy(self) -> Any:
        steps = [s for s in self.decision.steps if s.code == "PLATFORM_POLICY"]
        ev = [
            Evidence(
                date.fromisoformat(s.detail["starts_on"]),
                "platform",
                {
                    "measure_id": s.detail["measure_id"],
                    "factor": s.detail["factor"],
                    "cohort": s.detail["cohort"],
                    "until": s.detail["ends_on"],
                },
            )
            for s in steps
        ]
        until = max(date.fromisoformat(s.detail["ends_on"]) for s in steps)
        return ev, ("PLATFORM_POLICY", {"date": until}), until, ("on_date", {"date": until})

    def _review_pending(self) -> Any:
        step = self.steps["REVIEW_PENDING"]
        d = step.detail
        blocker = d["blocker"]
        when = self._clean_review() if blocker == "recent_overdue" else self._next_review()
        ev = [
            Evidence(
                self.decision.on,
                f"pending.{blocker}",
                {
                    "old_fen": d["previous_fen"],
                    "new_fen": d["assessment_fen"],
                    "date": when,
                    "max_raise_ratio": self.policy.raise_max_fraction,
                },
            )
        ]
        return ev, ("REVIEW_PENDING", {"date": when}), when, ("on_date", {"date": when})


# --- the formal notice ---------------------------------------------------------------------


def is_adverse(decision: dict[str, Any]) -> bool:
    """A decision the borrower must be told about: a cut, or the line closed."""
    return bool(
        decision["limit_fen"] < decision["previous_fen"] or "ACCOUNT_CLOSED" in decision["codes"]
    )


@dataclass(frozen=True)
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
    """The notice for an adverse decision (a `limit_review` event's data)."""
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
    closed = "ACCOUNT_CLOSED" in decision["codes"]
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
