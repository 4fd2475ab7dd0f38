"""The CLI surface (issue 2 §4, DESIGN §5), driven in-process through typer's CliRunner.

The default account (`cli.init()`): opened 2026-01-05, income ¥8,000, expenses ¥5,000,
wallet ¥1,000, payday the 10th, score 750, limit ¥32,000 (the regulatory cap: four months of
income), daily rate 0.02 %.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
from limitlab.cli.main import app

LIMIT = 3_200_000
CJK = re.compile(r"[\u3400-\u9fff]")


# ¥10,000 over 12 months, equal installments at 0.02 %/day, drawn 2026-01-05.
FIRST_INSTALLMENT_FEN = 86_619  # 80,619 principal + 6,000 interest


def borrowed(cli: Any, amount: str = "10000", *init_args: str) -> Any:
    """An opened account with one loan drawn on the opening day."""
    cli.init(*init_args)
    result = cli("borrow", amount, "--yes")
    assert result.exit_code == 0, result.output
    return result


def snapshot(cli: Any) -> tuple[dict[str, bytes], str]:
    """The database files' bytes (after the CLI closed them) and the event history."""
    files = {p.name: p.read_bytes() for p in sorted(cli.db.parent.glob(cli.db.name + "*"))}
    history = cli("history", "--json")
    assert history.exit_code == 0, history.output
    return files, history.stdout


