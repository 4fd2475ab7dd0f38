"""The limit review and its triggers (issue 3 §2–§4), each as a simulation with its numbers."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from limitlab.core import commands as c
from limitlab.core.engine import open_account
from limitlab.core.limits import review
from limitlab.core.model import LimitDecision, LimitStep
from limitlab.core.policy import DEFAULT_POLICY
from limitlab.core.standing import available_fen, state_name

from .conftest import START, UNVERIFIED_OK, profile, unverified_ok

#: ¥10,000 a month, no social insurance, 6 months in the job, trust 40: score 695 (650–699).
P695: dict[str, Any] = {
    "monthly_income_fen": 1_000_000,
    "social_insurance": False,
    "employment_months": 6,
    "trust": 40,
}
CLI_695 = (
    "--income",
    "10000",
    "--no-social-insurance",
    "--employment-months",
    "6",
    "--trust",
    "40",
)
#: ¥10,000 a month with the default profile otherwise: score 750.
P750: dict[str, Any] = {"monthly_income_fen": 1_000_000}
#: Income equals expenses and the wallet is empty: autopay cannot pay anything.
BROKE: dict[str, Any] = {"monthly_expenses_fen": 1_000_000, "wallet_fen": 0}

BORROW_1000 = c.Borrow(100_000, 3, "equal-installment")


def step(decision: LimitDecision, code: str) -> LimitStep:
    (found,) = [s for s in decision.steps if s.code == code]
    return found


def reviews(s: Any) -> list[Any]:
    return [e for e in s.events if e.kind == "limit_review"]


def changes(s: Any) -> list[tuple[date, str, int, int]]:
    """(date, trigger, old, new) of every review that moved the limit after opening."""
    return [
        (e.on, e.data["trigger"], e.data["previous_fen"], e.data["limit_fen"])
        for e in reviews(s)
        if e.data["limit_fen"] != e.data["previous_fen"] and e.data["trigger"] != "opening"
    ]


def borrow(cli: Any, amount: str, *extra: str) -> tuple[int, dict[str, Any]]:
    result = cli("borrow", amount, "--term", "3", "--yes", "--json", *extra)
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}


# --- the base limit -------------------------------------------------------------------------------


def test_income_10000_score_650_699_gets_30000_at_0_04_percent(sim: Any) -> None:
    s = sim(**P695)
    d = s.state.decision
    assert s.state.score == 695
    assert step(d, "BASE_LIMIT").detail["caps"] == {
        "tier_cap": 5_000_000,
        "income_cap": 3_000_000,  # 3 × ¥10,000
        "regulatory_cap": 4_000_000,  # a third of ¥120,000 a year
    }
    assert d.binding == "income_cap"
    assert (d.base_fen, d.limit_fen, d.codes) == (3_000_000, 3_000_000, [])
    assert s.state.daily_rate == Decimal("0.0004")
    assert state_name(s.state) == "active"


def test_opening_limit_shows_in_status_and_limits(cli: Any) -> None:
    cli.init(*CLI_695)
    status = cli.json("status")
    assert (status["state"], status["score"], status["limit_fen"], status["daily_rate"]) == (
        "active",
        695,
        3_000_000,
        "0.0004",
    )
    assert cli.json("limits") == [
        {
            "date": "2026-01-05",
            "trigger": "opening",
            "old_limit_fen": 0,
            "new_limit_fen": 3_000_000,
            "score": 695,
            "base_fen": 3_000_000,
            "binding": "income_cap",
            "codes": [],
            "daily_rate": "0.0004",
            "attribution": None,  # the opening grant changes nothing it could be split over
        }
    ]


# score → (tier cap, income multiple, daily rate) of DESIGN §3.
TIERS = [
    (550, 500_000, 1, "0.0006"),
    (600, 2_000_000, 2, "0.0005"),
    (650, 5_000_000, 3, "0.0004"),
    (700, 10_000_000, 4, "0.0003"),
    (750, 20_000_000, 4, "0.0002"),
    (950, 20_000_000, 4, "0.0002"),
]


@pytest.mark.parametrize(("score", "cap", "multiple", "rate"), TIERS)
def test_tier_cap_income_multiple_and_rate(score: int, cap: int, multiple: int, rate: str) -> None:
    rich = open_account(c.Open(profile(monthly_income_fen=100_000_000), 0, START), DEFAULT_POLICY)
    rich.state.score = score
    d = review(rich.state, DEFAULT_POLICY, "test", scheduled=True, opening=True)
    assert d.base_fen == d.limit_fen == cap  # the tier cap (or the ¥200,000 regulatory cap)
    assert step(d, "BASE_LIMIT").detail["caps"]["regulatory_cap"] == 20_000_000
    assert d.daily_rate == Decimal(rate)

    modest = open_account(c.Open(profile(monthly_income_fen=100_000), 0, START), DEFAULT_POLICY)
    modest.state.score = score
    d = review(modest.state, DEFAULT_POLICY, "test", scheduled=True, opening=True)
    assert d.base_fen == multiple * 100_000  # ¥1,000 × the tier's multiple


def test_below_550_is_not_eligible() -> None:
    opened = open_account(c.Open(profile(), 0, START), DEFAULT_POLICY)
    opened.state.score = 549
    d = review(opened.state, DEFAULT_POLICY, "test", scheduled=True, opening=True)
    assert (d.base_fen, d.limit_fen, d.binding, d.codes) == (0, 0, "not_eligible", ["NOT_ELIGIBLE"])


def test_base_limit_is_rounded_down_to_100_yuan(sim: Any) -> None:
    s = sim(**{**P695, "monthly_income_fen": 1_003_300})  # 3 × ¥10,033 = ¥30,099
    assert s.state.decision.binding == "income_cap"
    assert s.state.limit_fen == 3_000_000


# --- other lenders --------------------------------------------------------------------------------


def test_three_other_lenders_cut_the_limit_by_30_percent_at_once(sim: Any) -> None:
    s = sim(**P750)
    assert s.state.limit_fen == 4_000_000
    for lender in ("Huabei", "Weilidai", "JD"):
        s.do(c.ExternalAdd(lender, 500_000, 20_000))

    d = s.state.decision
    assert (d.on, d.trigger) == (START, "external")
    assert d.base_fen == 4_000_000  # the score (700) stays in a ¥40,000 tier
    assert d.codes == ["MULTI_LENDER"]
    cut = step(d, "MULTI_LENDER")
    assert (cut.amount_fen, cut.detail["factor"]) == (-1_200_000, "0.7")
    assert cut.detail["lenders"] == [
        {"lender": "Huabei", "balance_fen": 500_000, "added_on": "2026-01-05"},
        {"lender": "Weilidai", "balance_fen": 500_000, "added_on": "2026-01-05"},
        {"lender": "JD", "balance_fen": 500_000, "added_on": "2026-01-05"},
    ]
    assert s.state.limit_fen == 2_800_000
    assert state_name(s.state) == "reduced"


def test_paying_one_lender_off_restores_the_limit_only_at_the_next_scheduled_review(
    sim: Any,
) -> None:
    s = sim(**P750, wallet_fen=1_000_000)
    for lender in ("Huabei", "Weilidai", "JD"):
        s.do(c.ExternalAdd(lender, 500_000, 20_000))
    s.days(10)

    s.do(c.ExternalRepay("JD"))  # two lenders left: no cut any more, but a raise must wait
    d = s.state.decision
    assert (d.trigger, s.state.limit_fen, d.target_fen) == ("external", 2_800_000, 4_000_000)
    assert d.codes == ["REVIEW_PENDING"]
    assert step(d, "REVIEW_PENDING").detail["blocker"] == "not_scheduled"
    assert step(d, "REVIEW_PENDING").detail["next_review_on"] == "2026-02-04"

    s.to(date(2026, 2, 3))
    assert s.state.limit_fen == 2_800_000
    s.to(date(2026, 2, 4))  # 30 days after opening; +43 % is within the +50 % rule
    assert (s.state.decision.trigger, s.state.limit_fen) == ("scheduled", 4_000_000)
    assert s.state.decision.codes == []


def test_a_restored_limit_rises_by_at_most_50_percent_per_scheduled_review(sim: Any) -> None:
    s = sim(**P750, wallet_fen=5_000_000)
    for lender in "ABCDE":
        s.do(c.ExternalAdd(lender, 500_000, 20_000))
    assert s.state.limit_fen == 1_200_000  # score 680 → ¥30,000 × 0.4
    for lender in "CDE":
        s.do(c.ExternalRepay(lender))
    s.days(100)

    assert changes(s)[-3:] == [
        (date(2026, 2, 4), "scheduled", 1_200_000, 1_800_000),
        (date(2026, 3, 6), "scheduled", 1_800_000, 2_700_000),
        (date(2026, 4, 5), "scheduled", 2_700_000, 4_000_000),
    ]


# --- frequent applications ------------------------------------------------------------------------


def test_three_applications_in_seven_days_start_a_14_day_cooloff(sim: Any) -> None:
    s = sim(**P695)
    assert s.do(BORROW_1000).refusal is None  # 2026-01-05
    s.days(3)
    assert s.do(BORROW_1000).refusal is None  # 2026-01-08
    s.days(3)
    third = s.do(BORROW_1000)  # 2026-01-11: the third in 7 days, still granted
    assert third.refusal is None
    (started,) = [e for e in third.events if e.kind == "cooloff_started"]
    assert started.data["until"] == "2026-01-25"

    s.days(1)
    fourth = s.do(BORROW_1000)
    assert fourth.refusal is not None
    assert fourth.refusal.code == "FREQUENT_APPLICATIONS"
    assert fourth.refusal.params["until"] == "2026-01-25"
    assert state_name(s.state) == "suspended"

    s.to(date(2026, 1, 24))
    refusal = s.do(BORROW_1000).refusal
    assert refusal is not None and refusal.code == "FREQUENT_APPLICATIONS"
    s.to(date(2026, 1, 25))  # the end date
    assert s.do(BORROW_1000).refusal is None


def test_three_applications_spread_over_eight_days_start_no_cooloff(sim: Any) -> None:
    s = sim(**P695)
    for gap in (3, 4, 0):
        assert s.do(BORROW_1000).refusal is None
        if gap:
            s.days(gap)  # 2026-01-05, 01-08, 01-12
    assert "cooloff_started" not in s.kinds()
    assert s.do(BORROW_1000).refusal is None


def test_cooloff_via_cli_refuses_with_exit_3_and_its_end_date(cli: Any) -> None:
    cli.init(*CLI_695)
    for _ in range(3):
        assert borrow(cli, "1000")[0] == 0
    code, refusal = borrow(cli, "1000")
    assert (code, refusal["code"]) == (3, "FREQUENT_APPLICATIONS")
    assert "2026-01-19" in refusal["reasons"][0]["advice"]
    status = cli.json("status")
    assert status["state"] == "suspended"
    assert status["suspensions"] == [
        {
            "code": "FREQUENT_APPLICATIONS",
            "since": "2026-01-05",
            "until": "2026-01-19",
            "condition": None,
        }
    ]


# --- income ---------------------------------------------------------------------------------------


def test_income_drop_lowers_the_income_cap_and_names_income_drop_and_high_dti(sim: Any) -> None:
    s = sim(**P695)
    s.do(c.ExternalAdd("Huabei", 1_000_000, 300_000))  # ¥3,000 a month: DTI 30 %
    assert (
        s.state.limit_fen,
        step(s.state.decision, "BASE_LIMIT").detail["caps"]["income_cap"],
    ) == (
        3_000_000,
        3_000_000,
    )

    out = s.do(c.SetProfile(monthly_income_fen=500_000))
    (drop,) = [e for e in out.events if e.kind == "income_drop"]
    assert drop.data == {"from_fen": 1_000_000, "to_fen": 500_000}
    d = s.state.decision
    assert d.trigger == "profile"
    assert d.binding == "income_cap"
    assert step(d, "BASE_LIMIT").detail["caps"]["income_cap"] == 1_000_000  # score 630: 2 × ¥5,000
    dti = step(d, "HIGH_DTI")
    assert (dti.detail["dti"], dti.detail["factor"], dti.amount_fen) == ("0.6000", "0.7", -300_000)
    assert "INCOME_DROP" in d.codes and "HIGH_DTI" in d.codes
    assert d.codes.index("INCOME_DROP") < d.codes.index("HIGH_DTI")
    assert s.state.limit_fen == 700_000


def test_income_drop_without_debt_names_income_drop_only(cli: Any) -> None:
    cli.init(*CLI_695)
    result = cli("profile", "set", "--income", "5000")
    assert result.exit_code == 0, result.output
    last = cli.json("limits")[-1]
    assert (last["trigger"], last["old_limit_fen"], last["new_limit_fen"]) == (
        "profile",
        3_000_000,
        1_500_000,  # 3 × ¥5,000
    )
    assert last["binding"] == "income_cap"
    assert "INCOME_DROP" in last["codes"] and "HIGH_DTI" not in last["codes"]


# --- the drawdown decision ------------------------------------------------------------------------


def test_a_borrow_pushing_dti_over_70_percent_is_refused_despite_room(sim: Any) -> None:
    s = sim(**P695)
    refusal = s.do(c.Borrow(2_500_000, 3, "equal-installment")).refusal
    assert refusal is not None
    assert refusal.code == "HIGH_DTI"
    assert (refusal.params["dti_after"], refusal.params["max_dti"]) == ("0.8535", "0.7")
    assert available_fen(s.state) == 3_000_000  # the limit had room
    # ¥20,000 over 3 months costs ¥6,826 a month: 68 %, granted.
    assert s.do(c.Borrow(2_000_000, 3, "equal-installment")).refusal is None


def test_high_dti_refusal_via_cli_exits_3(cli: Any) -> None:
    cli.init(*CLI_695)
    code, refusal = borrow(cli, "25000")
    assert (code, refusal["code"]) == (3, "HIGH_DTI")
    status = cli.json("status")
    assert (status["available_fen"], status["loans"]) == (3_000_000, [])


# --- overdue --------------------------------------------------------------------------------------


def test_four_days_overdue_is_reported_and_carries_credit_record_for_24_months(sim: Any) -> None:
    s = sim(**P695, **BROKE)
    s.do(c.Borrow(1_000_000, 3, "equal-installment"))  # first due 2026-02-05
    s.to(date(2026, 2, 8))  # 3 days past due: grace
    assert s.state.bureau == []
    assert s.state.limit_fen == 3_000_000

    out = s.to(date(2026, 2, 9))  # 4 days past due
    (report,) = [e for e in out.events if e.kind == "bureau_report"]
    assert report.data["days_past_due"] == 4
    d = s.state.decision
    assert (d.on, d.trigger) == (date(2026, 2, 9), "overdue")
    record = step(d, "CREDIT_RECORD")
    assert record.detail["factor"] == "0.5"
    assert record.detail["records"][0]["scored_until"] == "2028-02-09"
    assert (d.base_fen, record.amount_fen, d.limit_fen) == (2_000_000, -1_000_000, 1_000_000)

    s.do(c.Wallet("deposit", 2_000_000))
    s.do(c.Repay("all"))
    s.to(date(2028, 4, 1))

    later = [e for e in reviews(s) if e.on >= date(2026, 2, 9)]
    scored = [e for e in later if e.on <= date(2028, 2, 9)]
    assert scored and all("CREDIT_RECORD" in e.data["codes"] for e in scored)
    after = [e for e in later if e.on > date(2028, 2, 9)]
    assert all("CREDIT_RECORD" not in e.data["codes"] for e in after)
    # The +50 % rule may take a couple of reviews: 2028-02-24 and 2028-03-25.
    assert [(e.on, e.data["previous_fen"], e.data["limit_fen"]) for e in after[:2]] == [
        (date(2028, 2, 24), 2_000_000, 3_000_000),
        (date(2028, 3, 25), 3_000_000, 4_000_000),
    ]
    assert s.state.limit_fen == s.state.decision.base_fen == 4_000_000  # score 760 now
    assert state_name(s.state) == "active"


def test_a_raise_waits_three_months_after_an_overdue(sim: Any) -> None:
    s = sim(**P695, **BROKE)
    s.do(c.Borrow(1_000_000, 3, "equal-installment"))
    s.to(date(2026, 2, 9))
    s.do(c.Wallet("deposit", 2_000_000))
    s.do(c.Repay("all"))  # last overdue day: 2026-02-09
    s.to(date(2026, 6, 4))

    held = [e for e in reviews(s) if date(2026, 3, 1) < e.on < date(2026, 5, 9)]
    assert [e.on for e in held] == [date(2026, 3, 6), date(2026, 4, 5), date(2026, 5, 5)]
    for e in held:
        pending = next(x for x in e.data["steps"] if x["code"] == "REVIEW_PENDING")
        assert pending["detail"]["blocker"] == "recent_overdue"
        assert e.data["limit_fen"] == 1_000_000
    assert changes(s)[-1] == (date(2026, 6, 4), "scheduled", 1_000_000, 1_500_000)


def test_30_days_past_due_cuts_the_limit_to_the_outstanding_principal(sim: Any) -> None:
    s = sim(**P750, **BROKE)
    s.do(c.Borrow(500_000, 3, "equal-installment"))
    s.to(date(2026, 3, 6))
    assert s.state.limit_fen > s.state.used_fen == 500_000

    out = s.to(date(2026, 3, 7))  # 30 days past the 2026-02-05 due date
    assert [e.data for e in out.events if e.kind == "overdue_milestone"] == [{"days_past_due": 30}]
    d = s.state.decision
    assert (d.on, d.trigger) == (date(2026, 3, 7), "overdue")
    assert "OVERDUE" in d.codes
    assert step(d, "OVERDUE").detail == {"days_past_due": 30}
    assert s.state.limit_fen == s.state.used_fen == 500_000
    assert state_name(s.state) == "frozen"  # 只还不借 (issue 13 item 3)
    assert s.state.frozen_on == date(2026, 3, 7)


def test_90_days_past_due_closes_the_line_and_only_repayment_works(sim: Any) -> None:
    s = sim(**P695, **BROKE)
    s.do(c.Borrow(1_000_000, 3, "equal-installment"))
    s.to(date(2026, 5, 5))
    assert s.state.closed_on is None

    out = s.to(date(2026, 5, 6))  # 90 days past 2026-02-05
    assert [e.data for e in out.events if e.kind == "account_closed"] == [{"days_past_due": 90}]
    assert s.state.closed_on == date(2026, 5, 6)
    assert s.state.limit_fen == 0
    assert "ACCOUNT_CLOSED" in s.state.decision.codes
    assert state_name(s.state) == "closed"

    refusal = s.do(BORROW_1000).refusal
    assert refusal is not None and refusal.code == "ACCOUNT_CLOSED"
    s.do(c.Wallet("deposit", 2_000_000))
    paid = s.do(c.Repay("all"))
    assert paid.refusal is None and paid.result["principal_fen"] == 1_000_000
    assert s.state.used_fen == 0

    s.days(60)  # reviews never reopen the line
    assert (state_name(s.state), s.state.limit_fen) == ("closed", 0)
    refusal = s.do(BORROW_1000).refusal
    assert refusal is not None and refusal.code == "ACCOUNT_CLOSED"


# --- platform -------------------------------------------------------------------------------------


def test_platform_tightening_halves_a_matching_cohort_and_ends_on_its_date(
    cli: Any, tmp_path: Path
) -> None:
    other = type(cli)(tmp_path / "other.db")
    cli.init(*CLI_695)  # score 695: in "score<700"
    other.init("--income", "10000")  # score 750: not in it
    tighten = ("platform", "tighten", "--factor", "0.5", "--days", "30", "--cohort", "score<700")

    for account in (cli, other):
        account.json("advance", "--to", "2026-01-15")
        assert account(*tighten).exit_code == 0
    assert cli.json("status")["limit_fen"] == 1_500_000
    assert other.json("status")["limit_fen"] == 4_000_000
    last = cli.json("limits")[-1]
    assert (last["date"], last["trigger"], last["codes"]) == (
        "2026-01-15",
        "platform",
        ["PLATFORM_POLICY"],
    )
    assert (last["old_limit_fen"], last["new_limit_fen"]) == (3_000_000, 1_500_000)
    assert [r["trigger"] for r in other.json("limits")] == ["opening"]

    # Through the scheduled review of 2026-02-04, up to the day before the end.
    assert cli.json("advance", "--to", "2026-02-13")["status"]["limit_fen"] == 1_500_000
    assert cli.json("advance", "--to", "2026-02-14")["status"]["limit_fen"] == 3_000_000
    last = cli.json("limits")[-1]
    assert (last["date"], last["old_limit_fen"], last["new_limit_fen"], last["codes"]) == (
        "2026-02-14",
        1_500_000,
        3_000_000,
        [],
    )
    assert other.json("advance", "--to", "2026-02-14")["status"]["limit_fen"] == 4_000_000


def test_maintenance_refuses_every_borrow_for_two_days(sim: Any) -> None:
    s = sim(**P695)
    out = s.do(c.Maintenance(2))
    assert out.result["ends_on"] == "2026-01-07"
    for day in (date(2026, 1, 5), date(2026, 1, 6)):
        if s.state.today != day:
            s.to(day)
        refusal = s.do(BORROW_1000).refusal
        assert refusal is not None
        assert (refusal.code, refusal.params["until"]) == ("MAINTENANCE", "2026-01-07")
        assert s.state.limit_fen == 3_000_000  # a pause, not a cut
    s.to(date(2026, 1, 7))
    assert s.do(BORROW_1000).refusal is None


def test_maintenance_via_cli_exits_3_with_maintenance(cli: Any) -> None:
    cli.init(*CLI_695)
    assert cli.json("platform", "maintenance", "--days", "2")["ends_on"] == "2026-01-07"
    code, refusal = borrow(cli, "1000")
    assert (code, refusal["code"], refusal["state"]) == (3, "MAINTENANCE", "suspended")
    assert cli.json("status")["suspensions"] == [
        {"code": "MAINTENANCE", "since": "2026-01-05", "until": "2026-01-07", "condition": None}
    ]
    cli.json("advance", "--days", "2")
    assert borrow(cli, "1000")[0] == 0


def test_maintenance_still_refuses_on_its_quiet_second_day_via_cli(cli: Any) -> None:
    cli.init(*CLI_695)
    cli("platform", "maintenance", "--days", "2")
    moved = cli.json("advance", "--days", "1")
    assert moved["today"] == "2026-01-06"
    assert moved["status"]["today"] == "2026-01-06"
    assert cli.json("status")["today"] == "2026-01-06"
    assert borrow(cli, "1000")[1]["code"] == "MAINTENANCE"
    cli.json("advance", "--days", "1")
    assert borrow(cli, "1000")[0] == 0


# --- raises ---------------------------------------------------------------------------------------


def test_six_months_on_time_raise_the_limit_at_scheduled_reviews_by_at_most_50_percent(
    sim: Any,
) -> None:
    s = sim(
        policy=UNVERIFIED_OK,
        monthly_income_fen=2_000_000,
        verified=False,
        social_insurance=False,
        trust=10,
        employment_months=12,
    )
    assert (s.state.score, s.state.limit_fen) == (695, 5_000_000)  # the ¥50,000 tier cap
    s.do(c.Borrow(300_000, 6, "equal-installment"))
    s.to(date(2026, 7, 6))  # the sixth installment was due on 2026-07-05

    assert s.state.on_time_installments == 6
    assert s.state.last_overdue_on is None
    assert changes(s) == [
        (date(2026, 3, 6), "scheduled", 5_000_000, 7_500_000),  # +50 %, held at the ceiling
        (date(2026, 4, 5), "scheduled", 7_500_000, 8_000_000),
    ]
    first_raise = next(e for e in reviews(s) if e.on == date(2026, 3, 6))
    assert first_raise.data["target_fen"] == 8_000_000
    assert "REVIEW_PENDING" in first_raise.data["codes"]
    assert s.state.limit_fen == s.state.decision.base_fen == 8_000_000


# --- states ---------------------------------------------------------------------------------------


def _active(cli: Any) -> None:
    cli.init(*CLI_695)


def _exhausted(cli: Any) -> None:
    cli.init(*CLI_695)
    assert cli("borrow", "30000", "--term", "12", "--yes").exit_code == 0


def _cooling_off(cli: Any) -> None:
    cli.init(*CLI_695)
    for _ in range(3):
        borrow(cli, "1000")


def _maintenance(cli: Any) -> None:
    cli.init(*CLI_695)
    cli("platform", "maintenance", "--days", "2")


def _overdue(cli: Any) -> None:
    cli.init(*CLI_695, "--expenses", "10000", "--wallet", "0")
    borrow(cli, "10000")
    cli.json("advance", "--to", "2026-02-06")


def _reduced(cli: Any) -> None:
    cli.init("--income", "10000")
    for lender in ("A", "B", "C"):
        cli("external", "add", "--lender", lender, "--balance", "5000", "--monthly", "200")


def _closed(cli: Any) -> None:
    _overdue(cli)
    cli.json("advance", "--to", "2026-05-06")


def _not_eligible(cli: Any) -> None:
    unverified_ok(cli)
    cli.init(
        "--income", "2000", "--expenses", "1000", "--not-verified", "--no-social-insurance",
        "--trust", "0", "--employment-months", "0",
    )  # fmt: skip
    for i in range(5):
        cli("external", "add", "--lender", f"L{i}", "--balance", "1000", "--monthly", "400")


STATES = [
    (_active, "active", 3_000_000, 3_000_000, []),
    (_exhausted, "exhausted", 3_000_000, 0, []),
    (_cooling_off, "suspended", 3_000_000, 0, [("FREQUENT_APPLICATIONS", "2026-01-19", None)]),
    (_maintenance, "suspended", 3_000_000, 0, [("MAINTENANCE", "2026-01-07", None)]),
    (_overdue, "suspended", 3_000_000, 0, [("OVERDUE", None, "repay_overdue")]),
    (_reduced, "reduced", 2_800_000, 2_800_000, []),
    (_closed, "closed", 0, 0, [("ACCOUNT_CLOSED", None, "never")]),
    (_not_eligible, "not_eligible", 0, 0, []),
]


@pytest.mark.parametrize(
    ("setup", "state", "limit", "available", "holds"),
    STATES,
    ids=[f"{s[0].__name__.strip('_')}" for s in STATES],
)
def test_every_state_is_reachable_and_shown_in_status(
    cli: Any,
    setup: Callable[[Any], None],
    state: str,
    limit: int,
    available: int,
    holds: list[tuple[str, str | None, str | None]],
) -> None:
    setup(cli)
    status = cli.json("status")
    assert status["state"] == state
    assert (status["limit_fen"], status["available_fen"]) == (limit, available)
    assert [(h["code"], h["until"], h["condition"]) for h in status["suspensions"]] == holds


# --- the record of changes ------------------------------------------------------------------------


def test_limits_json_lists_every_change_with_date_old_new_and_codes(cli: Any) -> None:
    cli.init("--income", "10000", "--wallet", "10000")
    for lender in ("A", "B", "C"):
        cli("external", "add", "--lender", lender, "--balance", "5000", "--monthly", "200")
    cli.json("advance", "--to", "2026-01-20")
    assert cli("external", "repay", "C").exit_code == 0
    cli.json("advance", "--to", "2026-02-04")

    rows = [
        (r["date"], r["trigger"], r["old_limit_fen"], r["new_limit_fen"], r["codes"])
        for r in cli.json("limits")
    ]
    assert rows == [
        ("2026-01-05", "opening", 0, 4_000_000, []),
        ("2026-01-05", "external", 4_000_000, 2_800_000, ["MULTI_LENDER"]),
        ("2026-02-04", "scheduled", 2_800_000, 4_000_000, []),
    ]


def test_milestones_still_fire_when_a_policy_change_moves_them_mid_way(sim: Any) -> None:
    from limitlab.core.policy import policy_from_dict

    s = sim(wallet_fen=0, monthly_expenses_fen=800_000)
    s.do(c.Borrow(1_000_000, 12, "equal-installment"))
    s.to(date(2026, 3, 27))  # 50 days past due
    assert s.state.closed_on is None
    s.policy = policy_from_dict({"close_dpd": 45})
    s.do(c.SetPolicy({"close_dpd": 45}))
    s.days(1)
    assert s.state.closed_on == date(2026, 3, 28)


def test_the_regulatory_cap_is_the_lowest_of_the_bank_cap_and_the_micro_lending_draft() -> None:
    """Issue 13 item 9: ¥200,000 for a bank's consumer credit to one customer; the 2020
    micro-lending draft's ¥300,000 and ⅓ of annual income on the balance owed."""
    from limitlab.core.policy import REGULATORY_SOURCES, policy_from_dict

    assert (DEFAULT_POLICY.regulatory_cap_fen, DEFAULT_POLICY.microlending_cap_fen) == (
        20_000_000,
        30_000_000,
    )
    assert "商业银行互联网贷款管理暂行办法" in REGULATORY_SOURCES["regulatory_cap_fen"]
    assert "网络小额贷款" in REGULATORY_SOURCES["microlending_cap_fen"]
    assert "网络小额贷款" in REGULATORY_SOURCES["regulatory_income_months"]
    # Without the bank cap (a micro-lender's policy) and the tiers out of the way, ¥300,000 binds
    # at ¥100,000 a month (⅓ of ¥1,200,000 a year is ¥400,000), and ⅓ of annual income at ¥60,000.
    lender = policy_from_dict(
        {
            "regulatory_cap_fen": 100_000_000,
            "tiers": [
                {
                    "min_score": 350,
                    "cap_fen": 100_000_000,
                    "income_multiple": "24",
                    "daily_rate": "0.0002",
                },
            ],
        }
    )
    for income, cap in ((10_000_000, 30_000_000), (6_000_000, 24_000_000)):
        opened = open_account(c.Open(profile(monthly_income_fen=income), 0, START), lender).state
        d = opened.decision
        assert step(d, "BASE_LIMIT").detail["caps"]["regulatory_cap"] == cap
        assert (d.binding, d.limit_fen) == ("regulatory_cap", cap)


