"""Rich rendering: one renderer per read model, in the user's language."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
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
from .typed import account_inserts, command_spans


class Typeset(Text):
    """A Text wrapped by the screen language's typesetting (`Typesetting.breaks`): the one
    place text is broken into lines, whatever holds it (a paragraph, a table cell, a list)."""

    __slots__ = ()

    @classmethod
    def of(cls, text: Text) -> Text:
        if type(text) is not Text:
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
            offsets = setting.breaks(
                line.plain, width, fold=wrap_overflow == "fold", keep=command_spans(line.plain)
            )
            new_lines = line.divide(offsets)
            for part in new_lines:
                part.rstrip_end(width)
            new_lines.justify(console, width, justify=wrap_justify, overflow=wrap_overflow)
            for part in new_lines:
                part.truncate(width, overflow=wrap_overflow)
            lines.extend(new_lines)
        return lines


def _with_account(renderable: Any) -> Any:
    """A string or Text with `--db PATH` in each command it names (account_inserts)."""
    plain = renderable if isinstance(renderable, str) else renderable.plain
    inserts = account_inserts(plain)
    if not inserts:
        return renderable
    if isinstance(renderable, str):
        for at, words in reversed(inserts):
            renderable = renderable[:at] + words + renderable[at:]
        return renderable
    for at, words in reversed(inserts):
        renderable = renderable[:at] + Text(words) + renderable[at:]
    return renderable


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
        return Typeset.of(super().render_str(_with_account(visible(text, keep="\n")), **options))

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterator[Segment]:
        """Anything else (a Text a view built) is written out as it is drawn."""
        if isinstance(renderable, Text):
            renderable = Typeset.of(_with_account(renderable))
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
#: For each export being recorded (innermost last): is the screen written to the file only?
#: A screen's --export is (the file is what was asked for, and a slide or a chart picture is
#: not what the terminal would show); a lesson's is not (`scenario run --export`: the class
#: watches it play), nor is a step's export inside a lesson.
_into_file_only: list[bool] = []


def screen_width() -> int:
    """The width a screen is drawn at: the terminal's, or a narrower export's (a slide)."""
    width = console().width
    return min(width, _recorder.width) if _recorder is not None else width


def show(renderable: Any = "", *, whole: bool = False) -> None:
    """Print `renderable` (and record it for --export); `whole`: a line never broken, a
    terminal wraps it only on screen (a command to copy and type)."""
    from . import pager

    fitted = fit_figures(renderable)
    out = console()
    if _recorder is not None and _into_file_only[-1:] == [True]:
        pass  # --export FILE: the screen goes into the file; one line says where (`saved`)
    elif _recorder is None and pager.wanted():  # held: a long screen goes through the pager
        with out.capture() as captured:
            out.print(fitted, soft_wrap=whole)
        pager.hold(captured.get())
    else:
        out.print(fitted, soft_wrap=whole)
    if _recorder is not None:
        _recorder.print(fitted, soft_wrap=whole)


def show_command(typed: str) -> None:
    """A command as typed (`$ limitlab why --db a.db`), on one line however long."""
    show(Text(f"$ {typed}", style="bold"), whole=True)


@contextmanager
def kept_recording() -> Iterator[Callable[[], None]]:
    """What `show` records for an export in the block is kept aside; the function it yields
    records it then (cli/output.py kept_output: an export keeps the order the screen has)."""
    global _recorder
    outer = _recorder
    if outer is None:
        yield lambda: None
        return
    import io

    kept = TextConsole(record=True, file=io.StringIO(), width=outer.width)

    def replay() -> None:
        with outer._record_buffer_lock:
            outer._record_buffer.extend(kept._record_buffer)
        del kept._record_buffer[:]

    _recorder = kept
    try:
        yield replay
    finally:
        _recorder = outer


def export_title() -> str:
    """The command being run, as a slide's title (`limitlab why`)."""
    from .errors import running_command

    return running_command()[0]


def slide_mode() -> bool:
    """Is the running command's --slide on?"""
    from .errors import running_command

    return running_command()[1]


#: The width a --slide screen is drawn at, whatever the terminal's.
SLIDE_COLUMNS = 80

#: A picture of its own for .png/.svg (the chart): (suffix, title, slide) → the file's content.
Picture = Any


@contextmanager
def exporting(path: str | None, picture: Picture = None, *, echo: bool = False) -> Iterator[None]:
    """Record what is shown and save it to `path`: .svg, .html or .txt (rich's own export;
    an SVG with CJK widths and fonts fixed), .png drawn cell by cell (cli/slides.py), or
    `picture`'s own .png/.svg; marked as limitlab's and written whole (cli/exports.py)."""
    global _recorder
    if path is None:
        yield
        return
    import io

    from .exports import write
    from .settings import export_bounds

    outer = _recorder  # a lesson step may export while the whole lesson is being exported
    # a slide: the same width every time, 80 columns, so its words are large (¾ of 100)
    width = SLIDE_COLUMNS if slide_mode() else console().width
    _recorder = TextConsole(record=True, file=io.StringIO(), width=width)
    _into_file_only.append(not echo and export_bounds() is None)
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
        _into_file_only.pop()
        if outer is not None:
            outer.print(_recorder.export_text(clear=False))
        _recorder = outer


