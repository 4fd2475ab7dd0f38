"""Settings shared by every command, input parsing at the edge, and the one error funnel."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, NoReturn, TypeGuard, TypeVar

import typer

if TYPE_CHECKING:
    from limitlab.core.policy import Policy
    from limitlab.core.store import Store

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_REFUSED, EXIT_DATABASE, EXIT_INTERRUPTED = (
    0,
    1,
    2,
    3,
    4,
    130,
)

F = TypeVar("F", bound=Callable[..., Any])


class UserError(Exception):
    """A message from the catalogue and the exit code that goes with it."""

    def __init__(self, key: str, exit_code: int = EXIT_USAGE, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.exit_code = exit_code
        self.params = params


@dataclass
class Settings:
    db: str | None = None
    json: bool = False
    lang: str = "en"
    policy: str | None = None

    @property
    def db_path(self) -> str:
        """--db, else LIMITLAB_DB, else the platform's user data directory."""
        if self.db:
            return self.db
        if os.environ.get("LIMITLAB_DB"):
            return os.environ["LIMITLAB_DB"]
        from platformdirs import user_data_dir

        return os.path.join(user_data_dir("limitlab", appauthor=False), "account.db")


def resolve_lang(value: str | None) -> str:
    lang = (value or os.environ.get("LIMITLAB_LANG") or "en").lower()
    if lang.startswith("zh"):
        return "zh"
    if lang.startswith("en"):
        return "en"
    raise UserError("lang.bad", text=value or lang)


def settings(ctx: typer.Context, json_out: bool = False, lang: str | None = None) -> Settings:
    """The global settings, with a command's own --json/--lang taking precedence."""
    root = ctx.find_root()
    base: Settings = root.obj if isinstance(root.obj, Settings) else Settings()
    return Settings(
        db=base.db,
        json=json_out or base.json,
        lang=resolve_lang(lang) if lang else base.lang,
        policy=base.policy,
    )


# --- prompts -------------------------------------------------------------------------------

_nested = 0


def interactive() -> bool:
    """May a command ask a question? Only on a terminal, and never inside a scenario or a
    what-if, whose commands run with their output captured."""
    return _nested == 0 and sys.stdin.isatty()


@contextlib.contextmanager
def non_interactive() -> Iterator[None]:
    global _nested
    _nested += 1
    try:
        yield
    finally:
        _nested -= 1


def run_nested(args: list[str]) -> int:
    """Run `limitlab ARGS` in this process, as a scenario step or a what-if action does: the
    same code as typing it. Never prompts; a usage error is reported and returns its exit code
    (2) instead of escaping as an internal error."""
    from .app import app

    command = typer.main.get_command(app)
    with non_interactive():
        try:
            return command.main(args=args, prog_name="limitlab", standalone_mode=False) or 0
        except typer.Abort:
            return EXIT_INTERRUPTED
        except typer.TyperException as exc:
            from typer._click.exceptions import ClickException

            if isinstance(exc, ClickException):  # one line, as a step's other errors are
                from .helpscreen import usage_error_text

                words = usage_error_text(exc, lang_from_argv(args))
                sys.stderr.write(f"limitlab: {words}\n")
            return int(getattr(exc, "exit_code", EXIT_USAGE))


def split_words(text: str) -> list[str]:
    """A command line as words (shell quoting rules); bad quoting is bad input."""
    import shlex

    try:
        return shlex.split(text)
    except ValueError as exc:
        raise UserError("words.bad", text=text, problem=str(exc)) from None


# --- parsing at the edge -------------------------------------------------------------------


def amount(text: str, *, allow_zero: bool = False) -> int:
    from limitlab.core.money import AmountError, parse_amount

    try:
        return parse_amount(text, allow_zero=allow_zero)
    except AmountError as exc:
        raise UserError(f"amount.{exc.code}", text=text) from None


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def parse_date(text: str) -> date:
    """YYYY-MM-DD between 1970 and 2199: room for any lesson, far from the calendar's ends."""
    if _DATE.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if date(1970, 1, 1) <= day <= date(2199, 12, 31):
                return day
    raise UserError("date.bad", text=text)


def load_policy_file(path: str) -> Policy:
    from limitlab.core.policy import PolicyError, load_policy_file

    if not os.path.isfile(path):
        raise UserError("policy.missing", path=path)
    try:
        return load_policy_file(path)
    except PolicyError as exc:
        raise UserError(
            "policy.error",
            path=path,
            setting=exc.key,
            problem=Problem(exc.kind, exc.problem, exc.params),
        ) from None


