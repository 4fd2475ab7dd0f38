"""Run `limitlab ARGS` inside this process, as a scenario step or a what-if action does: the
same code as typing it, through the root command of the run that asks."""

from __future__ import annotations

import sys

import typer

from .exits import EXIT_INTERRUPTED, EXIT_USAGE
from .language import lang_for_words
from .settings import non_interactive
from .typer_ext import ClickException


def run_nested(ctx: typer.Context, args: list[str]) -> int:
    """Never prompts; a usage error is reported in one line and returns its exit code (2)
    instead of escaping as an internal error. Ctrl-C is not an action's result: it
    interrupts the whole command that runs it (KeyboardInterrupt, exit 130)."""
    from .i18n import restore_screen_state, screen_state

    command = ctx.find_root().command
    outer = screen_state()  # the asking command's screens keep their language and account
    with non_interactive():
        try:
            code = command.main(args=args, prog_name="limitlab", standalone_mode=False) or 0
        except typer.Abort as exc:  # never a prompt here: only Ctrl-C or the end of input
            code = EXIT_INTERRUPTED if _by_ctrl_c(exc) else 1
        except typer.Exit as exc:
            code = int(exc.exit_code)
        except ClickException as exc:  # one line, as a step's other errors are
            from .helpscreen import usage_error_text
            from .safe_text import visible

            said = usage_error_text(exc, lang_for_words(args))
            sys.stderr.write(f"limitlab: {visible(said)}\n")
            return int(exc.exit_code)
        except typer.TyperException as exc:
            return int(getattr(exc, "exit_code", EXIT_USAGE))
        finally:
            restore_screen_state(outer)
    if code == EXIT_INTERRUPTED:  # Typer turns a KeyboardInterrupt inside into Exit(130)
        raise KeyboardInterrupt
    return int(code)


def _by_ctrl_c(exc: BaseException) -> bool:
    return isinstance(exc.__cause__ or exc.__context__, KeyboardInterrupt)
