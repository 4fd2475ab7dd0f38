"""`limitlab why`, `notice`, `status --detail` and the refusal of `borrow` (DESIGN §4, issues 4
and 12).

Every scenario starts on 2026-01-05 with the default profile (income ¥8,000, score 750, limit
¥32,000.00) unless it says otherwise; `why --json` must rank the cause it builds first. The
amounts are each cause's exact Shapley share of reference − available (tests/test_attribution.py
has the properties); the figures here are those shares, checked by hand where they are short.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from limitlab.cli.views.explanation_screen import EVIDENCE_DATES, HISTORY_REASONS
from limitlab.core.explain import CATEGORY
from limitlab.core.money import format_fen

from .conftest import CATALOGUE, OLD_BINS_TOML, unverified_ok

CJK = re.compile(r"[\u4e00-\u9fff]")
#: A money figure as format_fen writes it; `FIGURE_TOKEN` also catches cut ones ("¥3,000.0").
FIGURE = re.compile(r"-?¥\d{1,3}(?:,\d{3})*\.\d\d")
FIGURE_TOKEN = re.compile(r"¥[\d,.]*")
EN_TITLES = [en for key, (en, _) in CATALOGUE.items() if re.fullmatch(r"reason\.\w+\.title", key)]


# --- helpers -------------------------------------------------------------------------------------


def run(cli: Any, *args: str) -> Any:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return result


def why(cli: Any, *args: str) -> dict[str, Any]:
    return cli.json("why", *args)  # type: ignore[no-any-return]


def codes(data: dict[str, Any]) -> list[str]:
    return [r["code"] for r in data["reasons"]]


def reason(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(r for r in data["reasons"] if r["code"] == code)


def evidence(r: dict[str, Any]) -> list[str]:
    return [e["text"] for e in r["evidence"]]


def facts(r: dict[str, Any]) -> list[str]:
    """A reason's dated facts (without the chain of what it sets off in today's assessment)."""
    return [e["text"] for e in r["evidence"] if e["on"]]


def chain(r: dict[str, Any]) -> list[str]:
    return [e["text"] for e in r["evidence"] if not e["on"]]


def lines(data: dict[str, Any]) -> list[tuple[str, int]]:
    return [(ln["code"], ln["amount_fen"]) for ln in data["waterfall"]]


def assert_first(data: dict[str, Any], code: str, amount_fen: int) -> dict[str, Any]:
    top = data["reasons"][0]
    assert (top["code"], top["category"], top["amount_fen"]) == (code, CATEGORY[code], amount_fen)
    assert top["rank"] == 1 and top["evidence"], top
    return top  # type: ignore[no-any-return]


def broke(cli: Any, *extra: str) -> None:
    """An account whose paydays add nothing and whose wallet is empty: installments go unpaid
    (other lenders are paid outside the wallet: the story is our own loans')."""
    cli.init_outside("--expenses", "8000", "--wallet", "0", *extra)


def add_lenders(cli: Any, *lenders: tuple[str, str]) -> None:
    for name, balance in lenders:
        run(cli, "external", "add", "--lender", name, "--balance", balance, "--monthly", "100")


THREE_LENDERS = (("Huabei", "6000"), ("JD", "3000"), ("WeLoan", "4500"))


def close_after_90_days(cli: Any) -> None:
    """¥5,000 borrowed and never repaid: 90 days past due on 2026-05-06 closes the line."""
    broke(cli)
    run(cli, "borrow", "5000", "--yes")
    run(cli, "advance", "--to", "2026-05-10", "--json")


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 60-column terminal."""
    monkeypatch.setenv("COLUMNS", "60")


# --- each cause, ranked first --------------------------------------------------------------------


def test_drawn_down_the_whole_limit_is_used_by_loans(cli: Any) -> None:
    cli.init()
    run(cli, "borrow", "32000", "--yes")
    data = why(cli)
    assert (data["state"], data["limit_fen"], data["available_fen"]) == ("exhausted", 3_200_000, 0)
    top = assert_first(data, "USED_BY_LOANS", 3_200_000)
    assert codes(data) == ["USED_BY_LOANS"]
    assert top["evidence"][0]["on"] == "2026-01-05"
    assert facts(top) == ["Loan #1: ¥32,000.00 over 12 months, ¥32,000.00 principal still owed"]
    assert chain(top) == [
        "utilisation 100% (without it: 0%): −15 points",
        "debt-to-income 34% (without it: 0%): −25 points",
        "Score 710 (without it: 750)",
    ]
    assert top["recovers_on"] == "2027-01-05"
    assert top["advice"] == (
        "Repay ¥100.00 (limitlab repay 100.00) → ¥100.00 available today; or put ¥31,000.00 in"
        " the wallet, then repay everything, ¥32,000.00 (limitlab repay --all) → ¥32,000.00"
        " available today"
    )


def test_overdue_suspension_holds_back_the_unused_limit(cli: Any) -> None:
    broke(cli)
    run(cli, "borrow", "5000", "--yes")
    run(cli, "advance", "--to", "2026-02-07")  # installment 1 was due 2026-02-05
    data = why(cli)
    assert (data["state"], data["limit_fen"], data["available_fen"]) == ("suspended", 3_200_000, 0)
    top = assert_first(data, "OVERDUE", 2_970_105)
    assert codes(data) == ["OVERDUE", "USED_BY_LOANS"]
    assert reason(data, "USED_BY_LOANS")["amount_fen"] == 229_895
    assert (top["blocking"], top["alone_fen"]) == (True, 2_740_209)
    assert data["cannot_borrow"] == "You cannot borrow today because loan #1 is overdue."
    assert top["evidence"][0]["on"] == "2026-02-05"
    assert facts(top) == ["Loan #1 installment 1 due 2026-02-05: ¥433.33 unpaid, 2 days late"]
    assert top["advice"] == (
        "Put ¥433.33 in the wallet, then repay ¥433.33 overdue on loan #1"
        " (limitlab repay --overdue --loan 1) → ¥27,402.09 available today"
    )


def test_frequent_applications_start_a_cool_off(cli: Any) -> None:
    cli.init()
    for _ in range(3):
        run(cli, "borrow", "1000", "--yes")
    data = why(cli)
    assert data["state"] == "suspended"
    top = assert_first(data, "FREQUENT_APPLICATIONS", 3_050_000)
    assert [e["on"] for e in top["evidence"]][:4] == ["2026-01-05"] * 4
    assert facts(top) == [
        "Application for ¥1,000.00: granted",
        "Application for ¥1,000.00: granted",
        "Application for ¥1,000.00: granted",
        "3 applications within 7 days: cool-off until 2026-01-19",
    ]
    assert chain(top) == [
        "applications in 30 days 3 (without it: 0): −30 points",
        "Score 720 (without it: 750)",
    ]
    assert top["recovers_on"] == "2026-01-19"
    assert top["recovers"] == "¥29,000.00 on 2026-01-19"
    assert reason(data, "USED_BY_LOANS")["amount_fen"] == 150_000


def test_three_other_lenders_cut_the_limit(cli: Any) -> None:
    cli.init()
    add_lenders(cli, *THREE_LENDERS)
    data = why(cli)
    assert (data["state"], data["limit_fen"], data["available_fen"]) == (
        "reduced",
        2_240_000,
        2_240_000,
    )
    top = assert_first(data, "MULTI_LENDER", 960_000)
    assert codes(data) == ["MULTI_LENDER"]
    assert evidence(top) == [
        "Huabei: ¥6,000.00 owed",
        "JD: ¥3,000.00 owed",
        "WeLoan: ¥4,500.00 owed",
        "other lenders 3 (without it: 0): −50 points",
        "Score 700 (without it: 750)",
        "Other-lenders cut: limit × 0.7",
    ]
    assert top["advice"] == (
        "Put ¥2,000.00 in the wallet, then pay off JD, ¥3,000.00 (limitlab external repay JD)"
        " → ¥22,400.00 available today, ¥32,000.00 on 2026-02-04"
    )
    assert top["recovers_on"] == "2026-02-04"


def test_income_drop_lowers_the_base_limit(cli: Any) -> None:
    cli.init()
    run(cli, "profile", "set", "--income", "5000")
    data = why(cli)
    assert (data["limit_fen"], data["available_fen"]) == (2_000_000, 2_000_000)
    top = assert_first(data, "INCOME_DROP", 1_200_000)  # ¥32,000 → ¥20,000 (4 × income)
    assert top["evidence"][0]["on"] == "2026-01-05"
    assert evidence(top)[0] == "Income fell from ¥8,000.00 to ¥5,000.00 (−38%)"
    assert top["advice"] == (
        "Declare a monthly income of ¥8,000.00 (limitlab profile set --income 8000.00)"
        " → ¥20,000.00 available today, ¥30,000.00 on 2026-02-04, ¥32,000.00 on 2026-03-06"
    )  # a raise waits for the scheduled reviews, +50 % at most at each
    assert top["recovers"] == "once done: ¥32,000.00 on 2026-03-06"


def test_credit_record_keeps_the_limit_halved_after_the_overdue_is_repaid(cli: Any) -> None:
    broke(cli)
    run(cli, "borrow", "5000", "--yes")
    run(cli, "advance", "--to", "2026-02-10")  # reported to the bureau at 4 days late
    run(cli, "wallet", "deposit", "1000")
    run(cli, "repay", "--overdue")
    data = why(cli)
    assert "OVERDUE" not in codes(data)
    assert lines(data)[:3] == [
        ("BASE_LIMIT", 2_400_000),
        ("CREDIT_RECORD", -1_200_000),
        ("CREDIT_LIMIT", 1_200_000),
    ]
    # the record's share is more than its cut line: its late days cost the tier too
    top = assert_first(data, "CREDIT_RECORD", 1_800_000)
    assert top["evidence"][0]["on"] == "2026-02-09"
    assert evidence(top) == [
        "Reported: loan #1 installment 1, 4 days late; scored until 2028-02-09",
        "worst days past due (24 months) 5 (without it: 0): −50 points",
        "Score 694 (without it: 744)",
        "A review today: base limit ¥24,000.00 (income cap; without it: ¥32,000.00)",
        "Credit-record cut: limit × 0.5",
        # ¥18,000 of ¥24,000 − ¥12,000 and the ¥8,000 the tier loses: said as what it is
        "Its share, ¥18,000.00, is more than the ¥12,000.00 limit: it also counts what a "
        "review today would add without it (a limit of ¥32,000.00)",
    ]
    # its late days count until 2028-02-10; the first scheduled review after that
    assert top["recovers_on"] == "2028-02-24"
    assert top["advice"].endswith("the record stops counting on 2028-02-11.")


def test_platform_tightening_for_a_cohort(cli: Any) -> None:
    cli.init()
    run(cli, "platform", "tighten", "--factor", "0.5", "--days", "30", "--cohort", "score>=700")
    data = why(cli)
    assert (data["limit_fen"], data["available_fen"]) == (1_600_000, 1_600_000)
    top = assert_first(data, "PLATFORM_POLICY", 1_600_000)
    assert top["category"] == "platform"
    assert top["evidence"][0]["on"] == "2026-01-05"
    assert evidence(top) == [
        "Measure #1: limits × 0.5 for accounts with a score of 700 or above until 2026-02-04",
        "Platform tightening: limit × 0.5",
    ]
    assert top["recovers_on"] == "2026-02-04"
    assert top["recovers"] == "¥32,000.00 on 2026-02-04"


def test_maintenance_holds_back_everything(cli: Any) -> None:
    cli.init()
    run(cli, "platform", "maintenance", "--days", "2")
    data = why(cli)
    assert (data["state"], data["available_fen"]) == ("suspended", 0)
    top = assert_first(data, "MAINTENANCE", 3_200_000)
    assert top["category"] == "platform"
    assert evidence(top) == ["Maintenance #1 until 2026-01-07"]
    assert top["recovers_on"] == "2026-01-07"
    assert lines(data)[-2:] == [("MAINTENANCE", -3_200_000), ("AVAILABLE", 0)]


def test_closed_line_after_90_days_overdue(cli: Any) -> None:
    close_after_90_days(cli)
    data = why(cli)
    assert (data["state"], data["limit_fen"], data["available_fen"]) == ("closed", 0, 0)
    assert data["headline"] == "Line closed: ¥0.00 of ¥0.00 available"
    assert lines(data) == [
        ("BASE_LIMIT", 2_400_000),
        ("ACCOUNT_CLOSED", -2_400_000),  # the closure takes the whole limit
        ("CREDIT_LIMIT", 0),
        ("USED_BY_LOANS", -500_000),
        ("OVER_LIMIT", 500_000),
        ("AVAILABLE", 0),
    ]
    # the closure and the overdue each block every yuan: equal shares, the closure first
    top = assert_first(data, "ACCOUNT_CLOSED", 1_293_782)
    assert codes(data) == ["ACCOUNT_CLOSED", "OVERDUE", "USED_BY_LOANS"]
    assert [r["equal_share"] for r in data["reasons"]] == [True, True, False]
    assert reason(data, "OVERDUE")["recovers"] == "never: the line stays closed"
    assert top["evidence"] == [
        {
            "on": "2026-05-06",
            "kind": "closed",
            "text": "Closed after 90 days past due",
            "days_past_due": 90,
        }
    ]
    assert top["advice"] == (
        "Repay what you owe (¥5,132.80): limitlab repay --all. The line does not reopen."
    )
    assert (top["recovers"], top["recovers_on"]) == ("never: the line stays closed", None)


def test_cut_at_30_days_outlives_the_repaid_overdue(cli: Any) -> None:
    """A policy stored before the frozen line (freeze_on_serious_delinquency = false): the cut
    limit revolves as soon as the overdue is repaid."""
    path = cli.db.parent / "no-freeze.toml"
    path.write_text(
        'external_payments = "outside"\nfreeze_on_serious_delinquency = false\n' + OLD_BINS_TOML,
        encoding="utf-8",
    )
    cli.policy = str(path)
    cli.init("--expenses", "8000", "--wallet", "0")
    run(cli, "borrow", "5000", "--yes")
    run(cli, "advance", "--to", "2026-03-10")  # 33 days late: limit cut to the principal owed
    run(cli, "wallet", "deposit", "3000")
    run(cli, "repay", "--overdue")
    data = why(cli)
    assert (data["state"], data["limit_fen"], data["available_fen"]) == ("reduced", 500_000, 80_943)
    assert codes(data) == ["CREDIT_RECORD", "REVIEW_PENDING", "USED_BY_LOANS"]
    pending = reason(data, "REVIEW_PENDING")  # the cut to what was owed, no longer assessed
    assert pending["amount_fen"] == 700_000
    assert evidence(pending) == [
        "The last review gave ¥5,000.00; a review today would give ¥12,000.00",
        "32 days past due: the limit was cut to the principal owed",
        "Its share, ¥7,000.00, is more than the ¥5,000.00 limit: it also counts what a review "
        "today would add without it (a limit of ¥12,000.00)",
    ]
    assert pending["recovers_on"] == "2026-07-04"  # first review 3 clean months after 2026-03-10
    assert pending["recovers"] == "from the scheduled review of 2026-07-04 at the earliest"


def test_not_eligible_after_the_score_falls_below_550(cli: Any) -> None:
    """Score 620 (limit ¥4,000) falls to 510 with five other lenders: the lenders, who moved
    the score (and would be cut × 0.4 besides), take nearly all; the eligibility rule the rest."""
    unverified_ok(cli)
    cli.init(
        "--income", "2000", "--expenses", "0", "--not-verified", "--no-social-insurance",
        "--trust", "0", "--employment-months", "0",
    )  # fmt: skip
    assert cli.json("status")["limit_fen"] == 400_000
    for name in ("A", "B", "C", "D", "E"):
        run(cli, "external", "add", "--lender", name, "--balance", "3000", "--monthly", "400")
    data = why(cli)
    assert (data["state"], data["limit_fen"], data["available_fen"]) == ("not_eligible", 0, 0)
    assert_first(data, "MULTI_LENDER", 385_000)
    rule = reason(data, "NOT_ELIGIBLE")
    assert rule["amount_fen"] == 15_000
    assert facts(rule) == ["Score 510 at the last review; the minimum is 550"]
    assert rule["advice"] == "Raise the score to 550 (40 points more); see limitlab score."
    assert rule["recovers"] == "nothing more is available by 2026-02-04"
    assert lines(data)[0] == ("BASE_LIMIT", 0)


def test_the_readme_tour_at_two_days_past_due_ranks_the_overdue_first(cli: Any) -> None:
    """The README tour: ¥30,000 of a ¥32,000 limit borrowed, the wallet spent, the first
    installment 2 days late. Nothing is available until the overdue is repaid; repaying it frees
    ¥4,418.57 at once, the loans nothing while it lasts."""
    cli.init("--income", "8000")
    run(cli, "borrow", "30000", "--term", "12", "--yes")
    run(cli, "advance", "--to", "2026-02-01")
    run(cli, "wallet", "withdraw", "4000")
    run(cli, "advance", "--to", "2026-02-07")
    data = why(cli)
    assert [(r["code"], r["amount_fen"], r["alone_fen"]) for r in data["reasons"]] == [
        ("OVERDUE", 1_820_629, 441_257),
        ("USED_BY_LOANS", 1_379_371, 0),
    ]
    assert data["cannot_borrow"] == "You cannot borrow today because loan #1 is overdue."
    out = run(cli, "why").stdout
    assert out.index("You cannot borrow today") < out.index("From base limit to available")


# --- the combined case ---------------------------------------------------------------------------


def test_drawn_down_other_lenders_and_5_days_overdue_add_up_to_the_limit(
    cli: Any, tmp_path: Path
) -> None:
    """grace_days = 7 keeps the 5-day overdue off the credit record (with the default 3 days it
    is reported on day 4 and a CREDIT_RECORD cut joins in: see the next test)."""
    policy = tmp_path / "grace.toml"
    policy.write_text('grace_days = 7\nexternal_payments = "outside"\n' + OLD_BINS_TOML)
    run(cli, "--policy", str(policy), "init", "--start", "2026-01-05", "--expenses", "8000",
        "--wallet", "0")  # fmt: skip
    add_lenders(cli, ("Huabei", "3000"), ("JD", "3000"), ("WeLoan", "3000"))
    run(cli, "borrow", "2000", "--yes")
    run(cli, "advance", "--to", "2026-02-10", "--json")
    data = why(cli)
    amount = {r["code"]: r["amount_fen"] for r in data["reasons"]}
    assert codes(data) == ["OVERDUE", "MULTI_LENDER", "USED_BY_LOANS"]
    # the overdue blocks all of it: what only it holds back, and its part of what the others
    # would hold back once it is repaid (the lenders' cut: ¥9,600 between the two of them)
    assert amount == {"OVERDUE": 2_627_899, "MULTI_LENDER": 480_000, "USED_BY_LOANS": 92_101}
    assert sum(amount.values()) == data["reference_fen"] - data["available_fen"] == 3_200_000
    assert [r["alone_fen"] for r in data["reasons"]] == [2_055_798, 0, 0]
    assert data["limit_fen"] == 2_240_000 and data["available_fen"] == 0
    assert lines(data) == [
        ("BASE_LIMIT", 3_200_000),
        ("MULTI_LENDER", -960_000),
        ("CREDIT_LIMIT", 2_240_000),
        ("USED_BY_LOANS", -200_000),
        ("OVERDUE", -2_040_000),
        ("AVAILABLE", 0),
    ]
    assert "5 days late" in evidence(reason(data, "OVERDUE"))[0]
    assert evidence(reason(data, "MULTI_LENDER"))[:3] == [
        "Huabei: ¥3,000.00 owed",
        "JD: ¥3,000.00 owed",
        "WeLoan: ¥3,000.00 owed",
    ]


def test_combined_case_with_the_default_policy_adds_the_credit_record_cut(cli: Any) -> None:
    broke(cli)
    add_lenders(cli, ("Huabei", "3000"), ("JD", "3000"), ("WeLoan", "3000"))
    run(cli, "borrow", "5000", "--yes")
    run(cli, "advance", "--to", "2026-02-10", "--json")
    data = why(cli)
    assert {"USED_BY_LOANS", "MULTI_LENDER", "OVERDUE"} <= set(codes(data))
    assert lines(data) == [
        ("BASE_LIMIT", 1_600_000),  # score 700 → 647: tier ×2 of income
        ("MULTI_LENDER", -480_000),
        ("CREDIT_RECORD", -560_000),
        ("CREDIT_LIMIT", 560_000),
        ("USED_BY_LOANS", -500_000),
        ("OVERDUE", -60_000),
        ("AVAILABLE", 0),
    ]
    # the record belongs to the live overdue it came from: one cause, first, with the chain
    amount = {r["code"]: r["amount_fen"] for r in data["reasons"]}
    assert amount == {"OVERDUE": 2_489_747, "MULTI_LENDER": 480_000, "USED_BY_LOANS": 230_253}
    assert sum(amount.values()) == 3_200_000
    overdue = reason(data, "OVERDUE")
    assert [e["kind"] for e in overdue["evidence"]] == [
        "overdue_installment",
        "bureau",
        "moved",
        "moved",
        "score",
        "base",
        "cut.CREDIT_RECORD",
        "beyond_limit",  # ¥24,897.47 on a ¥5,600 limit: it also takes what a review would give
    ]


# --- the JSON shape ------------------------------------------------------------------------------


def test_why_json_shape(cli: Any) -> None:
    broke(cli)
    add_lenders(cli, *THREE_LENDERS)
    run(cli, "borrow", "5000", "--yes")
    run(cli, "advance", "--to", "2026-02-07")
    data = why(cli)
    keys = {"state", "limit_fen", "available_fen", "waterfall", "reasons", "score_factors"}
    assert keys <= set(data)
    wf = data["waterfall"]
    assert all(set(ln) == {"code", "label", "amount_fen", "subtotal"} for ln in wf)
    assert wf[0]["code"] == "BASE_LIMIT" and wf[0]["subtotal"] is False
    assert wf[0]["label"].startswith("Base limit (")
    assert sum(ln["amount_fen"] for ln in wf if not ln["subtotal"]) == data["available_fen"]
    subtotals = {ln["code"]: ln["amount_fen"] for ln in wf if ln["subtotal"]}
    assert subtotals == {"CREDIT_LIMIT": data["limit_fen"], "AVAILABLE": data["available_fen"]}
    cuts = [ln for ln in wf[1:] if not ln["subtotal"]]
    assert cuts and all(ln["amount_fen"] < 0 for ln in cuts)

    reasons = data["reasons"]
    assert [r["rank"] for r in reasons] == list(range(1, len(reasons) + 1))
    amounts = [r["amount_fen"] for r in reasons]
    assert amounts == sorted(amounts, reverse=True)
    for r in reasons:
        assert {"code", "category", "amount_fen", "evidence", "advice", "recovers"} <= set(r)
        assert r["category"] == CATEGORY[r["code"]] in ("system", "user", "platform")
        assert r["evidence"] and all(e["text"] for e in r["evidence"])
        assert r["advice"] and r["recovers"]

    factors = data["score_factors"]
    assert len(factors) == 4
    for f in factors:
        assert {"attribute", "points", "max_points", "advice"} <= set(f)
        assert 0 <= f["points"] < f["max_points"] and f["advice"]
    gaps = [f["max_points"] - f["points"] for f in factors]
    assert gaps == sorted(gaps, reverse=True)


# --- evidence as data: beside its words, each item carries the engine's own figures ------------


def params(item: dict[str, Any]) -> dict[str, Any]:
    """An evidence item's raw parameters: everything beside its date, kind and words."""
    return {k: v for k, v in item.items() if k not in ("on", "kind", "text")}


def test_overdue_evidence_carries_the_installment_as_the_schedule_has_it(cli: Any) -> None:
    broke(cli)
    run(cli, "borrow", "5000", "--yes")
    run(cli, "advance", "--to", "2026-02-07")
    first = cli.json("schedule", "1")["installments"][0]
    status = cli.json("status")
    item = reason(why(cli), "OVERDUE")["evidence"][0]
    assert (item["on"], item["kind"]) == ("2026-02-05", "overdue_installment")
    assert params(item) == {
        "loan_id": 1,
        "seq": 1,
        "due_date": first["due_date"],
        "owed_fen": first["owed_fen"],
        "days_past_due": first["days_past_due"],
    }
    assert item["owed_fen"] == status["overdue_fen"] == 43_333
    assert item["days_past_due"] == status["days_past_due"] == 2
    assert format_fen(item["owed_fen"]) in item["text"]


def test_loan_evidence_carries_the_loan_as_status_lists_it(cli: Any) -> None:
    cli.init()
    run(cli, "borrow", "32000", "--yes")
    loan = cli.json("status")["loans"][0]
    item = reason(why(cli), "USED_BY_LOANS")["evidence"][0]
    assert (item["on"], item["kind"]) == (loan["drawn_on"], "loan")
    assert params(item) == {
        "loan_id": loan["loan_id"],
        "principal_fen": loan["principal_fen"],
        "owed_fen": loan["outstanding_principal_fen"],
        "term": loan["term"],
    }
    assert item["principal_fen"] == item["owed_fen"] == 3_200_000


def test_lender_evidence_carries_each_balance_and_the_cut_its_factor(cli: Any) -> None:
    cli.init()
    add_lenders(cli, *THREE_LENDERS)
    items = reason(why(cli), "MULTI_LENDER")["evidence"]
    assert [(e["on"], e["kind"], params(e)) for e in items] == [
        ("2026-01-05", "lender", {"lender": "Huabei", "balance_fen": 600_000}),
        ("2026-01-05", "lender", {"lender": "JD", "balance_fen": 300_000}),
        ("2026-01-05", "lender", {"lender": "WeLoan", "balance_fen": 450_000}),
        (
            None,
            "moved",
            {"attribute": "other_lenders", "value": "3", "without": "0", "points": -50},
        ),
        (None, "score", {"score": 700, "without": 750}),
        (None, "cut.MULTI_LENDER", {"factor": "0.7"}),
    ]


def test_debt_to_income_is_a_channel_of_the_debt_behind_it(cli: Any) -> None:
    """A car loan at another lender takes debt-to-income to 56 %: its share includes the × 0.7
    cut and the points, with the ratio with and without it."""
    cli.init()
    run(cli, "external", "add", "--lender", "Car", "--balance", "90000", "--monthly", "4500")
    data = why(cli)
    assert codes(data) == ["MULTI_LENDER"]
    items = [e for e in reason(data, "MULTI_LENDER")["evidence"] if e["kind"] == "cut.HIGH_DTI"]
    assert [params(e) for e in items] == [
        {
            "factor": "0.7",
            "dti_ratio": "0.5625",
            "without_ratio": "0.0000",
            "threshold_ratio": "0.5000",
        }
    ]
    # rounded down, as the scorecard's debt-to-income % is, and with the rule's threshold
    assert items[0]["text"] == "Debt-to-income 56%, above 50% (without it: 0%): limit × 0.7"


def test_income_drop_evidence_carries_both_incomes_and_the_share_lost(cli: Any) -> None:
    cli.init()
    run(cli, "profile", "set", "--income", "5000")
    item = reason(why(cli), "INCOME_DROP")["evidence"][0]
    assert (item["on"], item["kind"]) == ("2026-01-05", "income_drop")
    assert params(item) == {"old_fen": 800_000, "new_fen": 500_000, "drop_ratio": "0.3750"}


def test_cool_off_evidence_carries_each_application_and_the_rule(cli: Any) -> None:
    cli.init()
    for _ in range(3):
        run(cli, "borrow", "1000", "--yes")
    top = reason(why(cli), "FREQUENT_APPLICATIONS")
    assert [(e["kind"], params(e)) for e in top["evidence"]][:4] == [
        *[("application_granted", {"amount_fen": 100_000})] * 3,
        ("cooloff", {"count": 3, "days": 7, "until": top["recovers_on"]}),
    ]
    assert top["recovers_on"] == "2026-01-19"


def test_bureau_evidence_carries_the_report_and_how_long_it_counts(cli: Any) -> None:
    broke(cli)
    run(cli, "borrow", "5000", "--yes")
    run(cli, "advance", "--to", "2026-02-10")
    run(cli, "wallet", "deposit", "1000")
    run(cli, "repay", "--overdue")
    top = reason(why(cli), "CREDIT_RECORD")
    assert [(e["on"], e["kind"], params(e)) for e in top["evidence"]][:1] == [
        (
            "2026-02-09",
            "bureau",
            {"loan_id": 1, "seq": 1, "days_past_due": 4, "until": "2028-02-09"},
        ),
    ]
    assert (None, "cut.CREDIT_RECORD", {"factor": "0.5"}) in [
        (e["on"], e["kind"], params(e)) for e in top["evidence"]
    ]


def test_platform_evidence_carries_the_measure(cli: Any) -> None:
    cli.init()
    run(cli, "platform", "tighten", "--factor", "0.5", "--days", "30", "--cohort", "score>=700")
    run(cli, "platform", "maintenance", "--days", "2")
    data = why(cli)
    tightening = reason(data, "PLATFORM_POLICY")["evidence"]
    maintenance = reason(data, "MAINTENANCE")["evidence"]
    assert [(e["kind"], params(e)) for e in tightening + maintenance] == [
        (
            "platform",
            {"measure_id": 1, "factor": "0.5", "cohort": "score>=700", "until": "2026-02-04"},
        ),
        ("cut.PLATFORM_POLICY", {"factor": "0.5"}),
        ("maintenance", {"measure_id": 2, "until": "2026-01-07"}),
    ]


def test_score_evidence_carries_the_score_and_the_minimum(cli: Any) -> None:
    unverified_ok(cli)
    cli.init(
        "--income", "2000", "--expenses", "0", "--not-verified", "--no-social-insurance",
        "--trust", "0", "--employment-months", "0",
    )  # fmt: skip
    for name in ("A", "B", "C", "D", "E"):
        run(cli, "external", "add", "--lender", name, "--balance", "3000", "--monthly", "400")
    data = why(cli)
    item = reason(data, "NOT_ELIGIBLE")["evidence"][0]
    assert (item["kind"], params(item)) == ("not_eligible", {"score": 510, "min_score": 550})
    assert item["score"] == data["score"]
    # the score drop is the lenders': their chain names the attributes that moved
    links = [params(e) for e in reason(data, "MULTI_LENDER")["evidence"] if not e["on"]]
    assert links[:3] == [
        {"attribute": "other_lenders", "value": "5", "without": "0", "points": -60},
        {"attribute": "dti_pct", "value": "100", "without": "0", "points": -50},
        {"score": 510, "without": 620},
    ]


# --- refusals say the same -----------------------------------------------------------------------


def test_borrow_refusal_names_the_same_top_reason_as_why(cli: Any) -> None:
    cli.init()
    run(cli, "borrow", "32000", "--yes")
    result = cli("borrow", "5000", "--yes", "--json")
    assert result.exit_code == 3, result.output
    report = json.loads(result.stdout)
    assert report["code"] == "LIMIT_EXCEEDED"
    assert report["headline"] == "Limit used up: ¥0.00 of ¥32,000.00 available"
    assert report["reasons"][0]["code"] == why(cli)["reasons"][0]["code"] == "USED_BY_LOANS"
    assert report["hint"] == 'Run "limitlab why" for the full explanation.'

    text = cli("borrow", "5000", "--yes")  # (the third application this week)
    assert text.exit_code == 3
    assert "Limit used up: ¥0.00 of ¥32,000.00 available" in text.stderr
    assert "Drawn down by your own loans (¥" in text.stderr
    assert "USED_BY_LOANS" not in text.stderr  # no code names on screen
    assert f'Run "limitlab why --db {cli.db}"' in " ".join(text.stderr.split())


def test_borrow_refused_while_overdue_names_the_overdue_first(cli: Any) -> None:
    broke(cli)
    run(cli, "borrow", "5000", "--yes")
    run(cli, "advance", "--to", "2026-02-07")
    result = cli("borrow", "1000", "--yes", "--json")
    assert result.exit_code == 3, result.output
    report = json.loads(result.stdout)
    assert report["code"] == "OVERDUE"
    assert [r["code"] for r in report["reasons"]] == ["OVERDUE", "USED_BY_LOANS"]
    assert codes(why(cli))[:2] == ["OVERDUE", "USED_BY_LOANS"]


def test_borrow_refused_during_maintenance_names_whys_top_reason(cli: Any) -> None:
    cli.init()
    run(cli, "borrow", "30000", "--yes")
    run(cli, "platform", "maintenance", "--days", "2")
    result = cli("borrow", "1000", "--yes", "--json")
    assert result.exit_code == 3, result.output
    report = json.loads(result.stdout)
    top = why(cli)["reasons"][0]  # maintenance blocks every yuan: first, with a share of both
    assert (top["code"], top["amount_fen"], top["alone_fen"]) == ("MAINTENANCE", 1_700_000, 200_000)
    assert report["reasons"][0]["code"] == top["code"]


def test_refused_applications_are_recorded(cli: Any) -> None:
    """Debt-to-income refuses ¥5,000 within what is available: those are applications."""
    cli.init()
    run(cli, "external", "add", "--lender", "Car", "--balance", "90000", "--monthly", "5500")
    run(cli, "borrow", "1000", "--method", "interest-first", "--yes")
    for _ in range(2):
        assert cli("borrow", "5000", "--term", "3", "--yes").exit_code == 3
    cool_off = reason(why(cli), "FREQUENT_APPLICATIONS")
    assert evidence(cool_off)[:3] == [
        "Application for ¥1,000.00: granted",
        "Application for ¥5,000.00: refused",
        "Application for ¥5,000.00: refused",
    ]


# --- languages -----------------------------------------------------------------------------------


def used_up_with_lenders(cli: Any) -> None:
    cli.init()
    add_lenders(cli, *THREE_LENDERS)
    run(cli, "borrow", "22400", "--yes")


def test_why_in_chinese(cli: Any) -> None:
    used_up_with_lenders(cli)
    data = why(cli, "--lang", "zh")
    assert data["headline"] == "额度已用完：可用 ¥0.00 / 总额度 ¥22,400.00"
    for r in data["reasons"]:
        for value in (r["title"], r["advice"], r["recovers"], *evidence(r)):
            assert CJK.search(value), value
    assert [r["title"] for r in data["reasons"]] == ["被您自己的借款占用", "多头借贷"]
    assert all(CJK.search(ln["label"]) for ln in data["waterfall"])

    out = run(cli, "why", "--lang", "zh").stdout
    for zh in ("额度已用完", "从基础额度到可用额度", "原因", "被您自己的借款占用", "多头借贷"):
        assert zh in out
    assert not [title for title in EN_TITLES if title in out]
    assert "What to do" not in out and "Evidence" not in out


def test_why_in_english(cli: Any) -> None:
    used_up_with_lenders(cli)
    data = why(cli, "--lang", "en")
    assert data["headline"] == "Limit used up: ¥0.00 of ¥22,400.00 available"
    for r in data["reasons"]:
        for value in (r["title"], r["advice"], r["recovers"], *evidence(r)):
            assert not CJK.search(value), value
    out = run(cli, "why", "--lang", "en").stdout
    assert data["headline"] in out
    for word in ("Drawn down", "Loans at several", "What to do", "Recovers"):
        assert word in out
    assert "USED_BY_LOANS" not in out and "MULTI_LENDER" not in out  # no code names on screen
    assert not CJK.search(out)


def test_application_evidence_is_chinese_in_zh(cli: Any) -> None:
    cli.init()
    for _ in range(3):
        run(cli, "borrow", "1000", "--yes")
    texts = evidence(why(cli, "--lang", "zh")["reasons"][0])
    assert all(CJK.search(t) for t in texts)
    assert not [t for t in texts if re.search(r"granted|refused", t)]


@pytest.mark.parametrize(("lang", "cap"), [("en", "regulatory cap"), ("zh", "监管上限")])
def test_income_drop_evidence_names_the_binding_cap_in_words(cli: Any, lang: str, cap: str) -> None:
    cli.init()
    run(cli, "profile", "set", "--income", "5000")
    texts = evidence(reason(why(cli, "--lang", lang), "INCOME_DROP"))
    assert any(cap in t for t in texts), texts
    assert not any("regulatory_cap" in t for t in texts)


# --- status --------------------------------------------------------------------------------------


def test_status_detail_shows_the_waterfall(cli: Any) -> None:
    cli.init()
    add_lenders(cli, *THREE_LENDERS)
    out = run(cli, "status", "--detail").stdout
    assert "From base limit to available" in out
    for label, figure in (
        ("Base limit (regulatory cap)", "¥32,000.00"),
        ("Other lenders cut × 0.7", "-¥9,600.00"),
        ("Credit limit", "¥22,400.00"),
    ):
        assert re.search(re.escape(label) + r"\s+" + re.escape(figure), out), label
    report = cli.json("status", "--detail")
    assert report["waterfall"] == why(cli)["waterfall"]


def test_plain_status_gives_a_one_line_cause_when_nothing_is_available(cli: Any) -> None:
    cli.init()
    assert "Cause:" not in run(cli, "status").stdout
    run(cli, "borrow", "32000", "--yes")
    out = run(cli, "status").stdout
    cause = (
        f"Cause: Drawn down by your own loans — Repay ¥100.00 (limitlab repay 100.00 --db {cli.db})"
    )
    assert cause in " ".join(out.split())
    assert "From base limit to available" not in out
    zh = run(cli, "status", "--lang", "zh").stdout
    assert "原因：被您自己的借款占用" in zh


# --- notice --------------------------------------------------------------------------------------


def test_notice_after_a_cut_by_other_lenders(cli: Any) -> None:
    cli.init()
    add_lenders(cli, *THREE_LENDERS)
    data = cli.json("notice")
    assert (data["action"], data["date"]) == ("cut", "2026-01-05")
    assert (data["old_limit_fen"], data["new_limit_fen"]) == (3_200_000, 2_240_000)
    assert (
        data["text"] == "On 2026-01-05 your credit limit was reduced from ¥32,000.00 to ¥22,400.00."
    )
    assert [(r["code"], r["category"]) for r in data["reasons"]] == [("MULTI_LENDER", "user")]
    assert data["cohort_wide"] == []
    assert data["rights"]


def test_notice_names_only_what_changed_in_the_latest_cut(cli: Any) -> None:
    broke(cli)
    add_lenders(cli, *THREE_LENDERS)
    run(cli, "borrow", "5000", "--yes")
    run(cli, "advance", "--to", "2026-02-10", "--json")  # bureau report: a second cut
    data = cli.json("notice")
    assert (data["action"], data["date"]) == ("cut", "2026-02-09")
    assert (data["old_limit_fen"], data["new_limit_fen"]) == (1_680_000, 560_000)
    # the lenders cut the limit in an earlier decision: this one is the overdue's alone
    assert [r["code"] for r in data["reasons"]] == ["OVERDUE"]
    change = cli.json("limits")[-1]
    assert [(a["code"], a["amount_fen"]) for a in change["attribution"]] == [
        ("OVERDUE", -1_120_000)
    ]
    assert [e["text"] for e in change["attribution"][0]["evidence"]] == [
        "1 new bureau report(s); 4 days past due"
    ]


def test_notice_says_a_platform_tightening_hit_a_whole_cohort(cli: Any) -> None:
    cli.init()
    run(cli, "platform", "tighten", "--factor", "0.5", "--days", "30", "--cohort", "score>=700")
    data = cli.json("notice")
    assert (data["action"], data["new_limit_fen"]) == ("cut", 1_600_000)
    assert [r["code"] for r in data["reasons"]] == ["PLATFORM_POLICY"]
    assert data["cohort_wide"] == [
        "This change applied to all accounts with a score of 700 or above, not only to you."
    ]
    zh = cli.json("notice", "--lang", "zh")
    assert zh["cohort_wide"] == [
        "此次调整适用于信用分不低于 700 的客群中的所有账户，并非仅针对您。"
    ]
    for value in (zh["text"], zh["rights"], *[r["text"] for r in zh["reasons"]]):
        assert CJK.search(value), value


def test_notice_after_closure(cli: Any) -> None:
    close_after_90_days(cli)
    data = cli.json("notice")
    assert (data["action"], data["date"]) == ("closed", "2026-05-06")
    assert (data["old_limit_fen"], data["new_limit_fen"]) == (500_000, 0)
    assert data["text"].startswith("On 2026-05-06 your credit line was closed")
    assert [r["code"] for r in data["reasons"]] == ["ACCOUNT_CLOSED"]


def test_limits_shows_each_change_with_its_own_attribution(cli: Any) -> None:
    cli.init_outside("--income", "10000", "--wallet", "8000")
    add_lenders(cli, ("Huabei", "6000"), ("Weilidai", "8000"), ("JD", "5000"))
    run(cli, "external", "repay", "JD")
    run(cli, "advance", "--to", "2026-03-06")
    rows = cli.json("limits")
    assert [(r["date"], r["old_limit_fen"], r["new_limit_fen"]) for r in rows] == [
        ("2026-01-05", 0, 4_000_000),
        ("2026-01-05", 4_000_000, 2_800_000),
        ("2026-02-04", 2_800_000, 4_000_000),
    ]
    assert rows[0]["attribution"] is None  # the opening grant
    cut, raise_ = rows[1]["attribution"], rows[2]["attribution"]
    assert [(a["code"], a["amount_fen"], a["title"]) for a in cut] == [
        ("MULTI_LENDER", -1_200_000, "Loans at several other lenders")
    ]
    assert [e["text"] for e in cut[0]["evidence"]] == ["Other lenders 2 → 3 (new: JD; paid off: —)"]
    assert sum(a["amount_fen"] for a in raise_) == 1_200_000
    out = run(cli, "limits").stdout
    assert "-¥12,000.00 Loans at several other lenders" in out
    assert "MULTI_LENDER" not in out
    zh = run(cli, "limits", "--lang", "zh").stdout
    assert "-¥12,000.00 多头借贷" in zh


def test_notice_with_nothing_to_notify(cli: Any) -> None:
    cli.init()
    result = run(cli, "notice")
    assert "there is nothing to notify" in result.stderr
    zh = run(cli, "notice", "--lang", "zh")
    assert zh.stderr.strip() == "目前没有额度下调或关闭，无需通知。"
    data = cli.json("notice")  # always an object: the notice's shape, action null
    assert (data["date"], data["action"], data["old_limit_fen"], data["new_limit_fen"]) == (
        None,
        None,
        None,
        None,
    )
    assert data["reasons"] == [] and data["cohort_wide"] == []
    assert data["text"] == "No limit cut or closure so far: there is nothing to notify."
    assert cli.json("notice", "--lang", "zh")["text"] == "目前没有额度下调或关闭，无需通知。"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["On 2026-01-05 your credit limit was reduced", "Loans at several other lenders"]),
        ("zh", ["额度调整通知", "1. 多头借贷\n"]),
    ],
)
def test_notice_text_form(cli: Any, lang: str, expected: list[str]) -> None:
    cli.init()
    add_lenders(cli, *THREE_LENDERS)
    result = cli("notice", "--lang", lang)
    assert result.exit_code == 0, result.output
    for fragment in expected:
        assert fragment in result.stdout


