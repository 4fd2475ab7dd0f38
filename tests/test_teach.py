"""`limitlab glossary` and `limitlab chart` (issue 5 §3–4): the words of the lesson with the
account's own numbers, and the credit line drawn over time from the stored events.

Accounts open on 2026-01-05 with the default profile (income ¥8,000, limit ¥32,000.00).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from limitlab.core.money import format_fen

CJK = re.compile(r"[\u4e00-\u9fff]")
FIGURE = re.compile(r"-?¥\d{1,3}(?:,\d{3})*\.\d\d")
FIGURE_TOKEN = re.compile(r"¥[\d,.]*\d")

#: The fourteen terms of issue 5 §4, by the Chinese or English name a student types.
TERMS = [
    "授信", "支用", "额度", "多头借贷", "逾期", "罚息", "征信", "年化利率", "等额本息",
    "等额本金", "先息后本", "芝麻分", "debt-to-income", "utilisation", "降额", "提额",
    "冷静期", "宽限期", "额度冻结", "系统维护", "cohort",
]  # fmt: skip


def run(cli: Any, *args: str) -> Any:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return result


def entry(cli: Any, term: str, *args: str) -> dict[str, Any]:
    found = cli.json("glossary", term, *args)
    assert len(found) == 1
    return found[0]  # type: ignore[no-any-return]


def overdue_story(cli: Any) -> None:
    """¥5,000 borrowed with an empty wallet: installment 1 (due 2026-02-05) goes unpaid, is
    reported at 4 days late (the limit is halved and more), then repaid; time goes on."""
    cli.init("--expenses", "8000", "--wallet", "0")
    run(cli, "borrow", "5000", "--yes")
    run(cli, "advance", "--to", "2026-02-10")
    run(cli, "wallet", "deposit", "1000")
    run(cli, "repay", "--overdue")
    run(cli, "advance", "--to", "2026-03-20")


# --- glossary ----------------------------------------------------------------------------------


def test_the_glossary_lists_all_twenty_one_terms_in_both_languages(cli: Any) -> None:
    entries = cli.json("glossary")
    assert len(entries) == 21
    assert {tuple(e) for e in entries} == {
        ("term", "name_en", "name_zh", "pinyin", "definition", "example")
    }
    assert all(CJK.search(e["name_zh"]) and not CJK.search(e["name_en"]) for e in entries)
    assert [entry(cli, t)["term"] for t in TERMS] == [e["term"] for e in entries]
    for lang in ("en", "zh"):
        out = run(cli, "glossary", "--lang", lang).stdout
        assert all(e["name_zh"] in out and e["name_en"] in out for e in entries)
    zh = cli.json("glossary", "--lang", "zh")
    assert all(CJK.search(e["definition"]) and CJK.search(e["example"]) for e in zh)


@pytest.mark.parametrize("typed", ["额度", "credit limit", "CREDIT-LIMIT", "édù", "edu"])
def test_a_term_is_found_by_its_chinese_english_or_pinyin_name(cli: Any, typed: str) -> None:
    found = entry(cli, typed)
    assert (found["term"], found["name_zh"], found["name_en"]) == (
        "credit_limit",
        "额度",
        "credit limit",
    )


def test_a_term_lookup_in_chinese_prints_the_chinese_definition(cli: Any) -> None:
    out = run(cli, "glossary", "逾期", "--lang", "zh").stdout
    assert "逾期" in out and "overdue" in out and "到期未还" in out
    assert "授信" not in out


def test_the_examples_use_the_accounts_own_numbers(cli: Any) -> None:
    cli.init()
    run(cli, "borrow", "5000", "--yes")
    assert entry(cli, "额度")["example"] == "Your limit is ¥32,000.00, ¥27,000.00 available."
    assert entry(cli, "支用")["example"] == (
        "Loan #1: ¥5,000.00 drawn on 2026-01-05 over 12 months, ¥5,000.00 of principal still owed."
    )
    assert entry(cli, "utilisation")["example"] == (
        "You owe ¥5,000.00 of your ¥32,000.00 limit: 15% utilisation."
    )
    assert entry(cli, "逾期")["example"] == "Nothing is overdue."
    assert (
        entry(cli, "额度", "--lang", "zh")["example"] == "您的额度为 ¥32,000.00，可用 ¥27,000.00。"
    )


def test_the_overdue_example_names_the_late_installment(cli: Any) -> None:
    cli.init("--expenses", "8000", "--wallet", "0")
    run(cli, "borrow", "5000", "--yes")
    run(cli, "advance", "--to", "2026-02-08")  # installment 1 was due 2026-02-05
    status = cli.json("status")
    assert entry(cli, "overdue")["example"] == (
        f"Loan #1 installment 1 is 3 days late ({format_fen(status['overdue_fen'])} unpaid)."
    )
    assert entry(cli, "逾期", "--lang", "zh")["example"].startswith("借款 #1 第 1 期已逾期 3 天")


def test_without_a_database_the_examples_are_generic_and_no_file_is_created(
    cli: Any, tmp_path: Path
) -> None:
    cli.db = tmp_path / "not-yet" / "account.db"
    entries = cli.json("glossary")
    assert len(entries) == 21 and all(e["example"] for e in entries)
    limit = next(e for e in entries if e["term"] == "credit_limit")
    assert limit["example"].startswith("A ¥32,000.00 limit")
    result = run(cli, "glossary", "额度")
    assert "For example:" in result.stdout
    assert "limitlab init" in result.stderr
    assert not cli.db.exists() and not cli.db.parent.exists()


def test_an_unknown_term_exits_2_with_the_list_of_terms(cli: Any) -> None:
    result = cli("glossary", "mortgage")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "mortgage" in result.stderr
    assert all(name in result.stderr for name in ("授信", "credit grant", "客群", "cohort"))


# --- chart -------------------------------------------------------------------------------------


def test_the_series_ends_where_status_is_and_marks_the_cut_and_the_overdue_days(
    cli: Any,
) -> None:
    overdue_story(cli)
    series = cli.json("chart")
    status = cli.json("status")
    last = series[-1]
    assert last["date"] == status["today"] == "2026-03-20"
    for key in ("limit_fen", "used_fen", "available_fen", "score"):
        assert last[key] == status[key], key
    assert series[0] == {
        "date": "2026-01-05",
        "limit_fen": 3_200_000,
        "used_fen": 500_000,
        "available_fen": 2_700_000,
        "score": series[0]["score"],
        "marker": None,
    }
    cut = next(p for p in series if p["marker"] and "limit_change" in p["marker"])
    assert cut["limit_fen"] < 3_200_000
    late = [p["date"] for p in series if p["marker"] and "overdue" in p["marker"]]
    # weekly rows and the span's own days: overdue from 2026-02-06 (its first day a row) until
    # the repayment on 2026-02-10 (a row: the first day after the span)
    assert late[0] == "2026-02-06" and late[-1] == "2026-02-10"
    assert "2026-02-09" in late
    assert next(p for p in series if p["date"] == "2026-02-09")["available_fen"] == 0


def test_the_series_is_weekly_then_monthly_and_months_keeps_the_last_months(cli: Any) -> None:
    cli.init()
    run(cli, "advance", "--months", "9")
    dates = [p["date"] for p in cli.json("chart")]
    assert dates[:3] == ["2026-01-05", "2026-02-05", "2026-03-05"]
    assert dates[-1] == "2026-10-05"
    recent = [p["date"] for p in cli.json("chart", "--months", "1")]
    assert recent == ["2026-09-05", "2026-09-12", "2026-09-19", "2026-09-26", "2026-10-03",
                      "2026-10-05"]  # fmt: skip


@pytest.mark.parametrize("columns", ["60", "120"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_terminal_chart_fits_and_shows_the_cut_and_the_overdue_days(
    cli: Any, monkeypatch: pytest.MonkeyPatch, columns: str, lang: str
) -> None:
    from rich.cells import cell_len

    overdue_story(cli)
    status = cli.json("status")
    monkeypatch.setenv("COLUMNS", columns)
    out = run(cli, "chart", "--lang", lang).stdout
    assert max(cell_len(line) for line in out.splitlines()) <= int(columns)
    assert "▼" in out and "!" in out and "█" in out  # the cut, overdue days, the limit line
    last = "".join(out.split("┘")[-1].splitlines()[2:])  # today's figures, as status has them
    for key in ("limit_fen", "used_fen", "available_fen"):
        assert format_fen(status[key]) in last


def test_the_daily_series_shows_a_two_day_suspension(cli: Any) -> None:
    """Weekly rows would skip it; the chart draws from a row a day."""
    from datetime import date

    from limitlab.cli.views.chart import _spans
    from limitlab.core.model import Event
    from limitlab.core.timeline import credit_series

    events = [
        Event(date(2026, 1, 5), "limit_review", {"limit_fen": 3_200_000, "previous_fen": 0,
                                                  "trigger": "opening", "score": 700}),
        Event(date(2026, 2, 3), "platform_started", {"kind": "maintenance",
                                                      "starts_on": "2026-02-03",
                                                      "ends_on": "2026-02-05"}),
    ]  # fmt: skip
    step, weekly = credit_series(events, date(2026, 1, 5), date(2026, 3, 20))
    # weekly rows, and the suspension's first day and the first day after it as rows too
    assert step == "week"
    held = [p["date"] for p in weekly if not p["available_fen"]]
    assert held == ["2026-02-03"]
    assert "2026-02-05" in [p["date"] for p in weekly]
    _, days = credit_series(events, date(2026, 1, 5), date(2026, 3, 20), daily=True)
    overdue, suspended = _spans(days)
    assert overdue == [] and [days[i]["date"] for i in suspended] == ["2026-02-03", "2026-02-04"]


def test_the_chart_needs_an_account(cli: Any) -> None:
    result = cli("chart")
    assert result.exit_code == 4
    assert not cli.db.exists()


# --- help ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["glossary", "chart"])
def test_every_command_has_an_example_in_its_help(cli: Any, command: str) -> None:
    for flag in ("-h", "--help"):
        result = run(cli, command, flag)
        assert "Example:" in result.stdout
    assert not cli.db.exists()
