"""The `--help` screen of every command and group, in English or (with --lang zh) Chinese.

Laid out like Typer's rich help (usage, text, then Arguments / Options / Commands panels) but
drawn with rich tables only, so `limitlab --help` loads neither markdown-it nor pygments, and
an option shows what to type (`--to DATE`, `--days N`), never a type name like `<bool>`.
"""

from __future__ import annotations

import inspect
import re
import sys
from typing import Any

from limitlab.cli.i18n import text
from rich import box
from rich.console import Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from .language import LANG_KEY, lang_for_words
from .typer_ext import (
    BadOptionUsage,
    BadParameter,
    Context,
    MissingParameter,
    NoSuchOption,
)

#: What to type when an option or argument declares no metavar of its own.
TYPE_METAVARS = {str: "TEXT", int: "N"}


def command_words(ctx: Context) -> str:
    """The command's words after `limitlab` ("" for limitlab itself): the key of its
    Chinese help."""
    names: list[str] = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


def paragraphs(text: str) -> list[str]:
    """A docstring's paragraphs: prose lines joined (the terminal wraps them), indented
    blocks (examples) kept line by line."""
    out = []
    for block in re.split(r"\n\s*\n", inspect.cleandoc(text)):
        lines = block.splitlines()
        if lines and all(line.startswith("  ") for line in lines):
            out.append("\n".join(lines))
        elif lines:
            out.append(" ".join(line.strip() for line in lines))
    return out


def help_text(words: str, english: str, lang: str) -> str:
    """A command's help (`words` after `limitlab`) in `lang`; `english` is its docstring."""
    from limitlab.cli.i18n import help_text as translated

    return translated(lang, words, english)


def option_help(param: Any, lang: str) -> str:
    from limitlab.cli.i18n import option_help as translated

    return translated(lang, param.help or "")


def option_default(words: str, lang: str) -> str:
    """A default given in words (`show_default="user data dir/…"`) in `lang`."""
    from limitlab.cli.i18n import option_help as translated

    return translated(lang, words)


def metavar(param: Any) -> str:
    if param.metavar:
        return str(param.metavar)
    if getattr(param, "is_flag", False):
        return ""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", str)
    return TYPE_METAVARS.get(annotation, "TEXT")


def shown_default(param: Any) -> str | None:
    """The default worth showing: a value, or which of a pair of flags (`--verified`)."""
    if isinstance(param.show_default, str):
        return param.show_default
    if param.show_default is False:
        return None
    if isinstance(param.default, bool) and param.secondary_opts:
        return (param.opts if param.default else param.secondary_opts)[0]  # type: ignore[no-any-return]
    if getattr(param, "is_flag", False) or isinstance(param.default, bool):
        return None
    if param.default is None or param.default in ((), []):
        return None
    return str(param.default)


def shown_range(param: Any) -> str | None:
    """An integer's range, as Typer writes it: `[x>=1]`, `[1<=x<=28]`."""
    info = getattr(getattr(param, "type_descriptor", None), "parameter_info", None)
    low, high = getattr(info, "min", None), getattr(info, "max", None)
    if low is None and high is None:
        return None
    if high is None:
        return f"[x>={low}]"
    if low is None:
        return f"[x<={high}]"
    return f"[{low}<=x<={high}]"


def argument_name(param: Any) -> str:
    """What the user types for an argument: its metavar, else its name in capitals (`…` when
    it takes several)."""
    if param.metavar:
        return str(param.metavar)
    return (param.name or "").upper() + (" …" if param.nargs == -1 else "")


def usage_pieces(command: Any) -> list[str]:
    """`[OPTIONS]`, the arguments as the user types them, then `COMMAND [ARGS]…` for a group;
    the usage line of the help screen and of usage errors alike."""
    pieces = ["[OPTIONS]"]
    for param in command.params:
        if param.param_type_name != "argument":
            continue
        name = argument_name(param)
        pieces.append(name if param.required or name.startswith("[") else f"[{name}]")
    if isinstance(command, TyperGroup):
        pieces.append("COMMAND [ARGS]…")
    return pieces


