"""The policy in words: each rule a line with its numbers, grouped (`policy show`).

Data-driven: every top-level field of the policy has a `policy.<field>` line in the catalogue
(tests/test_words.py checks it); a field without one still shows, as its name and value."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from limitlab.cli.i18n import has, text
from limitlab.core.money import format_fen, format_percent
from limitlab.core.policy import REGULATORY_SOURCES

#: The groups of `policy show`, in order, and the fields each one holds.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("score", ("score_base", "score_max", "score_bands", "applications_window_days", "scorecard")),
    ("tiers", ("tiers",)),
    (
        "caps",
        (
            "verification_required",
            "regulatory_cap_fen",
            "microlending_cap_fen",
            "regulatory_income_months",
            "limit_step_fen",
        ),
    ),
    (
        "risk",
        (
            "multi_lender_cuts",
            "high_dti_cuts",
            "credit_record_factor",
            "credit_record_scored_months",
            "credit_record_kept_years",
            "income_drop_fraction",
            "raise_max_fraction",
            "raise_clean_months",
            "review_interval_days",
        ),
    ),
    ("pricing", ("day_count", "apr_warn")),
    (
        "applications",
        (
            "terms",
            "min_borrow_fen",
            "drawdown_max_dti",
            "dti_interest_first",
            "frequent_applications",
            "frequent_window_days",
            "cooloff_days",
        ),
    ),
    ("external", ("external_payments", "external_apr")),
    (
        "overdue",
        (
            "penalty_multiplier",
            "compound_overdue_interest",
            "grace_days",
            "cut_to_outstanding_dpd",
            "freeze_on_serious_delinquency",
            "close_dpd",
        ),
    ),
    ("platform", ()),
)
#: Shares shown as percentages.
PERCENT = {
    "drawdown_max_dti",
    "raise_max_fraction",
    "income_drop_fraction",
    "apr_warn",
    "external_apr",
}


def _value(field: str, value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return text("value.yes" if value else "value.no", lang)
    if field.endswith("_fen") and isinstance(value, int):
        return format_fen(value)
    if field in PERCENT:
        return format_percent(Decimal(str(value)), 0)
    if isinstance(value, list):
        return ("、" if lang == "zh" else ", ").join(str(v) for v in value)
    return str(value)


def _rows(field: str, value: Any, lang: str) -> list[str]:
    if field == "score_bands":
        return [
            text("policy.score_bands", lang, min=low, band=_band(name, lang)) for low, name in value
        ]
    if field == "tiers":
        return [
            text(
                "policy.tiers",
                lang,
                min=t["min_score"],
                cap=format_fen(t["cap_fen"]),
                multiple=t["income_multiple"],
                rate=format_percent(Decimal(str(t["daily_rate"])), 3),
            )
            for t in value
        ]
    if field in ("multi_lender_cuts", "high_dti_cuts"):
        return [
            text(f"policy.{field}", lang, threshold=_cut(field, s["threshold"]), factor=s["factor"])
            for s in value
        ]
    if field == "scorecard":
        from ..render import score_attribute_text

        return (
            [
                text(
                    "policy.scorecard",
                    lang,
                    attribute=score_attribute_text(name, lang),
                    bands=_bands(name, bins, lang),
                )
                for key, card in value.items()
                if key not in ("no_history", "delinquency_ceiling")
                for name, bins in card.items()
            ]
            + _no_history(value.get("no_history"), lang)
            + _ceiling(value.get("delinquency_ceiling"), lang)
        )
    key = f"policy.{field}"
    if isinstance(value, bool) and has(key):
        # A switch: its line says the rule when on, `policy.<field>.off` when off.
        return [text(key if value else f"{key}.off", lang)]
    if isinstance(value, str) and has(f"{key}.{value}"):
        # A choice: `policy.<field>` words the default, `policy.<field>.<choice>` the others.
        return [text(f"{key}.{value}", lang)]
    if has(key):
        line = text(key, lang, value=_value(field, value, lang))
        if field in REGULATORY_SOURCES and has(f"policy.source.{field}"):
            source = text(f"policy.source.{field}", lang)
            line = text("policy.sourced", lang, rule=line, source=source)
        return [line]
    return [text("policy.other", lang, name=field, value=json.dumps(value, ensure_ascii=False))]


def _bands(name: str, bins: dict[str, Any], lang: str) -> str:
    """An attribute's bins in words: each band with its points ("0 → 90 points, 1–3 → 40
    points, …, 90 or more → 0 points"); a yes/no attribute as "no 0 points, yes 20 points"."""
    from limitlab.core.policy import Bins
    from limitlab.core.scoring import BOOLEAN_ATTRIBUTES, band_label

    from ..render import band_words

    card = Bins(tuple(Decimal(str(e)) for e in bins["edges"]), tuple(bins["points"]))
    sep = "，" if lang == "zh" else ", "
    # 0 is no, 1 is yes: one edge in between splits them (a policy's other edges: as bands)
    if name in BOOLEAN_ATTRIBUTES and len(card.edges) == 1 and 0 < card.edges[0] <= 1:
        return sep.join(
            text("policy.scorecard_yes_no", lang, answer=text(f"value.{a}", lang), points=p)
            for a, p in zip(("no", "yes"), card.points, strict=True)
        )
    return sep.join(
        text(
            "policy.scorecard_band",
            lang,
            band=band_words(band_label(card, i, False), lang),
            points=p,
        )
        for i, p in enumerate(card.points)
    )


