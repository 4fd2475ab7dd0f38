"""The transparent scorecard (350–950): attribute values, their bins, and the points they earn."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .loans import add_months, months_between
from .model import AccountState, Loan, ScoreAttribute
from .money import FEN_PER_YUAN
from .policy import Bins, Policy

#: Display order of the five dimensions.
DIMENSIONS = ("history", "behaviour", "capacity", "identity", "social")


def loan_monthly_fen(loan: Loan, today: date, interest_first: str = "average") -> int:
    """What one of our loans asks of a month's income: every unpaid installment due now (past
    due or due today, penalty included), or when none is, the next one (what is still owed on
    it). An interest-first loan's next one counts, by default ("average"), as the average of
    its installments not yet due, the balloon included, rounded up to the fen;
    `interest_first="next"` takes the next installment as it is (interest only until the last)."""
    due = sum(i.owed_fen for i in loan.installments if not i.is_paid and i.due_date <= today)
    ahead = [i for i in loan.installments if not i.is_paid and i.due_date > today]
    if due or not ahead:
        return due
    if loan.method == "interest-first" and interest_first == "average":
        owed = sum(i.principal_due_fen + i.interest_due_fen for i in ahead)
        return -(-owed // len(ahead))
    return ahead[0].principal_due_fen + ahead[0].interest_due_fen


def monthly_debt_service_fen(state: AccountState, interest_first: str = "average") -> int:
    """All monthly debt service: each of our loans' (`loan_monthly_fen`) plus other lenders'."""
    ours = sum(loan_monthly_fen(loan, state.today, interest_first) for loan in state.loans)
    return ours + sum(e.monthly_fen for e in state.external if e.balance_fen > 0)


def debt_to_income(
    state: AccountState, extra_monthly_fen: int = 0, interest_first: str = "average"
) -> Decimal:
    """Monthly debt service ÷ monthly income, unrounded (compared as it is: 70.0001 % is over
    70 %); 9.99 when there is debt and no income."""
    debt = monthly_debt_service_fen(state, interest_first) + extra_monthly_fen
    income = state.profile.monthly_income_fen
    if income <= 0:
        return Decimal("9.99") if debt > 0 else Decimal(0)
    return Decimal(debt) / Decimal(income)


def ratio_text(ratio: Decimal) -> str:
    """A ratio as events and refusals carry it: 4 places, rounded up, so that a ratio over a
    threshold never reads as at it (0.700001 → "0.7001")."""
    return str(ratio.quantize(Decimal("0.0001"), ROUND_CEILING))


def other_lenders(state: AccountState) -> int:
    return sum(1 for e in state.external if e.balance_fen > 0)


def applications_in(state: AccountState, days: int) -> int:
    since = state.today - timedelta(days=days - 1)
    return sum(1 for a in state.applications if a.on >= since)


def worst_dpd(state: AccountState, months: int) -> int:
    since = add_months(state.today, -months)
    return max(
        (d.max_dpd for d in state.delinquencies if d.last_overdue_on >= since),
        default=0,
    )


def utilisation_pct(state: AccountState) -> Decimal:
    used = state.used_fen
    if state.closed_on is not None:
        return Decimal(100)  # a line closed for delinquency: no credit left at all
    if state.limit_fen <= 0:
        return Decimal(100) if used > 0 else Decimal(0)
    return (Decimal(100) * used / state.limit_fen).to_integral_value(ROUND_FLOOR)


def attribute_values(state: AccountState, policy: Policy) -> dict[str, Decimal]:
    """The raw value of every scorecard attribute for the account as it is today."""
    p = state.profile
    open_until = state.closed_on or state.today  # a closed line ages no more
    return {
        "worst_dpd_24m": Decimal(worst_dpd(state, policy.credit_record_scored_months)),
        "on_time_installments": Decimal(state.on_time_installments),
        "account_age_months": Decimal(months_between(state.opened_on, open_until)),
        "utilisation_pct": utilisation_pct(state),
        "applications_30d": Decimal(applications_in(state, policy.applications_window_days)),
        "other_lenders": Decimal(other_lenders(state)),
        "monthly_income_yuan": Decimal(p.monthly_income_fen // FEN_PER_YUAN),
        "dti_pct": (debt_to_income(state, 0, policy.dti_interest_first) * 100).to_integral_value(
            ROUND_FLOOR
        ),
        "verified": Decimal(int(p.verified)),
        "employment_months": Decimal(p.employment_months),
        "social_insurance": Decimal(int(p.social_insurance)),
        "trust": Decimal(p.trust),
    }


def band_label(bins: Bins, index: int, boolean: bool) -> str:
    """`0`, `1–5`, `90+`, `any` (a single bin), or `no`/`yes` for yes-no attributes."""
    if boolean:
        return "yes" if index else "no"
    low = bins.edges[index - 1] if index > 0 else None
    high = bins.edges[index] if index < len(bins.edges) else None
    if low is None and high is None:
        return "any"  # one bin, no edges: every value scores the same
    if low is None:
        return f"<{high}"
    if high is None:
        return f"{low}+"
    if high - low == 1:
        return f"{low}"
    return f"{low}–{high - 1}" if low == low.to_integral_value() else f"{low}–<{high}"


_BOOLEAN = {"verified", "social_insurance"}
#: The yes/no attributes: a value of 0 (no) or 1 (yes).
BOOLEAN_ATTRIBUTES = frozenset(_BOOLEAN)
#: id(bins) → (bins, {(index, boolean): (band label, points, max points)}): a simulation
#: rescoring every day asks for the same few bands again and again (bins are frozen; the
#: cache holds each one, so its id is never reused).
_BANDS: dict[int, tuple[Bins, dict[tuple[int, bool], tuple[str, int, int]]]] = {}


def _band(bins: Bins, index: int, boolean: bool) -> tuple[str, int, int]:
    held = _BANDS.get(id(bins))
    if held is None:
        if len(_BANDS) >= 256:  # many policies (a fuzz test): start again
            _BANDS.clear()
        held = _BANDS[id(bins)] = (bins, {})
    known = held[1]
    found = known.get((index, boolean))
    if found is None:
        found = known[index, boolean] = (
            band_label(bins, index, boolean),
            bins.points[index],
            bins.max_points,
        )
    return found


#: The band of an attribute scored as a thin file (ScoreAttribute.band).
NO_HISTORY = "no_history"


def thin_file(state: AccountState) -> set[str]:
    """The attributes the account has no history for yet: the payment history until an
    installment is paid or falls overdue, utilisation until the first drawdown."""
    out = set()
    if (
        state.on_time_installments == 0
        and state.last_overdue_on is None
        and not state.delinquencies
    ):
        out |= {"worst_dpd_24m", "on_time_installments"}
    if state.borrowed_fen == 0:
        out.add("utilisation_pct")
    return out


#: id(scorecard) → (scorecard, {attribute values as written, and the thin file: the scorecard
#: lines they give}): a simulation rescoring every day mostly meets values it has scored
#: before. The lines are shared between the lists handed out (nothing changes a ScoreAttribute
#: in place; a new score is a new list); each call gets a list of its own.
_LINES: dict[int, tuple[object, dict[tuple[str, ...], tuple[ScoreAttribute, ...]]]] = {}


def score_attributes(state: AccountState, policy: Policy) -> list[ScoreAttribute]:
    values = attribute_values(state, policy)
    thin = thin_file(state) if policy.scorecard.no_history.enabled else set()
    closed = state.closed_on is not None
    card = policy.scorecard
    held = _LINES.get(id(card))
    if held is None:
        if len(_LINES) >= 256:  # many policies (a fuzz test): start again
            _LINES.clear()
        held = _LINES[id(card)] = (card, {})
    # the written values (12 and 12.0 are two), what the ceiling reads besides them (the
    # closure, and the base it is measured from) and the attributes without history
    key = (*map(str, values.values()), str(closed), str(policy.score_base), *sorted(thin))
    lines = held[1].get(key)
    if lines is None:
        if len(held[1]) >= 4096:
            held[1].clear()
        lines = held[1][key] = tuple(_lines(values, thin, closed, policy))
    return list(lines)


#: The scorecard line of the delinquency ceiling (policy.scorecard.delinquency_ceiling).
CEILING = "delinquency_ceiling"
#: Its value and band while no ceiling applies, and its band while the line is closed.
NO_CEILING = "none"
CLOSED = "closed"


def ceiling(worst_dpd_days: Decimal, closed: bool, policy: Policy) -> tuple[int, str] | None:
    """The most the score may be, and the band saying why (`90+`, `30+`, `closed`), while a
    serious delinquency is in the scored window or the line is closed; None otherwise (and
    when the policy has no ceiling)."""
    rule = policy.scorecard.delinquency_ceiling
    if not rule.enabled:
        return None
    if closed:
        return rule.severe_max_score, CLOSED
    if worst_dpd_days >= rule.severe_dpd:
        return rule.severe_max_score, f"{rule.severe_dpd}+"
    if worst_dpd_days >= rule.serious_dpd:
        return rule.serious_max_score, f"{rule.serious_dpd}+"
    return None


def _ceiling_line(
    values: dict[str, Decimal], closed: bool, points: int, policy: Policy
) -> ScoreAttribute:
    """The ceiling as a scorecard line: its negative points are the ceiling − the score
    without it (0 when the score is below the ceiling anyway, or no ceiling applies)."""
    found = ceiling(values["worst_dpd_24m"], closed, policy)
    if found is None:
        value, band, taken = NO_CEILING, NO_CEILING, 0
    else:
        most, band = found
        value, taken = str(most), min(0, most - (policy.score_base + points))
    return ScoreAttribute("history", CEILING, value, band, taken, 0)


def _lines(
    values: dict[str, Decimal], thin: set[str], closed: bool, policy: Policy
) -> list[ScoreAttribute]:
    """The scorecard's lines in display order; with a ceiling in the policy, its line last
    among the payment history's."""
    no_history = policy.scorecard.no_history
    out: list[ScoreAttribute] = []
    for dimension, name, bins in policy.scorecard.attributes():
        value = values[name]
        boolean = name in _BOOLEAN
        band, points, max_points = _band(bins, bins.index(value), boolean)
        if name in thin and hasattr(no_history, name):
            points, band = getattr(no_history, name), NO_HISTORY
        out.append(
            ScoreAttribute(
                dimension=dimension,
                attribute=name,
                value=("yes" if value else "no") if boolean else str(value),
                band=band,
                points=points,
                max_points=max_points,
            )
        )
    if policy.scorecard.delinquency_ceiling.enabled:
        at = max(i for i, a in enumerate(out) if a.dimension == "history") + 1 if out else 0
        line = _ceiling_line(values, closed, sum(a.points for a in out), policy)
        out.insert(at, line)
    return out


def total(attributes: list[ScoreAttribute], policy: Policy) -> int:
    """Score = base + Σ points, exactly."""
    return policy.score_base + sum(a.points for a in attributes)


def key_factors(attributes: list[ScoreAttribute], count: int = 4) -> list[ScoreAttribute]:
    """The attributes furthest below their maximum points (ties keep scorecard order); a
    delinquency ceiling that takes points is one, by the points it takes."""
    gaps = [a for a in attributes if a.max_points - a.points > 0]
    return sorted(gaps, key=lambda a: a.points - a.max_points)[:count]