def usage_line(command: Any, ctx: Context, lang: str) -> Text:
    """`Usage: limitlab borrow [OPTIONS] AMOUNT`, for the help screen and usage errors."""
    pieces = " ".join(command.collect_usage_pieces(ctx))
    return Text.assemble(
        (text("help.usage", lang) + _gap(lang), "yellow"),
        (f"{ctx.command_path} {pieces}", "bold"),
    )


def _panel(title: str, table: Table) -> Panel:
    return Panel(table, title=Text(title), title_align="left", box=box.ROUNDED, border_style="dim")


def _grid() -> Table:
    return Table(box=None, show_header=False, show_edge=False, pad_edge=False, padding=(0, 1))


def parameters_panel(command: Any, ctx: Context, lang: str, kind: str) -> Panel | None:
    params = [
        p
        for p in command.get_params(ctx)
        if p.param_type_name == kind and not getattr(p, "hidden", False)
    ]
    if not params:
        return None
    any_required = any(p.required for p in params)
    table = _grid()
    if any_required:
        table.add_column(style="red", no_wrap=True)
    if kind == "option":
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column(style="bold green", no_wrap=True)
    table.add_column(style="bold yellow", no_wrap=True)
    table.add_column(ratio=1, overflow="fold")
    for p in params:
        said = Text.from_markup(option_help(p, lang), emoji=False) if p.help else Text()
        gap = _gap(lang) if p.help else ""
        default = shown_default(p)
        if isinstance(p.show_default, str):  # words, not a value: in the reader's language
            default = option_default(p.show_default, lang)
        if default is not None:
            said.append(gap + text("help.default", lang, value=default), style="dim")
        if (limits := shown_range(p)) is not None:
            said.append(gap + limits, style="dim")
        if p.required:
            said.append(gap + text("help.required", lang), style="dim red")
        cells: list[Any] = ["*" if p.required else ""] if any_required else []
        if kind == "option":
            longs = [o for o in [*p.opts, *p.secondary_opts] if o.startswith("--")]
            shorts = [o for o in [*p.opts, *p.secondary_opts] if not o.startswith("--")]
            cells += ["\n".join(longs), ",".join(shorts), metavar(p), said]
        else:
            cells += [argument_name(p), said]
        table.add_row(*cells)
    return _panel(text(f"help.{kind}s", lang), table)


def commands_panel(command: Any, ctx: Context, words: str, lang: str) -> Panel | None:
    if not hasattr(command, "help_entries"):
        return None
    table = _grid()
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column(ratio=1, overflow="fold")
    for name, english in command.help_entries(ctx):
        help_ = help_text(f"{words} {name}".strip(), english, lang)
        first = paragraphs(help_)[0] if help_.strip() else ""
        table.add_row(name, Text.from_markup(first, emoji=False))
    return _panel(text("help.commands", lang), table) if table.row_count else None


def show_help(command: Any, ctx: Context) -> None:
    """Print the help of `command` (called by Typer wherever it wants the help shown)."""
    lang = ctx.meta.get(LANG_KEY) or lang_for_words(sys.argv[1:])
    words = command_words(ctx)
    texts = [usage_line(command, ctx, lang)]
    help_ = help_text(words, command.help or "", lang)
    texts += [Text.from_markup(p, emoji=False) for p in paragraphs(help_)]
    parts: list[Any] = [Text("")]
    for line in texts:
        parts += [Padding(line, (0, 1)), Text("")]
    for panel in (
        parameters_panel(command, ctx, lang, "argument"),
        parameters_panel(command, ctx, lang, "option"),
        commands_panel(command, ctx, words, lang),
    ):
        if panel is not None:
            parts.append(panel)
    from .i18n import restore_screen_state, screen_state, set_screen_language
    from .render import TextConsole

    outer = screen_state()
    set_screen_language(lang)  # set as the screens are: no line starts with 。 in Chinese
    try:
        TextConsole().print(Group(*parts))
    finally:
        restore_screen_state(outer)


# --- usage errors ------------------------------------------------------------------------------

