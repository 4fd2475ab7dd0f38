"""What a command run is set to: the database, JSON or screens, the language, a policy file;
and whether it may ask questions."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import typer

from .language import resolve_lang


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
