"""The glossary in words: each term's names, definition and example (core/glossary.py gives
the example's figures), as JSON entries and as a screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from limitlab.cli.i18n import text
from limitlab.core.glossary import Term, example
from limitlab.core.model import AccountState
from limitlab.core.money import format_percent
from limitlab.core.policy import Policy

from ..errors import format_params


def names(term: Term) -> tuple[str, str]:
    """The term's English and Chinese names."""
    key = f"glossary.{term.key}.name"
    return text(key, "en"), text(key, "zh")


def _days(n: int, lang: str) -> str:
    return text("glossary.days.one", lang) if n == 1 else text("glossary.days.many", lang, days=n)


def _factor(value: Decimal, lang: str) -> str:
    return format(value.normalize(), "f")


def _attribute(attribute: str, lang: str) -> str:
    from ..render import attribute_text

    return attribute_text(attribute, lang)


def _band(band: str, lang: str) -> str:
    from ..render import band_text

    return band_text(band, lang)


#: How an example's figures read, by name; money (`*_fen`) and dates read alike everywhere.
FIGURES: dict[str, Callable[[Any, str], str]] = {
    "days": _days,
    "grace": _days,
    "window": _days,
    "share": lambda share, lang: format_percent(share, 0),
    "rate": lambda rate, lang: format_percent(rate, 3),  # daily rates
    "daily": lambda rate, lang: format_percent(rate, 3),
    "simple": lambda rate, lang: format_percent(rate),
    "effective": lambda rate, lang: format_percent(rate),
    "dti": lambda rate, lang: format_percent(rate, 0),
    "pct": lambda pct, lang: f"{pct}%",
    "multiplier": _factor,
    "threshold": _factor,
    "band": _band,
    "lenders": lambda lenders, lang: ("、" if lang == "zh" else ", ").join(lenders),
    "attribute": lambda attribute, lang: _attribute(attribute, lang),
}


def _cohort(cohort: str | None, lang: str) -> str:
    from ..render import cohort_text

    return cohort_text(cohort, lang)


#: The cohort example writes the account as a cohort expression reads it (`dti=0.25`,
#: `income=8000`); the measure's own cohort is worded.
COHORT_FIGURES: dict[str, Callable[[Any, str], str]] = {
    "dti": lambda dti, lang: f"{dti:.2f}",
    "income": _factor,
    "factor": _factor,
    "cohort": lambda cohort, lang: _cohort(cohort, lang),
}


def example_text(term: Term, lang: str, state: AccountState | None, policy: Policy | None) -> str:
    """One line illustrating `term`: from the account when there is one, else generic."""
    suffix, params = example(term, state, policy)
    if term.key == "utilisation" and suffix == "yours" and params["used_fen"] > params["limit_fen"]:
        suffix = "over"  # more owed than the limit: a cut went below the debt
    figures = COHORT_FIGURES if term.key == "cohort" else FIGURES
    words = format_params(params)
    for key, value in params.items():
        if isinstance(value, date):
            words[key] = value.isoformat()
        elif key in figures:
            words[key] = figures[key](value, lang)
    return text(f"glossary.{term.key}.{suffix}", lang, **words)


def glossary_entries(
    terms: tuple[Term, ...],
    lang: str,
    state: AccountState | None = None,
    policy: Policy | None = None,
) -> list[dict[str, Any]]:
    """The entries as JSON-ready dicts: term, name_en, name_zh, pinyin, definition, example."""
    out = []
    for term in terms:
        name_en, name_zh = names(term)
        out.append(
            {
                "term": term.key,
                "name_en": name_en,
                "name_zh": name_zh,
                "pinyin": term.pinyin,
                "definition": text(f"glossary.{term.key}.definition", lang),
                "example": example_text(term, lang, state, policy),
            }
        )
    return out


def glossary_view(entries: list[dict[str, Any]], lang: str, *, from_account: bool) -> Any:
    """One block per term: both names and the pinyin, then the definition and the example,
    indented so a narrow terminal wraps them under the heading."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    label = text("glossary.from_account" if from_account else "glossary.for_example", lang)
    blocks: list[Any] = [Text(text("glossary.title", lang), style="bold underline")]
    for e in entries:
        heading = Text.assemble(
            (e["name_zh"], "bold"), " ", (e["pinyin"], "italic"), " · ", (e["name_en"], "bold")
        )
        body = Text(e["definition"])
        gap = "" if label.endswith(("：", "，")) else " "  # no space after full-width punctuation
        example = Text.assemble((label, "dim"), gap, e["example"])
        blocks += [Text(""), heading, Padding(Group(body, example), (0, 0, 0, 2))]
    return Group(*blocks)