def test_policy_show_names_the_sources_of_the_regulatory_caps(cli: Any) -> None:
    shown = "".join(cli("policy", "show").stdout.split())  # a wrapped cell read as one
    assert "¥200,000(商业银行互联网贷款管理暂行办法,2020" in shown
    assert "¥300,000(网络小额贷款业务管理暂行办法,2020draft)" in shown
    shown_zh = "".join(cli("--lang", "zh", "policy", "show").stdout.split())
    assert "不超过20万元" in shown_zh and "不超过30万元" in shown_zh


# --- real-name verification (issue 13 item 2) -----------------------------------------------------


def test_without_real_name_verification_there_is_no_line(sim: Any) -> None:
    s = sim(verified=False)
    d = s.state.decision
    assert (d.base_fen, d.limit_fen, d.binding, d.codes) == (0, 0, "not_verified", ["NOT_VERIFIED"])
    assert state_name(s.state) == "not_eligible"
    out = s.do(c.Borrow(100_000, 3, "equal-installment"))
    assert out.refusal is not None and out.refusal.code == "NOT_VERIFIED"

    s.do(c.SetProfile(verified=True))  # verifying completes the opening at once
    assert s.state.decision.codes == [] and s.state.limit_fen == s.state.decision.base_fen > 0


def test_a_policy_may_open_lines_without_verification(sim: Any) -> None:
    from limitlab.core.policy import policy_from_dict

    s = sim(policy=policy_from_dict({"verification_required": False}), verified=False)
    assert "NOT_VERIFIED" not in s.state.decision.codes and s.state.limit_fen > 0


@pytest.mark.parametrize(
    ("lang", "title", "advice", "app"),
    [
        ("en", "Not real-name verified", "limitlab profile set --verified", "No limit"),
        ("zh", "未完成实名认证", "limitlab profile set --verified", "暂无额度"),
    ],
)
def test_not_verified_is_named_as_the_cause_in_both_languages(
    cli: Any, lang: str, title: str, advice: str, app: str
) -> None:
    result = cli.init("--not-verified")
    why = cli.json("why", "--lang", lang)
    (reason,) = why["reasons"]
    assert (reason["code"], reason["title"]) == ("NOT_VERIFIED", title)
    assert advice in reason["advice"]
    assert reason["amount_fen"] == why["reference_fen"] > 0  # all that is missing is its share
    status = cli("status", "--lang", lang).stdout
    assert app in status
    assert result.exit_code == 0
    refused = cli("borrow", "1000", "--yes", "--lang", lang)
    assert refused.exit_code == 3 and title in refused.stderr + refused.stdout
