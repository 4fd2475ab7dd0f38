"""The `--help` screen of every command and group, in English or (with --lang zh) Chinese.

Laid out like Typer's rich help (usage, text, then Arguments / Options / Commands panels) but
drawn with rich tables only, so `limitlab --help` loads neither markdown-it nor pygments, and
an option shows what to type (`--to DATE`, `--days N`), never a type name like `<bool>`.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import typer
from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from typer._click import Context

from .context import lang_from_argv
from .typer_ext import LANG_KEY

WORDS = {
    "en": {
        "usage": "Usage: ",
        "options": "Options",
        "arguments": "Arguments",
        "commands": "Commands",
        "default": "[default: {value}]",
        "required": "[required]",
    },
    "zh": {
        "usage": "用法：",
        "options": "选项",
        "arguments": "参数",
        "commands": "命令",
        "default": "[默认：{value}]",
        "required": "[必填]",
    },
}
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


def help_text(command: Any, words: str, lang: str) -> str:
    if lang == "zh":
        from .help_zh import APP, COMMANDS

        return APP if not words else COMMANDS.get(words, command.help or "")
    return command.help or ""


def option_help(param: Any, lang: str) -> str:
    english = param.help or ""
    if lang == "zh":
        from .help_zh import OPTIONS

        return OPTIONS.get(english, english)
    return english


def metavar(param: Any) -> str:
    if param.metavar:
        return str(param.metavar)
    if getattr(param, "is_flag", False):
        return ""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", str)
    return TYPE_METAVARS.get(annotation, "TEXT")


def shown_default(param: Any) -> str | None:
    if isinstance(param.show_default, str):
        return param.show_default
    if param.show_default is False or getattr(param, "is_flag", False):
        return None
    if param.default is None or isinstance(param.default, bool) or param.default in ((), []):
        return None
    return str(param.default)


def usage(command: Any, ctx: Context) -> str:
    return f"{ctx.command_path} {' '.join(command.collect_usage_pieces(ctx))}"


def _panel(title: str, table: Table) -> Panel:
    return Panel(table, title=Text(title), title_align="left", box=box.ROUNDED, border_style="dim")


def _grid() -> Table:
    return Table(box=None, show_header=False, show_edge=False, pad_edge=False, padding=(0, 1))


def parameters_panel(command: Any, ctx: Context, lang: str, kind: str) -> Panel | None:
    w = WORDS[lang]
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
        text = Text.from_markup(option_help(p, lang), emoji=False) if p.help else Text()
        gap = "" if lang == "zh" or not p.help else " "
        default = shown_default(p)
        if default is not None:
            text.append(gap + w["default"].format(value=default), style="dim")
        if p.required:
            text.append(gap + w["required"], style="dim red")
        cells: list[Any] = ["*" if p.required else ""] if any_required else []
        if kind == "option":
            longs = [o for o in [*p.opts, *p.secondary_opts] if o.startswith("--")]
            shorts = [o for o in [*p.opts, *p.secondary_opts] if not o.startswith("--")]
            cells += ["/".join(longs), ",".join(shorts), metavar(p), text]
        else:
            cells += [metavar(p) if p.metavar else (p.name or "").upper(), text]
        table.add_row(*cells)
    return _panel(w["options" if kind == "option" else "arguments"], table)


def commands_panel(command: Any, ctx: Context, words: str, lang: str) -> Panel | None:
    if not isinstance(command, typer.core.TyperGroup):
        return None
    table = _grid()
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column(ratio=1, overflow="fold")
    for name in command.list_commands(ctx):
        sub = command.get_command(ctx, name)
        if sub is None or sub.hidden:
            continue
        text = help_text(sub, f"{words} {name}".strip(), lang)
        first = paragraphs(text)[0] if text.strip() else ""
        table.add_row(name, Text.from_markup(first, emoji=False))
    return _panel(WORDS[lang]["commands"], table) if table.row_count else None


def show_help(command: Any, ctx: Context) -> None:
    """Print the help of `command` (called by Typer wherever it wants the help shown)."""
    lang = ctx.meta.get(LANG_KEY) or lang_from_argv([])
    words = command_words(ctx)
    texts: list[Text] = [
        Text.assemble((WORDS[lang]["usage"], "yellow"), (usage(command, ctx), "bold"))
    ]
    texts += [Text.from_markup(p, emoji=False) for p in paragraphs(help_text(command, words, lang))]
    parts: list[Any] = [Text("")]
    for text in texts:
        parts += [Padding(text, (0, 1)), Text("")]
    for panel in (
        parameters_panel(command, ctx, lang, "argument"),
        parameters_panel(command, ctx, lang, "option"),
        commands_panel(command, ctx, words, lang),
    ):
        if panel is not None:
            parts.append(panel)
    Console(highlight=False, emoji=False).print(Group(*parts))
