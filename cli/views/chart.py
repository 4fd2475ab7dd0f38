"""`limitlab chart`: the account's story drawn from its daily series. In the terminal with
rows of bars (cli/commands/teaching.py), as a picture (.png, .svg) with matplotlib, loaded
only here, so no other command's start-up pays for it.

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
        dates, used, step="post", color="#ff7f0e", alpha=0.55, label=text("chart.used", lang)
    )
    limit_ax.fill_between(
        dates,
        used,
        top_of_available,
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
    score_ax.step(dates, [p["score"] for p in days], where="post", color="#17becf", lw=2)
    score_ax.set_ylim(low, high)
    score_ax.set_title(text("chart.score_title", lang, low=low, high=high), loc="left")
    score_ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    out = io.BytesIO()
    if suffix == ".png":
        fig.savefig(out, format="png", metadata=dict([PNG_MARK]))
        return out.getvalue()
    fig.savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]  # the export mark comes first (no XML declaration)