def reason_title(code: str, lang: str) -> str:
    """A reason or refusal code in words (its title), never the code itself."""
    for key in (f"reason.{code}.title", f"app.{code}"):
        if has(key):
            return text(key, lang)
    return code.replace("_", " ").capitalize()


def joined(items: Any, lang: str) -> str:
    """Items of a list in the language's way: `a, b` or `甲、乙`."""
    return str(text("list.join", lang)).join(items)


def paren(inner: str, lang: str) -> str:
    """`inner` in the language's parentheses: (…) or （…）."""
    return text("paren", lang, inner=inner)


#: The key of each comparison of a cohort expression (`cohort_words.score.lt`, …).
_COHORT_OPS = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}


def _cohort_number(name: str, number: Decimal) -> str:
    """A cohort's number as its field reads: debt-to-income a percentage, income yuan."""
    if name == "dti":
        return f"{(number * 100).normalize():f}%"
    if name == "income":
        fen = int(number * 100)
        return format_fen(fen).removesuffix(".00")
    return f"{number.normalize():f}"


def _cohort_clause(node: Any, lang: str, nested: bool = False) -> str:
    from limitlab.core.cohort import All, Compare

    if isinstance(node, Compare):
        key = f"cohort_words.{node.name}.{_COHORT_OPS[node.op]}"
        if node.number == 1 and has(f"{key}_one"):  # one other lender, not lenders
            key = f"{key}_one"
        return text(key, lang, n=_cohort_number(node.name, node.number))
    joiner = text("cohort_words.and" if isinstance(node, All) else "cohort_words.or", lang)
    words = joiner.join(_cohort_clause(i, lang, nested=True) for i in node.items)
    return paren(words, lang) if nested else words


def cohort_text(cohort: str | None, lang: str) -> str:
    """A measure's cohort in words, from its parsed form (`score<800` → "accounts with a
    score below 800" / "信用分低于800的客群"); no cohort (or "all") is every account."""
    from limitlab.core.cohort import CohortError, parse_tree, without_not

    if cohort is None or cohort == "all":
        return text("cohort_words.everyone", lang)
    try:
        tree = without_not(parse_tree(cohort))
    except CohortError:  # never stored (the engine refuses it), but not code on a screen
        return text("cohort_words.unreadable", lang)
    return text("cohort_words.accounts", lang, what=_cohort_clause(tree, lang))


def attribute_text(attribute: str, lang: str) -> str:
    """A scorecard attribute in words (a policy's own attribute, unknown here, as written)."""
    key = f"attribute.{attribute}"
    return text(key, lang) if has(key) else attribute.replace("_", " ")


def value_text(value: str, lang: str, attribute: str = "") -> str:
    """A scorecard value or band in words: yes/no (and the delinquency ceiling's none/closed)
    translated, a share with its % (`1396%`: the label says what it is a share of), other
    figures as they are."""
    if value in ("yes", "no", "none", "closed"):
        return text(f"value.{value}", lang)
    if attribute.endswith("_pct") and re.fullmatch(r"\d+(?:\.\d+)?", value):
        return f"{value}%"
    return value


def over_limit_note(attribute: str, value: str, lang: str) -> str | None:
    """Why a utilisation can be above 100%, in words, when it is."""
    try:
        over = attribute == "utilisation_pct" and float(value) > 100
    except ValueError:
        return None
    return text("note.utilisation_over", lang, pct=f"{value}%") if over else None


def score_attribute_text(attribute: str, lang: str) -> str:
    """A scorecard attribute as the score table and `policy show` name it, beside a bare
    figure: with its unit where the value has one ("utilisation (%)")."""
    key = f"score_attribute.{attribute}"
    return text(key, lang) if has(key) else attribute_text(attribute, lang)


