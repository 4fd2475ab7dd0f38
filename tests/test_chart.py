"""`limitlab chart` on the lesson's story (the bundled full-lesson, which `demo` plays, the
`story` fixture): the score panel fits the scores, the legend names what is drawn, every
change of the limit and every span boundary is a row, and the picture is a 16:9 slide whose
legend covers no data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import rows_of as rows
from .conftest import run_on as run

COLOUR_WORDS = ("blue", "orange", "green", "red", "grey", "gray", "cyan")
COLOUR_WORDS_ZH = ("蓝", "橙", "绿", "红", "灰", "青")


def score_panel(out: str) -> list[str]:
    """The lines of the score's plot (its box, between its top and bottom edges)."""
    lines = out.splitlines()
    title = next(i for i, line in enumerate(lines) if line.startswith(("Score", "信用分")))
    top = next(i for i in range(title, len(lines)) if "┌" in lines[i])
    bottom = next(i for i in range(top, len(lines)) if "└" in lines[i])
    return lines[top + 1 : bottom]


# --- the terminal ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_score_panel_fits_the_scores_it_draws(story: Path, lang: str) -> None:
    """The story's score ran between 560 and 650: on a 350–950 axis every day falls on one
    row; fitted, the score's moves show on rows of their own, its extremes labelled."""
    scores = [p["score"] for p in rows(story, "chart")]
    assert (min(scores), max(scores)) == (560, 650)
    out = run(story, "chart", "--lang", lang, env={"COLUMNS": "100"})
    panel = score_panel(out)
    drawn = [line for line in panel if "▪" in line]
    assert len(drawn) >= 4, "\n".join(panel)
    labels = [int(m.group(1)) for line in panel if (m := re.match(r"\s*(\d+)┤", line))]
    assert min(labels) == min(scores) and max(labels) == max(scores)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_without_colour_the_legend_names_the_marks_drawn(story: Path, lang: str) -> None:
    env = {"COLUMNS": "100", "NO_COLOR": "1", "FORCE_COLOR": "1", "TERM": "xterm-256color"}
    out = run(story, "chart", "--lang", lang, env=env)
    assert "\x1b[3" not in out and "\x1b[9" not in out  # no colour drawn
    out = re.sub(r"\x1b\[[0-9;]*m", "", out)  # the legend is dim: a style, not a colour
    plot, below = out.split("\n\n")[:2]
    lines = below.splitlines()
    words = "\n".join(lines[: next(i for i, x in enumerate(lines) if x.startswith(("Sc", "信用")))])
    assert not [w for w in (*COLOUR_WORDS, *COLOUR_WORDS_ZH) if w in words], words
    items = [i.split("：")[-1].split(": ")[-1] for i in re.split(r"   |\n", words)]
    marks = [i.split(" ")[0] for i in items]
    assert marks == ["█", "▪", "·", "▼", "▲", "!", "░"], words
    for mark in ("█", "▪", "▼", "▲", "!", "░"):  # each named mark is one the story draws
        assert mark in plot, mark
    assert len(set(marks)) == len(marks)  # every series its own character


@pytest.mark.parametrize(("lang", "blue"), [("en", "(blue)"), ("zh", "（蓝）")])
def test_with_colour_the_legend_names_the_colours_too(story: Path, lang: str, blue: str) -> None:
    env = {"COLUMNS": "100", "FORCE_COLOR": "1", "TERM": "xterm-256color", "NO_COLOR": None}
    out = run(story, "chart", "--lang", lang, env=env)
    assert "\x1b[3" in out or "\x1b[9" in out  # colour drawn
    assert f"█ {'Limit ' if lang == 'en' else '额度'}{blue}" in re.sub(r"\x1b\[[0-9;]*m", "", out)


# --- the rows ----------------------------------------------------------------------------------


