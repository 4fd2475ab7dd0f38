"""`limitlab glossary` and `limitlab chart`: learning aids drawn from the account's own numbers."""

import os
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .app import ExportOpt, JsonOpt, LangOpt, app, show_data
from .context import (
    UserError,
    export_path,
    handle_errors,
    open_store,
    print_json,
    say,
    settings,
)
from .typer_ext import Command

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.measure import Measurement


# --- glossary ----------------------------------------------------------------------------------


@app.command(cls=Command)
@handle_errors
def glossary(
    ctx: typer.Context,
    term: Annotated[
        str | None,
        typer.Argument(
            metavar="TERM", help="One term, by its Chinese or English name (e.g. 额度, DTI)."
        ),
    ] = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """The words of the lesson (授信, 额度, 逾期, 征信, …) in both languages, each with a line
    from your account (or a generic one when there is no account yet).

    Example: limitlab glossary   ·   limitlab glossary 逾期   ·   limitlab glossary dti --json
    """
    s = settings(ctx, json_out, lang)
    from limitlab.core.glossary import TERMS, find_term, glossary_entries, names

    terms = TERMS
    if term is not None:
        found = find_term(term)
        if found is None:
            listed = "; ".join(" / ".join(reversed(names(t))) for t in TERMS)
            raise UserError("glossary.unknown", text=term, terms=listed)
        terms = (found,)
    loaded = None
    if os.path.exists(s.db_path):  # never create a database just to explain a word
        store = open_store(s)
        try:
            loaded = store.load()
        finally:
            store.close()
    entries = glossary_entries(
        terms, s.lang, loaded.state if loaded else None, loaded.policy if loaded else None
    )
    if s.json:
        print_json(entries)
        return
    if loaded is None:
        say(s, "glossary.no_account", path=s.db_path)
    from .render import show

    show(glossary_view(entries, s.lang, from_account=loaded is not None))


def glossary_view(entries: list[dict[str, Any]], lang: str, *, from_account: bool) -> Any:
    """One block per term: both names and the pinyin, then the definition and the example,
    indented so a narrow terminal wraps them under the heading."""
    from limitlab.core.messages import text
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    label = text("glossary.from_account" if from_account else "glossary.for_example", lang)
    blocks: list[Any] = [Text(text("glossary.title", lang), style="bold underline")]
    for e in entries:
        heading = Text.assemble(
            (e["name_zh"], "bold"), " ", (e["pinyin"], "italic"), " · ", (e["name_en"], "bold")
        )
        body = Text(e["definition"])
        example = Text.assemble((label, "dim"), " ", e["example"])
        blocks += [Text(""), heading, Padding(Group(body, example), (0, 0, 0, 2))]
    return Group(*blocks)


# --- chart: the series -------------------------------------------------------------------------

# --- chart: the command and its picture --------------------------------------------------------


@app.command(cls=Command)
@handle_errors
def chart(
    ctx: typer.Context,
    months: Annotated[
        int | None, typer.Option("--months", min=1, help="Only the last N months.")
    ] = None,
    export: ExportOpt = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """Limit, used and available over time, and the score, rebuilt from the account's events.

    One row per day, week or month; ▲▼◆ mark limit changes and ! overdue days.
    With --json: the rows as {date, limit_fen, used_fen, available_fen, score, marker}.

    Example: limitlab chart   ·   limitlab chart --months 3   ·   limitlab chart --json
    """
    s = settings(ctx, json_out, lang)
    target = export_path(export)
    from limitlab.core.loans import add_months

    store = open_store(s)
    try:
        loaded = store.load()
        from limitlab.core.timeline import SERIES_KINDS

        events = store.events(list(SERIES_KINDS))
    finally:
        store.close()
    state = loaded.state
    start = state.opened_on
    age_months = (state.today.year - start.year) * 12 + state.today.month - start.month + 1
    if months is not None and months < age_months:  # more than the account's age: all of it
        start = max(start, add_months(state.today, -months))
    from limitlab.core.timeline import SERIES_KINDS, credit_series

    step, points = credit_series(events, start, state.today)
    policy = loaded.policy
    score_range = (policy.score_base, policy.score_max)
    show_data(s, points, lambda: chart_view(points, step, score_range, s.lang), target)


class Bar:
    """A horizontal bar of (value, character, style) segments, as long as its column allows:
    `scale` fills the whole width. Each segment's end is rounded, so the parts add up."""

    def __init__(self, segments: list[tuple[int, str, str]], scale: int) -> None:
        self.segments = segments
        self.scale = max(scale, 1)

    def __rich_console__(self, console: "Console", options: "ConsoleOptions") -> "RenderResult":
        from rich.text import Text

        width = options.max_width
        bar, total, drawn = Text(), 0, 0
        for value, char, style in self.segments:
            total += max(value, 0)
            end = min(width, round(total * width / self.scale))
            bar.append(char * (end - drawn), style=style)
            drawn = max(drawn, end)
        yield bar

    def __rich_measure__(self, console: "Console", options: "ConsoleOptions") -> "Measurement":
        from rich.measure import Measurement

        return Measurement(4, options.max_width)


def _limit_mark(point: dict[str, Any], before: dict[str, Any] | None) -> str:
    marker = point["marker"] or ""
    mark = ""
    if "limit_change" in marker:
        previous = before["limit_fen"] if before else point["limit_fen"]
        mark = (
            "▲" if point["limit_fen"] > previous else "▼" if point["limit_fen"] < previous else "◆"
        )
    return mark + ("!" if "overdue" in marker else "")


def chart_view(
    points: list[dict[str, Any]], step: str, score_range: tuple[int, int], lang: str
) -> Any:
    """Two panels: the limit (bars of used, available and held back, with the figures) and
    the score. Figure columns keep their full width; only the bars shrink."""
    from limitlab.core.messages import text
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from .render import fit_figures, money

    def table(*columns: tuple[str, str]) -> Table:
        """Columns (header, "left" | "right" | "bar"): the bar takes what the others leave."""
        t = Table(box=None, expand=True, padding=(0, 0, 0, 1), pad_edge=False)
        for header, justify in columns:
            if justify == "bar":
                t.add_column(header, ratio=1, no_wrap=True)
            else:
                t.add_column(header, justify=justify, no_wrap=True)  # type: ignore[arg-type]
        return t

    step_name = text(f"chart.step.{step}", lang)
    limits = table(
        (text("label.date", lang), "left"),
        ("", "bar"),
        (text("chart.col_limit", lang), "right"),
        (text("chart.col_used", lang), "right"),
        (text("chart.col_available", lang), "right"),
        ("", "left"),
    )
    scale = max(max(p["limit_fen"], p["used_fen"]) for p in points)
    for before, p in zip([None, *points], points, strict=False):
        held = max(0, p["limit_fen"] - p["used_fen"] - p["available_fen"])
        bar = Bar(
            [
                (p["used_fen"], "█", "yellow"),
                (p["available_fen"], "▒", "green"),
                (held, "░", "red"),
            ],
            scale,
        )
        mark = _limit_mark(p, before)
        limits.add_row(
            p["date"],
            bar,
            money(p["limit_fen"]),
            money(p["used_fen"]),
            money(p["available_fen"]),
            Text(mark, style="red" if "!" in mark else "bold"),
        )
    low, high = score_range
    scores = table(
        (text("label.date", lang), "left"), ("", "bar"), (text("label.score", lang), "right")
    )
    for p in points:
        scores.add_row(
            p["date"], Bar([(p["score"] - low, "█", "cyan")], high - low), str(p["score"])
        )
    return Group(
        Panel(
            Group(fit_figures(limits), Text(text("chart.legend", lang), style="dim")),
            title=text("chart.title_limit", lang, step=step_name),
            title_align="left",
        ),
        Panel(
            fit_figures(scores),
            title=text("chart.title_score", lang, low=low, high=high, step=step_name),
            title_align="left",
        ),
    )
