"""Rich rendering: one renderer per read model, in the user's language."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from limitlab.cli.i18n import has, text
from limitlab.core.money import format_fen, format_percent
from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.containers import Lines
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from .safe_text import echo, visible
from .tables import hanging as hanging  # re-exported: the views' lists


class Typeset(Text):
    """A Text wrapped by the screen language's typesetting (`Typesetting.breaks`): the one
    place text is broken into lines, whatever holds it (a paragraph, a table cell, a list)."""

    __slots__ = ()

    @classmethod
    def of(cls, text: Text) -> Text:
        from limitlab.cli.i18n import screen_typesetting

        if type(text) is not Text or not screen_typesetting().no_line_start:
            return text
        copy = text.copy()
        copy.__class__ = cls
        return copy

    def wrap(
        self,
        console: Console,
        width: int,
        *,
        justify: Any = None,
        overflow: Any = None,
        tab_size: int = 8,
        no_wrap: bool | None = None,
    ) -> Lines:
        from limitlab.cli.i18n import screen_typesetting

        setting = screen_typesetting()
        wrap_justify = justify or self.justify or "default"
        wrap_overflow = overflow or self.overflow or "fold"
        if no_wrap or self.no_wrap or overflow == "ignore":
            return super().wrap(
                console,
                width,
                justify=justify,
                overflow=overflow,
                tab_size=tab_size,
                no_wrap=no_wrap,
            )
        lines = Lines()
        for line in self.split(allow_blank=True):
            if "\t" in line:
                line.expand_tabs(tab_size)
            offsets = setting.breaks(line.plain, width, fold=wrap_overflow == "fold") or []
            new_lines = line.divide(offsets)
            for part in new_lines:
                part.rstrip_end(width)
            new_lines.justify(console, width, justify=wrap_justify, overflow=wrap_overflow)
            for part in new_lines:
                part.truncate(width, overflow=wrap_overflow)
            lines.extend(new_lines)
        return lines


class TextConsole(Console):
    """A console that shows data as text, whatever it holds: a string is never read as
    markup (`[/x]`, `[link=…]` are a name like any other; a view styles its own words with
    Text), and a control character in anything shown is written out (`\\x1b`), never sent
    to the terminal. Rich's own styles and cursor moves are not in the text, so they stay."""

    def __init__(self, **options: Any) -> None:
        super().__init__(markup=False, highlight=False, emoji=False, **options)

    def render_str(self, text: str, **options: Any) -> Text:
        """A string (a table cell, a title) written out before it is measured, so a column
        is as wide as what it shows."""
        return Typeset.of(super().render_str(visible(text, keep="\n"), **options))

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterator[Segment]:
        """Anything else (a Text a view built) is written out as it is drawn."""
        if isinstance(renderable, Text):
            renderable = Typeset.of(renderable)
        for segment in super().render(renderable, options):
            if segment.control or segment.text.isprintable():
                yield segment
            else:
                yield Segment(visible(segment.text, keep="\n"), segment.style)


def console() -> Console:
    """A console on the current stdout, sized for the terminal now (never cached: a test
    runner swaps streams and sizes between commands)."""
    return TextConsole()


def err_console() -> Console:
    from .pager import flush

    flush()  # a screen held for the pager goes out before any message after it
    return TextConsole(stderr=True)


def money(fen: int | None, *, sign: bool = False) -> str:
    return "—" if fen is None else format_fen(fen, sign=sign)


def pct(rate: str) -> str:
    return format_percent(Decimal(rate))


def daily(rate: str) -> str:
    return format_percent(Decimal(rate), 3)


def _table(title: str | None = None, *columns: tuple[str, str]) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAVY, title_justify="left", show_edge=False)
    for header, justify in columns:
        table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
    return table


def fit_figures(renderable: Any, width: int | None = None) -> Any:
    """Fit every table in `renderable` (walking into groups) to the screen (cli/tables.py):
    a figure is never cut or split, words fold; a table too narrow for its figures comes
    back as stacked rows."""
    from .tables import fit, stacked

    width = screen_width() if width is None else width
    if isinstance(renderable, Group):
        inner = renderable.renderables
        inner[:] = [fit_figures(part, width) for part in inner]
    elif (
        isinstance(renderable, Table)
        and not fit(renderable, width, measuring(width))
        and renderable.box  # a grid (no box) is left as it is
    ):
        return fit_figures(stacked(renderable), width)
    return renderable


