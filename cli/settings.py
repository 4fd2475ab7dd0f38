"""What a command run is set to: the database, JSON or screens, the language, a policy file;
and whether it may ask questions."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

import typer
from limitlab.core.records import record

from .exits import UserError
from .language import resolve_lang


@record
class Settings:
    db: str | None = None
    json: bool = False
    lang: str = "en"
    policy: str | None = None

    @property
    def db_path(self) -> str:
        """--db, else LIMITLAB_DB, else the platform's user data directory. An empty --db or
        LIMITLAB_DB is bad input, never the default account (`--db "$UNSET" init --force`
        must not replace the real one)."""
        if self.db is not None:
            if not self.db:
                raise UserError("db.empty", where="--db")
            return self.db
        from_env = os.environ.get("LIMITLAB_DB")
        if from_env is not None:
            if not from_env:
                raise UserError("db.empty", where="LIMITLAB_DB")
            return from_env
        from platformdirs import user_data_dir

        return os.path.join(user_data_dir("limitlab", appauthor=False), "account.db")


def settings(
    ctx: typer.Context, json_out: bool = False, lang: str | None = None, db: str | None = None
) -> Settings:
    """The global settings, with a command's own --json/--lang/--db taking precedence (an
    empty --db is refused by `db_path`, wherever it was typed)."""
    root = ctx.find_root()
    base: Settings = root.obj if isinstance(root.obj, Settings) else Settings()
    chosen = Settings(
        db=base.db if db is None else db,
        json=json_out or base.json,
        lang=resolve_lang(lang) if lang else base.lang,
        policy=base.policy,
    )
    from .i18n import set_screen_account, set_screen_language

    set_screen_language(chosen.lang)  # the screens of this command are set in its language
    set_screen_account(typed_account(chosen), root.command)
    return chosen


def typed_account(chosen: Settings) -> str | None:
    """The account a printed command must name with --db: the one `chosen` reads, unless a
    bare `limitlab …` opens it anyway (LIMITLAB_DB, or the user data file)."""
    try:
        path = chosen.db_path
        default = Settings(policy=chosen.policy).db_path
    except UserError:
        return None
    return None if os.path.realpath(path) == os.path.realpath(default) else path


_nested = 0


def nested() -> bool:
    """Is this command a scenario step or a what-if action (run inside another command)?"""
    return _nested > 0


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


@record(frozen=True)
class ExportBounds:
    """Where a scenario step may export: inside `folder` (the lesson file's own folder; a
    relative name is taken from there), never onto `protect` (the lesson's database, the
    user's account) and never over a file limitlab did not write (no --force in a lesson)."""

    folder: str
    protect: tuple[str, ...]


_export_bounds: list[ExportBounds] = []


def export_bounds() -> ExportBounds | None:
    """The bounds of the innermost lesson being played, None outside lessons."""
    return _export_bounds[-1] if _export_bounds else None


@contextlib.contextmanager
def lesson_exports(folder: str, protect: tuple[str, ...]) -> Iterator[None]:
    _export_bounds.append(ExportBounds(folder, protect))
    try:
        yield
    finally:
        _export_bounds.pop()
