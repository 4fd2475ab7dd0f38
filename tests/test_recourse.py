"""what-if writes nothing; plan finds the cheapest way and replaying it makes the borrow work."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

THREE_LENDERS = (("Huabei", "6000", "600"), ("JD", "3000", "300"), ("WeLoan", "4500", "450"))


def squeezed(cli: Any) -> None:
    """Limit ¥32,000 drawn to ¥30,000, then three other lenders (paid outside the wallet) cut
    it below what is owed."""
    cli.init_outside()
    assert cli("borrow", "30000", "--yes").exit_code == 0
    for lender, balance, monthly in THREE_LENDERS:
        assert (
            cli(
                "external", "add", "--lender", lender, "--balance", balance, "--monthly", monthly
            ).exit_code
            == 0
        )


def test_what_if_shows_before_and_after_and_leaves_the_file_untouched(cli: Any, db: Path) -> None:
    squeezed(cli)
    before = db.read_bytes()
    data = cli.json(
        "what-if", "wallet deposit 5000", "external repay JD", "advance --to 2026-03-06"
    )
    assert db.read_bytes() == before
    assert data["before"]["today"] == "2026-01-05"
    assert data["after"]["today"] == "2026-03-06"
    assert data["before"]["limit_fen"] == 1_680_000
    assert data["after"]["limit_fen"] > data["before"]["limit_fen"]
    assert [a["exit_code"] for a in data["actions"]] == [0, 0, 0]
    assert cli.json("status")["today"] == "2026-01-05"


def test_what_if_reports_a_refused_action(cli: Any) -> None:
    squeezed(cli)
    result = cli("what-if", "external repay JD", "--json")  # the wallet holds only ¥1,000
    assert result.exit_code == 3  # the action's own: refused
    data = json.loads(result.stdout)
    assert data["actions"][0]["exit_code"] == 3
    assert "missing" in data["actions"][0]["message"]
    assert data["after"] == data["before"]
    assert data["stopped_at"] == 1


def test_a_failed_action_stops_the_what_if_with_its_exit_code_and_one_line(cli: Any) -> None:
    """It used to go on with the later actions, show a plain After table, put the refusal
    under it as one run-together paragraph, and exit 0."""
    squeezed(cli)  # limit ¥16,800, ¥30,000 owed: nothing available
    result = cli("what-if", "wallet deposit 5000", "borrow 5000", "advance --days 30")
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("limitlab: what-if stopped at action 2 of 3, borrow 5000 ")
    assert "(exit code 3)" in lines[0]
    assert lines[0].endswith("Not tried: advance --days 30.")
    title = result.stdout.splitlines()[0]
    assert "stopped at action 2" in title, result.stdout
    assert "After action 1" in result.stdout
    data = json.loads(
        cli("what-if", "wallet deposit 5000", "borrow 5000", "advance --days 30", "--json").stdout
    )
    assert data["stopped_at"] == 2
    assert [a["action"] for a in data["actions"]] == ["wallet deposit 5000", "borrow 5000"]
    assert data["not_tried"] == ["advance --days 30"]
    # the After is the state after the deposit only: same day, ¥1,000 + ¥5,000 in the wallet
    assert data["after"]["today"] == "2026-01-05"
    assert data["after"]["wallet_fen"] == data["before"]["wallet_fen"] + 500_000 == 600_000


def test_when_the_first_action_fails_there_is_no_comparison(cli: Any) -> None:
    squeezed(cli)
    result = cli("what-if", "repay 99999999", "wait 3")
    assert result.exit_code == 2  # bad input, as `limitlab repay 99999999` is
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "action 1 of 2, repay 99999999" in result.stderr
    assert "is more than you owe" in result.stderr


def test_what_if_help_documents_the_stop_and_the_exit_code() -> None:
    from limitlab.cli.main import app
    from typer.testing import CliRunner

    out = " ".join(CliRunner().invoke(app, ["what-if", "--help"]).output.split())
    assert "The first that fails" in out and "stops the what-if" in out
    assert "the exit code is that action's own (3 refused by the credit rules, 2 bad" in out
    zh = "".join(CliRunner().invoke(app, ["what-if", "--help", "--lang", "zh"]).output.split())
    assert "第一个失败的操作" in zh and "退出码即该操作自身的退出码" in zh


def test_what_if_refuses_actions_it_cannot_try(cli: Any) -> None:
    cli.init()
    result = cli("what-if", "init --force")
    assert result.exit_code == 2
    assert "cannot be tried" in result.stderr


def replay(cli: Any, plan: dict[str, Any]) -> None:
    """Type the plan's steps as commands."""
    for step in plan["steps"][:-1]:
        yuan = f"{step['amount_fen'] / 100:.2f}"
        words = {
            "deposit": ["wallet", "deposit", yuan],
            "fund_installments": ["wallet", "deposit", yuan],
            "repay_overdue": ["repay", "--overdue"],
            "external_repay": ["external", "repay", step.get("lender", "")],
            "wait": ["advance", "--to", step["date"]],
            "repay_principal": ["repay", yuan],
        }[step["action"]]
        result = cli(*words)
        assert result.exit_code == 0, (words, result.output)