_EXTRA = re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((?P<words>.*)\)$", re.S)
_NO_COMMAND = re.compile(r"No such command '(?P<name>.*?)'\.(?: Did you mean (?P<names>.*)\?)?$")
_NEEDS_VALUE = re.compile(r"Option '(?P<name>.*)' requires (?:an argument|\d+ arguments)\.$")
_NO_VALUE = re.compile(r"Option '(?P<name>.*)' does not take a value\.$")
#: What pydantic (through Typer) says of a bad number, worded from the catalogue.
_PROBLEMS = {
    "Input should be a valid integer, unable to parse string as an integer": "not_an_integer",
    "Input should be a valid integer": "not_an_integer",
}
_TOO_SMALL = re.compile(r"Input should be greater than or equal to (?P<limit>-?\d+)$")


def _gap(lang: str) -> str:
    """Between two sentences, as the language sets it."""
    from limitlab.cli.i18n import typesetting

    return typesetting(lang).sentence_gap


def _hint(exc: Any) -> str:
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if hint is None and param is not None:
        hint = param.get_error_hint()
    if isinstance(hint, list | tuple):
        hint = " / ".join(hint)
    return str(hint or "")


def usage_error_text(exc: Any, lang: str) -> str:
    """The parser's error in the user's language: the usual ones worded from the catalogue,
    anything else (or anything this cannot read) as the parser said it."""
    try:
        return _worded(exc, lang)
    except Exception:  # an error message must never become a traceback
        return str(exc.format_message())


def _worded(exc: Any, lang: str) -> str:
    message = str(exc.format_message())
    if isinstance(exc, MissingParameter) and exc.param is not None and not exc.message:
        kind = "argument" if exc.param.param_type_name == "argument" else "option"
        return text(f"usage.missing_{kind}", lang, name=_hint(exc))
    if isinstance(exc, NoSuchOption):
        said = text("usage.no_such_option", lang, name=exc.option_name)
        if exc.possibilities:
            names = ", ".join(sorted(exc.possibilities))
            said += _gap(lang) + text("usage.possible_options", lang, names=names)
        return said
    if isinstance(exc, BadParameter) and not isinstance(exc, MissingParameter) and _hint(exc):
        problem = exc.message
        if problem in _PROBLEMS:
            problem = text(f"usage.{_PROBLEMS[problem]}", lang)
        elif small := _TOO_SMALL.match(problem):
            problem = text("usage.too_small", lang, limit=small["limit"])
        return text("usage.invalid_value", lang, name=_hint(exc), problem=problem)
    if isinstance(exc, BadOptionUsage):
        if found := _NEEDS_VALUE.match(message):
            return text("usage.needs_value", lang, name=f"'{found['name']}'")
        if found := _NO_VALUE.match(message):
            return text("usage.takes_no_value", lang, name=f"'{found['name']}'")
    if found := _EXTRA.match(message):
        return text("usage.extra_arguments", lang, words=found["words"])
    if found := _NO_COMMAND.match(message):
        said = text("usage.no_such_command", lang, name=found["name"])
        if found["names"]:
            said += _gap(lang) + text("usage.did_you_mean", lang, names=found["names"])
        return said
    if message == "Missing command.":
        return text("usage.missing_command", lang)
    return message


def show_usage_error(exc: Any, lang: str) -> None:
    """What Typer prints for a usage error, on stderr, in the user's language, what was typed
    shown as text. On a terminal: the usage line, a pointer to -h, the error in a panel.
    Elsewhere (a script, a log) one line like every other error (`limitlab: …`), then one
    line of usage and the pointer."""
    from .render import err_console

    console = err_console()
    ctx = getattr(exc, "ctx", None)
    said = usage_error_text(exc, lang)
    if not sys.stderr.isatty():
        hint = []
        if ctx is not None:
            hint.append(usage_line(ctx.command, ctx, lang).plain)
            if ctx.command.get_help_option(ctx) is not None:
                hint.append(text("usage.try_help", lang, command=ctx.command_path))
        from .safe_text import echo, visible

        sys.stderr.write(f"limitlab: {echo(' '.join(said.split()), lang)}\n")
        if hint:
            sys.stderr.write(visible(" · ".join(hint)) + "\n")
        return
    if ctx is not None:
        console.print(usage_line(ctx.command, ctx, lang))
        if ctx.command.get_help_option(ctx) is not None:
            console.print(Text(text("usage.try_help", lang, command=ctx.command_path), "dim"))
    console.print(
        Panel(
            Text(said),
            title=Text(text("usage.error", lang)),
            title_align="left",
            border_style="red",
        )
    )
