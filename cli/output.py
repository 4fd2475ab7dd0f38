"""What a command prints: data as JSON on stdout, screens through rich, messages on stderr."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from .settings import Settings


def print_json(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def words(s: Settings, key: str, **params: Any) -> str:
    """A message of the catalogue in the run's language."""
    from limitlab.core.messages import text

    return text(key, s.lang, **params)


def say(s: Settings, key: str, **params: Any) -> None:
    """A message (not data): to stderr, in the user's language."""
    from .render import err_console

    err_console().print(words(s, key, **params), markup=False, highlight=False)


def show(renderable: Any = "") -> None:
    """A screen on stdout (and into the --export recording, when one is on)."""
    from .render import show as render_show

    render_show(renderable)


def show_data(s: Settings, data: Any, view: Callable[[], Any], target: str | None) -> None:
    """A read command's ending: its data as JSON, or its screen (also saved with --export)."""
    if s.json:
        print_json(data)
        return
    with exporting(target):
        show(view())
    saved(s, target)


def exporting(target: str | None) -> Any:
    """Record what is shown into `target` (None: record nothing)."""
    from .render import exporting as recorder

    return recorder(target)


def saved(s: Settings, target: str | None) -> None:
    if target is not None:
        say(s, "export.saved", path=target)


def money(fen: int) -> str:
    from limitlab.core.money import format_fen

    return format_fen(fen)
