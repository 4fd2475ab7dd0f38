"""The scorecard (issue 3 §1): 350 + Σ points, five dimensions, twelve binned attributes."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from limitlab.core import commands as c
from limitlab.core.engine import open_account
from limitlab.core.invariants import check
from limitlab.core.model import AccountState, Delinquency, ExternalLoan
from limitlab.core.policy import DEFAULT_POLICY, Policy, policy_from_dict
from limitlab.core.scoring import score_attributes, total

from .conftest import START, profile

ATTRIBUTES = {
    "history": ["worst_dpd_24m", "on_time_installments", "account_age_months"],
    "behaviour": ["utilisation_pct", "applications_30d", "other_lenders"],
    "capacity": ["monthly_income_yuan", "dti_pct"],
    "identity": ["verified", "employment_months", "social_insurance"],
    "social": ["trust"],
}
#: 35 / 25 / 20 / 15 / 5 % of the 600 points above 350.
DIMENSION_MAX = {"history": 210, "behaviour": 150, "capacity": 120, "identity": 90, "social": 30}

#: The ¥10,000 profile without social insurance, 6 months in the job, trust 40 (score 695).
PROFILE_695 = (
    "--income",
    "10000",
    "--no-social-insurance",
    "--employment-months",
    "6",
    "--trust",
    "40",
)

#: Trust 60–79 earns 5 points instead of 20 (a teacher's change of one bin).
TRUST_BIN_TOML = "[scorecard.social.trust]\npoints = [0, 5, 10, 5, 30]\n"


def score(state: AccountState, policy: Policy = DEFAULT_POLICY) -> int:
    return total(score_attributes(state, policy), policy)


# --- the scorecard table --------------------------------------------------------------------------


def test_twelve_attributes_in_five_dimensions_with_the_teaching_weights() -> None:
    card = DEFAULT_POLICY.scorecard
    listed: dict[str, list[str]] = {}
    for dimension, name, _ in card.attributes():
        listed.setdefault(dimension, []).append(name)
    assert listed == ATTRIBUTES
    assert sum(len(v) for v in listed.values()) == 12
    assert {d: card.dimension_max(d) for d in ATTRIBUTES} == DIMENSION_MAX
    assert DEFAULT_POLICY.score_base + sum(DIMENSION_MAX.values()) == 950


def test_score_is_350_plus_the_sum_of_points_exactly(sim: Any) -> None:
    s = sim(monthly_income_fen=1_000_000, social_insurance=False, employment_months=6, trust=40)
    points = {a.attribute: a.points for a in s.state.attributes}
    assert points == {
        "worst_dpd_24m": 70,
        "on_time_installments": 0,
        "account_age_months": 0,
        "utilisation_pct": 50,
        "applications_30d": 40,
        "other_lenders": 60,
        "monthly_income_yuan": 30,
        "dti_pct": 50,
        "verified": 30,
        "employment_months": 5,
        "social_insurance": 0,
        "trust": 10,
    }
    assert s.state.score == 350 + sum(points.values()) == 695


def test_score_json_lists_every_attribute_and_four_key_factors(cli: Any) -> None:
    cli.init(*PROFILE_695)
    report = cli.json("score")

    assert report["score"] == 695
    assert report["score_band"] == "very_good"
    rows = report["attributes"]
    assert [(r["dimension"], r["attribute"]) for r in rows] == [
        (d, a) for d, names in ATTRIBUTES.items() for a in names
    ]
    for r in rows:
        assert {"dimension", "attribute", "value", "band", "points", "max_points"} <= r.keys()
        assert type(r["points"]) is int and type(r["max_points"]) is int
        assert 0 <= r["points"] <= r["max_points"]
    assert report["score"] == 350 + sum(r["points"] for r in rows)

    by_name = {r["attribute"]: r for r in rows}
    income = by_name["monthly_income_yuan"]
    assert (income["value"], income["band"], income["points"], income["max_points"]) == (
        "10000",
        "8000–11999",
        30,
        70,
    )
    insured = by_name["social_insurance"]
    assert (insured["value"], insured["band"], insured["points"]) == ("no", "no", 0)

    dims = {d["dimension"]: d for d in report["dimensions"]}
    assert {k: v["max_points"] for k, v in dims.items()} == DIMENSION_MAX
    assert sum(d["points"] for d in dims.values()) == 695 - 350

    # The four largest gaps: on-time 80, account age 60, income 40, employment 30.
    assert report["key_factors"] == [
        "on_time_installments",
        "account_age_months",
        "monthly_income_yuan",
        "employment_months",
    ]
    assert sorted(r["attribute"] for r in rows if r["key_factor"]) == sorted(report["key_factors"])


# --- monotonicity ---------------------------------------------------------------------------------

BASE_STATE = open_account(c.Open(profile(), 0, START), DEFAULT_POLICY).state

incomes = st.integers(min_value=0, max_value=20_000_000)
externals = st.lists(st.tuples(st.integers(1, 5_000_000), st.integers(0, 2_000_000)), max_size=6)


def varied_state(
    income_fen: int,
    external: list[tuple[int, int]],
    trust: int,
    on_time: int,
    dpd: int = 0,
) -> AccountState:
    state = BASE_STATE.copy()
    state.profile = replace(state.profile, monthly_income_fen=income_fen, trust=trust)
    state.external = [
        ExternalLoan(f"L{i}", balance, monthly, START)
        for i, (balance, monthly) in enumerate(external)
    ]
    state.on_time_installments = on_time
    if dpd:
        state.delinquencies = [
            Delinquency(1, 1, START - timedelta(days=dpd), dpd, START),
        ]
    return state


@settings(max_examples=60, deadline=None)
@given(
    income=incomes,
    external=externals,
    trust=st.integers(0, 100),
    on_time=st.integers(0, 40),
    dpd=st.tuples(st.integers(0, 400), st.integers(0, 400)),
)
def test_more_overdue_never_raises_the_score(
    income: int, external: list[tuple[int, int]], trust: int, on_time: int, dpd: tuple[int, int]
) -> None:
    less, more = sorted(dpd)
    assert score(varied_state(income, external, trust, on_time, more)) <= score(
        varied_state(income, external, trust, on_time, less)
    )


@settings(max_examples=60, deadline=None)
@given(
    income=st.tuples(incomes, incomes),
    external=externals,
    trust=st.integers(0, 100),
    on_time=st.integers(0, 40),
    dpd=st.integers(0, 400),
)
def test_more_income_never_lowers_the_score(
    income: tuple[int, int], external: list[tuple[int, int]], trust: int, on_time: int, dpd: int
) -> None:
    low, high = sorted(income)
    assert score(varied_state(high, external, trust, on_time, dpd)) >= score(
        varied_state(low, external, trust, on_time, dpd)
    )


@settings(max_examples=40, deadline=None)
@given(income=incomes, external=externals, trust=st.integers(0, 100), dpd=st.integers(0, 400))
def test_the_score_stays_within_350_to_950(
    income: int, external: list[tuple[int, int]], trust: int, dpd: int
) -> None:
    attributes = score_attributes(varied_state(income, external, trust, 0, dpd), DEFAULT_POLICY)
    assert 350 <= total(attributes, DEFAULT_POLICY) <= 950
    assert total(attributes, DEFAULT_POLICY) == 350 + sum(a.points for a in attributes)


# --- a teacher's policy ---------------------------------------------------------------------------


def test_changing_one_bin_in_the_policy_changes_the_score_by_its_points() -> None:
    teacher = policy_from_dict({"scorecard": {"social": {"trust": {"points": [0, 5, 10, 5, 30]}}}})
    state = BASE_STATE.copy()  # trust 60: the 60–79 bin
    assert score(state) == 670
    assert score(state, teacher) == 670 - 15 + 5


def test_a_toml_policy_at_init_scores_with_the_changed_bin(cli: Any, tmp_path: Path) -> None:
    policy = tmp_path / "teacher.toml"
    policy.write_text(TRUST_BIN_TOML)
    result = cli("--policy", str(policy), "init", "--start", START.isoformat(), "--income", "10000")
    assert result.exit_code == 0, result.output

    report = cli.json("score")
    trust = next(a for a in report["attributes"] if a["attribute"] == "trust")
    assert (trust["value"], trust["points"], trust["max_points"]) == ("60", 5, 30)
    assert report["score"] == 660


def test_a_toml_policy_given_later_rescores_the_account(cli: Any, tmp_path: Path) -> None:
    result = cli("init", "--start", START.isoformat(), "--income", "10000")  # the default policy
    assert result.exit_code == 0, result.output
    assert cli.json("score")["score"] == 670
    policy = tmp_path / "teacher.toml"
    policy.write_text(TRUST_BIN_TOML)

    result = cli("--policy", str(policy), "wallet", "deposit", "1")
    assert result.exit_code == 0, result.output
    assert cli.json("score")["score"] == 660
    changes = cli.json("history", "--kind", "score_changed")
    assert changes[-1]["data"]["attributes"] == {"trust": {"from": "60", "to": "60", "points": -10}}


def test_a_new_score_base_moves_the_score_with_the_same_points(sim: Any) -> None:
    """Issue 11 §4: the rescore compared only the attributes, so a new base never reached the
    stored score and the account failed its own invariant."""
    s = sim(DEFAULT_POLICY, monthly_income_fen=1_000_000)
    assert s.state.score == 670
    points = [a.points for a in s.state.attributes]
    lower = {"score_base": 300}
    s.policy = policy_from_dict(lower)
    out = s.do(c.SetPolicy(lower))

    assert s.state.score == 620 == total(s.state.attributes, s.policy)
    assert [a.points for a in s.state.attributes] == points
    (changed,) = [e for e in out.events if e.kind == "score_changed"]
    assert changed.data == {"from": 670, "to": 620, "attributes": {}}
    assert s.state.decision.score == 620  # the review that followed used the new score
    assert check(s.state, s.policy) == []


def test_a_new_score_base_on_a_closed_account_still_reaches_the_score(sim: Any) -> None:
    s = sim(wallet_fen=0, monthly_income_fen=1_000_000, monthly_expenses_fen=1_000_000)
    s.do(c.Borrow(1_000_000, 3, "equal-installment"))
    s.days(160)  # 90 days past due: closed, no more reviews
    assert s.state.closed_on is not None
    s.policy = policy_from_dict({"score_base": 320})
    s.do(c.SetPolicy({"score_base": 320}))
    assert s.state.score == total(s.state.attributes, s.policy)
    assert check(s.state, s.policy) == []


def test_an_account_given_a_new_score_base_verifies(cli: Any, tmp_path: Path) -> None:
    assert cli("init", "--start", START.isoformat(), "--income", "10000").exit_code == 0
    policy = tmp_path / "base300.toml"
    policy.write_text("score_base = 300\n")
    assert cli("--policy", str(policy), "wallet", "deposit", "1").exit_code == 0
    assert cli.json("score")["score"] == 620
    result = cli("verify")
    assert result.exit_code == 0, result.output


# --- score history --------------------------------------------------------------------------------


def test_score_changes_are_events_with_attribute_deltas(sim: Any) -> None:
    s = sim(monthly_income_fen=1_000_000)
    assert s.state.score == 750
    out = s.do(c.ExternalAdd("Huabei", 600_000, 300_000))  # DTI 30 %
    (changed,) = [e for e in out.events if e.kind == "score_changed"]
    assert changed.data == {
        "from": 750,
        "to": 710,
        "attributes": {
            "other_lenders": {"from": "0", "to": "1", "points": -15},
            "dti_pct": {"from": "0", "to": "30", "points": -25},
        },
    }
    assert s.state.score == 710


def test_score_history_table_stores_every_change_with_its_deltas(cli: Any) -> None:
    cli.init("--income", "10000")
    for lender in ("A", "B"):
        result = cli("external", "add", "--lender", lender, "--balance", "5000", "--monthly", "0")
        assert result.exit_code == 0, result.output

    with sqlite3.connect(cli.db) as db:
        rows = db.execute(
            "SELECT on_date, old_score, new_score, attributes FROM score_history ORDER BY event_id"
        ).fetchall()
    assert [(d, old, new, json.loads(a)) for d, old, new, a in rows] == [
        ("2026-01-05", 750, 735, {"other_lenders": {"from": "0", "to": "1", "points": -15}}),
        ("2026-01-05", 735, 720, {"other_lenders": {"from": "1", "to": "2", "points": -15}}),
    ]
    assert cli.json("score")["score"] == 720


# --- a credible opening and delinquency (issue 13 item 2) -----------------------------------------

#: The default profile's points at opening, read off the default policy's table by hand: a thin
#: file scores its payment history and utilisation in the middle (45 of 90, 35 of 80, 45 of 90).
OPENING_POINTS = {
    "worst_dpd_24m": 45,  # no history yet
    "on_time_installments": 35,  # no history yet
    "account_age_months": 0,
    "utilisation_pct": 45,  # never drawn
    "applications_30d": 30,
    "other_lenders": 30,
    "monthly_income_yuan": 20,  # ¥8,000: 8000–11999
    "dti_pct": 40,
    "verified": 20,
    "employment_months": 20,  # 36: 36–59
    "social_insurance": 20,
    "trust": 15,  # 60: 60–79
}


def test_a_new_account_starts_very_good_not_excellent(cli: Any) -> None:
    assert cli("init", "--start", START.isoformat()).exit_code == 0  # the default policy
    report = cli.json("score")
    points = {r["attribute"]: r["points"] for r in report["attributes"]}
    # the delinquency ceiling's line: none applies, it takes nothing
    assert points == {**OPENING_POINTS, "delinquency_ceiling": 0}
    ceiling = next(r for r in report["attributes"] if r["attribute"] == "delinquency_ceiling")
    assert (ceiling["value"], ceiling["band"], ceiling["max_points"]) == ("none", "none", 0)
    assert report["score"] == 350 + 320 == 670 and report["score_band"] == "very_good"
    bands = {r["attribute"]: r["band"] for r in report["attributes"]}
    assert [a for a, b in bands.items() if b == "no_history"] == [
        "worst_dpd_24m",
        "on_time_installments",
        "utilisation_pct",
    ]
    status = cli.json("status")
    # Tier 650–699: 3 × ¥8,000 = ¥24,000 (below the ¥50,000 tier cap and ⅓ of ¥96,000 a year),
    # at 0.04 % a day, not the best tier's 0.02 %.
    assert (status["limit_fen"], status["daily_rate"]) == (2_400_000, "0.0004")


def test_the_first_installment_paid_on_time_ends_the_thin_file(sim: Any) -> None:
    s = sim(DEFAULT_POLICY)
    s.do(c.Borrow(1_200_000, 12, "equal-installment"))  # ¥12,000 of ¥24,000: 50 %
    s.to(START + timedelta(days=31))  # 2026-02-05, paid by autopay
    points = {a.attribute: a.points for a in s.state.attributes}
    assert (points["worst_dpd_24m"], points["on_time_installments"]) == (90, 35)


def _score_on(s: Any, day: str) -> int:
    from datetime import date

    s.to(date.fromisoformat(day))
    return int(s.state.score)


def test_thirty_days_past_due_drops_below_good_and_ninety_below_550(sim: Any) -> None:
    """The default profile borrows ¥10,000 over 12 months and never pays (income = expenses).
    By hand: at 30 days past due worst 18 (30–89), on-time 0 (a history, none on time), age 0,
    utilisation 0 (the limit is below what is owed), applications 30 (the drawdown is 61 days
    old), lenders 30, income 20, debt-to-income 22 % → 32 (two unpaid installments of about ¥888
    of ¥8,000 a month), identity 60, trust 15: 350 + 205 = 555. At 90 days the line closes, worst
    is 0 and four installments are due (46 % → 20): 525; paying it all off lowers debt-to-income
    to 0 (40 points) but builds no history: 545."""
    s = sim(DEFAULT_POLICY, wallet_fen=0, monthly_expenses_fen=800_000)
    s.do(c.Borrow(1_000_000, 12, "equal-installment"))
    assert _score_on(s, "2026-03-07") == 555 < 600  # 30 days past due
    assert _score_on(s, "2026-05-06") == 525 < 550  # 90 days: closed
    assert s.state.closed_on is not None
    s.do(c.Wallet("deposit", 1_200_000))
    s.do(c.Repay("all"))
    assert s.state.score == 545 < 550
    assert _score_on(s, "2026-12-01") == 545  # a closed line ages no more


def test_a_policy_stored_before_the_thin_file_keeps_its_bins_and_scores_without_it() -> None:
    """A stored policy carries its own scorecard; one stored before `scorecard.no_history`
    existed reads with the thin file off, so its accounts keep their old scores."""
    from limitlab.core.policy import policy_from_stored, policy_to_dict

    old = policy_to_dict(DEFAULT_POLICY)
    del old["scorecard"]["no_history"]
    old["scorecard"]["history"]["worst_dpd_24m"]["points"] = [70, 45, 20, 5, 0]
    stored = policy_from_stored(old)
    assert stored.scorecard.no_history.enabled is False
    assert stored.scorecard.history.worst_dpd_24m.points == (70, 45, 20, 5, 0)
    state = BASE_STATE.copy()
    points = {a.attribute: a.points for a in score_attributes(state, stored)}
    assert points["worst_dpd_24m"] == 70  # scored from its bins: no record of a late day
    assert policy_from_stored(policy_to_dict(DEFAULT_POLICY)).scorecard.no_history.enabled