@pytest.mark.parametrize("need", ["5000", "12000"])
def test_replaying_the_plan_makes_the_borrow_granted(cli: Any, need: str) -> None:
    squeezed(cli)
    plan = cli.json("plan", "--need", need)
    assert plan["found"] is True
    assert plan["steps"][-1] == {
        "action": "borrow",
        "amount_fen": int(need) * 100,
        "date": plan["ready_on"],
    }
    assert plan["cash_fen"] == sum(
        s["amount_fen"]
        for s in plan["steps"]
        if s["action"]
        in ("repay_overdue", "external_repay", "fund_installments", "repay_principal")
    )
    replay(cli, plan)
    assert cli.json("status")["today"] == plan["ready_on"]
    assert cli("borrow", need, "--yes").exit_code == 0


def test_a_plan_pays_the_installments_on_the_way_instead_of_passing_an_overdue(cli: Any) -> None:
    """An empty wallet and paydays that add nothing: on the way to the review of 03-06 the
    plan funds the two installments autopay collects, so that none falls overdue, and counts
    their cash in its cost (the other lenders paid outside the wallet)."""
    cli.init_outside("--expenses", "8000", "--wallet", "0")
    assert cli("borrow", "30000", "--yes").exit_code == 0
    for lender, balance, monthly in THREE_LENDERS:
        cli("external", "add", "--lender", lender, "--balance", balance, "--monthly", monthly)
    plan = cli.json("plan", "--need", "5000")
    funded = [s for s in plan["steps"] if s["action"] == "fund_installments"]
    assert funded == [
        {
            "action": "fund_installments",
            "amount_fen": 259_857,
            "date": "2026-02-04",
            "due_date": "2026-02-05",
        },
        {
            "action": "fund_installments",
            "amount_fen": 259_857,
            "date": "2026-03-04",
            "due_date": "2026-03-05",
        },
    ]
    assert (plan["cash_fen"], plan["ready_on"]) == (819_714, "2026-03-06")
    out = " ".join(cli("plan", "--need", "5000").stdout.split())
    assert "Ready on 2026-03-06, costing ¥8,197.14 in cash." in out
    assert "The cash includes ¥5,197.14 for the installments on the way" in out
    replay(cli, plan)
    harm = cli.json("history", "--kind", "overdue", "--kind", "bureau_report")
    assert harm == []
    assert cli.json("history", "--kind", "autopay_short") == []
    assert cli("borrow", "5000", "--yes").exit_code == 0


def test_an_overdue_account_plans_to_repay_the_overdue_first(cli: Any) -> None:
    cli.init("--wallet", "0", "--income", "8000", "--expenses", "8000")
    cli("borrow", "5000", "--yes")
    cli("advance", "--to", "2026-02-07")
    assert cli.json("status")["state"] == "suspended"
    plan = cli.json("plan", "--need", "1000")
    actions = [s["action"] for s in plan["steps"]]
    assert "repay_overdue" in actions
    replay(cli, plan)
    assert cli("borrow", "1000", "--yes").exit_code == 0


