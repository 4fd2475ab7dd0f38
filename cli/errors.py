"""The one error funnel: every known failure becomes one line on stderr, in the user's
language, with its documented exit code."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeGuard, TypeVar

import typer
from limitlab.core.records import record

from .exits import EXIT_DATABASE, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, UserError
from .language import lang_for_words
from .settings import nested, settings

F = TypeVar("F", bound=Callable[..., Any])


@record(frozen=True)
class Problem:
    """A validation problem: worded from the catalogue (`validation.KIND`; a kind with a dot
    is a catalogue key of its own, an edge rule's message, cli/edge.py edge_rule) when it has
    the kind, else as the validator said it."""

    kind: str
    fallback: str
    params: dict[str, Any]

    def words(self, lang: str) -> str:
        from limitlab.cli.i18n import has, text

        key = self.kind if "." in self.kind else f"validation.{self.kind}"
        if has(key):
            try:
                return text(key, lang, **self.params)
            except (KeyError, IndexError):
                pass
        return self.fallback


def _report(key: str, lang: str, exit_code: int, **params: Any) -> NoReturn:
    sys.stderr.write(message_line(key, lang, **params))
    raise typer.Exit(exit_code)


def message_line(key: str, lang: str, **params: Any) -> str:
    """The one line a known failure prints. What the user gave is quoted through `echo`
    (control characters written out, a long value cut); our own words stay as they are."""
    from limitlab.cli.i18n import text

    from .safe_text import visible
    from .typed import account_commands

    params = {k: _quoted(v, lang) for k, v in params.items()}
    return f"limitlab: {account_commands(visible(text(key, lang, **params)))}\n"


def _quoted(value: Any, lang: str) -> Any:
    from .safe_text import OwnWords, echo

    if isinstance(value, Problem):
        params = {k: _quoted(v, lang) for k, v in value.params.items()}
        return Problem(value.kind, echo(value.fallback, lang), params).words(lang)
    if isinstance(value, str) and not isinstance(value, OwnWords):
        return echo(value, lang)
    return value


def handle_errors(func: F) -> F:
    """Turn every known failure into one line on stderr and its documented exit code.

    Only a StoreError (the store turns every SQLite and OS error about the database into one)
    is about the database (exit 4). Any other OSError is about the file it names: the
    --policy file is bad input (exit 2), any other file is named with the reason (exit 1).
    Ctrl-C is exit 130 with one line; inside a scenario step or a what-if action it is not
    reported there but passed on, so the whole command stops (cli/nested.py)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = kwargs.get("ctx")
        try:
            if _is_context(ctx):
                lang = settings(ctx, False, kwargs.get("lang")).lang
            else:
                lang = lang_for_words(sys.argv[1:])
        except UserError:
            lang = "en"
        if not nested():
            note_committed(False)  # a new command (the in-process tests run many)
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except typer.Abort as exc:  # a prompt met Ctrl-C (interrupted) or the end of input
            if isinstance(exc.__cause__ or exc.__context__, KeyboardInterrupt) and not nested():
                _interrupted(lang)
            raise
        except UserError as exc:
            _report(exc.key, lang, exc.exit_code, **exc.params)
        except KeyboardInterrupt:
            if nested():
                raise
            _interrupted(lang)
        except Exception as exc:
            from limitlab.core.engine import DomainError
            from limitlab.core.store import StoreError

            if isinstance(exc, DomainError):
                params = format_params(exc.params)
                if "problem_key" in params:  # a nested message (e.g. why a cohort is bad)
                    from limitlab.cli.i18n import text

                    params["problem"] = text(params.pop("problem_key"), lang, **params)
                _report(f"error.{exc.code}", lang, EXIT_USAGE, **params)
            if isinstance(exc, StoreError):
                _report(f"store.{exc.kind}", lang, EXIT_DATABASE, path=exc.path, detail=exc.detail)
            if isinstance(exc, OSError) and exc.filename is not None:
                _report_file(exc, ctx, lang)
            if os.environ.get("LIMITLAB_DEBUG"):
                raise
            _report("internal", lang, EXIT_INTERNAL, detail=f"{type(exc).__name__}: {exc}")

    @functools.wraps(func)
    def running(*args: Any, **kwargs: Any) -> Any:
        """The command's words and --slide kept while it runs (a slide's title, cli/render.py)."""
        global _running
        ctx = kwargs.get("ctx")
        outer = _running
        path = ctx.command_path if _is_context(ctx) else func.__name__
        _running = ("limitlab " + " ".join(path.split()[1:]), bool(kwargs.get("slide")))
        try:
            return wrapper(*args, **kwargs)
        finally:
            _running = outer

    return running  # type: ignore[return-value]


#: The running command's words (`limitlab why`) and whether --slide is on.
_running: tuple[str, bool] = ("limitlab", False)


def running_command() -> tuple[str, bool]:
    return _running


_interrupt_reported = False
_committed = False


def _interrupted(lang: str) -> NoReturn:
    note_interrupt_reported()
    _report(interrupted_key(), lang, EXIT_INTERRUPTED)


def interrupted_key() -> str:
    """What Ctrl-C says: nothing was half-written, or, when the command's own write had
    already committed (cli/session.py notes it), that the change was saved: exit 130 either
    way, and a script must not run a saved command again."""
    return "interrupted.saved" if _committed else "interrupted"


def note_committed(done: bool = True) -> None:
    """The run's command committed its write to the account (cli/session.py, not for a
    scenario step's or a what-if's copy); `False` when a new command begins."""
    global _committed
    _committed = done


def interrupt_reported() -> bool:
    """Has this run said "Interrupted" already (so the entry point does not say it again)?"""
    return _interrupt_reported


def note_interrupt_reported() -> None:
    global _interrupt_reported
    _interrupt_reported = True


def _report_file(exc: OSError, ctx: Any, lang: str) -> NoReturn:
    """An OSError about a file that is not the database: named, with the system's reason."""
    path = os.fsdecode(exc.filename)
    detail = exc.strerror or str(exc)
    policy = settings(ctx).policy if _is_context(ctx) else None
    if policy and _same_path(path, policy):
        _report("policy.unreadable", lang, EXIT_USAGE, path=policy, detail=detail)
    _report("file.failed", lang, EXIT_INTERNAL, path=path, detail=detail)


def _same_path(a: str, b: str) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def _is_context(ctx: Any) -> TypeGuard[typer.Context]:
    """typer hands commands a click context of its own class: test by behaviour, not type."""
    return callable(getattr(ctx, "find_root", None))


def format_params(params: dict[str, Any]) -> dict[str, Any]:
    """Money params (`*_fen`) also get a formatted twin without the suffix."""
    from limitlab.core.money import format_fen

    out = dict(params)
    for key, value in params.items():
        if key.endswith("_fen") and isinstance(value, int):
            out[key[:-4]] = format_fen(value)
    return out
