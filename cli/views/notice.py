"""The formal notice of a limit cut or closure in words: its JSON and its screen."""

from __future__ import annotations

from typing import Any

from limitlab.cli.i18n import text
from limitlab.core.explain import CATEGORY, Notice
from limitlab.core.money import format_fen
from rich.console import Group
from rich.text import Text


def notice_json(n: Notice, lang: str) -> dict[str, Any]:
    on = n.on.isoformat()
    return {
        "date": on,
        "action": n.action,
        "old_limit_fen": n.old_limit_fen,
        "new_limit_fen": n.new_limit_fen,
        "text": text(
            f"notice.{n.action}",
            lang,
            date=on,
            old=format_fen(n.old_limit_fen),
            new=format_fen(n.new_limit_fen),
        ),
        "reasons": [
            {
                "code": code,
                "category": CATEGORY.get(code, "system"),
                "text": text(f"reason.{code}.title", lang),
            }
            for code in n.reasons
        ],
        "cohort_wide": [
            text("notice.everyone", lang) if c == "all" else text("notice.cohort", lang, cohort=c)
            for c in n.cohorts
        ],
        "rights": text("notice.rights", lang),
    }


def no_notice_json(lang: str) -> dict[str, Any]:
    """`notice --json` with nothing to notify: the notice's own shape, `action` null."""
    return {
        "date": None,
        "action": None,
        "old_limit_fen": None,
        "new_limit_fen": None,
        "text": text("notice.none", lang),
        "reasons": [],
        "cohort_wide": [],
        "rights": text("notice.rights", lang),
    }


def notice_view(data: dict[str, Any], lang: str) -> Group:
    parts: list[Any] = [
        Text(text("notice.title", lang), style="bold"),
        Text(data["text"]),
        Text(),
        Text(text("notice.principal_reasons", lang)),
    ]
    for i, r in enumerate(data["reasons"], start=1):
        parts.append(Text(f"  {i}. {r['text']}"))
    for line in data["cohort_wide"]:
        parts += [Text(), Text(line, style="yellow")]
    parts += [Text(), Text(data["rights"], style="dim")]
    return Group(*parts)
