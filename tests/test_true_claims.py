"""Every sentence `why`, `status` and a refusal print about the account is checkable on a copy:
advice that frees nothing says so and names what also binds (never "→ ¥0.00" as if it freed
something), a score factor cited is one that moved, a share above the limit says what it
counts, debt-to-income reads as its rule, the headline names the state, and the refusal's hint
unlocks the amount asked. The accounts are the bundled scenarios' (the default policy), played
step by step; the numbers are checked by doing what the words say (`what-if`, `borrow`)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from limitlab.cli.scenario_file import load_scenario, unmet
from limitlab.cli.views.explanation import _floor_percent
from limitlab.core.store import Store

from .conftest import Cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
#: "→ ¥0.00 available today", "¥0.00 on 2026-07-04": an outcome of nothing, said as a gain.
ZERO_OUTCOME = re.compile(r"→ ¥0\.00 available|¥0\.00 on \d{4}")


def play(cli: Cli, name: str, steps: int) -> None:
    """The bundled scenario `name` up to its `steps`-th step, typed into `cli`'s account."""
    scenario = load_scenario(EXAMPLES / f"{name}.toml")
    result = cli(*scenario.profile.init_args(scenario.start))
    assert result.exit_code == 0, result.output
    for step in scenario.steps[:steps]:
        if step.do is not None:
            result = cli(*step.words)
            assert result.exit_code == step.exit, (step.do, result.output)


def why(cli: Cli) -> dict[str, Any]:
    return cli.json("why")  # type: ignore[no-any-return]


