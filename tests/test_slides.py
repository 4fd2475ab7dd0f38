"""What goes on the lesson's slides, on its story (the `story` fixture, tests/conftest.py):
`notice` never shows a cut reversed later as if it held, and `why --slide` shows the top
reasons only, one line of evidence each, large."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from limitlab.core.money import format_fen

from .conftest import rows_of as rows
from .conftest import run_on as run

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


# --- why --slide ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_why_on_a_slide_is_the_top_reasons_only_one_line_of_evidence_each(
    story: Path, tmp_path: Path, lang: str
) -> None:
    """The story's `why` is a waterfall, three reasons with six, seven and one lines of
    evidence, and the score factors (~50 lines); the slide keeps each reason's title and
    share, its first line of evidence and what to do: about twenty lines of 80 columns, so
    the 1920 × 1080 picture's words are large."""
    from PIL import Image
    from rich.cells import cell_len

    data = rows(story, "why", "--lang", lang)
    reasons = data["reasons"][:3]
    assert len(reasons) == 3 and sum(len(r["evidence"]) for r in reasons) > 6
    text_file = tmp_path / "why.txt"
    run(story, "why", "--slide", "--lang", lang, "--export", str(text_file))
    shown = text_file.read_text(encoding="utf-8").splitlines()[:-1]  # the export's mark
    screen = "\n".join(shown)
    heads = [line for line in shown if re.match(r"\d\. ", line)]
    assert [h.split(" ", 1)[0] for h in heads] == ["1.", "2.", "3."]
    for head, r in zip(heads, reasons, strict=True):
        assert r["title"] in head and format_fen(r["amount_fen"]) in head
    bullets = [line for line in shown if line.lstrip().startswith("•")]
    assert len(bullets) == 3
    for bullet, r in zip(bullets, reasons, strict=True):  # each reason's first evidence
        first = r["evidence"][0]
        assert bullet.strip().startswith(f"• {first['on']}  " if first["on"] else "• ")
        assert first["text"][:12] in bullet
    for absent in (data["waterfall"][0]["label"], *[f["advice"] for f in data["score_factors"]]):
        assert absent not in screen
    # ~20 lines; the advice's commands name the account's file (--db), a line or two more
    assert len(shown) <= 26 and max(cell_len(line) for line in shown) <= 80
    picture = tmp_path / "why.png"
    run(story, "why", "--slide", "--lang", lang, "--export", str(picture))
    assert Image.open(picture).size == (1920, 1080)


def test_a_slide_keeps_three_reasons_of_more() -> None:
    from limitlab.cli.views.explanation_screen import why_slide_view
    from rich.console import Console

    reason = {"code": "OVERDUE", "category": "user", "title": "Overdue", "amount_fen": 100,
              "evidence": [{"on": "2026-02-09", "text": "first"}, {"on": "", "text": "second"}],
              "advice": "Repay.", "recovers": ""}  # fmt: skip
    data = {"headline": "Limit used up", "available_fen": 0,
            "reasons": [{**reason, "rank": n} for n in range(1, 6)]}  # fmt: skip
    console = Console(record=True, width=80, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(why_slide_view(data, "en"))
    out = console.export_text()
    assert "3. Overdue" in out and "4. " not in out
    assert out.count("first") == 3 and "second" not in out