def measuring(width: int) -> Console:
    """A console like the screen's, `width` wide, that only measures."""
    import io

    return TextConsole(width=width, file=io.StringIO())


def drop_until_fits(table: Table, *groups: tuple[int, ...]) -> Table:
    """`table` without the columns a narrow screen can spare (cli/tables.py)."""
    from . import tables

    width = screen_width()
    return tables.drop_until_fits(table, width, measuring(width), *groups)


#: While a screen is being exported, everything `show` prints is also recorded here.
_recorder: Console | None = None


def screen_width() -> int:
    """The width a screen is drawn at: the terminal's, or a narrower export's (a slide)."""
    width = console().width
    return min(width, _recorder.width) if _recorder is not None else width


def show(renderable: Any = "") -> None:
    from . import pager

    fitted = fit_figures(renderable)
    out = console()
    if _recorder is None and pager.wanted():  # held: a long screen goes through the pager
        with out.capture() as captured:
            out.print(fitted)
        pager.hold(captured.get())
    else:
        out.print(fitted)
    if _recorder is not None:
        _recorder.print(fitted)


def export_title() -> str:
    """The command being run, as a slide's title (`limitlab why`)."""
    from .errors import running_command

    return running_command()[0]


def slide_mode() -> bool:
    """Is the running command's --slide on?"""
    from .errors import running_command

    return running_command()[1]


#: A picture of its own for .png/.svg (the chart): (suffix, title, slide) → the file's content.
Picture = Any


@contextmanager
def exporting(path: str | None, picture: Picture = None) -> Iterator[None]:
    """Record what is shown and save it to `path`: .svg, .html or .txt (rich's own export;
    an SVG with CJK widths and fonts fixed), .png drawn cell by cell (cli/slides.py), or
    `picture`'s own .png/.svg; marked as limitlab's and written whole (cli/exports.py)."""
    global _recorder
    if path is None:
        yield
        return
    import io

    from .exports import write

    outer = _recorder  # a lesson step may export while the whole lesson is being exported
    width = 100 if slide_mode() else console().width  # a slide: the same width every time
    _recorder = TextConsole(record=True, file=io.StringIO(), width=width)
    try:
        yield
        suffix = os.path.splitext(path)[1].lower()
        title, slide = export_title(), slide_mode()
        content: str | bytes
        if picture is not None and suffix in (".png", ".svg"):
            content = picture(suffix, title, slide)
        elif suffix == ".svg":
            from .slides import export_svg

            content = export_svg(_recorder, title, slide)
        elif suffix == ".png":
            from .slides import export_png

            content = export_png(_recorder, title, slide)
        elif suffix == ".html":
            content = _recorder.export_html(clear=False)
        else:
            content = _recorder.export_text(clear=False)
        write(path, content)
    finally:
        if outer is not None:
            outer.print(_recorder.export_text(clear=False))
        _recorder = outer


def reason_title(code: str, lang: str) -> str:
    """A reason or refusal code in words (its title), never the code itself."""
    for key in (f"reason.{code}.title", f"app.{code}"):
        if has(key):
            return text(key, lang)
    return code.replace("_", " ").capitalize()


def paren(inner: str, lang: str) -> str:
    """`inner` in the language's parentheses: (…) or （…）."""
    return text("paren", lang, inner=inner)


def attribute_text(attribute: str, lang: str) -> str:
    """A scorecard attribute in words (a policy's own attribute, unknown here, as written)."""
    key = f"attribute.{attribute}"
    return text(key, lang) if has(key) else attribute.replace("_", " ")


def value_text(value: str, lang: str) -> str:
    """A scorecard value or band in words: yes/no translated, figures as they are."""
    return text(f"value.{value}", lang) if value in ("yes", "no") else value


def kind_text(kind: str, lang: str) -> str:
    """An event kind in words (JSON keeps the kind)."""
    key = f"kind.{kind}"
    return text(key, lang) if has(key) else kind.replace("_", " ")


