"""What a 借呗-style app would say, in words: the app's own Chinese and the reader's language
in JSON, the reader's on screen beside the real reason (`status`, `why`)."""

from __future__ import annotations

from typing import Any

from limitlab.cli.i18n import text
from limitlab.core.app_message import AppMessage
from rich.text import Text

from ..errors import format_params


def app_message_json(message: AppMessage, lang: str) -> dict[str, Any]:
    """`{code, text, app_text}`: `app_text` is what the app's screen says (in Chinese, as the
    app does), `text` the same in the reader's language."""
    words = format_params(message.params)
    return {
        "code": message.code,
        "text": text(f"app.{message.code}", lang, **words),
        "app_text": text(f"app.{message.code}", "zh", **words),
    }


def app_message_line(app: dict[str, Any], lang: str, reason: dict[str, Any] | None) -> Text:
    """One line: the app's message, and the real reason beside it when there is one."""
    if reason is None:
        return Text(text("app.line", lang, text=app["text"]))
    line = text(
        "app.line_reason",
        lang,
        text=app["text"],
        reason=reason["title"],
        code=reason["code"],
    )
    return Text(line, style="yellow")