# --- narrow terminals ----------------------------------------------------------------------------


def figures_in(data: Any) -> set[str]:
    """Every money figure the JSON carries, as the screens print it."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key.endswith("_fen") and isinstance(value, int):
                found.add(format_fen(abs(value)))
            else:
                found |= figures_in(value)
    elif isinstance(data, list):
        for item in data:
            found |= figures_in(item)
    elif isinstance(data, str):
        found |= {f.lstrip("-") for f in FIGURE.findall(data)}
    return found


def recent_evidence(reason: dict[str, Any]) -> list[dict[str, Any]]:
    """The evidence the screen shows: a history reason's latest EVIDENCE_DATES dates."""
    evidence = reason["evidence"]
    if reason["code"] not in HISTORY_REASONS:
        return evidence  # type: ignore[no-any-return]
    recent = sorted({e["on"] for e in evidence if e["on"]})[-EVIDENCE_DATES:]
    return [e for e in evidence if not e["on"] or e["on"] in recent]


@pytest.mark.usefixtures("narrow")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_why_fits_60_columns_without_cutting_a_figure(cli: Any, lang: str) -> None:
    used_up_with_lenders(cli)
    out = run(cli, "why", "--lang", lang).stdout
    assert max(len(line) for line in out.splitlines()) <= 60
    data = why(cli, "--lang", lang)
    for reason in data["reasons"]:  # the screen shows each reason's latest evidence
        reason["evidence"] = recent_evidence(reason)
    wanted = figures_in(data)
    assert {"¥32,000.00", "¥22,400.00", "¥9,600.00", "¥3,000.00", "¥0.00"} <= wanted
    assert sorted(f for f in wanted if f not in out) == []
    assert [t for t in FIGURE_TOKEN.findall(out) if not FIGURE.fullmatch(t)] == []


