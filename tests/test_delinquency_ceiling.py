"""The delinquency ceiling (issue 13 item 2): 30 days past due drops any profile below 'good'
(600), 90 days or a closed line below 550, as a scorecard line of its own.

The expected scores are computed here from the default policy's table written out by hand
(`TABLE`), not by the engine's scoring functions."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from limitlab.core import commands as c
from limitlab.core.engine import open_account
from limitlab.core.explain import explain
from limitlab.core.model import AccountState, Delinquency, ExternalLoan
from limitlab.core.policy import (
    DEFAULT_POLICY,
    PolicyError,
    policy_from_dict,
    policy_from_stored,
    policy_to_dict,
)
from limitlab.core.scoring import score_attributes, total

from .conftest import START, Sim, profile

#: The default policy's scorecard, copied by hand: attribute → (edges, points).
TABLE: dict[str, tuple[list[int], list[int]]] = {
    "worst_dpd_24m": ([1, 4, 30, 90], [90, 40, 25, 18, 0]),
    "on_time_installments": ([1, 6, 12, 24], [0, 35, 50, 65, 80]),
    "account_age_months": ([6, 12, 24, 48], [0, 10, 20, 30, 40]),
    "utilisation_pct": ([10, 30, 50, 90], [90, 80, 55, 25, 0]),
    "applications_30d": ([2, 3, 5], [30, 20, 8, 0]),
    "other_lenders": ([1, 2, 3, 5], [30, 22, 15, 6, 0]),
    "monthly_income_yuan": ([3000, 5000, 8000, 12000, 20000, 50000], [0, 5, 12, 20, 35, 55, 80]),
    "dti_pct": ([10, 30, 50, 70], [40, 32, 20, 8, 0]),
    "verified": ([1], [0, 20]),
    "employment_months": ([6, 12, 36, 60], [0, 5, 10, 20, 50]),
    "social_insurance": ([1], [0, 20]),
    "trust": ([20, 40, 60, 80], [0, 5, 10, 15, 30]),
}
#: A thin file's points (no history yet): the payment history and utilisation.
THIN = {"worst_dpd_24m": 45, "on_time_installments": 35, "utilisation_pct": 45}


def points_for(attribute: str, value: str) -> int:
    edges, points = TABLE[attribute]
    number = {"yes": 1, "no": 0}.get(value)
    x = Decimal(value) if number is None else Decimal(number)
    return points[sum(1 for e in edges if x >= e)]


def expected(
    values: dict[str, str],
    *,
    closed: bool,
    thin: frozenset[str] = frozenset(),
    rule: tuple[int, int, int, int] = (30, 599, 90, 549),
) -> int:
    """350 + Σ points by hand, then the ceiling `rule` (serious days, its most, severe days,
    its most): by default 549 while closed or 90+ days past due, 599 from 30 days."""
    uncapped = 350 + sum(
        THIN[a] if a in thin else points_for(a, v) for a, v in values.items() if a in TABLE
    )
    serious, serious_most, severe, severe_most = rule
    worst = int(values["worst_dpd_24m"])
    if closed or worst >= severe:
        return min(uncapped, severe_most)
    if worst >= serious:
        return min(uncapped, serious_most)
    return uncapped


def line(state: AccountState, attribute: str = "delinquency_ceiling") -> tuple[str, str, int, int]:
    a = next(a for a in state.attributes if a.attribute == attribute)
    return a.value, a.band, a.points, a.max_points


# --- the four profiles of the issue ------------------------------------------------------------

#: The profiles that stayed above the marks before the ceiling: changes to the default profile.
PROFILES: dict[str, dict[str, Any]] = {
    "default": {},
    "employment 60 months": {"employment_months": 60},
    "employment 60, trust 80": {"employment_months": 60, "trust": 80},
    "income ¥50,000": {"monthly_income_fen": 5_000_000, "monthly_expenses_fen": 5_000_000},
}


def never_pays(changes: dict[str, Any], policy: Any = DEFAULT_POLICY) -> Sim:
    """¥10,000 over 12 months, never paid: no cash, expenses = income (¥8,000 unless changed)."""
    s = Sim(policy, wallet_fen=0, **{"monthly_expenses_fen": 800_000, **changes})
    s.do(c.Borrow(1_000_000, 12, "equal-installment"))
    return s


@pytest.mark.parametrize(
    ("name", "at_30", "at_90", "taken_30", "taken_90"),
    [
        # By hand (test_scoring's default story): the default profile scores 555 at 30 days
        # past due and 525 at 90 (closed): below both ceilings, which take nothing.
        ("default", 555, 525, 0, 0),
        # 60 months in the job: employment 50 instead of 20 (+30): 585 (below 599) and
        # 555 → 549.
        ("employment 60 months", 585, 549, 0, -6),
        # and trust 80: trust 30 instead of 15 (+15): 600 → 599 and 570 → 549.
        ("employment 60, trust 80", 599, 549, -1, -21),
        # ¥50,000 a month: income 80 instead of 20 (+60), and the unpaid installments (two of
        # about ¥888, then four) are 3 % and 7 % of it: debt-to-income 40 instead of 32 (+8)
        # and 20 (+20): 555 + 68 = 623 → 599, 525 + 80 = 605 → 549.
        ("income ¥50,000", 599, 549, -24, -56),
    ],
)
def test_thirty_days_past_due_is_below_good_and_ninety_below_550_for_every_profile(
    name: str, at_30: int, at_90: int, taken_30: int, taken_90: int
) -> None:
    s = never_pays(PROFILES[name])
    s.to(date(2026, 3, 7))  # the first installment (due 5 February) 30 days past due
    assert s.state.score == at_30 < 600
    assert line(s.state) == ("599", "30+", taken_30, 0)
    assert s.state.score == 350 + sum(a.points for a in s.state.attributes)
    s.to(date(2026, 5, 6))  # 90 days: the line closes
    assert s.state.closed_on == date(2026, 5, 6)
    assert s.state.score == at_90 < 550
    assert line(s.state) == ("549", "closed", taken_90, 0)
    assert s.state.score == 350 + sum(a.points for a in s.state.attributes)


def test_without_the_ceiling_the_strong_profiles_stay_above_the_marks() -> None:
    """The numbers the ceiling fixes (the policy's switch off: no line, the points alone)."""
    off = policy_from_dict({"scorecard": {"delinquency_ceiling": {"enabled": False}}})
    for name, at_30, at_90 in [
        ("employment 60 months", 585, 555),
        ("employment 60, trust 80", 600, 570),
        ("income ¥50,000", 623, 605),
    ]:
        s = never_pays(PROFILES[name], off)
        s.to(date(2026, 3, 7))
        assert s.state.score == at_30, name
        assert all(a.attribute != "delinquency_ceiling" for a in s.state.attributes)
        s.to(date(2026, 5, 6))
        assert s.state.score == at_90, name


# --- any profile --------------------------------------------------------------------------------

BASE_STATE = open_account(c.Open(profile(), 0, START), DEFAULT_POLICY).state
externals = st.lists(st.tuples(st.integers(1, 5_000_000), st.integers(0, 200_000)), max_size=6)


@settings(max_examples=200, deadline=None)
@given(
    income_yuan=st.integers(0, 200_000),
    employment=st.integers(0, 240),
    trust=st.integers(0, 100),
    insured=st.booleans(),
    verified=st.booleans(),
    on_time=st.integers(0, 40),
    external=externals,
    dpd=st.integers(30, 400),
    closed=st.booleans(),
)
def test_any_profile_scores_below_600_from_30_days_and_below_550_from_90_or_closed(
    income_yuan: int,
    employment: int,
    trust: int,
    insured: bool,
    verified: bool,
    on_time: int,
    external: list[tuple[int, int]],
    dpd: int,
    closed: bool,
) -> None:
    state = BASE_STATE.copy()
    state.profile = dataclasses.replace(
        state.profile,
        monthly_income_fen=income_yuan * 100,
        employment_months=employment,
        trust=trust,
        social_insurance=insured,
        verified=verified,
    )
    state.external = [ExternalLoan(f"L{i}", b, m, START) for i, (b, m) in enumerate(external)]
    state.on_time_installments = on_time
    state.delinquencies = [Delinquency(1, 1, START - timedelta(days=dpd), dpd, START)]
    state.closed_on = START if closed else None
    attributes = score_attributes(state, DEFAULT_POLICY)
    score = total(attributes, DEFAULT_POLICY)
    # The values the account has, as given (utilisation: never drawn, a thin file)
    debt = sum(m for b, m in external)
    income = income_yuan * 100
    values = {
        "worst_dpd_24m": str(dpd),
        "on_time_installments": str(on_time),
        "account_age_months": "0",
        "utilisation_pct": "0",
        "applications_30d": "0",
        "other_lenders": str(len(external)),
        "monthly_income_yuan": str(income_yuan),
        "dti_pct": str(debt * 100 // income if income else (999 if debt else 0)),
        "verified": "yes" if verified else "no",
        "employment_months": str(employment),
        "social_insurance": "yes" if insured else "no",
        "trust": str(trust),
    }
    assert score == expected(values, closed=closed, thin=frozenset({"utilisation_pct"}))
    assert score < (550 if dpd >= 90 or closed else 600)
    assert score == 350 + sum(a.points for a in attributes)


@settings(max_examples=25, deadline=None)
@given(
    income_yuan=st.integers(3_000, 200_000),
    employment=st.integers(0, 240),
    trust=st.integers(0, 100),
    insured=st.booleans(),
)
def test_any_verified_profile_that_stops_paying_crosses_both_marks(
    income_yuan: int, employment: int, trust: int, insured: bool
) -> None:
    """Through the engine: the account borrows ¥5,000 and never pays; at 30 days past due its
    score is what its scorecard values earn by hand, capped at 599; at 90 days (closed) 549."""
    changes = {
        "monthly_income_fen": income_yuan * 100,
        "monthly_expenses_fen": income_yuan * 100,
        "employment_months": employment,
        "trust": trust,
        "social_insurance": insured,
    }
    s = Sim(DEFAULT_POLICY, wallet_fen=0, **changes)
    if s.state.limit_fen < 500_000:
        return  # not eligible, or too little to borrow: no delinquency to have
    s.do(c.Borrow(500_000, 12, "equal-installment"))
    for day, mark, closed in ((date(2026, 3, 7), 600, False), (date(2026, 5, 6), 550, True)):
        s.to(day)
        values = {a.attribute: a.value for a in s.state.attributes}
        assert (s.state.closed_on is not None) is closed
        assert s.state.score == expected(values, closed=closed) < mark


# --- the policy -----------------------------------------------------------------------------------


def test_a_policy_stored_before_the_ceiling_keeps_its_scores() -> None:
    old = policy_to_dict(DEFAULT_POLICY)
    del old["scorecard"]["delinquency_ceiling"]
    stored = policy_from_stored(old)
    assert stored.scorecard.delinquency_ceiling.enabled is False
    assert stored.scorecard.no_history.enabled is True  # what it had, it keeps
    s = never_pays(PROFILES["income ¥50,000"], stored)
    s.to(date(2026, 3, 7))
    assert s.state.score == 623  # 555 + 68, uncapped
    # one stored before the thin file too: both off
    del old["scorecard"]["no_history"]
    older = policy_from_stored(old).scorecard
    assert (older.no_history.enabled, older.delinquency_ceiling.enabled) == (False, False)
    now = policy_from_stored(policy_to_dict(DEFAULT_POLICY)).scorecard.delinquency_ceiling
    assert now.enabled and (now.serious_dpd, now.serious_max_score) == (30, 599)
    assert (now.severe_dpd, now.severe_max_score) == (90, 549)


def test_a_teacher_can_move_the_ceilings() -> None:
    rule = {"serious_dpd": 60, "serious_max_score": 649, "severe_dpd": 120, "severe_max_score": 500}
    teacher = policy_from_dict({"scorecard": {"delinquency_ceiling": rule}})
    s = never_pays(PROFILES["income ¥50,000"], teacher)
    own = (60, 649, 120, 500)
    s.to(date(2026, 3, 7))  # 30 days: below this policy's first threshold
    assert s.state.score == 623 and line(s.state) == ("none", "none", 0, 0)
    for day, ceiling, band in (
        (date(2026, 4, 6), "649", "60+"),
        (date(2026, 5, 6), "500", "closed"),
    ):
        s.to(day)  # 60 days past due; 90 days: closed (close_dpd) → the severe ceiling
        values = {a.attribute: a.value for a in s.state.attributes}
        closed = s.state.closed_on is not None
        assert s.state.score == expected(values, closed=closed, rule=own)
        assert line(s.state)[:2] == (ceiling, band)
    assert s.state.score == 500


@pytest.mark.parametrize(
    ("rule", "key", "kind"),
    [
        ({"severe_dpd": 30}, "scorecard.delinquency_ceiling.severe_dpd", "greater_than"),
        ({"serious_max_score": 349}, "scorecard.delinquency_ceiling.serious_max_score", ""),
        ({"severe_max_score": 951}, "scorecard.delinquency_ceiling.severe_max_score", ""),
        ({"severe_max_score": 600}, "scorecard.delinquency_ceiling.severe_max_score", ""),
        ({"serious_dpd": 0}, "scorecard.delinquency_ceiling.serious_dpd", ""),
        ({"enabled": "maybe"}, "scorecard.delinquency_ceiling.enabled", ""),
        ({"cap": 1}, "scorecard.delinquency_ceiling.cap", ""),
    ],
)
def test_a_ceiling_out_of_order_or_off_the_scale_is_refused(
    rule: dict[str, Any], key: str, kind: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        policy_from_dict({"scorecard": {"delinquency_ceiling": rule}}, "teacher.toml")
    assert caught.value.key == key
    if kind:
        assert caught.value.kind == kind


# --- the explanation: the delinquency gets the yuan the ceiling took ------------------------------


def repaid_late(policy: Any = DEFAULT_POLICY) -> Sim:
    """¥50,000 a month; the overdue repaid at 33 days past due (10 March), a month later."""
    s = never_pays(PROFILES["income ¥50,000"], policy)
    s.to(date(2026, 3, 10))
    s.do(c.Wallet("deposit", 2_000_000))
    s.do(c.Repay("overdue"))
    s.to(date(2026, 4, 7))
    return s


def test_the_record_of_the_delinquency_carries_what_the_ceiling_took() -> None:
    """Without the past overdue the scorecard loses its 33 days (18 → 90 points) and the
    ceiling with them: 599 → 730, tier 700–749, base min(¥100,000 cap, 4 × ¥50,000) =
    ¥100,000 instead of the 550–599 tier's ¥5,000 cap. With the ceiling off the score is
    599 + 59 = 658 (tier 650–699: min(¥50,000, 3 × ¥50,000)): the ceiling moved the base
    from ¥50,000 to ¥5,000, and the record's reason says so."""
    s = repaid_late()
    assert line(s.state) == ("599", "30+", -59, 0)
    assert s.state.score == 599
    record = next(r for r in explain(s.state, s.policy).reasons if r.code == "CREDIT_RECORD")
    ev = {(e.kind, e.params.get("attribute")): e.params for e in record.evidence}
    assert ev["moved", "delinquency_ceiling"] == {
        "attribute": "delinquency_ceiling",
        "value": "599",
        "without": "none",
        "points": -59,
    }
    assert ev["score", None] == {"score": 599, "without": 730}
    assert (ev["base", None]["base_fen"], ev["base", None]["without_fen"]) == (500_000, 10_000_000)

    off = repaid_late(policy_from_dict({"scorecard": {"delinquency_ceiling": {"enabled": False}}}))
    assert off.state.score == 658
    record = next(r for r in explain(off.state, off.policy).reasons if r.code == "CREDIT_RECORD")
    ev = {(e.kind, e.params.get("attribute")): e.params for e in record.evidence}
    assert ev["base", None]["base_fen"] == 5_000_000


def test_the_ceiling_lifts_when_the_delinquency_leaves_the_scored_window() -> None:
    """The last overdue day is 10 March 2026: scored for 24 months, it counts up to 10 March
    2028 and not on the 11th, the day the reason names; the limit follows at the review."""
    s = repaid_late()
    record = next(r for r in explain(s.state, s.policy).reasons if r.code == "CREDIT_RECORD")
    assert record.advice == ("CREDIT_RECORD", {"date": date(2028, 3, 11)})
    s.to(date(2028, 3, 10))
    assert s.state.score == 599 and line(s.state)[:2] == ("599", "30+")
    s.to(date(2028, 3, 11))
    assert line(s.state) == ("none", "none", 0, 0)
    assert s.state.score == 350 + sum(a.points for a in s.state.attributes) > 599


def test_a_closed_line_stays_below_550_after_it_is_paid_off() -> None:
    """Paid off after closing: debt-to-income 0 (40 points), but a closed line keeps the
    severe ceiling even once the late days leave the window."""
    s = never_pays(PROFILES["income ¥50,000"])
    s.to(date(2026, 5, 10))
    s.do(c.Wallet("deposit", 2_000_000))
    s.do(c.Repay("all"))
    assert s.state.score == 549 and line(s.state)[:2] == ("549", "closed")
    s.to(date(2028, 6, 1))
    assert line(s.state)[:2] == ("549", "closed") and s.state.score == 549
    explained = explain(s.state, s.policy)
    closure = next(r for r in explained.reasons if r.code == "ACCOUNT_CLOSED")
    assert closure.amount_fen == explained.lost_fen  # nothing else is left to blame


# --- screens --------------------------------------------------------------------------------------


def test_the_score_screen_shows_the_ceiling_as_its_own_line(cli: Any, tmp_path: Any) -> None:
    policy = tmp_path / "default.toml"
    policy.write_text("")  # the default policy (cli.init opens with the old bins otherwise)
    cli.policy = str(policy)
    cli.init("--income", "50000", "--expenses", "50000", "--wallet", "0")
    assert cli("borrow", "10000", "--term", "12", "--yes").exit_code == 0
    assert cli("advance", "--to", "2026-03-07").exit_code == 0
    report = cli.json("score")
    assert report["score"] == 599
    row = next(r for r in report["attributes"] if r["attribute"] == "delinquency_ceiling")
    assert row == {
        "dimension": "history",
        "attribute": "delinquency_ceiling",
        "value": "599",
        "band": "30+",
        "points": -24,
        "max_points": 0,
        "gap": 24,
        "key_factor": row["key_factor"],
    }
    assert report["score"] == report["base"] + sum(r["points"] for r in report["attributes"])
    history = next(d for d in report["dimensions"] if d["dimension"] == "history")
    assert history["max_points"] == 210  # the ceiling adds no points to reach
    for lang, words in (("en", "ceiling after a serious delinquency"), ("zh", "严重逾期封顶")):
        out = cli("score", "--lang", lang).stdout
        assert words in out and "−24" in out
    shown = cli("policy", "show", "--lang", "zh").stdout
    assert "计分期内最长逾期达到 30 天 → 信用分最高 599 分" in shown