def band_text(band: str, lang: str) -> str:
    """A score band's name (a policy may name its own bands: those show as written)."""
    return text(f"band.{band}", lang) if has(f"band.{band}") else band.replace("_", " ")


def state_text(state: str, lang: str) -> Text:
    style = {
        "active": "green",
        "exhausted": "yellow",
        "reduced": "yellow",
        "suspended": "red",
        "closed": "red",
        "not_eligible": "red",
    }.get(state, "")
    return Text(text(f"state.{state}", lang), style=style)


def suspension_text(s: dict[str, Any], lang: str) -> str:
    reason = (
        text(f"reason.{s['code']}.title", lang) if has(f"reason.{s['code']}.title") else s["code"]
    )
    if s["until"]:
        when = text("label.until", lang, date=s["until"])
    elif s["condition"] == "never":
        when = text("label.permanent", lang)
    elif s["condition"] == "clean_review":
        when = text("label.until_clean_review", lang)
    else:
        when = text("label.until_repaid", lang)
    return f"{reason} — {when}"


def status_view(r: dict[str, Any], lang: str) -> Group:
    """The figures as a two-column table; suspensions as lines below it (their words would
    otherwise widen the figure column and squeeze the figures on a narrow terminal)."""
    t = _table(text("title.status", lang, today=r["today"]), ("", "left"), ("", "right"))
    t.show_header = False
    t.add_row(text("label.state", lang), state_text(r["state"], lang))
    band = band_text(r["score_band"], lang)
    gap = "" if lang == "zh" else " "
    t.add_row(text("label.score", lang), f"{r['score']}{gap}{paren(band, lang)}")
    t.add_row(text("label.limit", lang), money(r["limit_fen"]))
    t.add_row(text("label.used", lang), money(r["used_fen"]))
    t.add_row(
        Text(text("label.available", lang), style="bold"),
        Text(money(r["available_fen"]), style="bold"),
    )
    t.add_row(text("label.daily_rate", lang), daily(r["daily_rate"]))
    t.add_row(text("label.apr_simple", lang), pct(r["apr_simple"]))
    t.add_row(text("label.apr_effective", lang), pct(r["apr_effective"]))
    t.add_row(text("label.wallet", lang), money(r["wallet_fen"]))
    if r["next_due_date"]:
        t.add_row(text("label.next_due", lang), money(r["next_due_fen"]))
        t.add_row(text("label.due_date", lang), r["next_due_date"])
    if r["overdue_fen"]:
        t.add_row(
            Text(text("label.overdue", lang), style="red"),
            Text(money(r["overdue_fen"]), style="red"),
        )
        t.add_row(
            Text(text("label.dpd", lang), style="red"), Text(str(r["days_past_due"]), style="red")
        )
    lines = [
        Text(f"{text('label.suspended_by', lang)}: {suspension_text(s, lang)}", style="red")
        for s in r["suspensions"]
    ]
    return Group(t, *lines)


