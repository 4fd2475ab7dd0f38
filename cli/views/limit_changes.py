"""The limit changes in words: `limits --json` rows, each with its own attribution worded."""

from __future__ import annotations

from typing import Any

from limitlab.cli.i18n import has, text
from limitlab.core.explain import CATEGORY

from ..errors import format_params
from ..render import attribute_text, cohort_text, value_text


def change_title(code: str, amount_fen: int, lang: str) -> str:
    """A change's title: the cause's for a cut, its own for what a raise lifted."""
    if amount_fen > 0 and has(f"change.up.{code}"):
        return text(f"change.up.{code}", lang)
    return text(f"reason.{code}.title", lang)


def _evidence_json(item: dict[str, Any], lang: str) -> dict[str, Any]:
    params = format_params(item)
    for key in ("added", "removed"):
        if key in item:
            params[key] = ", ".join(item[key]) or "—"
    if "attribute" in item:
        params["attribute"] = attribute_text(item["attribute"], lang)
        for key in ("value", "without", "old", "new"):
            if key in params:
                params[key] = value_text(str(params[key]), lang, item["attribute"])
    if "points" in item:
        params["points"] = f"{item['points']:+d}".replace("-", "−")
    if "until" in item and item["until"] is None:
        params["until"] = "—"
    if "cohort" in item:
        params["cohort"] = cohort_text(item["cohort"], lang)
    return {**item, "text": text(f"change.{item['kind']}", lang, **params)}


def attribution_json(
    entries: list[dict[str, Any]] | None, lang: str
) -> list[dict[str, Any]] | None:
    if entries is None:
        return None
    return [
        {
            "code": e["code"],
            "key": e["key"],
            "category": CATEGORY.get(e["code"], "system"),
            "title": change_title(e["code"], e["amount_fen"], lang),
            "amount_fen": e["amount_fen"],
            "evidence": [_evidence_json(ev, lang) for ev in e["evidence"]],
        }
        for e in entries
    ]


def change_json(change: Any, lang: str) -> dict[str, Any]:
    """A row of `limits --json`."""
    return {
        "date": change.on.isoformat(),
        "trigger": change.trigger,
        "old_limit_fen": change.old_limit_fen,
        "new_limit_fen": change.new_limit_fen,
        "score": change.score,
        "base_fen": change.base_fen,
        "binding": change.binding,
        "codes": list(change.codes),
        "daily_rate": str(change.daily_rate),
        "attribution": attribution_json(change.attribution, lang),
    }