def reason(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(r for r in data["reasons"] if r["code"] == code)


def what_if(cli: Cli, *actions: str) -> dict[str, Any]:
    after: dict[str, Any] = cli.json("what-if", *actions)["after"]
    return after


def assert_no_zero_outcome(data: dict[str, Any]) -> None:
    for r in data["reasons"]:
        assert not ZERO_OUTCOME.search(r["advice"]), r["advice"]
        assert not ZERO_OUTCOME.search(r["recovers"]), r["recovers"]


# --- 1. advice or recovery that frees nothing ---------------------------------------------------


def test_the_spirals_overdue_says_repaying_it_frees_nothing_while_the_loans_bind(cli: Cli) -> None:
    play(cli, "overdue-spiral", 3)  # 5 days past due, reported, score 523: no line at all
    data = why(cli)
    assert_no_zero_outcome(data)
    overdue = reason(data, "OVERDUE")
    assert overdue["frees_nothing"] and overdue["binds_with"] == ["USED_BY_LOANS"]
    assert overdue["advice"] == (
        "Put ¥1,804.16 in the wallet, then repay ¥1,804.16 overdue on loan #1 (limitlab repay "
        "--overdue --loan 1): alone this frees nothing today, while Drawn down by your own "
        "loans also holds the limit back"
    )
    # checked on a copy: doing it leaves nothing available, and doing the loans' advice too
    # leaves nothing either (the record's score keeps the line at ¥0), so no amount is promised
    after = what_if(cli, "wallet deposit 1804.16", "repay --overdue --loan 1")
    assert (after["available_fen"], after["limit_fen"]) == (0, 0)
    after = what_if(cli, "wallet deposit 20289.55", "repay --all")
    assert after["available_fen"] == 0
    assert overdue["together"] is None
    loans = reason(data, "USED_BY_LOANS")
    assert loans["recovers"] == "not by itself, while Overdue repayment also holds the limit back"


def test_the_frozen_spirals_status_cause_line_promises_no_outcome_of_nothing(cli: Cli) -> None:
    play(cli, "overdue-spiral", 5)  # 31 days past due: frozen
    status = cli("status").stdout
    cause = status[status.index("Cause:") :]
    assert "¥0.00 on" not in cause and "→ ¥0.00" not in cause
    assert "alone this frees nothing today" in " ".join(cause.split())


def test_a_raise_held_back_says_the_limit_rises_but_nothing_is_available(cli: Cli) -> None:
    play(cli, "full-lesson", 99)  # the story's end: a raise waits, ¥17,896.84 owed on ¥2,500
    data = why(cli)
    assert_no_zero_outcome(data)
    pending = reason(data, "REVIEW_PENDING")
    assert pending["recovers"] == (
        "the limit rises (¥3,700.00 on 2026-07-04, ¥5,500.00 on 2026-08-03, ¥8,000.00 on "
        "2026-09-02), but alone this frees nothing today, while Drawn down by your own loans "
        "also holds the limit back"
    )
    # what waiting does, on a copy (the installments on the way funded): the limit rises to
    # ¥8,000 and nothing of it is available
    after = what_if(cli, "wallet deposit 20000", "advance --to 2026-09-02")
    assert (after["limit_fen"], after["available_fen"]) == (800_000, 0)


def test_advice_that_frees_something_only_together_shows_the_simulated_pair(cli: Cli) -> None:
    """Two days late (in grace, not reported) on a line a platform cut put below the ¥20,000
    owed: repaying the overdue lifts the suspension but the loans leave no room; repaying
    principal makes room but the suspension holds. Together they free something."""
    init = load_scenario(EXAMPLES / "drawn-down.toml").profile.init_args(_start())
    for words in (
        init,
        ["borrow", "20000", "--yes"],
        ["wallet", "withdraw", "1000"],
        ["advance", "--to", "2026-02-01"],
        ["wallet", "withdraw", "3000"],
        ["platform", "tighten", "--factor", "0.5", "--days", "60"],
        ["advance", "--to", "2026-02-07"],
    ):
        assert cli(*words).exit_code == 0, words
    data = why(cli)
    assert_no_zero_outcome(data)
    overdue = reason(data, "OVERDUE")
    assert overdue["binds_with"] == ["USED_BY_LOANS"]
    together = overdue["together"]
    assert together is not None
    promised = together["leads_to"][-1]["available_fen"]
    assert " ".join(overdue["advice"].split()).endswith(
        "together with its advice: put ¥14,165.99 in the wallet, then repay ¥1,801.37 overdue "
        "on loan #1 (limitlab repay --overdue --loan 1), then repay ¥12,364.62 (limitlab repay "
        "12364.62) → ¥1,901.37 available today"
    )
    # the pair done on a copy gives what the words promise; the loans' advice alone less
    actions = [f"wallet deposit {together['cash_fen'] / 100:.2f}"]
    for step in together["steps"]:
        if step["action"] == "repay_overdue":
            actions.append(f"repay --overdue --loan {step['loan_id']}")
        elif step["action"] == "repay":
            actions.append(f"repay {step['amount_fen'] / 100:.2f}")
    assert what_if(cli, *actions)["available_fen"] == promised == 190_137
    alone = what_if(cli, "wallet deposit 12364.62", "repay 12364.62")["available_fen"]
    assert alone == 10_000 < promised
    assert what_if(cli, "wallet deposit 1801.37", "repay --overdue")["available_fen"] == 0


# --- 2. a score factor that did not move --------------------------------------------------------


def test_a_factor_whose_value_did_not_move_is_said_as_the_thin_file(cli: Cli) -> None:
    play(cli, "full-lesson", 15)
    record = reason(why(cli), "CREDIT_RECORD")
    moved = [e for e in record["evidence"] if e["kind"] == "moved"]
    assert all(e["value"] != e["without"] for e in moved), moved
    thin = [e for e in record["evidence"] if e["kind"] == "thin_without"]
    # no installment paid on time either way; without the record there is no history at all,
    # and the default scorecard scores a thin file's on-time history 35 of 80
    assert [(e["attribute"], e["value"], e["points"], e["without_points"]) for e in thin] == [
        ("on_time_installments", "0", -35, 35)
    ]
    assert thin[0]["text"] == (
        "installments paid on time 0 either way; without it there would be no payment history "
        "yet, scored in the middle (35 points): −35 points"
    )


def test_no_bundled_scenario_cites_a_factor_that_did_not_move(tmp_path: Path) -> None:
    for path in sorted(EXAMPLES.glob("*.toml")):
        cli = Cli(tmp_path / f"{path.stem}.db")
        play(cli, path.stem, 99)
        for r in why(cli)["reasons"]:
            for e in r["evidence"]:
                if e["kind"] == "moved":
                    assert e["value"] != e["without"], (path.stem, r["code"], e)


# --- 3. a share larger than the limit -----------------------------------------------------------


def test_a_share_above_the_limit_says_what_it_counts(cli: Cli) -> None:
    result = cli(*load_scenario(EXAMPLES / "drawn-down.toml").profile.init_args(_start()))
    assert result.exit_code == 0
    assert cli("borrow", "22000", "--yes").exit_code == 0  # the README tour
    data = why(cli)
    # ¥32,000 a review today would give without the loans (score 715: the ¥32,000 cap),
    # ¥2,000 available: ¥30,000 missing, all of it the loans'
    assert (data["reference_fen"], data["available_fen"], data["lost_fen"]) == (
        3_200_000,
        200_000,
        3_000_000,
    )
    loans = reason(data, "USED_BY_LOANS")
    assert loans["amount_fen"] == 3_000_000 > data["limit_fen"] == 2_400_000
    beyond = next(e for e in loans["evidence"] if e["kind"] == "beyond_limit")
    assert (beyond["share_fen"], beyond["limit_fen"], beyond["without_fen"]) == (
        3_000_000,
        2_400_000,
        3_200_000,
    )
    screen = " ".join(cli("why").stdout.split())
    assert (
        "Why — each cause's share of the ¥30,000.00 missing (¥32,000.00 would be available "
        "without any of them, at a review today; ¥2,000.00 is)"
    ) in screen
    refused = " ".join(cli("borrow", "5000", "--yes").stderr.split())
    assert "Drawn down by your own loans (¥30,000.00 of the ¥30,000.00 missing)" in refused


def _start() -> Any:
    return load_scenario(EXAMPLES / "drawn-down.toml").start


# --- 4. debt-to-income as its rule --------------------------------------------------------------


def test_debt_to_income_reads_as_the_rule_it_applies(cli: Cli) -> None:
    play(cli, "full-lesson", 19)  # income ¥5,000: the ×0.7 cut above 50 %
    data = why(cli)
    chain = [e for r in data["reasons"] for e in r["evidence"]]
    cuts = [e for e in chain if e["kind"] == "cut.HIGH_DTI"]
    scored = [e for e in chain if e["kind"] == "moved" and e["attribute"] == "dti_pct"]
    assert cuts and scored
    for cut in cuts:
        ratio = Decimal(cut["dti_ratio"])
        assert Decimal("0.5") < ratio < Decimal("0.7")  # the × 0.7 step, not the × 0.4 one
        assert cut["threshold_ratio"] == "0.5000" and cut["factor"] == "0.7"
        # the ratio rounded down, as the scorecard's debt-to-income % is: 69, never "70%"
        assert cut["text"].startswith(f"Debt-to-income {int(ratio * 100)}%, above 50% (")
    assert {e["value"] for e in scored} == {"69"}
    policy = " ".join(cli("policy", "show").stdout.split())
    assert "Debt-to-income above 50% → limit × 0.7" in policy
    assert "Debt-to-income above 70% → limit × 0.4" in policy
    assert "or more → limit × 0.7" not in policy


def test_the_floor_percent_reads_above_a_threshold_only_when_above_it() -> None:
    half = Decimal("0.5")
    assert _floor_percent(Decimal("0.6999"), half) == "69%"
    assert _floor_percent(Decimal("0.5"), half) == "50%"  # not above: no cut, and it says so
    assert _floor_percent(Decimal("0.5031"), half) == "50.3%"
    assert _floor_percent(Decimal("0.500004"), half) == "50.0004%"


# --- 5. the headline names the state ------------------------------------------------------------


def test_the_headline_names_the_state_the_app_shows(cli: Cli, tmp_path: Path) -> None:
    play(cli, "overdue-spiral", 3)
    data = why(cli)
    assert data["headline"] == "No limit: ¥0.00 available — borrowing suspended"
    play(frozen := Cli(tmp_path / "frozen.db"), "overdue-spiral", 5)
    assert why(frozen)["headline"] == "Limit frozen (repay only): ¥0.00 of ¥0.00 available"
    maintenance = Cli(tmp_path / "maintenance.db")
    scenario = load_scenario(EXAMPLES / "maintenance.toml")
    refused = next(i for i, s in enumerate(scenario.steps) if s.exit == 3)
    play(maintenance, "maintenance", refused)
    result = maintenance(*scenario.steps[refused].words)
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "Borrowing suspended for maintenance: ¥0.00 of ¥24,000.00 available"
    )
    assert "Limit used up" not in result.stderr