def installments_view(
    rows: list[dict[str, Any]], lang: str, title: str | None = None, *, ledger: bool = False
) -> Group:
    """The schedule: each period's days (interest runs on them), and with `ledger` what was
    already paid and what is still owed per installment. A narrow terminal drops the penalty
    column when it is empty, then the days, then the paid column when it only repeats the
    installment or nothing, and below that each installment is a block of its own (#, due
    date, installment, owed and status first). The title stands above the table so it wraps
    instead of being cut."""
    from .tables import stack_lead

    any_penalty = any(r["penalty_fen"] for r in rows)
    columns = [
        ("seq", (text("label.seq", lang), "right")),
        ("due", (text("label.due_date", lang), "left")),
        ("days", (text("label.period_days", lang), "right")),
        ("principal", (text("label.principal", lang), "right")),
        ("interest", (text("label.interest", lang), "right")),
        ("penalty", (text("label.penalty", lang), "right")),
        ("installment", (text("label.installment", lang), "right")),
    ]
    if ledger:
        columns += [
            ("paid", (text("label.paid", lang), "right")),
            ("owed", (text("label.owed", lang), "right")),
        ]
    columns.append(("status", (text("label.status", lang), "left")))
    t = _table(None, *(spec for _, spec in columns))
    for row in rows:
        status = row["status"]
        label = (
            text("inst.overdue", lang, dpd=row["days_past_due"])
            if status == "overdue"
            else text(f"inst.{status}", lang)
        )
        style = {"overdue": "red", "paid": "dim", "due": "yellow"}.get(status, "")
        cells: dict[str, Any] = {
            "seq": str(row["seq"]),
            "due": Text(row["due_date"], no_wrap=True),
            "days": str(row["days"]),
            "principal": money(row["principal_fen"]),
            "interest": money(row["interest_fen"]),
            "penalty": money(row["penalty_fen"]) if row["penalty_fen"] else "",
            "installment": money(_installment_fen(row)),
            "paid": money(row["paid_fen"]),
            "owed": money(row["owed_fen"]),
            "status": Text(label, style=style),
        }
        t.add_row(*(cells[name] for name, _ in columns))
    names = [name for name, _ in columns]
    stack_lead(
        t, *(names.index(n) for n in ("seq", "due", "installment", "owed", "status") if n in names)
    )
    spare = [] if any_penalty else [(names.index("penalty"),)]
    spare.append((names.index("days"),))
    if ledger and all(r["paid_fen"] in (0, _installment_fen(r)) for r in rows):
        spare.append((names.index("paid"),))
    drop_until_fits(t, *spare)
    parts: list[Any] = [Text(title, style="italic")] if title else []
    return Group(*parts, t)


def _installment_fen(row: dict[str, Any]) -> int:
    return int(row["principal_fen"] + row["interest_fen"] + row["penalty_fen"])


def quote_view(q: dict[str, Any], lang: str) -> Group:
    method = text(f"method.{q['method']}", lang)
    title = text(
        "title.quote", lang, amount=money(q["principal_fen"]), term=q["term"], method=method
    )
    summary = _table(None, ("", "left"), ("", "right"))
    summary.show_header = False
    summary.add_row(text("label.daily_rate", lang), daily(q["daily_rate"]))
    summary.add_row(text("label.apr_simple", lang), pct(q["apr_simple"]))
    summary.add_row(text("label.apr_effective", lang), pct(q["apr_effective"]))
    summary.add_row(text("label.total_interest", lang), money(q["total_interest_fen"]))
    parts: list[Any] = [installments_view(q["installments"], lang, title), summary]
    if q.get("apr_warning"):
        parts.append(Text(text("note.apr_warn", lang), style="yellow"))
    if q.get("apr_effective_warning"):
        parts.append(Text(text("note.apr_effective_warn", lang), style="yellow"))
    return Group(*parts)


def schedule_view(s: dict[str, Any], lang: str) -> Group:
    method = text(f"method.{s['method']}", lang)
    title = text(
        "title.schedule",
        lang,
        loan_id=s["loan_id"],
        amount=money(s["principal_fen"]),
        method=method,
        drawn_on=s["drawn_on"],
    )
    return installments_view(s["installments"], lang, title, ledger=True)


def event_line(kind: str, data: dict[str, Any], lang: str) -> str:
    """One event in words; an event whose data lacks what its line needs (a damaged file)
    shows as its kind, as an unknown one does."""
    try:
        return _event_line(kind, data, lang)
    except (KeyError, TypeError, ValueError, AttributeError):
        return kind


