"""Our Typer command and group classes: Typer's own, with our help screen, usage errors in
the user's language, and plain parameters coerced without pydantic (`typer_ext.LeanParam`).

Every command and group of limitlab is a `Command` or a `Group` (a test walks the tree).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from typer.core import TyperCommand, TyperGroup
from typer.exceptions import Abort

from .exits import EXIT_INTERRUPTED, EXIT_USAGE, UserError
from .language import LANG_KEY, lang_for_words, lang_in_args, resolve_lang
from .typer_ext import (
    ClickCommand,
    ClickException,
    Context,
    HelpFormatter,
    NoArgsIsHelpError,
    UsageError,
    prime,
)


def _start(ctx: Context, args: list[str]) -> None:
    """Before Typer parses `args`: decide their language (an unknown --lang is bad input,
    help or not) and prime the parameters."""
    given = lang_in_args(args)
    if given is not None or LANG_KEY not in ctx.meta:
        ctx.meta[LANG_KEY] = resolve_lang(given)
    prime(ctx.command.get_params(ctx))


def _usage_error(exc: ClickException, words: list[str]) -> NoReturn:
    from .helpscreen import show_usage_error

    show_usage_error(exc, lang_for_words(words))
    sys.exit(exc.exit_code)


class _Limitlab(ClickCommand):
    """What every limitlab command and group does differently from Typer's own."""

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        from .helpscreen import usage_pieces

        return usage_pieces(self)

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if ctx.parent is None:  # --no-pager before the command name or after it
            from .pager import take_flag

            args = take_flag(args)
        _start(ctx, args)
        try:
            return super().parse_args(ctx, args)
        except UsageError as exc:
            exc.ctx = exc.ctx or ctx  # the parser raises some without one: no usage line
            raise

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        from .helpscreen import show_help

        show_help(self, ctx)


class Command(_Limitlab, TyperCommand):
    """A limitlab command (`@app.command(cls=Command)`)."""


class Group(_Limitlab, TyperGroup):
    """A limitlab command group (`typer.Typer(cls=Group)`)."""

    def help_entries(self, ctx: Context) -> list[tuple[str, str]]:
        """(name, help) of each visible command, in the order they were registered."""
        entries = []
        for name in self.list_commands(ctx):
            sub = self.commands[name]
            if not sub.hidden:
                entries.append((name, sub.help or ""))
        return entries

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Typer's main loop, with usage errors worded in the user's language. Run embedded
        (`standalone_mode=False`, as scenarios do), errors propagate exactly as Typer's do."""
        if not standalone_mode:
            return super().main(
                args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra
            )
        words = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except NoArgsIsHelpError:  # the help is on the screen already
            sys.exit(EXIT_USAGE)
        except ClickException as exc:
            _usage_error(exc, words)
        except UserError as exc:  # raised while reading the words (an unknown --lang)
            from .errors import message_line

            sys.stderr.write(message_line(exc.key, "en", **exc.params))
            sys.exit(exc.exit_code)
        except Abort as exc:  # a prompt met Ctrl-C (interrupted, 130) or the end of input (1)
            from limitlab.cli.i18n import text

            interrupted = isinstance(exc.__context__, KeyboardInterrupt)
            key = "interrupted" if interrupted else "usage.aborted"
            sys.stderr.write(f"limitlab: {text(key, lang_for_words(words))}\n")
            sys.exit(EXIT_INTERRUPTED if interrupted else 1)
        # Typer returns an Exit's code; our commands themselves return None (exit 0).
        sys.exit(code if type(code) is int else 0)