def export_path(path: str | None) -> str | None:
    """Check an --export target before any work is done."""
    if path is None:
        return None
    from .render import EXPORT_FORMATS

    if os.path.splitext(path)[1].lower() not in EXPORT_FORMATS:
        raise UserError("export.format", path=path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UserError("export.folder", path=path)
    return path


def open_store(s: Settings) -> Store:
    from limitlab.core.store import Store

    return Store.open(s.db_path)


# --- output --------------------------------------------------------------------------------


def print_json(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def say(s: Settings, key: str, **params: Any) -> None:
    """A message (not data): to stderr, in the user's language."""
    from limitlab.core.messages import text

    from .render import err_console

    err_console().print(text(key, s.lang, **params), markup=False, highlight=False)


def fail(key: str, exit_code: int = EXIT_USAGE, **params: Any) -> NoReturn:
    raise UserError(key, exit_code, **params)


# --- the one error funnel ------------------------------------------------------------------


def lang_in_args(args: list[str]) -> str | None:
    """The language `--lang` asks for among these words, read before Typer processes them (the
    help screen and early errors come first): the last one given, as for any option, and none
    after `--`. None when it is not there."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value is not None:
            found = "zh" if value.lower().startswith("zh") else "en"
    return found


def lang_from_env() -> str:
    """LIMITLAB_LANG's language, else English."""
    return "zh" if os.environ.get("LIMITLAB_LANG", "").lower().startswith("zh") else "en"


def lang_from_argv(args: list[str] | None = None) -> str:
    """`--lang` in the command line (or `args`), else LIMITLAB_LANG, else English."""
    found = lang_in_args(sys.argv if args is None else args)
    return found if found is not None else lang_from_env()


@dataclass(frozen=True)
class Problem:
    """A validation problem: worded from the catalogue (`validation.KIND`) when it has the
    kind, else as the validator said it."""

    kind: str
    fallback: str
    params: dict[str, Any]

    def words(self, lang: str) -> str:
        from limitlab.core.messages import has, text

        key = f"validation.{self.kind}"
        if has(key):
            try:
                return text(key, lang, **self.params)
            except (KeyError, IndexError):
                pass
        return self.fallback


def _report(key: str, lang: str, exit_code: int, **params: Any) -> NoReturn:
    from limitlab.core.messages import text

    params = {k: v.words(lang) if isinstance(v, Problem) else v for k, v in params.items()}
    sys.stderr.write(f"limitlab: {text(key, lang, **params)}\n")
    raise typer.Exit(exit_code)


def handle_errors(func: F) -> F:
    """Turn every known failure into one line on stderr and its documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = kwargs.get("ctx")
        try:
            if _is_context(ctx):
                lang = settings(ctx, False, kwargs.get("lang")).lang
            else:
                lang = lang_from_argv()
        except UserError:
            lang = "en"
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except UserError as exc:
            _report(exc.key, lang, exc.exit_code, **exc.params)
        except KeyboardInterrupt:
            _report("interrupted", lang, EXIT_INTERRUPTED)
        except Exception as exc:
            from limitlab.core.engine import DomainError
            from limitlab.core.store import StoreError

            if isinstance(exc, DomainError):
                params = _format_params(exc.params)
                if "problem_key" in params:  # a nested message (e.g. why a cohort is bad)
                    from limitlab.core.messages import text

                    params["problem"] = text(params.pop("problem_key"), lang, **params)
                _report(f"error.{exc.code}", lang, EXIT_USAGE, **params)
            if isinstance(exc, StoreError):
                _report(f"store.{exc.code}", lang, EXIT_DATABASE, path=exc.path, detail=exc.detail)
            import sqlite3

            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                _report(
                    "store.busy", lang, EXIT_DATABASE, path=settings(ctx).db_path if ctx else ""
                )
            if isinstance(exc, sqlite3.DatabaseError | OSError):
                path = settings(ctx).db_path if _is_context(ctx) else ""
                code = "unwritable" if _is_write_failure(exc) else "damaged"
                _report(f"store.{code}", lang, EXIT_DATABASE, path=path, detail=str(exc))
            if os.environ.get("LIMITLAB_DEBUG"):
                raise
            _report("internal", lang, EXIT_INTERNAL, detail=f"{type(exc).__name__}: {exc}")

    return wrapper  # type: ignore[return-value]


def _is_context(ctx: Any) -> TypeGuard[typer.Context]:
    """typer hands commands a click context of its own class: test by behaviour, not type."""
    return callable(getattr(ctx, "find_root", None))


def _is_write_failure(exc: Exception) -> bool:
    message = str(exc).lower()
    return isinstance(exc, OSError) or any(
        word in message
        for word in ("readonly", "read-only", "disk is full", "unable to open", "disk i/o")
    )


def _format_params(params: dict[str, Any]) -> dict[str, Any]:
    """Money params (`*_fen`) also get a formatted twin without the suffix."""
    from limitlab.core.money import format_fen

    out = dict(params)
    for key, value in params.items():
        if key.endswith("_fen") and isinstance(value, int):
            out[key[:-4]] = format_fen(value)
    return out