def _event_line(kind: str, data: dict[str, Any], lang: str) -> str:
    key = f"event.{kind}"
    if not has(key):
        return kind
    d = data
    params: dict[str, Any] = {}
    if kind == "limit_review":
        codes = ", ".join(_reason_title(code, lang) for code in d["codes"])
        params = {
            "trigger": text(f"trigger.{d['trigger']}", lang),
            "old": money(d["previous_fen"]),
            "new": money(d["limit_fen"]),
            "codes": f"[{codes}]" if codes else "",
        }
    elif kind == "borrowed":
        params = {
            "principal": money(d["principal_fen"]),
            "loan_id": d["loan_id"],
            "term": d["term"],
        }
    elif kind == "application_refused":
        params = {"amount": money(d["amount_fen"]), "code": _reason_title(d["code"], lang)}
    elif kind == "borrow_refused":
        params = {
            "amount": money(d["amount_fen"]),
            "code": _reason_title(d["code"], lang),
            "available": money(d["available_fen"]),
        }
    elif kind in ("repaid", "autopay"):
        params = {
            "total": money(d["total_fen"]),
            "principal": money(d["principal_fen"]),
            "interest": money(d["interest_fen"]),
            "penalty": money(d["penalty_fen"]),
        }
    elif kind == "autopay_short":
        params = {"missing": money(d["missing_fen"])}
    elif kind in ("overdue", "bureau_report"):
        params = {
            "seq": d["seq"],
            "loan_id": d["loan_id"],
            "due_date": d["due_date"],
            "dpd": d.get("days_past_due", 1),
        }
    elif kind in ("overdue_milestone", "account_closed", "line_frozen"):
        params = {"dpd": d["days_past_due"]}
    elif kind == "line_unfrozen":
        params = {"frozen_on": d["frozen_on"]}
    elif kind == "loan_paid_off":
        params = {"loan_id": d["loan_id"]}
    elif kind == "payday":
        params = {"income": money(d["income_fen"]), "expenses": money(d["expenses_fen"])}
    elif kind in ("wallet_deposit", "wallet_withdraw"):
        params = {"amount": money(d["amount_fen"])}
    elif kind == "score_changed":
        params = {"old": d["from"], "new": d["to"]}
    elif kind == "profile_changed":
        params = {
            "fields": ", ".join(
                f"{_field_text(k, lang)} {_plain(k, v['from'], lang)} → {_plain(k, v['to'], lang)}"
                for k, v in d.items()
            )
        }
    elif kind == "income_drop":
        params = {"old": money(d["from_fen"]), "new": money(d["to_fen"])}
    elif kind == "external_added":
        params = {
            "lender": d["lender"],
            "balance": money(d["balance_fen"]),
            "monthly": money(d["monthly_fen"]),
        }
    elif kind == "external_repaid":
        params = {
            "lender": d["lender"],
            "amount": money(d["amount_fen"]),
            "balance": money(d["balance_fen"]),
        }
    elif kind == "external_payment":
        params = {
            "lender": d["lender"],
            "amount": money(d["amount_fen"]),
            "interest": money(d["interest_fen"]),
            "balance": money(d["balance_fen"]),
        }
    elif kind == "external_missed":
        params = {"lender": d["lender"], "missing": money(d["missing_fen"])}
    elif kind == "external_paid_off":
        params = {"lender": d["lender"]}
    elif kind == "cooloff_started":
        params = {"count": d["applications"], "days": d["window_days"], "until": d["until"]}
    elif kind == "platform_started":
        params = {
            "kind": text(f"platform.{d['kind']}", lang),
            "id": d["id"],
            "ends_on": d["ends_on"],
        }
    elif kind == "platform_ended":
        params = {"id": d["measure_id"]}
    return text(key, lang, **params)