def _no_history(card: Any, lang: str) -> list[str]:
    """The thin file's points, one line per attribute (none when the policy scores without)."""
    from ..render import score_attribute_text

    if not isinstance(card, dict) or not card.get("enabled", True):
        return [text("policy.no_history_off", lang)] if isinstance(card, dict) else []
    return [
        text("policy.no_history", lang, attribute=score_attribute_text(name, lang), points=points)
        for name, points in card.items()
        if name != "enabled"
    ]


def _ceiling(card: Any, lang: str) -> list[str]:
    """The delinquency ceiling: its two rules, or a line saying there is none."""
    if not isinstance(card, dict):
        return []
    if not card.get("enabled", True):
        return [text("policy.delinquency_ceiling_off", lang)]
    return [
        text(
            "policy.delinquency_ceiling",
            lang,
            dpd=card["serious_dpd"],
            score=card["serious_max_score"],
        ),
        text(
            "policy.delinquency_ceiling_severe",
            lang,
            dpd=card["severe_dpd"],
            score=card["severe_max_score"],
        ),
    ]


def _cut(field: str, threshold: Any) -> str:
    if field == "high_dti_cuts":
        return format_percent(Decimal(str(threshold)), 0)
    return str(threshold)


def _band(name: str, lang: str) -> str:
    from ..render import band_text

    return band_text(name, lang)


def policy_groups(data: dict[str, Any], lang: str) -> list[tuple[str, list[str]]]:
    """(group title, lines) in order; fields no group names go to the platform group."""
    known = {f for _, fields in GROUPS for f in fields}
    out = []
    for group, fields in GROUPS:
        names = [f for f in fields if f in data]
        if group == "platform":
            names += [f for f in data if f not in known]
        lines = [line for f in names for line in _rows(f, data[f], lang)]
        if lines:
            out.append((text(f"policy.group.{group}", lang), lines))
    return out


def policy_view(data: dict[str, Any], lang: str) -> Any:
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    blocks: list[Any] = [Text(text("title.policy", lang), style="bold underline")]
    for title, lines in policy_groups(data, lang):
        blocks += [Text(""), Text(title, style="bold")]
        blocks += [Padding(Text(line), (0, 0, 0, 2)) for line in lines]
    return Group(*blocks)