@pytest.mark.usefixtures("narrow")
def test_why_keeps_advice_and_recovery_at_60_columns(cli: Any) -> None:
    used_up_with_lenders(cli)
    out = run(cli, "why").stdout
    for word in ("repay JD", "2026-02-04", "2027-01-05"):  # advice; recovery dates
        assert word in out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_wide_why_never_cuts_a_figure(cli: Any, lang: str) -> None:
    used_up_with_lenders(cli)
    out = run(cli, "why", "--lang", lang).stdout  # COLUMNS=120 (conftest)
    assert max(len(line) for line in out.splitlines()) <= 120
    assert [t for t in FIGURE_TOKEN.findall(out) if not FIGURE.fullmatch(t)] == []


def test_a_history_reason_shows_its_latest_dates_of_evidence_and_counts_the_rest() -> None:
    from limitlab.cli.views.explanation_screen import EVIDENCE_DATES, evidence_lines

    items = [{"on": f"2030-01-{d:02d}", "text": f"report {d}"} for d in range(1, 11)]
    lines = evidence_lines(items, "en", "CREDIT_RECORD")
    assert len(lines) == EVIDENCE_DATES + 1
    assert lines[0] == "…and 7 earlier (--json lists them all)"
    assert lines[1:] == ["2030-01-08  report 8", "2030-01-09  report 9", "2030-01-10  report 10"]
    assert evidence_lines(items, "en", "MULTI_LENDER") == [f"{e['on']}  {e['text']}" for e in items]
    assert evidence_lines(items[:3], "en", "CREDIT_RECORD") == [
        "2030-01-01  report 1",
        "2030-01-02  report 2",
        "2030-01-03  report 3",
    ]
    assert evidence_lines(items, "zh", "CREDIT_RECORD")[0].startswith("……另有 7 条更早的记录")
    assert evidence_lines([{"on": None, "text": "no date"}], "en") == ["no date"]


def test_current_facts_are_never_cut(cli: Any) -> None:
    """Five lenders added on five days are all still owed: all five are shown."""
    cli.init()
    for lender in ("A", "B", "C", "D", "E"):
        cli("external", "add", "--lender", lender, "--balance", "3000", "--monthly", "300")
        cli("advance", "--days", "3")
    out = run(cli, "why").stdout
    assert "earlier" not in out
    for lender in ("A", "B", "C", "D", "E"):
        assert f"{lender}:" in out or f"{lender} " in out, lender
