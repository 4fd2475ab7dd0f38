"""A refusal of `borrow` in words: the short form (headline, why's top reasons, a hint to run
`why`) as JSON, and on stderr."""

from __future__ import annotations

from typing import Any

from limitlab.core.messages import text
from limitlab.core.money import format_fen, plain_yuan
from rich.text import Text

from ..errors import format_params
from ..render import err_console


def refusal_report(state: Any, policy: Any, refusal: Any, lang: str) -> dict[str, Any]:
    """The short form of a refusal: headline, the top two reasons with advice, a hint."""
    from limitlab.core.explain import explain

    from .explanation import explanation_json, worded

    params = format_params(refusal.params)
    if refusal.code == "INSUFFICIENT_WALLET":
        return {
            "refused": True,
            "code": refusal.code,
            "headline": text(
                "refuse.INSUFFICIENT_WALLET",
                lang,
                missing_plain=plain_yuan(refusal.params["missing_fen"]),
                **params,
            ),
            **refusal.params,
        }
    data = explanation_json(explain(state, policy), lang)
    reasons = data["reasons"]
    if refusal.code == "LIMIT_EXCEEDED":
        limit = format_fen(refusal.params["limit_fen"])
        available = format_fen(refusal.params["available_fen"])
        if refusal.params["available_fen"] == 0:
            headline = text("refuse.headline_used_up", lang, available=available, limit=limit)
        else:
            headline = text(
                "refuse.headline_short",
                lang,
                available=available,
                limit=limit,
                amount=format_fen(refusal.params["amount_fen"]),
            )
    elif refusal.code == "HIGH_DTI":
        from decimal import Decimal

        p = refusal.params
        shares = {"dti_ratio": Decimal(p["dti_after"]), "max_ratio": Decimal(p["max_dti"])}
        headline = text("check.HIGH_DTI", lang, **worded(shares))
    else:
        headline = data["headline"]
    # Why's top two, in why's order; the rule that refused is added when it is not among them.
    shown = reasons[:2] + [r for r in reasons[2:] if r["code"] == refusal.code][:1]
    return {
        "refused": True,
        "code": refusal.code,
        "headline": headline,
        "state": data["state"],
        "limit_fen": data["limit_fen"],
        "available_fen": data["available_fen"],
        "reasons": [
            {k: r[k] for k in ("code", "category", "title", "amount_fen", "advice", "recovers")}
            for r in shown
        ],
        "recorded": True,
        "hint": text("hint.why", lang),
    }


def render_refusal(report: dict[str, Any], lang: str) -> None:
    con = err_console()
    con.print(Text(report["headline"], style="bold red"))
    for r in report.get("reasons", []):
        con.print(Text(f"  • {r['title']} ({format_fen(r['amount_fen'])}): {r['advice']}"))
    if "hint" in report:
        con.print(Text(report["hint"], style="dim"))
