"""The limit review: a pure function from the account and the policy to a LimitDecision.

Order (each a step of the decision): eligibility → base limit = min(tier cap, income cap,
regulatory cap) rounded down → risk cuts (MULTI_LENDER, HIGH_DTI, CREDIT_RECORD, and OVERDUE
at 30 days past due) → the raise rules (cuts at once; raises only at scheduled reviews, at most
+50 %, after 3 clean months) → platform tightening for a matching cohort → a frozen line
(FROZEN, 只还不借) held to the principal owed → credit limit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from .cohort import parse_cohort
from .loans import add_months
from .model import AccountState, LimitDecision, LimitStep, PlatformMeasure
from .money import FEN_PER_YUAN, floor_to, scale
from .policy import Policy, Step, regulatory_cap_fen
from .scoring import debt_to_income, other_lenders, ratio_text


def current_dpd(state: AccountState) -> int:
    """The account's days past due: the oldest unpaid installment's."""
    return max(
        (i.days_past_due(state.today) for loan in state.loans for i in loan.installments),
        default=0,
    )


def active_measures(
    state: AccountState, kind: str, on: date | None = None
) -> list[PlatformMeasure]:
    day = on or state.today
    return [m for m in state.measures if m.kind == kind and m.starts_on <= day < m.ends_on]


def cohort_values(state: AccountState) -> dict[str, Decimal]:
    return {
        "score": Decimal(state.score),
        "dti": debt_to_income(state),
        "lenders": Decimal(other_lenders(state)),
        "income": Decimal(state.profile.monthly_income_fen) / FEN_PER_YUAN,
    }


def in_cohort(state: AccountState, measure: PlatformMeasure) -> bool:
    return measure.cohort is None or parse_cohort(measure.cohort)(cohort_values(state))


def bureau_in_scope(state: AccountState, policy: Policy) -> list[dict[str, object]]:
    """Bureau records still scored (reported within the last 24 months); another lender's
    names it (`lender`)."""
    since = add_months(state.today, -policy.credit_record_scored_months)
    return [
        {
            "loan_id": r.loan_id,
            "seq": r.seq,
            "due_date": r.due_date.isoformat(),
            "reported_on": r.reported_on.isoformat(),
            "days_past_due": r.days_past_due,
            "scored_until": add_months(
                r.reported_on, policy.credit_record_scored_months
            ).isoformat(),
            **({"lender": r.lender} if r.lender else {}),
        }
        for r in state.bureau
        if r.reported_on > since
    ]


def raise_blocker(state: AccountState, policy: Policy, scheduled: bool) -> str | None:
    """Why a raise must wait, or None when this review may raise the limit."""
    if not scheduled:
        return "not_scheduled"
    if state.last_overdue_on is not None and (
        add_months(state.last_overdue_on, policy.raise_clean_months) > state.today
    ):
        return "recent_overdue"
    return None


def freeze_lifts(state: AccountState, policy: Policy) -> bool:
    """Whether a scheduled review today lifts the freeze (只还不借): nothing is overdue and
    `raise_clean_months` have passed since the last overdue day."""
    if state.frozen_on is None or current_dpd(state) > 0:
        return False
    last = state.last_overdue_on or state.frozen_on
    return add_months(last, policy.raise_clean_months) <= state.today


def base_limit(policy: Policy, score: int, income_fen: int) -> tuple[int, str, dict[str, int]]:
    """(base limit, the cap that binds, every cap): the smallest of the tier cap, the income
    cap and the regulatory cap, rounded down to the limit step; 0 below eligibility."""
    tier = policy.tier_for(score)
    if tier is None:
        return 0, "not_eligible", {}
    caps = {
        "regulatory_cap": regulatory_cap_fen(policy, income_fen),
        "income_cap": int(Decimal(income_fen) * tier.income_multiple),
        "tier_cap": tier.cap_fen,
    }
    binding = min(caps, key=lambda k: caps[k])
    return floor_to(caps[binding], policy.limit_step_fen), binding, caps


def review(
    state: AccountState,
    policy: Policy,
    trigger: str,
    *,
    scheduled: bool,
    opening: bool = False,
    hold: Callable[[int], int] | None = None,
) -> LimitDecision:
    """Decide the credit limit now. `state.score` must already be current.

    `hold(target)` replaces the raise rules (the explanation's counterfactual reviews: what
    the assessment part of the limit would be, given the target); the engine never passes it."""
    step = policy.limit_step_fen
    steps: list[LimitStep] = []
    codes: list[str] = []
    tier = policy.tier_for(state.score)
    income = state.profile.monthly_income_fen
    previous = state.limit_fen

    base, binding, caps = base_limit(policy, state.score, income)
    if policy.verification_required and not state.profile.verified:
        codes.append("NOT_VERIFIED")  # no line without real-name verification (实名认证)
        base, binding = 0, "not_verified"
    if tier is None:
        codes.append("NOT_ELIGIBLE")
        rate = policy.tiers[0].daily_rate
    else:
        rate = tier.daily_rate
        if base == 0 and binding != "not_verified":  # no declared income: every income cap is 0
            codes.append("NO_INCOME")
    steps.append(
        LimitStep(
            "BASE_LIMIT",
            base,
            detail={
                "binding": binding,
                "score": state.score,
                "caps": caps,
                "tier_min_score": tier.min_score if tier else None,
            },
        )
    )
    amount = base
    before = state.decision
    if not opening and base < before.base_fen:
        if state.income_drop is not None and binding in ("income_cap", "regulatory_cap"):
            codes.append("INCOME_DROP")
        if state.score < before.score:
            codes.append("SCORE_DROP")

    def cut(code: str, factor: Decimal, detail: dict[str, object]) -> None:
        nonlocal amount
        after = scale(amount, factor, step)
        steps.append(LimitStep(code, after - amount, detail={"factor": str(factor), **detail}))
        codes.append(code)
        amount = after

    lenders = [e for e in state.external if e.balance_fen > 0]
    factor = _step_factor(policy.multi_lender_cuts, Decimal(len(lenders)), inclusive=True)
    if factor is not None and amount > 0:
        cut(
            "MULTI_LENDER",
            factor,
            {
                "lenders": [
                    {
                        "lender": e.lender,
                        "balance_fen": e.balance_fen,
                        "added_on": e.added_on.isoformat(),
                    }
                    for e in lenders
                ]
            },
        )
    dti = debt_to_income(state, 0, policy.dti_interest_first)
    factor = _step_factor(policy.high_dti_cuts, dti, inclusive=False)
    if factor is not None and amount > 0:
        cut("HIGH_DTI", factor, {"dti": ratio_text(dti), "income_fen": income})
    records = bureau_in_scope(state, policy)
    if records and amount > 0:
        cut("CREDIT_RECORD", policy.credit_record_factor, {"records": records})

    dpd = current_dpd(state)
    if dpd >= policy.cut_to_outstanding_dpd:
        outstanding = state.used_fen
        if outstanding < amount:
            steps.append(LimitStep("OVERDUE", outstanding - amount, detail={"days_past_due": dpd}))
            codes.append("OVERDUE")
            amount = outstanding
    target = amount

    # The raise rules work on the assessment's part of the limit (platform measures aside).
    prev_assessed = state.assessed_fen
    assessed = target
    if hold is not None:
        assessed = hold(target)
    elif not opening and target > prev_assessed:
        blocker = raise_blocker(state, policy, scheduled)
        if blocker is None and prev_assessed > 0:
            ceiling = prev_assessed + floor_to(int(prev_assessed * policy.raise_max_fraction), step)
            if ceiling < target:
                blocker = "max_raise"
                assessed = ceiling
        elif blocker is not None:
            assessed = prev_assessed
        if assessed < target:
            steps.append(
                LimitStep(
                    "REVIEW_PENDING",
                    assessed - target,
                    detail={
                        "blocker": blocker,
                        "previous_fen": prev_assessed,
                        "assessment_fen": target,
                        "next_review_on": state.next_review_on.isoformat(),
                    },
                )
            )
            codes.append("REVIEW_PENDING")
    amount = assessed

    for measure in active_measures(state, "tighten"):
        if amount > 0 and in_cohort(state, measure):
            assert measure.factor is not None
            cut(
                "PLATFORM_POLICY",
                measure.factor,
                {
                    "measure_id": measure.id,
                    "cohort": measure.cohort or "all",
                    "starts_on": measure.starts_on.isoformat(),
                    "ends_on": measure.ends_on.isoformat(),
                },
            )

    if state.frozen_on is not None and amount > state.used_fen:
        # 只还不借: the frozen line follows the principal owed down, whatever else allows.
        steps.append(
            LimitStep(
                "FROZEN",
                state.used_fen - amount,
                detail={"frozen_on": state.frozen_on.isoformat(), "owed_fen": state.used_fen},
            )
        )
        codes.append("FROZEN")
        amount = state.used_fen

    if state.closed_on is not None:
        # A closed line has no limit whatever the assessment says: the closure takes the whole
        # base, and the cuts it supersedes stay named in the codes (for the notice).
        closed = LimitStep(
            "ACCOUNT_CLOSED",
            -base,
            detail={"closed_on": state.closed_on.isoformat(), "days_past_due": dpd},
        )
        steps = [steps[0], closed]
        codes = ["ACCOUNT_CLOSED", *(c for c in codes if c not in ("ACCOUNT_CLOSED", "FROZEN"))]
        if "OVERDUE" not in codes:
            codes.insert(1, "OVERDUE")
        amount = assessed = 0

    steps.append(LimitStep("CREDIT_LIMIT", amount, subtotal=True))
    return LimitDecision(
        on=state.today,
        trigger=trigger,
        score=state.score,
        base_fen=base,
        binding=binding,
        target_fen=target,
        previous_fen=previous,
        limit_fen=amount,
        daily_rate=rate,
        steps=steps,
        codes=codes,
        assessed_fen=assessed,
        previous_base_fen=0 if opening else state.decision.base_fen,
    )


def _step_factor(steps: tuple[Step, ...], value: Decimal, *, inclusive: bool) -> Decimal | None:
    """The factor of the highest threshold `value` reaches (≥ when inclusive, else >)."""
    found: Decimal | None = None
    for s in sorted(steps, key=lambda s: s.threshold):
        if value >= s.threshold if inclusive else value > s.threshold:
            found = s.factor
    return found
