"""`limitlab chart`: the account's story drawn from its daily series. In the terminal with
plotext, as a picture (.png, .svg) with matplotlib; both loaded only here, so no other
command's start-up pays for them.

The limit is a step line over used (filled) and available; ▼ marks a cut, ▲ a raise; red
spans are overdue days, grey ones days borrowing was suspended (available 0 below the limit);
the score has its own panel; every word in the user's language (Noto Sans CJK for Chinese).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from limitlab.cli.i18n import text
from limitlab.core.money import format_fen


def _changes(days: list[dict[str, Any]]) -> tuple[list[int], list[int]]:
    """The indexes of the days the limit was cut, and raised (not the opening)."""
    cuts, raises = [], []
    for i in range(1, len(days)):
        before, now = days[i - 1]["limit_fen"], days[i]["limit_fen"]
        if before and now < before:
            cuts.append(i)
        elif before and now > before:
            raises.append(i)
    return cuts, raises


def _spans(days: list[dict[str, Any]]) -> tuple[list[int], list[int]]:
    """The indexes of overdue days, and of suspended days that were not overdue."""
    overdue = [i for i, p in enumerate(days) if "overdue" in (p["marker"] or "")]
    suspended = [
        i
        for i, p in enumerate(days)
        if p["available_fen"] == 0 and p["limit_fen"] > p["used_fen"] and i not in overdue
    ]
    return overdue, suspended


def _runs(indexes: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for i in indexes:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


#: The terminal's marks: (mark, words, colour) for each thing drawn, in the legend's order;
#: the marks differ from one another, so the series read apart without colour too.
LINE_MARKS = (
    ("█", "chart.limit", "blue"),
    ("▪", "chart.used", "orange"),
    ("·", "chart.reach", "green"),
    ("▼", "chart.cut", "red"),
    ("▲", "chart.raise", "green"),
)
#: The marks along the bottom of the terminal's limit panel.
BOTTOM_MARKS = (("!", "chart.overdue_day", "red"), ("░", "chart.suspended", "gray"))
SCORE_MARK = ("▪", "cyan")


def score_limits(scores: list[int], score_range: tuple[int, int]) -> tuple[float, float]:
    """The score axis: the scores' own range with a margin, inside the scorecard's range (a
    score that moved 577 → 650 fills the panel instead of one row of 350–950)."""
    low, high = min(scores), max(scores)
    margin = max(5.0, (high - low) * 0.15)
    return max(score_range[0], low - margin), min(score_range[1], high + margin)


def _offsets(days: list[dict[str, Any]]) -> list[int]:
    """Each row's day from the first (the rows of one day's several changes share it)."""
    first = date.fromisoformat(days[0]["date"])
    return [(date.fromisoformat(p["date"]) - first).days for p in days]


def terminal_legend(lang: str, coloured: bool, width: int) -> list[str]:
    """The legend's lines: each mark with what it stands for, its colour named only when
    colour is drawn; an item is never split across lines."""

    def item(mark: str, key: str, colour: str) -> str:
        if coloured:
            return text("chart.mark_coloured", lang, mark=mark, name=text(key, lang),
                        colour=text(f"chart.colour.{colour}", lang))  # fmt: skip
        return f"{mark} {text(key, lang)}"

    from rich.cells import cell_len

    items = [item(*m) for m in LINE_MARKS]
    bottom = [item(*m) for m in BOTTOM_MARKS]
    items += [f"{text('chart.along_bottom', lang)}{bottom[0]}", *bottom[1:]]
    lines: list[str] = []
    for one in items:
        if lines and cell_len(lines[-1]) + 3 + cell_len(one) <= width:
            lines[-1] += "   " + one
        else:
            lines.append(one)
    return lines


def _yuan(fen: int) -> str:
    """A limit on the picture: `¥24,000` (the fen only when there are some)."""
    shown = format_fen(fen)
    return shown.removesuffix(".00")


def _labelled(days: list[dict[str, Any]], changes: list[int]) -> list[int]:
    """Of the rows where the limit changed, the last of each date (one label a day)."""
    last: dict[str, int] = {}
    for i in sorted(changes):
        last[days[i]["date"]] = i
    return sorted(last.values())


def chart_view(days: list[dict[str, Any]], score_range: tuple[int, int], lang: str) -> Any:
    """The terminal chart, drawn by plotext from the daily series: the limit, used and
    used + available as lines, ▼ cuts and ▲ raises on the limit, ! overdue and ░ suspended
    days along the bottom; the score below, its axis fitted to the scores. Words are rich
    text around the plots; the legend names the marks (and their colours when colour is on).
    """
    import plotext as plt  # type: ignore[import-untyped]
    from rich.console import Group
    from rich.text import Text

    from ..render import console, money

    out = console()
    coloured = out.color_system is not None and not out.no_color
    width = max(40, min(out.width, 160))
    x = _offsets(days)
    limit = [p["limit_fen"] / 100 for p in days]
    used = [p["used_fen"] / 100 for p in days]
    reach = [u + p["available_fen"] / 100 for u, p in zip(used, days, strict=True)]
    cuts, raises = _changes(days)
    overdue, suspended = _spans(days)
    span = x[-1] + 1
    step = max(1, span // max(2, width // 14))
    ticks = list(range(0, span, step))
    first = date.fromisoformat(days[0]["date"])
    short = span <= 366
    labels = [
        (first + timedelta(days=t)).isoformat()[5:] if short else
        (first + timedelta(days=t)).isoformat()[:7]
        for t in ticks
    ]  # fmt: skip
    colour = plt.colorize
    figure = plt.figure
    figure.clear()
    figure.plot_size(width, 20)
    marks = {key: (mark, tint) for mark, key, tint in (*LINE_MARKS, *BOTTOM_MARKS)}

    def drawn(key: str) -> Any:
        mark, tint = marks[key]
        return colour(mark, tint)

    figure.draw(figure.signal(x, reach, marker=drawn("chart.reach")).lines())
    figure.draw(figure.signal(x, used, marker=drawn("chart.used")).lines())
    figure.draw(figure.signal(x, limit, marker=drawn("chart.limit")).lines())
    for indexes, key in ((overdue, "chart.overdue_day"), (suspended, "chart.suspended")):
        if indexes:
            figure.draw(figure.signal([x[i] for i in indexes], [0.0] * len(indexes),
                                      marker=drawn(key)))  # fmt: skip
    for indexes, key in ((cuts, "chart.cut"), (raises, "chart.raise")):
        if indexes:
            points = [limit[i] for i in indexes]
            figure.draw(figure.signal([x[i] for i in indexes], points, marker=drawn(key)))
    figure.ruler("x").ticks(ticks, labels)
    upper = figure.build().string()
    figure.clear()
    figure.plot_size(width, 10)
    scores = [int(p["score"]) for p in days]
    figure.draw(figure.signal(x, [float(v) for v in scores],
                              marker=colour(*SCORE_MARK)).lines())  # fmt: skip
    figure.ruler("y").lim(*score_limits(scores, score_range))
    shown = sorted({min(scores), max(scores), scores[-1]})
    figure.ruler("y").ticks([float(v) for v in shown], [str(v) for v in shown])
    figure.ruler("x").ticks(ticks, labels)
    lower = figure.build().string()
    figure.clear()
    last = days[-1]
    facts = text(
        "chart.now",
        lang,
        date=last["date"],
        limit=money(last["limit_fen"]),
        used=money(last["used_fen"]),
        available=money(last["available_fen"]),
        score=last["score"],
    )
    low, high = score_range
    return Group(
        Text(text("chart.picture_title", lang), style="bold"),
        Text.from_ansi(upper, no_wrap=True),
        *(Text(line, style="dim") for line in terminal_legend(lang, coloured, width)),
        Text(text("chart.score_title", lang, low=low, high=high), style="bold"),
        Text.from_ansi(lower, no_wrap=True),
        Text(facts),
    )


def chart_figure(
    days: list[dict[str, Any]], score_range: tuple[int, int], lang: str, title: str
) -> Any:
    """The chart as a matplotlib Figure, 16:9, words in `lang`."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib.dates import DateFormatter, DayLocator
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    from ..slides import cjk_font_path

    cjk = cjk_font_path()
    font_manager.fontManager.addfont(cjk)
    cjk_name = font_manager.FontProperties(fname=cjk).get_name()
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", cjk_name]
    matplotlib.rcParams["svg.fonttype"] = "path"  # the glyphs travel with the file

    dates = [date.fromisoformat(p["date"]) for p in days]
    ends = [*dates[1:], dates[-1] + timedelta(days=1)]
    edges = [*dates, ends[-1]]  # each day drawn a whole day wide, the last one too

    def whole(values: list[float]) -> list[float]:
        return [*values, values[-1]]

    limit = [p["limit_fen"] / 100 for p in days]
    used = [p["used_fen"] / 100 for p in days]
    top_of_available = [u + p["available_fen"] / 100 for u, p in zip(used, days, strict=True)]
    cuts, raises = _changes(days)
    overdue, suspended = _spans(days)

    # 16:9 whether --slide or not (1920 × 1080 as a PNG), words large enough for the back
    # of a room; the legend below the plots, outside them, so it covers no data
    matplotlib.rcParams["font.size"] = 17
    fig = Figure(figsize=(16, 9), dpi=120, layout="constrained")
    limit_ax, score_ax = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    fig.suptitle(title, fontsize=30)
    for indexes, colour, hatch, key in (
        (overdue, "#d62728", "//", "chart.overdue"),
        (suspended, "#7f7f7f", "..", "chart.suspended"),
    ):
        for n, (a, b) in enumerate(_runs(indexes)):
            limit_ax.axvspan(  # over the filled areas, under the limit line
                dates[a], ends[b], facecolor=colour, alpha=0.3, lw=0, hatch=hatch,
                edgecolor="white", zorder=1.5, label=text(key, lang) if n == 0 else None,
            )  # fmt: skip
    limit_ax.fill_between(
        edges, whole(used), step="post", color="#ff7f0e", alpha=0.55, label=text("chart.used", lang)
    )
    limit_ax.fill_between(
        edges,
        whole(used),
        whole(top_of_available),
        step="post",
        color="#2ca02c",
        alpha=0.35,
        label=text("chart.available", lang),
    )
    limit_ax.step(
        [*dates, ends[-1]], whole(limit), where="post", color="#1f3b73", lw=3.5,
        label=text("chart.limit", lang),
    )  # fmt: skip
    for indexes, shape, colour, key in (
        (cuts, "v", "#d62728", "chart.cut"),
        (raises, "^", "#2ca02c", "chart.raise"),
    ):
        if indexes:
            limit_ax.scatter(
                [dates[i] for i in indexes], [limit[i] for i in indexes], marker=shape, s=260,
                color=colour, edgecolors="white", linewidths=1, zorder=5, label=text(key, lang),
            )  # fmt: skip
    top = max([*limit, *used, *top_of_available, 1]) * 1.08
    limit_ax.set_ylim(0, top)
    late = dates[0] + (ends[-1] - dates[0]) * 0.85
    for i in _labelled(days, [*cuts, *raises]):  # the new limit beside each day's last change
        right = dates[i] < late  # near the right edge the label goes to the marker's left
        limit_ax.annotate(
            _yuan(days[i]["limit_fen"]), (dates[i], limit[i]),
            xytext=(12 if right else -12, 8), textcoords="offset points",
            ha="left" if right else "right", fontsize=16, color="#1f3b73",
        )  # fmt: skip
    limit_ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"¥{v:,.0f}"))
    limit_ax.set_title(text("chart.picture_title", lang), loc="left", fontsize=20)
    fig.legend(loc="outside lower center", ncols=7, fontsize=17, frameon=False)
    limit_ax.grid(alpha=0.3)
    low, high = score_range
    scores = [int(p["score"]) for p in days]
    score_ax.step(
        [*dates, ends[-1]], whole([float(v) for v in scores]), where="post", color="#17becf", lw=3
    )
    score_ax.set_ylim(*score_limits(scores, score_range))
    score_ax.set_title(text("chart.score_title", lang, low=low, high=high), loc="left", fontsize=20)
    score_ax.grid(alpha=0.3)
    if len({p["date"] for p in days}) <= 16:  # a day a tick, never hours
        score_ax.xaxis.set_major_locator(DayLocator())  # type: ignore[no-untyped-call]
    score_ax.xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))  # type: ignore[no-untyped-call]
    for ax in (limit_ax, score_ax):
        ax.tick_params(labelsize=16)
    return fig


def chart_picture(
    days: list[dict[str, Any]],
    score_range: tuple[int, int],
    lang: str,
    suffix: str,
    title: str,
    slide: bool,
) -> str | bytes:
    """The chart as a .png (bytes, marked) or .svg (text) for slides, words in `lang`: the
    same 16:9 picture (1920 × 1080) with --slide or without."""
    import io

    from ..slides import PNG_MARK

    fig = chart_figure(days, score_range, lang, title)
    out = io.BytesIO()
    if suffix == ".png":
        fig.savefig(out, format="png", metadata=dict([PNG_MARK]))
        return out.getvalue()
    fig.savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]  # the export mark comes first (no XML declaration)
