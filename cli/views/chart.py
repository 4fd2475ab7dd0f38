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


def chart_view(days: list[dict[str, Any]], score_range: tuple[int, int], lang: str) -> Any:
    """The terminal chart, drawn by plotext from the daily series: the limit, used and
    used + available as lines, ▼ cuts and ▲ raises on the limit, ! overdue and ░ suspended
    days along the bottom; the score below. Words are rich text around the plots."""
    import plotext as plt  # type: ignore[import-untyped]
    from rich.console import Group
    from rich.text import Text

    from ..render import console, money

    width = max(40, min(console().width, 160))
    x = list(range(len(days)))
    limit = [p["limit_fen"] / 100 for p in days]
    used = [p["used_fen"] / 100 for p in days]
    reach = [u + p["available_fen"] / 100 for u, p in zip(used, days, strict=True)]
    cuts, raises = _changes(days)
    overdue, suspended = _spans(days)
    step = max(1, len(days) // max(2, width // 14))
    ticks = list(range(0, len(days), step))
    short = len(days) <= 366
    labels = [days[i]["date"][5:] if short else days[i]["date"][:7] for i in ticks]
    colour = plt.colorize
    figure = plt.figure
    figure.clear()
    figure.plot_size(width, 20)
    figure.draw(figure.signal(x, reach, marker=colour("·", "green")).lines())
    figure.draw(figure.signal(x, used, marker=colour("▪", "orange")).lines())
    figure.draw(figure.signal(x, limit, marker=colour("█", "blue")).lines())
    for indexes, mark, tint in ((overdue, "!", "red"), (suspended, "░", "gray")):
        if indexes:
            figure.draw(figure.signal(indexes, [0.0] * len(indexes), marker=colour(mark, tint)))
    for indexes, mark, tint in ((cuts, "▼", "red"), (raises, "▲", "green")):
        if indexes:
            points = [limit[i] for i in indexes]
            figure.draw(figure.signal(indexes, points, marker=colour(mark, tint)))
    figure.ruler("x").ticks(ticks, labels)
    upper = figure.build().string()
    low, high = score_range
    figure.clear()
    figure.plot_size(width, 9)
    score = [float(p["score"]) for p in days]
    figure.draw(figure.signal(x, score, marker=colour("▪", "cyan")).lines())
    figure.ruler("y").lim(low, high)
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
    return Group(
        Text(text("chart.picture_title", lang), style="bold"),
        Text.from_ansi(upper, no_wrap=True),
        Text(text("chart.terminal_legend", lang), style="dim"),
        Text(text("chart.score_title", lang, low=low, high=high), style="bold"),
        Text.from_ansi(lower, no_wrap=True),
        Text(facts),
    )


def chart_picture(
    days: list[dict[str, Any]],
    score_range: tuple[int, int],
    lang: str,
    suffix: str,
    title: str,
    slide: bool,
) -> str | bytes:
    """The chart as a .png (bytes, marked) or .svg (text) for slides, words in `lang`."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib.dates import DateFormatter, DayLocator
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    from ..slides import PNG_MARK, cjk_font_path

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

    fig = Figure(figsize=(16, 9) if slide else (12, 7), dpi=120, layout="constrained")
    limit_ax, score_ax = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    fig.suptitle(title, fontsize=20 if slide else 15)
    for indexes, colour, key in (
        (overdue, "#d62728", "chart.overdue"),
        (suspended, "#7f7f7f", "chart.suspended"),
    ):
        for n, (a, b) in enumerate(_runs(indexes)):
            limit_ax.axvspan(
                dates[a], ends[b], color=colour, alpha=0.18, lw=0,
                label=text(key, lang) if n == 0 else None,
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
        dates, limit, where="post", color="#1f3b73", lw=2.5, label=text("chart.limit", lang)
    )
    if cuts:
        limit_ax.scatter(
            [dates[i] for i in cuts], [limit[i] for i in cuts], marker="v", s=120,
            color="#d62728", zorder=5, label=text("chart.cut", lang),
        )  # fmt: skip
    if raises:
        limit_ax.scatter(
            [dates[i] for i in raises], [limit[i] for i in raises], marker="^", s=120,
            color="#2ca02c", zorder=5, label=text("chart.raise", lang),
        )  # fmt: skip
    limit_ax.set_ylim(0, max([*limit, *used, 1]) * 1.08)
    limit_ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"¥{v:,.0f}"))
    limit_ax.set_title(text("chart.picture_title", lang), loc="left")
    limit_ax.legend(loc="upper left", ncols=4, fontsize=10, framealpha=0.9)
    limit_ax.grid(alpha=0.3)
    low, high = score_range
    score_ax.step(
        edges, whole([float(p["score"]) for p in days]), where="post", color="#17becf", lw=2
    )
    score_ax.set_ylim(low, high)
    score_ax.set_title(text("chart.score_title", lang, low=low, high=high), loc="left")
    score_ax.grid(alpha=0.3)
    if len(days) <= 16:  # a day a tick, never hours
        score_ax.xaxis.set_major_locator(DayLocator())  # type: ignore[no-untyped-call]
    score_ax.xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))  # type: ignore[no-untyped-call]
    fig.autofmt_xdate()
    out = io.BytesIO()
    if suffix == ".png":
        fig.savefig(out, format="png", metadata=dict([PNG_MARK]))
        return out.getvalue()
    fig.savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]  # the export mark comes first (no XML declaration)