def test_when_nothing_works_the_plan_says_why(cli: Any) -> None:
    cli.init("--wallet", "0", "--income", "8000", "--expenses", "8000")
    cli("borrow", "5000", "--yes")
    cli("advance", "--to", "2026-05-06")
    plan = cli.json("plan", "--need", "1000")
    assert plan["found"] is False
    assert plan["blocked_by"] == "ACCOUNT_CLOSED"
    text = cli("plan", "--need", "1000")
    assert text.exit_code == 0
    assert "No plan within reach" in text.stdout


def test_nothing_to_do_when_the_amount_is_already_available(cli: Any) -> None:
    cli.init()
    plan = cli.json("plan", "--need", "1000")
    assert [s["action"] for s in plan["steps"]] == ["borrow"]
    assert plan["cash_fen"] == 0 and plan["ready_on"] == "2026-01-05"
    assert "nothing to do" in cli("plan", "--need", "1000").stdout


def test_plan_by_a_past_date_is_bad_input(cli: Any) -> None:
    cli.init()
    result = cli("plan", "--need", "1000", "--by", "2025-12-31")
    assert result.exit_code == 2
    assert json.dumps("2025-12-31")[1:-1] in result.stderr


def test_what_if_understands_the_lesson_short_forms(cli: Any) -> None:
    squeezed(cli)
    short = cli.json("what-if", "wallet deposit 5000", "payoff JD", "wait 60", "income 9000")
    long = cli.json(
        "what-if",
        "wallet deposit 5000",
        "external repay JD",
        "advance --days 60",
        "profile set --income 9000",
    )
    assert short["after"] == long["after"]
    assert [a["exit_code"] for a in short["actions"]] == [0, 0, 0, 0]


def test_the_plan_may_wait_rather_than_pay_when_waiting_is_cheaper(cli: Any) -> None:
    """Paying only the overdue and waiting for reviews beats repaying principal now."""
    squeezed(cli)
    plan = cli.json("plan", "--need", "5000")
    assert [s["action"] for s in plan["steps"]].count("repay_principal") == 0
    assert plan["cash_fen"] <= 300_000  # at most the smallest other lender
    replay(cli, plan)
    assert cli("borrow", "5000", "--yes").exit_code == 0


def test_the_plan_pays_off_the_lender_that_matters_not_the_smallest(cli: Any) -> None:
    cli.init("--income", "8000", "--wallet", "10000")
    cli("external", "add", "--lender", "A", "--balance", "1000", "--monthly", "50")
    cli("external", "add", "--lender", "B", "--balance", "2500", "--monthly", "5500")
    plan = cli.json("plan", "--need", "3000", "--by", "2026-01-05")
    paid = [s.get("lender") for s in plan["steps"] if s["action"] == "external_repay"]
    assert paid == ["B"]
    assert plan["cash_fen"] == 250_000


def test_a_plan_below_the_smallest_drawdown_is_bad_input(cli: Any) -> None:
    cli.init()
    result = cli("plan", "--need", "1")
    assert result.exit_code == 2
    assert "smallest drawdown" in result.stderr


@pytest.mark.parametrize("action", ["borrow", "advance --dayz 3", "external", "wait", "repay 'x"])
def test_a_malformed_what_if_action_is_bad_input_not_a_crash(cli: Any, action: str) -> None:
    cli.init()
    result = cli("what-if", action, "--json")
    assert result.exit_code == 2, result.output  # refused here, or the action's own code
    if result.stdout:  # the action ran and failed inside the copy
        assert json.loads(result.stdout)["actions"][0]["exit_code"] == 2
    assert "Internal error" not in result.output


def test_a_usage_error_inside_what_if_is_one_line_in_the_users_language(cli: Any) -> None:
    cli.init()
    result = cli("what-if", "borrow 3000 --term x", "--lang", "zh")
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert "borrow 3000 --term x 处停止（退出码 2）：'--term' 的值无效：需要一个整数" in line
    assert "╭" not in result.output


def test_what_if_fits_80_columns_with_every_figure(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Cause row has words in the figure columns: they fold, the figures stay whole."""
    monkeypatch.setenv("COLUMNS", "80")
    cli.init()
    cli("borrow", "5000", "--yes")
    out = cli("what-if", "repay 100").stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    for figure in ("¥27,000.00", "¥27,100.00", "¥5,000.00", "¥4,900.00", "After"):
        assert figure in out, figure