def commands_in_log(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM commands").fetchone()[0])
    finally:
        conn.close()


def assert_one_line_error(result: Any, code: int) -> str:
    assert result.exit_code == code, (result.exit_code, result.output)
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    err = result.stderr.strip()
    assert "Traceback" not in result.output
    assert err.startswith("limitlab: "), err
    assert "\n" not in err, err
    return str(err)


# --- init ------------------------------------------------------------------------------------


def test_init_opens_the_default_account(cli: Any) -> None:
    result = cli.init()
    assert "¥32,000.00" in result.stderr
    st = cli.json("status")
    assert (st["today"], st["state"], st["score"], st["limit_fen"]) == (
        "2026-01-05",
        "active",
        750,
        LIMIT,
    )
    assert st["wallet_fen"] == 100_000


def test_init_refuses_to_overwrite_an_account_without_force(cli: Any) -> None:
    borrowed(cli)
    before = snapshot(cli)
    result = cli("init", "--start", "2026-01-05")
    err = assert_one_line_error(result, 4)
    assert "--force" in err
    assert snapshot(cli) == before


def test_init_force_replaces_the_account(cli: Any) -> None:
    borrowed(cli)
    result = cli("init", "--start", "2026-03-01", "--wallet", "2000", "--force")
    assert result.exit_code == 0, result.output
    st = cli.json("status")
    assert (st["today"], st["used_fen"], st["wallet_fen"]) == ("2026-03-01", 0, 200_000)
    assert cli.json("history", "--kind", "borrowed") == []


@pytest.mark.parametrize("force", [(), ("--force",)], ids=["plain", "force"])
def test_init_never_overwrites_a_foreign_sqlite_file(cli: Any, force: tuple[str, ...]) -> None:
    with sqlite3.connect(cli.db) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('a teacher''s own data')")
    conn.close()
    before = cli.db.read_bytes()
    err = assert_one_line_error(cli("init", "--start", "2026-01-05", *force), 4)
    assert "not a limitlab database" in err
    assert cli.db.read_bytes() == before
    assert sorted(p.name for p in cli.db.parent.iterdir() if p.name.startswith("account")) == [
        "account.db"
    ]


def test_version_has_a_short_option() -> None:
    runner = typer.testing.CliRunner()
    long, short = runner.invoke(app, ["--version"]), runner.invoke(app, ["-V"])
    assert short.exit_code == long.exit_code == 0
    assert short.stdout == long.stdout and short.stdout.startswith("limitlab ")


def test_score_and_status_name_the_score_band_alike(cli: Any) -> None:
    cli.init()
    score, status = cli.json("score"), cli.json("status")
    assert score["score_band"] == status["score_band"] == "excellent"
    assert "band" not in score and "band" not in status


# --- status ----------------------------------------------------------------------------------


def test_status_json_after_a_borrow_has_every_documented_key_and_value(cli: Any) -> None:
    borrowed(cli)
    st = cli.json("status")
    expected = {
        "today": "2026-01-05",
        "state": "active",
        "limit_fen": LIMIT,
        "used_fen": 1_000_000,
        "available_fen": LIMIT - 1_000_000,
        "daily_rate": "0.0002",
        "apr_simple": "0.0720",
        "apr_effective": "0.0752",  # the reference loan drawn today: a 31-day January first
        "next_due_date": "2026-02-05",
        "next_due_fen": FIRST_INSTALLMENT_FEN,
        "wallet_fen": 100_000,  # money borrowed is spent; it never enters the wallet
        "overdue_fen": 0,
        "days_past_due": 0,
    }
    assert {k: st[k] for k in expected} == expected
    # 750 less utilisation 31 % (−6) and debt-to-income 10.8 % (−10)
    assert st["score"] == 734


def test_status_after_drawing_the_whole_limit_is_exhausted(cli: Any) -> None:
    borrowed(cli, "32000")
    st = cli.json("status")
    assert (st["state"], st["available_fen"], st["used_fen"]) == ("exhausted", 0, LIMIT)


# --- borrow ----------------------------------------------------------------------------------


def test_borrow_quote_json_shows_the_schedule_and_records_nothing(cli: Any) -> None:
    cli.init()
    before = snapshot(cli)
    q = cli.json("borrow", "10000", "--quote")
    assert q["loan_id"] is None
    assert (q["principal_fen"], q["term"], q["method"]) == (1_000_000, 12, "equal-installment")
    assert (q["daily_rate"], q["apr_simple"], q["apr_effective"]) == ("0.0002", "0.0720", "0.0752")
    assert q["total_interest_fen"] == 39_829  # 39,428 by the 30-day convention
    insts = q["installments"]
    assert len(insts) == 12
    assert {"due_date", "principal_fen", "interest_fen", "penalty_fen", "status"} <= insts[0].keys()
    assert (insts[0]["due_date"], insts[0]["principal_fen"], insts[0]["interest_fen"]) == (
        "2026-02-05",
        80_419,  # the payment 86,619 (monthly rate 0.6 %) less the interest
        6_200,  # 1,000,000 × 0.0002 × 31 days (按日计息)
    )
    assert insts[-1]["due_date"] == "2027-01-05"
    assert sum(i["principal_fen"] for i in insts) == 1_000_000
    assert sum(i["interest_fen"] for i in insts) == q["total_interest_fen"]
    assert {i["status"] for i in insts} == {"upcoming"}
    assert {i["penalty_fen"] for i in insts} == {0}
    assert snapshot(cli) == before


def test_borrow_quote_for_interest_first_charges_interest_monthly(cli: Any) -> None:
    cli.init()
    q = cli.json("borrow", "10000", "--quote", "--term", "3", "--method", "interest-first")
    assert [i["principal_fen"] for i in q["installments"]] == [0, 0, 1_000_000]
    # 1,000,000 × 0.0002 × the days: 31 (January), 28 (February), 31 (March)
    assert [i["interest_fen"] for i in q["installments"]] == [6_200, 5_600, 6_200]


def test_borrow_yes_json_returns_the_loan_id_and_uses_the_limit(cli: Any) -> None:
    cli.init()
    first = cli.json("borrow", "10000", "--yes")
    second = cli.json("borrow", "5000", "--yes", "--term", "6", "--method", "equal-principal")
    assert (first["loan_id"], second["loan_id"]) == (1, 2)
    assert second["installments"][0]["principal_fen"] == 83_333
    st = cli.json("status")
    assert (st["used_fen"], st["available_fen"]) == (1_500_000, LIMIT - 1_500_000)
    assert [e["data"]["loan_id"] for e in cli.json("history", "--kind", "borrowed")] == [1, 2]


def test_borrow_without_a_terminal_does_not_prompt(cli: Any) -> None:
    cli.init()
    result = cli("borrow", "10000")  # CliRunner's stdin is not a terminal
    assert result.exit_code == 0, result.output
    assert cli.json("status")["used_fen"] == 1_000_000


def test_borrow_above_available_exits_3_and_is_recorded_as_a_refusal(cli: Any) -> None:
    borrowed(cli, "30000")
    result = cli("borrow", "5000", "--yes")
    assert result.exit_code == 3, result.output
    assert "Not enough limit" in result.stderr
    assert "¥2,000.00 of ¥32,000.00" in result.stderr
    assert "limitlab why" in result.stderr
    refused = cli.json("history", "--kind", "borrow_refused")
    assert [(e["data"]["amount_fen"], e["data"]["code"]) for e in refused] == [
        (500_000, "LIMIT_EXCEEDED")
    ]
    assert cli.json("history", "--kind", "application_refused") == []
    assert cli.json("status")["used_fen"] == 3_000_000


def test_borrow_when_the_limit_is_used_up_says_limit_used_up(cli: Any) -> None:
    borrowed(cli, "32000")
    result = cli("borrow", "1000", "--yes")
    assert result.exit_code == 3, result.output
    assert "Limit used up: ¥0.00 of ¥32,000.00 available" in result.stderr
    assert len(cli.json("history", "--kind", "borrow_refused")) == 1


def test_borrow_refusal_json_is_on_stdout(cli: Any) -> None:
    borrowed(cli, "32000")
    result = cli("borrow", "1000", "--yes", "--json")
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["refused"] is True
    assert data["code"] == "LIMIT_EXCEEDED"


def test_borrow_refusal_in_chinese(cli: Any) -> None:
    borrowed(cli, "32000")
    result = cli("borrow", "1000", "--yes", "--lang", "zh")
    assert result.exit_code == 3
    assert "额度已用完：可用 ¥0.00 / 总额度 ¥32,000.00" in result.stderr


def test_borrow_while_overdue_is_refused_as_suspended(cli: Any) -> None:
    overdue_account(cli)
    result = cli("borrow", "1000", "--yes")
    assert result.exit_code == 3
    assert result.stderr.startswith("Borrowing suspended: ¥0.00 of ¥32,000.00 available")
    assert "Overdue repayment" in result.stderr
    assert [e["data"]["code"] for e in cli.json("history", "--kind", "borrow_refused")] == [
        "OVERDUE"
    ]


# --- repay -----------------------------------------------------------------------------------


def overdue_account(cli: Any) -> dict[str, Any]:
    """¥10,000 borrowed on 2026-01-05; the wallet emptied before the first due date (02-05)."""
    borrowed(cli)
    assert cli("advance", "--to", "2026-02-01").exit_code == 0
    wallet = cli.json("status")["wallet_fen"]
    assert cli("wallet", "withdraw", f"{wallet / 100:.2f}").exit_code == 0
    assert cli("advance", "--to", "2026-02-07").exit_code == 0
    return dict(cli.json("status"))


def test_repay_amount_frees_limit_at_once(cli: Any) -> None:
    borrowed(cli)
    out = cli.json("repay", "600")
    # same day as the drawdown: no interest has accrued yet, all of it is principal
    assert (out["paid_fen"], out["interest_fen"], out["principal_fen"]) == (60_000, 0, 60_000)
    assert out["wallet_fen"] == 40_000
    st = cli.json("status")
    assert (st["used_fen"], st["available_fen"]) == (940_000, LIMIT - 940_000)


def test_repay_all_pays_off_every_loan(cli: Any) -> None:
    borrowed(cli, "10000", "--wallet", "20000")
    assert cli("advance", "--days", "10").exit_code == 0
    out = cli.json("repay", "--all")
    # early repayment: interest for the 10 days elapsed only (¥10,000 × 0.02 % × 10)
    assert (out["principal_fen"], out["interest_fen"]) == (1_000_000, 2_000)
    st = cli.json("status")
    assert (st["used_fen"], st["available_fen"], st["next_due_date"]) == (0, LIMIT, None)
    assert len(cli.json("history", "--kind", "loan_paid_off")) == 1


def test_repay_overdue_clears_the_suspension(cli: Any) -> None:
    st = overdue_account(cli)
    assert (st["state"], st["days_past_due"]) == ("suspended", 2)
    assert st["overdue_fen"] > FIRST_INSTALLMENT_FEN  # installment plus penalty interest
    assert cli("wallet", "deposit", "2000").exit_code == 0
    out = cli.json("repay", "--overdue")
    assert out["paid_fen"] == st["overdue_fen"]
    assert out["penalty_fen"] > 0
    after = cli.json("status")
    assert (after["state"], after["overdue_fen"], after["days_past_due"]) == ("active", 0, 0)
    assert len(cli.json("history", "--kind", "overdue_cleared")) == 1


def test_repay_more_than_the_wallet_exits_3_naming_the_missing_amount(cli: Any) -> None:
    borrowed(cli)  # wallet ¥1,000
    before = snapshot(cli)
    count = commands_in_log(cli.db)
    result = cli("repay", "2500")
    assert result.exit_code == 3, result.output
    assert "¥1,500.00 is missing" in result.stderr
    assert snapshot(cli) == before
    assert commands_in_log(cli.db) == count


def test_repay_more_than_the_wallet_json_gives_missing_fen(cli: Any) -> None:
    borrowed(cli)
    result = cli("repay", "2500", "--json")
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert (data["code"], data["missing_fen"]) == ("INSUFFICIENT_WALLET", 150_000)


def test_repay_needs_exactly_one_of_amount_all_overdue(cli: Any) -> None:
    borrowed(cli)
    assert_one_line_error(cli("repay"), 2)
    assert_one_line_error(cli("repay", "100", "--all"), 2)


# --- wallet ----------------------------------------------------------------------------------


def test_wallet_deposit_and_withdraw_move_cash(cli: Any) -> None:
    cli.init()
    assert cli.json("wallet", "deposit", "¥2,500.50") == {"wallet_fen": 350_050}
    assert cli.json("wallet", "withdraw", "500.50") == {"wallet_fen": 300_000}
    kinds = [
        e["kind"]
        for e in cli.json("history", "--kind", "wallet_deposit", "--kind", "wallet_withdraw")
    ]
    assert kinds == ["wallet_deposit", "wallet_withdraw"]


def test_wallet_withdraw_more_than_held_exits_3_and_changes_nothing(cli: Any) -> None:
    cli.init()
    before = snapshot(cli)
    result = cli("wallet", "withdraw", "1500")
    assert result.exit_code == 3
    assert "¥500.00 is missing" in result.stderr
    assert snapshot(cli) == before


# --- advance ---------------------------------------------------------------------------------


def test_advance_days_months_and_to(cli: Any) -> None:
    cli.init()
    assert cli.json("advance", "--days", "10")["today"] == "2026-01-15"
    assert cli.json("advance", "--months", "1")["today"] == "2026-02-15"
    out = cli.json("advance", "--to", "2026-03-12")
    assert (out["today"], out["days"]) == ("2026-03-12", 25)
    assert cli.json("status")["today"] == "2026-03-12"


def test_advance_over_quiet_days_still_moves_the_date(cli: Any) -> None:
    cli.init()  # 2026-01-05; payday the 10th, next review 2026-02-04: nothing happens by the 7th
    assert cli.json("advance", "--days", "2")["today"] == "2026-01-07"
    assert cli.json("status")["today"] == "2026-01-07"


def test_advance_pays_income_on_payday_and_autopays_installments(cli: Any) -> None:
    borrowed(cli)
    cli("advance", "--to", "2026-02-05")
    st = cli.json("status")
    # + (8,000 − 5,000) on 01-10, − the first installment on 02-05
    assert st["wallet_fen"] == 100_000 + 300_000 - FIRST_INSTALLMENT_FEN
    assert (st["overdue_fen"], st["next_due_date"]) == (0, "2026-03-05")
    assert [e["date"] for e in cli.json("history", "--kind", "payday")] == ["2026-01-10"]


def test_advance_needs_exactly_one_of_days_months_to(cli: Any) -> None:
    cli.init()
    assert_one_line_error(cli("advance"), 2)
    assert_one_line_error(cli("advance", "--days", "1", "--months", "1"), 2)


# --- schedule, history, verify, policy -------------------------------------------------------


def test_schedule_of_one_loan_and_of_every_loan(cli: Any) -> None:
    borrowed(cli)
    cli("borrow", "3000", "--yes", "--term", "3")
    one = cli.json("schedule", "2")
    assert (one["loan_id"], one["principal_fen"], one["term"]) == (2, 300_000, 3)
    assert [i["due_date"] for i in one["installments"]] == [
        "2026-02-05",
        "2026-03-05",
        "2026-04-05",
    ]
    assert sum(i["principal_fen"] for i in one["installments"]) == 300_000
    first = one["installments"][0]
    assert {"due_date", "principal_fen", "interest_fen", "penalty_fen", "status"} <= first.keys()
    every = cli.json("schedule")
    assert [s["loan_id"] for s in every] == [1, 2]


def test_schedule_of_a_paid_off_loan_is_still_shown(cli: Any) -> None:
    borrowed(cli, "1000")
    cli("repay", "--all")
    data = cli.json("schedule", "1")
    assert data["closed_on"] == "2026-01-05"
    assert {i["status"] for i in data["installments"]} == {"paid"}


def test_schedule_of_an_unknown_loan_exits_2(cli: Any) -> None:
    cli.init()
    assert "#9" in assert_one_line_error(cli("schedule", "9"), 2)


def test_history_filters_by_kind_date_and_last(cli: Any) -> None:
    borrowed(cli)
    cli("advance", "--to", "2026-03-15")
    paydays = cli.json("history", "--kind", "payday")
    assert [e["date"] for e in paydays] == ["2026-01-10", "2026-02-10", "2026-03-10"]
    february = cli.json(
        "history", "--kind", "payday", "--since", "2026-02-01", "--until", "2026-02-28"
    )
    assert [e["date"] for e in february] == ["2026-02-10"]
    last = cli.json("history", "--last", "1")
    everything = cli.json("history")
    assert last == everything[-1:]
    assert cli.json("history", "--last", "3") == everything[-3:]  # the newest 3, oldest first
    assert cli("history", "--last", "3").stdout.count("2026-03-10") == 1
    assert everything[0]["kind"] == "opened"
    assert [e["date"] for e in everything] == sorted(e["date"] for e in everything)


@pytest.mark.parametrize("n", ["0", "-1"])
def test_history_last_needs_a_positive_count(account: Any, n: str) -> None:
    result = account("history", "--last", n, "--json")
    assert result.exit_code == 2 or json.loads(result.stdout) == []


def test_verify_exits_0_on_a_normal_account(cli: Any) -> None:
    overdue_account(cli)
    cli("wallet", "deposit", "2000")
    cli("repay", "--overdue")
    result = cli("verify")
    assert result.exit_code == 0, result.output
    data = cli.json("verify")
    assert data["ok"] is True and data["difference"] is None
    assert data["commands"] == commands_in_log(cli.db) == 7


def test_policy_show_prints_the_defaults(cli: Any) -> None:
    data = cli.json("policy", "show")
    assert data["cooloff_days"] == 14
    assert data["terms"] == [3, 6, 12]
    assert [t["daily_rate"] for t in data["tiers"]] == [
        "0.0006",
        "0.0005",
        "0.0004",
        "0.0003",
        "0.0002",
    ]
    text = cli("policy", "show")
    assert text.exit_code == 0
    assert "A cool-off lasts 14 days" in text.stdout
    assert not cli.db.exists()


# --- global options, languages, help ---------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("--json", "status"),
        ("status", "--json"),
        ("--json", "--lang", "zh", "status"),
        ("status", "--lang", "zh", "--json"),
    ],
)
def test_json_works_before_and_after_the_command_name(cli: Any, args: tuple[str, ...]) -> None:
    cli.init()
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["limit_fen"] == LIMIT