# --- 6. the refusal's hint unlocks the amount asked ---------------------------------------------


def test_the_refusal_hint_repays_what_the_amount_asked_needs(cli: Cli) -> None:
    assert (
        cli(*load_scenario(EXAMPLES / "drawn-down.toml").profile.init_args(_start())).exit_code == 0
    )
    assert cli("borrow", "22000", "--yes").exit_code == 0
    result = cli("borrow", "5000", "--yes")
    assert result.exit_code == 3
    # the commands name the test's account file (--db …), as typed for it
    said = re.sub(r" --db \S+?(?=[)\s\"])", "", " ".join(result.stderr.split()))
    assert (
        "To borrow ¥5,000.00: put ¥2,000.00 in the wallet, then repay ¥3,000.00 (limitlab "
        "repay 3000.00) → ¥5,000.00 available today"
    ) in said
    assert "Repay ¥100.00" not in said
    # doing it: borrow 5000 is granted
    for words in (("wallet", "deposit", "2000"), ("repay", "3000"), ("borrow", "5000", "--yes")):
        assert cli(*words).exit_code == 0, words


def test_the_refusal_hint_names_the_plan_when_no_repayment_today_unlocks_it(cli: Cli) -> None:
    assert (
        cli(*load_scenario(EXAMPLES / "drawn-down.toml").profile.init_args(_start())).exit_code == 0
    )
    assert cli("borrow", "22000", "--yes").exit_code == 0
    result = cli("borrow", "24000", "--term", "3", "--yes")
    assert result.exit_code == 3
    said = re.sub(r" --db \S+?(?=[)\s\"])", "", " ".join(result.stderr.split()))
    assert (
        "No repayment today makes ¥24,000.00 available: limitlab plan --need 24000.00 --term 3 "
        "finds the way"
    ) in said
    # on a copy: repaying everything still leaves the 3-month ¥24,000 refused (debt-to-income)
    assert what_if(cli, "wallet deposit 30000", "repay --all")["available_fen"] == 2_400_000
    check = cli.json("why", "--amount", "24000", "--term", "3")["amount"]
    assert not check["granted"]