def _plain(key: str, value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return text("value.yes" if value else "value.no", lang)
    return money(value) if key.endswith("_fen") and isinstance(value, int) else str(value)


def _field_text(field: str, lang: str) -> str:
    key = f"field.{field}"
    return text(key, lang) if has(key) else field.replace("_", " ")


def history_view(events: list[dict[str, Any]], lang: str) -> Table:
    t = _table(
        text("title.history", lang),
        (text("label.date", lang), "left"),
        (text("label.event", lang), "left"),
        (text("label.details", lang), "left"),
    )
    for e in events:
        t.add_row(e["date"], kind_text(e["kind"], lang), event_line(e["kind"], e["data"], lang))
    return t


def limits_view(rows: list[dict[str, Any]], lang: str) -> Table:
    """Date, trigger, old → new, score, reasons. Under 100 columns the trigger goes (the
    reasons say it), under 80 the score too, so the reasons keep room to read."""
    width = screen_width()
    columns = [
        ("date", (text("label.date", lang), "left")),
        ("trigger", (text("label.trigger", lang), "left")),
        ("change", (text("label.old_new", lang), "right")),
        ("score", (text("label.score", lang), "right")),
        ("reasons", (text("label.reasons", lang), "left")),
    ]
    dropped = ({"trigger"} if width < 100 else set()) | ({"score"} if width < 80 else set())
    columns = [c for c in columns if c[0] not in dropped]
    t = _table(text("title.limits", lang), *(spec for _, spec in columns))
    for r in rows:
        cells: dict[str, Any] = {
            "date": Text(r["date"], no_wrap=True),
            "trigger": text(f"trigger.{r['trigger']}", lang),
            "change": f"{money(r['old_limit_fen'])} → {money(r['new_limit_fen'])}",
            "score": str(r["score"]),
            "reasons": _change_reasons(r, lang),
        }
        t.add_row(*(cells[name] for name, _ in columns))
    return t


def _change_reasons(row: dict[str, Any], lang: str) -> str:
    """A change's reasons: each part of its own attribution with its amount, or (for a change
    made before reviews kept one) the review's reasons by name."""
    if row["attribution"] is None:
        binding = text(f"binding.{row['binding']}", lang) if row["binding"] else ""
        return ", ".join(_reason_title(code, lang) for code in row["codes"]) or binding
    lines = [f"{money(e['amount_fen'], sign=True)} {e['title']}" for e in row["attribution"]]
    return "\n".join(lines) or text("limits.opening", lang)


def score_view(r: dict[str, Any], lang: str) -> Group:
    """Wide: dimension, attribute, value, band, points, max, gap. Narrow: the dimension is a
    heading row and the band goes, so every figure still fits."""
    narrow = console().width < 90
    columns = [
        ("dimension", (text("label.dimension", lang), "left")),
        ("attribute", (text("label.attribute", lang), "left")),
        ("value", (text("label.value", lang), "right")),
        ("band", (text("label.band", lang), "left")),
        ("points", (text("label.points", lang), "right")),
        ("max", (text("label.max", lang), "right")),
        ("gap", (text("label.gap", lang), "right")),
    ]
    if narrow:
        columns = [c for c in columns if c[0] not in ("dimension", "band")]
    band = band_text(r["score_band"], lang)
    title = text("title.score", lang, score=r["score"], band=band, today=r["today"])
    t = _table(title, *(spec for _, spec in columns))
    dims = {d["dimension"]: d for d in r["dimensions"]}
    last = None
    for a in r["attributes"]:
        dim = a["dimension"]
        name = text(f"dimension.{dim}", lang)
        head = f"{name} {dims[dim]['points']}/{dims[dim]['max_points']}" if dim != last else ""
        last = dim
        gap = Text(f"−{a['gap']}" if a["gap"] else "", style="yellow" if a["key_factor"] else "")
        if a["key_factor"]:
            gap.append(" ←" if narrow else f" ← {text('label.key_factor', lang)}", style="yellow")
        cells: dict[str, str | Text] = {
            "dimension": head,
            "attribute": attribute_text(a["attribute"], lang),
            "value": value_text(a["value"], lang),
            "band": (
                text("label.no_history", lang)
                if a["band"] == "no_history"
                else value_text(a["band"], lang)
            ),
            "points": str(a["points"]),
            "max": str(a["max_points"]),
            "gap": gap,
        }
        if narrow and head:
            t.add_row(Text(head, style="bold"), *([""] * (len(columns) - 1)))
        t.add_row(*(cells[name] for name, _ in columns))
    return Group(t, Text(text("note.score_weights", lang), style="dim"))


def key_value_view(
    title: str,
    rows: list[tuple[str, str]],
    lang: str,
    headers: tuple[str, str] = ("label.setting", "label.value"),
) -> Table:
    t = _table(title, (text(headers[0], lang), "left"), (text(headers[1], lang), "left"))
    for k, v in rows:
        t.add_row(k, v)
    return t


def external_view(rows: list[dict[str, Any]], lang: str) -> Table:
    t = _table(
        text("title.external", lang),
        (text("label.lender", lang), "left"),
        (text("label.balance", lang), "right"),
        (text("label.monthly", lang), "right"),
        (text("label.since", lang), "left"),
    )
    for r in rows:
        t.add_row(r["lender"], money(r["balance_fen"]), money(r["monthly_fen"]), r["added_on"])
    return t


def platform_view(rows: list[dict[str, Any]], lang: str) -> Table:
    t = _table(
        text("title.platform", lang),
        ("#", "right"),
        (text("label.kind", lang), "left"),
        (text("label.since", lang), "left"),
        (text("label.ends", lang), "left"),
        (text("label.factor", lang), "right"),
        (text("label.cohort", lang), "left"),
        (text("label.status", lang), "left"),
    )
    for r in rows:
        t.add_row(
            str(r["id"]),
            text(f"platform.{r['kind']}", lang),
            r["starts_on"],
            r["ends_on"],
            r["factor"] or "",
            r["cohort"] or (text("label.all", lang)),
            text("label.active" if r["active"] else "label.ended", lang),
        )
    return t


def _reason_title(code: str | None, lang: str) -> str:
    if code is None:
        return "—"
    return text(f"reason.{code}.title", lang) if has(f"reason.{code}.title") else code


def whatif_view(data: dict[str, Any], lang: str) -> Group:
    """Before → after for the rows a person cares about; the actions quoted as typed."""
    actions = ", ".join(echo(a["action"], lang) for a in data["actions"])
    t = _table(
        text("whatif.title", lang, actions=actions),
        ("", "left"),
        (text("whatif.before", lang), "right"),
        (text("whatif.after", lang), "right"),
    )
    b, a = data["before"], data["after"]
    t.add_row(text("label.today", lang), b["today"], a["today"])
    t.add_row(text("label.state", lang), state_text(b["state"], lang), state_text(a["state"], lang))
    for key, label in (
        ("available_fen", "label.available"),
        ("limit_fen", "label.limit"),
        ("used_fen", "label.used"),
        ("wallet_fen", "label.wallet"),
    ):
        t.add_row(text(label, lang), money(b[key]), money(a[key]))
    t.add_row(text("label.score", lang), str(b["score"]), str(a["score"]))
    t.add_row(
        text("why.col_cause", lang),
        _reason_title(b["top_reason"], lang),
        _reason_title(a["top_reason"], lang),
    )
    parts: list[Any] = [t]
    for r in data["actions"]:
        if r["exit_code"]:
            parts.append(
                Text(
                    text(
                        "whatif.failed",
                        lang,
                        action=echo(r["action"], lang),
                        code=r["exit_code"],
                        message=r["message"],
                    ),
                    style="yellow",
                )
            )
    parts.append(Text(text("whatif.nothing_written", lang), style="dim"))
    return Group(*parts)


def plan_view(data: dict[str, Any], lang: str) -> Group | Text:
    need = money(data["need_fen"])
    if not data["found"]:
        code = data["blocked_by"] or "LIMIT_EXCEEDED"
        why = reason_title(code, lang)
        return Text(text("plan.none", lang, need=need, why=why), style="red")
    steps = data["steps"]
    if len(steps) == 1:
        return Text(text("plan.already", lang, need=need), style="green")
    t = _table(
        text("plan.title", lang, need=need),
        ("#", "right"),
        (text("label.date", lang), "left"),
        (text("why.col_advice", lang), "left"),
        (text("plan.col_cash", lang), "right"),
    )
    for i, step in enumerate(steps, start=1):
        what = text(
            f"plan.step.{step['action']}",
            lang,
            amount=money(step["amount_fen"]),
            date=step["date"],
            lender=step.get("lender", ""),
            due=step.get("due_date", ""),
        )
        cash = (
            money(step["amount_fen"]) if step["action"] not in ("wait", "borrow", "deposit") else ""
        )
        t.add_row(str(i), step["date"], what, cash)
    summary = text("plan.ready", lang, date=data["ready_on"], cash=money(data["cash_fen"]))
    parts: list[Any] = [t, Text(summary, style="bold green")]
    funded = sum(s["amount_fen"] for s in steps if s["action"] == "fund_installments")
    if funded:
        parts.append(Text(text("plan.funded", lang, funded=money(funded))))
    return Group(*parts)