@pytest.mark.parametrize("where", ["before", "after"])
def test_lang_zh_works_before_and_after_the_command_name(cli: Any, where: str) -> None:
    borrowed(cli, "32000")
    args = ("--lang", "zh", "borrow", "1000", "--yes")
    if where == "after":
        args = ("borrow", "1000", "--yes", "--lang", "zh")
    result = cli(*args)
    assert result.exit_code == 3
    assert "额度已用完" in result.stderr
    assert "Limit used up" not in result.stderr


def test_lang_zh_status_table_is_chinese(cli: Any) -> None:
    cli.init()
    result = cli("status", "--lang", "zh")
    assert result.exit_code == 0
    assert "额度" in result.stdout


def test_limitlab_lang_env_selects_chinese(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    borrowed(cli, "32000")
    monkeypatch.setenv("LIMITLAB_LANG", "zh")
    result = cli("borrow", "1000", "--yes")
    assert result.exit_code == 3
    assert "额度已用完" in result.stderr


def test_lang_flag_beats_the_environment(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    borrowed(cli, "32000")
    monkeypatch.setenv("LIMITLAB_LANG", "zh")
    result = cli("borrow", "1000", "--yes", "--lang", "en")
    assert "Limit used up" in result.stderr


@pytest.mark.parametrize("where", ["before", "after"])
def test_bad_input_errors_follow_lang(cli: Any, where: str) -> None:
    cli.init()
    args = (
        ("--lang", "zh", "borrow", "abc")
        if where == "before"
        else ("borrow", "abc", "--lang", "zh")
    )
    err = assert_one_line_error(cli(*args), 2)
    assert "不是有效金额" in err


def test_limitlab_lang_env_translates_error_messages(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIMITLAB_LANG", "zh")
    err = assert_one_line_error(cli("status"), 4)
    assert "没有账户" in err


def test_an_unknown_language_exits_2(cli: Any) -> None:
    cli.init()
    result = cli("--lang", "fr", "status")
    assert result.exit_code == 2
    assert "fr" in result.stderr


def test_version(cli: Any) -> None:
    from importlib.metadata import version

    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"limitlab {version('limitlab')}"


def _leaf_commands() -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []

    def walk(cmd: Any, path: tuple[str, ...]) -> None:
        if hasattr(cmd, "list_commands"):  # a group (it builds its commands when asked)
            ctx = cmd.make_context("limitlab", [], resilient_parsing=True)
            for name in cmd.list_commands(ctx):
                walk(cmd.get_command(ctx, name), (*path, name))
        else:
            found.append(path)

    walk(typer.main.get_command(app), ())
    return found


LEAVES = _leaf_commands()


def test_every_issue_2_command_exists() -> None:
    names = {" ".join(p) for p in LEAVES}
    wanted = {
        "init",
        "status",
        "borrow",
        "repay",
        "wallet deposit",
        "wallet withdraw",
        "advance",
        "schedule",
        "history",
        "profile set",
        "verify",
        "policy show",
    }
    assert wanted <= names


@pytest.mark.parametrize("path", [(), *LEAVES], ids=lambda p: " ".join(p) or "limitlab")
def test_short_help_works_on_every_command_and_has_an_example(
    cli: Any, path: tuple[str, ...]
) -> None:
    result = cli(*path, "-h")
    assert result.exit_code == 0, result.output
    assert "Usage" in result.stdout
    assert "Example" in result.stdout
    assert not cli.db.exists()


@pytest.mark.parametrize("group", ["wallet", "profile", "external", "platform", "policy"])
def test_long_help_works_on_every_group(cli: Any, group: str) -> None:
    result = cli(group, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage" in result.stdout


# --- the missing database --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [("status",), ("history",), ("schedule",), ("verify",), ("borrow", "100", "--yes")]
)
def test_a_missing_database_exits_4_says_how_to_create_one_and_creates_no_file(
    tmp_path: Path, cli: Any, args: tuple[str, ...]
) -> None:
    cli.db = tmp_path / "not-yet" / "account.db"
    err = assert_one_line_error(cli(*args), 4)
    assert "limitlab init" in err
    assert not cli.db.exists()
    assert not cli.db.parent.exists()


def test_a_missing_database_message_in_chinese(cli: Any) -> None:
    err = assert_one_line_error(cli("status", "--lang", "zh"), 4)
    assert "没有账户" in err and "limitlab init" in err
    assert not cli.db.exists()


# --- bad input: exit 2, one line, nothing changed --------------------------------------------

BAD_AMOUNTS = [
    "-1",
    "0",
    "0.001",
    "1e9999",
    "NaN",
    "inf",
    "１２３",
    " 12 ",
    "12,34,5",
    "abc",
    "1000000000.01",
]
AMOUNT_COMMANDS = {
    "borrow": ("borrow", "--yes", "--"),
    "borrow-quote": ("borrow", "--quote", "--"),
    "repay": ("repay", "--"),
    "deposit": ("wallet", "deposit", "--"),
    "withdraw": ("wallet", "withdraw", "--"),
}


@pytest.fixture(scope="module")
def borrowed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once: the default account with a wallet of ¥30,000 and ¥10,000 borrowed."""
    path = tmp_path_factory.mktemp("template") / "borrowed.db"
    runner = typer.testing.CliRunner()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NO_COLOR", "1")
        env.delenv("LIMITLAB_LANG", raising=False)
        for args in (
            ("init", "--start", "2026-01-05", "--wallet", "30000"),
            ("borrow", "10000", "--yes"),
        ):
            result = runner.invoke(app, ["--db", str(path), *args])
            assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def account(cli: Any, borrowed_template: Path) -> Any:
    shutil.copyfile(borrowed_template, cli.db)
    return cli


def assert_refused_as_bad_input(cli: Any, *args: str) -> str:
    before = snapshot(cli)
    count = commands_in_log(cli.db)
    err = assert_one_line_error(cli(*args), 2)
    assert snapshot(cli) == before
    assert commands_in_log(cli.db) == count
    return err


@pytest.mark.parametrize("text", BAD_AMOUNTS)
@pytest.mark.parametrize("command", AMOUNT_COMMANDS)
def test_a_bad_amount_exits_2_with_one_line_and_changes_nothing(
    account: Any, command: str, text: str
) -> None:
    err = assert_refused_as_bad_input(account, *AMOUNT_COMMANDS[command], text)
    if text != "0":
        assert text in err


def test_a_negative_amount_without_double_dash_is_still_usage_error(account: Any) -> None:
    before = snapshot(account)
    assert account("borrow", "-1", "--yes").exit_code == 2
    assert account("repay", "-1").exit_code == 2
    assert snapshot(account) == before


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("borrow", "1000", "--term", "5", "--yes"), id="term-5"),
        pytest.param(("borrow", "1000", "--method", "foo", "--yes"), id="method-foo"),
        pytest.param(("borrow", "50", "--yes"), id="below-minimum-drawdown"),
        pytest.param(("advance", "--to", "2026-02-30"), id="date-feb-30"),
        pytest.param(("advance", "--to", "tomorrow"), id="date-tomorrow"),
        pytest.param(("advance", "--to", "2026-1-9"), id="date-not-iso"),
        pytest.param(("advance", "--to", "2026-01-01"), id="advance-backwards"),
        pytest.param(("advance", "--to", "2026-01-05"), id="advance-to-today"),
        pytest.param(("advance", "--days", "0"), id="advance-0-days"),
        pytest.param(("advance", "--days", "-3"), id="advance-negative-days"),
        pytest.param(("advance", "--months", "0"), id="advance-0-months"),
        pytest.param(("history", "--since", "2026-02-30"), id="history-bad-date"),
        pytest.param(("repay", "20000"), id="repay-more-than-owed"),
        pytest.param(("repay", "100", "--loan", "9"), id="repay-unknown-loan"),
        pytest.param(("repay", "--overdue"), id="repay-overdue-when-none"),
        pytest.param(("init", "--force", "--start", "2026-02-30"), id="init-force-bad-date"),
        pytest.param(("init", "--force", "--income", "abc"), id="init-force-bad-income"),
        pytest.param(("init", "--force", "--payday", "31"), id="init-force-bad-payday"),
        pytest.param(("profile", "set", "--income", "-5"), id="profile-negative-income"),
        pytest.param(("platform", "tighten", "--factor", "abc", "--days", "3"), id="bad-factor"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_changes_nothing(
    account: Any, args: tuple[str, ...]
) -> None:
    assert_refused_as_bad_input(account, *args)


def test_advancing_too_far_names_the_days_asked_for(account: Any) -> None:
    err = assert_refused_as_bad_input(account, "advance", "--days", "100000")
    assert "100000" in err or "100,000" in err


def test_repay_more_than_owed_names_what_is_owed(account: Any) -> None:
    err = assert_refused_as_bad_input(account, "repay", "20000")
    assert "¥10,000.00" in err


def test_advancing_backwards_names_the_account_date(cli: Any) -> None:
    cli.init()
    err = assert_refused_as_bad_input(cli, "advance", "--to", "2026-01-01")
    assert "2026-01-05" in err


def test_bad_input_message_in_chinese(cli: Any) -> None:
    cli.init()
    err = assert_refused_as_bad_input(cli, "--lang", "zh", "advance", "--to", "2026-02-30")
    assert CJK.search(err)


@pytest.mark.parametrize(
    "args",
    [
        ("borrow", "9" * 5000),
        (
            "platform",
            "tighten",
            "--factor",
            "0.5",
            "--days",
            "3",
            "--cohort",
            "not " * 1500 + "score<1",
        ),
    ],
    ids=["5000-digit amount", "deeply nested cohort"],
)
def test_pathological_input_is_bad_input_not_a_crash(cli: Any, args: tuple[str, ...]) -> None:
    cli.init()
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("start", ["0001-01-05", "1969-12-31", "9999-12-20"])
def test_a_start_date_far_outside_any_lesson_is_refused(cli: Any, start: str) -> None:
    result = cli("init", "--start", start)
    err = assert_one_line_error(result, 2)
    assert "outside the simulated calendar" in err and "1970-01-01 to 2199-12-31" in err, err
    assert "Not a date" not in err


def test_a_date_past_the_calendar_says_so_and_names_its_range(cli: Any) -> None:
    cli.init()
    for lang, words in (("en", "outside the simulated calendar"), ("zh", "超出模拟日历")):
        result = cli("advance", "--to", "2200-01-01", "--lang", lang)
        err = assert_one_line_error(result, 2)
        assert words in err and "1970-01-01" in err and "2199-12-31" in err, err
    result = cli("advance", "--to", "2026-02-30")  # not a date at all: still said so
    assert "Not a date: '2026-02-30'" in assert_one_line_error(result, 2)


def test_status_keeps_every_figure_on_an_80_column_terminal_while_suspended(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.init("--wallet", "0", "--expenses", "8000")
    cli("borrow", "10000", "--yes")
    cli("advance", "--to", "2026-02-08")
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("status").stdout
    data = cli.json("status")
    for fen in (data["limit_fen"], data["wallet_fen"], data["overdue_fen"]):
        assert f"¥{fen // 100:,}.{fen % 100:02d}" in out
    assert "Cause: Overdue repayment" in out  # the suspension is the cause to act on first


@pytest.mark.parametrize(
    "args", [("borrow", "-1", "--yes"), ("repay", "-5"), ("wallet", "deposit", "-5")]
)
def test_a_negative_amount_typed_plainly_is_named_as_negative(
    cli: Any, args: tuple[str, ...]
) -> None:
    cli.init()
    result = cli(*args)
    assert result.exit_code == 2
    assert "is negative" in result.stderr


def test_an_account_with_no_income_is_not_eligible_and_says_why(cli: Any) -> None:
    result = cli.init("--income", "0")
    assert "no declared income" in result.stderr
    data = cli.json("why")
    assert data["state"] == "not_eligible"
    assert data["reasons"][0]["code"] == "NO_INCOME"
    refused = cli("borrow", "500", "--yes", "--json")
    assert refused.exit_code == 3
    assert json.loads(refused.stdout)["code"] == "NO_INCOME"
    cli("profile", "set", "--income", "8000")
    assert cli.json("status")["state"] == "not_eligible"  # a raise from 0 waits for the review
    cli("advance", "--to", "2026-02-04")
    assert cli.json("status")["state"] == "active"


def test_history_refuses_an_unknown_kind(cli: Any) -> None:
    cli.init()
    result = cli("history", "--kind", "nonsense")
    assert result.exit_code == 2
    assert "borrowed" in result.stderr


def test_a_policy_file_on_a_read_command_is_checked_and_waits_for_the_next_write(
    cli: Any, tmp_path: Path
) -> None:
    cli.init()
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text("cooloff_days = 21\n", encoding="utf-8")
    bad.write_text("bogus = 1\n", encoding="utf-8")
    assert cli("--policy", str(bad), "status").exit_code == 2
    noted = cli("--policy", str(good), "status")
    assert noted.exit_code == 0 and "next command that changes the account" in noted.stderr
    assert cli.json("policy", "show")["cooloff_days"] == 14


HUGE = "9" * 20  # beyond SQLite's integers


def test_a_huge_count_or_id_is_read_sensibly_not_as_a_damaged_file(cli: Any) -> None:
    cli.init()
    cli("borrow", "5000", "--yes")
    result = cli("history", "--last", HUGE)  # more than there are: all of them
    assert result.exit_code == 0, result.output
    assert "Account opened" in result.stdout
    result = cli("chart", "--months", HUGE)  # longer than the account: all of it
    assert result.exit_code == 0, result.output
    result = cli("schedule", HUGE)  # no such loan
    assert result.exit_code == 2, result.output
    assert HUGE in result.stderr


def test_a_folder_given_as_the_policy_file_is_said_to_be_a_folder(cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "adir"
    folder.mkdir()
    cli.init()
    for args in (("init", "--force"), ("status",), ("advance", "--days", "1")):
        result = cli("--policy", str(folder), *args)
        err = assert_one_line_error(result, 2)
        assert "is a folder, not a policy file" in err and "No policy file" not in err, err
    result = cli("--policy", str(folder), "status", "--lang", "zh")
    assert "是文件夹" in assert_one_line_error(result, 2)
    missing = cli("--policy", str(tmp_path / "nothing.toml"), "status")
    assert "No policy file at" in assert_one_line_error(missing, 2)


@pytest.mark.parametrize(
    ("setting", "key", "words"),
    [
        ('start = "0001-01-01"', "start", "outside the simulated calendar"),
        ("start = 2200-01-01", "start", "outside the simulated calendar"),
        ('start = "2026-01-05"\n[profile]\nincome = "abc"', "profile.income", "Not an amount"),
        ('start = "2026-01-05"\n[profile]\nwallet = "-5"', "profile.wallet", "negative"),
    ],
    ids=["year 1", "past the calendar", "income abc", "negative wallet"],
)
def test_impossible_scenario_values_are_bad_input_naming_file_and_key(
    cli: Any, tmp_path: Path, setting: str, key: str, words: str
) -> None:
    """They used to fail as the lesson's init step: exit 1 and four lines."""
    lesson = tmp_path / "bad.toml"
    lesson.write_text(
        f'title = "t"\ntitle_zh = "t"\n{setting}\n\n[[steps]]\nshow = "status"\n', encoding="utf-8"
    )
    for args in (("run", str(lesson), "--db", str(tmp_path / "x.db")), ("check", str(lesson))):
        err = assert_one_line_error(cli("scenario", *args), 2)
        assert f"bad.toml: {key}: " in err and words in err, err
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    ("setting", "key", "zh"),
    [
        ("[[steps]]\nshow = 'status'\nexit = 1.5", "steps[1].exit", "应为整数"),
        ("[[steps]]\nshow = 'status'\nexit = 1e300", "steps[1].exit", "应为整数"),
        ("[[steps]]\nshow = 'status'\nexit = true", "steps[1].exit", "应为整数"),
        (
            "[[steps]]\nshow = 'status'\nexpect = { score = 1.5 }",
            "steps[1].expect.score",
            "应为整数",
        ),
        ("[profile]\ntrust = false\n[[steps]]\nshow = 'status'", "profile.trust", "应为整数"),
        (
            "[profile]\nverified = 1\n[[steps]]\nshow = 'status'",
            "profile.verified",
            "true 或 false",
        ),
        ("profile = 1\n[[steps]]\nshow = 'status'", "profile", "应为表"),
        ("[[steps]]\ndo = 'borrow \"x'", "steps[1].do", "无法拆分为单词"),
    ],
)
def test_every_scenario_value_error_is_worded_in_the_users_language(
    cli: Any, tmp_path: Path, setting: str, key: str, zh: str
) -> None:
    """pydantic's English ("Input should be a valid integer, got a number with a fractional
    part") used to reach a Chinese user, and `exit = true` was taken for 1."""
    lesson = tmp_path / "bad.toml"
    lesson.write_text(
        f'title = "t"\ntitle_zh = "t"\nstart = "2026-01-05"\n{setting}\n', encoding="utf-8"
    )
    err = assert_one_line_error(cli("scenario", "check", str(lesson), "--lang", "zh"), 2)
    assert f"bad.toml：{key}：" in err and zh in err, err
    assert not re.search(r"[A-Za-z]{3,} [a-z]{3,}", err.split(f"{key}：")[1]), err  # no English
    err = assert_one_line_error(cli("scenario", "check", str(lesson)), 2)
    assert "Input should" not in err and "valid" not in err, err


# --- Ctrl-C after the commit ----------------------------------------------------------------


def _interrupt(*_: Any, **__: Any) -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Interrupted after the change was saved: "), ("zh", "在更改保存后中断：")],
)
def test_ctrl_c_after_the_commit_says_the_change_was_saved(
    cli: Any, monkeypatch: pytest.MonkeyPatch, lang: str, words: str
) -> None:
    """It used to say "nothing was half-written", so a script retrying on 130 applied the
    command twice. Exit 130 all the same (an interrupted run), with the saved change said."""
    import limitlab.cli.commands.time as time_commands

    cli.init()
    monkeypatch.setattr(time_commands, "show_status", _interrupt)  # after the commit
    result = cli("advance", "--days", "3", "--lang", lang)
    assert result.exit_code == 130, result.output
    err = result.stderr.splitlines()[-1]  # after what the command had said
    assert err.startswith("limitlab: " + words) and "half" not in err, err
    assert result.stderr.count("limitlab:") == 1, result.stderr
    monkeypatch.undo()
    assert cli.json("status")["today"] == "2026-01-08"  # saved, once
    assert commands_in_log(cli.db) == 2


def test_ctrl_c_before_the_commit_still_says_nothing_was_half_written(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import limitlab.core.service as service

    cli.init()
    monkeypatch.setattr(service, "_apply_and_record", _interrupt)  # inside the transaction
    result = cli("advance", "--days", "3")
    assert assert_one_line_error(result, 130) == "limitlab: Interrupted; nothing was half-written."
    monkeypatch.undo()
    assert cli.json("status")["today"] == "2026-01-05"
    assert commands_in_log(cli.db) == 1