def test_every_change_of_the_limit_is_a_row_of_the_chart(story: Path) -> None:
    """limits --json has seven changes, three of them on 2026-02-09 (the overdue, a new lender,
    the platform's tightening) and the 02-04 cut to ¥24,000 between two weekly rows."""
    changes = [(c["date"], c["new_limit_fen"]) for c in rows(story, "limits")]
    assert ("2026-02-04", 2_400_000) in changes
    series = [(p["date"], p["limit_fen"]) for p in rows(story, "chart")]
    it = iter(series)
    assert all(change in it for change in changes), (changes, series)  # each, in order


def test_every_overdue_and_suspension_boundary_is_a_row(story: Path) -> None:
    dates = {p["date"] for p in rows(story, "chart")}
    history = rows(story, "history")
    bounds: set[str] = set()
    for e in history:
        d = e["data"]
        if e["kind"] in ("overdue", "overdue_cleared"):
            bounds.add(e["date"])
        elif e["kind"] == "cooloff_started":
            bounds |= {e["date"], d["until"]}
        elif e["kind"] == "platform_started" and d["kind"] == "maintenance":
            bounds |= {d["starts_on"], d["ends_on"]}
    assert {"2026-02-06", "2026-01-19", "2026-02-10"} <= bounds
    assert bounds <= dates, sorted(bounds - dates)


# --- the picture -------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_the_picture_is_sixteen_by_nine_without_slide(
    story: Path, tmp_path: Path, suffix: str
) -> None:
    target = tmp_path / f"chart{suffix}"
    run(story, "chart", "--export", str(target))
    if suffix == ".png":
        from PIL import Image

        assert Image.open(target).size == (1920, 1080)
    else:
        m = re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', target.read_text(encoding="utf-8"))
        assert m is not None and float(m.group(1)) * 9 == float(m.group(2)) * 16


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pictures_legend_covers_no_data_and_its_words_are_large(lang: str) -> None:
    from datetime import date

    from limitlab.cli.views.chart import chart_figure
    from limitlab.core.model import Event
    from limitlab.core.timeline import credit_series
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    events = [
        Event(date(2026, 1, 5), "limit_review", {"limit_fen": 3_200_000, "previous_fen": 0,
                                                  "trigger": "opening", "score": 700}),
        Event(date(2026, 1, 5), "borrowed", {"principal_fen": 3_000_000}),
        Event(date(2026, 1, 6), "overdue", {}),
        Event(date(2026, 1, 20), "limit_review", {"limit_fen": 1_000_000,
                                                   "previous_fen": 3_200_000,
                                                   "trigger": "overdue", "score": 600}),
    ]  # fmt: skip
    _, days = credit_series(events, date(2026, 1, 5), date(2026, 3, 1), daily=True)
    fig = chart_figure(days, (350, 950), lang, "limitlab chart")
    renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
    fig.draw(renderer)
    assert len(fig.legends) == 1 and all(ax.get_legend() is None for ax in fig.axes)
    legend = fig.legends[0].get_window_extent(renderer)
    for ax in fig.axes:
        assert not legend.overlaps(ax.get_window_extent(renderer))
    assert all(t.get_fontsize() >= 16 for t in fig.legends[0].get_texts())
    for ax in fig.axes:
        assert all(t.get_fontsize() >= 16 for t in ax.get_xticklabels() + ax.get_yticklabels())
    assert fig._suptitle is not None and fig._suptitle.get_fontsize() >= 28


# --- words -------------------------------------------------------------------------------------


def test_the_chinese_chart_uses_the_products_words() -> None:
    from limitlab.cli.i18n import text
    from limitlab.cli.i18n.zh import MESSAGES

    words = {k: v for k, v in MESSAGES.items() if k.startswith("chart.")}
    assert words and not [k for k, v in words.items() if "评分" in v or "折线" in v]
    assert "信用分" in text("chart.score_title", "zh", low=350, high=950)
    assert "信用分" in text("chart.now", "zh", date="", limit="", used="", available="", score=1)