def band_words(band: str, lang: str) -> str:
    """A scorecard band in words: core's `<6` and `90+` (every attribute is a whole number
    from 0) read "0–5" and "90 or more"; yes/no and figures as value_text says them."""
    if band.startswith("<"):
        try:
            high = Decimal(band[1:])
        except InvalidOperation:
            return band
        if high != high.to_integral_value():
            return text("range.below", lang, value=band[1:])
        top = int(high) - 1
        return "0" if top == 0 else f"0–{top}"
    if band.endswith("+"):
        return text("range.or_more", lang, value=band[:-1])
    if band == "any":
        return text("range.any", lang)
    if "–<" in band:
        low, high_text = band.split("–<")
        return text("range.between", lang, low=low, high=high_text)
    return value_text(band, lang)


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
        "frozen": "red",
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
        Text(
            text(
                "labelled",
                lang,
                label=text("label.suspended_by", lang),
                value=suspension_text(s, lang),
            ),
            style="red",
        )
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
        codes = joined((_reason_title(code, lang) for code in d["codes"]), lang)
        params = {
            "trigger": text(f"trigger.{d['trigger']}", lang),
            "old": money(d["previous_fen"]),
            "new": money(d["limit_fen"]),
            "codes": text("bracketed", lang, inner=codes) if codes else "",
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
            "fields": joined(
                (
                    f"{_field_text(k, lang)} {_plain(k, v['from'], lang)} → "
                    f"{_plain(k, v['to'], lang)}"
                    for k, v in d.items()
                ),
                lang,
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
    elif kind in ("external_paid_off", "external_cleared"):
        params = {"lender": d["lender"]}
    elif kind == "external_reported":
        params = {
            "lender": d["lender"],
            "due_date": d["due_date"],
            "dpd": d["days_past_due"],
            "arrears": money(d["arrears_fen"]),
        }
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
        return joined((_reason_title(code, lang) for code in row["codes"]), lang) or binding
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
            "attribute": score_attribute_text(a["attribute"], lang),  # its unit: (%)
            "value": value_text(a["value"], lang),
            "band": (
                text("label.no_history", lang)
                if a["band"] == "no_history"
                else band_words(a["band"], lang)
            ),
            "points": str(a["points"]).replace("-", "−"),  # the ceiling's line takes points
            "max": str(a["max_points"]),
            "gap": gap,
        }
        if narrow and head:
            t.add_row(Text(head, style="bold"), *([""] * (len(columns) - 1)))
        t.add_row(*(cells[name] for name, _ in columns))
    over = [over_limit_note(a["attribute"], str(a["value"]), lang) for a in r["attributes"]]
    notes = [Text(note, style="dim") for note in over if note]
    if any(a["key_factor"] for a in r["attributes"]):
        notes.append(Text(text("note.key_factors", lang), style="dim"))
    return Group(t, *notes, Text(text("note.score_weights", lang), style="dim"))


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
    """Other lenders; what is late at each, and since when, only when something is."""
    late = any(r["arrears_fen"] > 0 for r in rows)
    columns = [
        (text("label.lender", lang), "left"),
        (text("label.balance", lang), "right"),
        (text("label.monthly", lang), "right"),
        (text("label.since", lang), "left"),
    ]
    if late:
        columns += [
            (text("label.arrears", lang), "right"),
            (text("label.late_since", lang), "left"),
        ]
    t = _table(text("title.external", lang), *columns)
    for r in rows:
        cells = [r["lender"], money(r["balance_fen"]), money(r["monthly_fen"]), r["added_on"]]
        if late:
            owed = r["arrears_fen"] > 0
            cells += [
                money(r["arrears_fen"]) if owed else "",
                (r["late_since"] or "") if owed else "",
            ]
        t.add_row(*cells)
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
            cohort_text(r["cohort"], lang),
            text("label.active" if r["active"] else "label.ended", lang),
        )
    return t


def _reason_title(code: str | None, lang: str) -> str:
    if code is None:
        return "—"
    return text(f"reason.{code}.title", lang) if has(f"reason.{code}.title") else code


def whatif_view(data: dict[str, Any], lang: str) -> Group:
    """Before → after for the rows a person cares about; the actions quoted as typed. When an
    action failed, the table says so: its After is the state after the actions before it."""
    typed = [a["action"] for a in data["actions"]] + list(data.get("not_tried", []))
    actions = ", ".join(echo(a, lang) for a in typed)
    stopped = data.get("stopped_at")
    after = text("whatif.after", lang)
    title = text("whatif.title", lang, actions=actions)
    if stopped:
        failed = echo(data["actions"][-1]["action"], lang)
        title = text("whatif.title_stopped", lang, actions=actions, n=stopped, action=failed)
        after = text(
            "whatif.after_one" if stopped == 2 else "whatif.after_some", lang, last=stopped - 1
        )
    t = _table(
        title,
        ("", "left"),
        (text("whatif.before", lang), "right"),
        (after, "right"),
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
    return Group(t, Text(text("whatif.nothing_written", lang), style="dim"))


def _no_plan(data: dict[str, Any], need: str, lang: str) -> Group | Text:
    """No plan: why, by when, and what would help: the most a plan reaches by then (ask for
    that, with the command to type) or a later --by."""
    why = reason_title(data["blocked_by"] or "LIMIT_EXCEEDED", lang)
    if not data.get("until"):
        return Text(text("plan.none", lang, need=need, why=why), style="red")
    said = Text(text("plan.none_until", lang, need=need, why=why, until=data["until"]), style="red")
    most = data.get("most_fen") or 0
    if not most:
        return Group(said, Text(text("plan.none_at_all", lang)))
    words = ["plan", "--need", f"{most // 100}.{most % 100:02d}"]
    if data["term"] != 12:
        words += ["--term", str(data["term"])]
    if data["method"] != "equal-installment":
        words += ["--method", data["method"]]
    hint = text("plan.most", lang, most=money(most), on=data["most_on"], command=" ".join(words))
    return Group(said, Text(hint))


def plan_view(data: dict[str, Any], lang: str) -> Group | Text:
    need = money(data["need_fen"])
    if not data["found"]:
        return _no_plan(data, need, lang)
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
