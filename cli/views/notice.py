"""The formal notice of a limit cut or closure in words: its JSON and its screen."""

from __future__ import annotations

from datetime import date
from typing import Any

from limitlab.cli.i18n import text
from limitlab.core.explain import CATEGORY, Notice
from limitlab.core.money import format_fen
from rich.console import Group
from rich.text import Text

from ..render import cohort_text

#: How many of the changes after a notice it lists (the newest; `limits` has them all).
LATER_SHOWN = 4


def notice_json(
    n: Notice, lang: str, later: list[tuple[date, int, int]] | None = None
) -> dict[str, Any]:
    """The notice, and what the limit did after it: `later` is each change since, as (date,
    old, new). A cut is `reversed_on` the first day the limit was back to where it was before
    the cut (or higher); `current_limit_fen` is the limit after the last change."""
    on = n.on.isoformat()
    changes: list[dict[str, Any]] = [
        {
            "date": d.isoformat(),
            "old_limit_fen": old,
            "new_limit_fen": new,
            "text": text(
                "notice.later_raised" if new > old else "notice.later_cut",
                lang,
                date=d.isoformat(),
                old=format_fen(old),
                new=format_fen(new),
            ),
        }
        for d, old, new in later or []
    ]
    back = [c for c in changes if n.action == "cut" and c["new_limit_fen"] >= n.old_limit_fen]
    reversed_on = back[0]["date"] if back else None
    current = changes[-1]["new_limit_fen"] if changes else n.new_limit_fen
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
            text("notice.everyone", lang)
            if c == "all"
            else text("notice.cohort", lang, cohort=cohort_text(c, lang))
            for c in n.cohorts
        ],
        "rights": text("notice.rights", lang),
        "later_changes": changes,
        "reversed_on": reversed_on,
        "current_limit_fen": current,
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
        "later_changes": [],
        "reversed_on": None,
        "current_limit_fen": None,
    }


def notice_view(data: dict[str, Any], lang: str) -> Group:
    later = data["later_changes"]
    parts: list[Any] = [Text(text("notice.title", lang), style="bold"), Text(data["text"])]
    if data["reversed_on"]:  # never a reversed cut shown as if it still held
        back = next(c for c in later if c["date"] == data["reversed_on"])
        limit = format_fen(back["new_limit_fen"])
        words = text("notice.reversed", lang, date=data["reversed_on"], limit=limit)
        parts.append(Text(words, style="bold yellow"))
    parts += [Text(), Text(text("notice.principal_reasons", lang))]
    for i, r in enumerate(data["reasons"], start=1):
        parts.append(Text(f"  {i}. {r['text']}"))
    for line in data["cohort_wide"]:
        parts += [Text(), Text(line, style="yellow")]
    if later:
        parts += [Text(), Text(text("notice.later_title", lang))]
        shown = later[-LATER_SHOWN:]
        if len(later) > len(shown):
            more = text("notice.later_more", lang, n=len(later) - len(shown))
            parts.append(Text(f"  {more}"))
        parts += [Text(f"  • {c['text']}") for c in shown]
        current = format_fen(data["current_limit_fen"])
        parts.append(Text(text("notice.current", lang, limit=current), style="bold"))
    parts += [Text(), Text(data["rights"], style="dim")]
    return Group(*parts)
