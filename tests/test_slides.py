"""What goes on the lesson's slides, on its story (the `story` fixture, tests/conftest.py):
`notice` never shows a cut reversed later as if it held, and `why --slide` shows the top
reasons only, one line of evidence each, large."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from limitlab.cli.main import app
from limitlab.core.money import format_fen
from typer.testing import CliRunner


def run(db: Path, *args: str, env: Mapping[str, str | None] | None = None) -> str:
    result = CliRunner().invoke(app, [*args, "--db", str(db)], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def rows(db: Path, *args: str) -> Any:
    return json.loads(run(db, *args, "--json"))


# --- notice --------------------------------------------------------------------------------------


def test_the_notice_of_a_cut_reversed_later_says_so_and_gives_the_limit_now(story: Path) -> None:
    """The story's latest cut is the platform's ¥1,700 → ¥1,300 of 2026-02-09, its measure
    over on 02-19 (back to ¥1,700), then a raise to ¥2,500 on 06-04: the notice is of that cut
    (the decision the borrower was told about), with what came after it."""
    changes = rows(story, "limits")
    cut = max(i for i, c in enumerate(changes) if c["new_limit_fen"] < c["old_limit_fen"])
    after = changes[cut + 1 :]
    notice = rows(story, "notice")
    assert (
        (notice["date"], notice["old_limit_fen"], notice["new_limit_fen"])
        == (
            changes[cut]["date"],
            changes[cut]["old_limit_fen"],
            changes[cut]["new_limit_fen"],
        )
        == ("2026-02-09", 170_000, 130_000)
    )

    def triple(c: dict[str, Any]) -> tuple[str, int, int]:
        return c["date"], c["old_limit_fen"], c["new_limit_fen"]

    assert [triple(c) for c in notice["later_changes"]] == [triple(c) for c in after]
    assert [triple(c) for c in after] == [
        ("2026-02-19", 130_000, 170_000),
        ("2026-06-04", 170_000, 250_000),
    ]
    assert notice["reversed_on"] == "2026-02-19"
    assert notice["current_limit_fen"] == rows(story, "status")["limit_fen"] == 250_000
    for lang, words in (
        ("en", ["reversed on 2026-02-19", "Your credit limit now: ¥2,500.00."]),
        ("zh", ["此次降额已于 2026-02-19 恢复", "您当前的额度：¥2,500.00。"]),
    ):
        out = run(story, "notice", "--lang", lang)
        lines = out.splitlines()
        assert words[0] in lines[2], out  # right under the cut, not at the bottom
        assert words[1] in out
        assert format_fen(250_000) in out


def test_a_notice_with_nothing_after_it_is_as_before(cli: Any) -> None:
    cli.init()
    for lender, balance in (("Huabei", "6000"), ("JD", "3000"), ("WeLoan", "4500")):
        added = cli("external", "add", "--lender", lender, "--balance", balance, "--monthly", "100")
        assert added.exit_code == 0, added.output
    notice = cli.json("notice")
    assert notice["later_changes"] == [] and notice["reversed_on"] is None
    assert notice["current_limit_fen"] == notice["new_limit_fen"]
    out = cli("notice").stdout
    assert "reversed" not in out and "Since this notice" not in out


def test_a_cut_raised_again_only_partly_is_not_called_reversed() -> None:
    """¥1,700 → ¥1,300, then ¥1,500: not reversed; then ¥1,700: reversed that day."""
    from datetime import date

    from limitlab.cli.views.notice import notice_json, notice_view
    from limitlab.core.explain import Notice
    from rich.console import Console

    cut = Notice(date(2026, 2, 9), "cut", 170_000, 130_000, ["PLATFORM_POLICY"], ["all"])
    partly = [(date(2026, 2, 19), 130_000, 150_000)]
    data = notice_json(cut, "en", partly)
    assert data["reversed_on"] is None and data["current_limit_fen"] == 150_000
    console = Console(record=True, width=100, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(notice_view(data, "en"))
    shown = console.export_text()
    assert "reversed" not in shown
    assert "2026-02-19: raised from ¥1,300.00 to ¥1,500.00" in shown
    assert "Your credit limit now: ¥1,500.00." in shown
    whole = notice_json(cut, "zh", [*partly, (date(2026, 3, 6), 150_000, 170_000)])
    assert whole["reversed_on"] == "2026-03-06" and whole["current_limit_fen"] == 170_000
    closed = Notice(date(2026, 5, 6), "closed", 500_000, 0, ["ACCOUNT_CLOSED"], [])
    assert notice_json(closed, "en", [(date(2026, 6, 1), 0, 600_000)])["reversed_on"] is None