# --- 7. narration checked by the expectations ---------------------------------------------------


def test_the_new_expectations_fail_when_the_screen_disagrees(cli: Cli) -> None:
    play(cli, "drawn-down", 2)  # the refused ¥1,000: no application
    loaded = Store.open(str(cli.db)).load()
    scenario = load_scenario(EXAMPLES / "drawn-down.toml")
    expect = scenario.steps[1].expect
    assert expect is not None and expect.applications == 1
    assert unmet(expect, loaded.state, loaded.policy) == []
    wrong = expect.model_copy(update={"applications": 2})
    assert [key for key, _ in unmet(wrong, loaded.state, loaded.policy)] == ["scenario.unmet.value"]
    absent = expect.model_copy(update={"no_reasons": ["USED_BY_LOANS"]})
    assert [key for key, _ in unmet(absent, loaded.state, loaded.policy)] == [
        "scenario.unmet.no_reasons"
    ]


def test_the_full_lesson_shows_frequent_applications_in_a_why_screen() -> None:
    scenario = load_scenario(EXAMPLES / "full-lesson.toml")
    shown = [
        s.expect.top_reason for s in scenario.steps if s.show == "why" and s.expect is not None
    ]
    assert "FREQUENT_APPLICATIONS" in shown
    narrated = json.dumps([s.say for s in scenario.steps])
    assert "its yuan are the income drop" not in narrated
    assert "{review_change}" in narrated and "{assessed}" in narrated
