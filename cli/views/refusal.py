"""A refusal of `borrow` in words: the short form (headline, why's top reasons, a hint to run
`why`) as JSON, and on stderr."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from limitlab.cli.i18n import text
from limitlab.core.money import format_fen, plain_yuan
from rich.text import Text

from ..errors import format_params
from ..render import err_console, hanging, paren

if TYPE_CHECKING:
    from limitlab.core.commands import Borrow
    from limitlab.core.engine import Refusal
    from limitlab.core.model import AccountState
    from limitlab.core.policy import Policy


def refusal_report(
    state: AccountState,
    policy: Policy,
    refusal: Refusal,
    lang: str,
    events: Sequence[Any] = (),
    *,
    asked: Borrow | None = None,
) -> dict[str, Any]:
    """The short form of a refusal: headline, the top two reasons with advice, a hint. A
    borrow's refusal also says whether it was an application, and, first, when it started a
    cool-off (`events`: what the refused command produced). Refused for the limit, the own
    loans' advice is for the amount asked (`asked`): the smallest repayment after which the
    borrow rules grant it, run on a copy, or the plan when no repayment today does."""
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
            headline = data["headline"]  # the state in its own name: used up, no limit, …
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
        shares = {
            "dti_ratio": Decimal(p["dti_after"]),
            "max_ratio": Decimal(p["max_dti"]),
            "installment_fen": p["installment_fen"],
        }
        headline = text("check.HIGH_DTI", lang, **worded(shares))
    else:
        headline = data["headline"]
    # Why's top two, in why's order; the rule that refused is added when it is not among them.
    shown = reasons[:2] + [r for r in reasons[2:] if r["code"] == refusal.code][:1]
    if refusal.code == "LIMIT_EXCEEDED" and asked is not None:
        unlock = _unlock_text(state, policy, asked, lang)
        shown = [{**r, "advice": unlock} if r["code"] == "USED_BY_LOANS" else r for r in shown]
        if not any(r["code"] == "USED_BY_LOANS" for r in shown):
            shown.append(
                {
                    "code": "LIMIT_EXCEEDED",
                    "category": "user",
                    "title": text("reason.LIMIT_EXCEEDED.title", lang),
                    "amount_fen": asked.amount_fen - data["available_fen"],
                    "advice": unlock,
                    "recovers": "",
                }
            )
    kinds = {e.kind: e.data for e in events}
    started = kinds.get("cooloff_started")
    cooloff = None
    if started is not None:
        cooloff = {
            "until": started["until"],
            "applications": started["applications"],
            "window_days": started["window_days"],
            "text": text(
                "refuse.cooloff_started",
                lang,
                count=started["applications"],
                days=started["window_days"],
                until=started["until"],
            ),
        }
    application = "application_refused" in kinds
    if application:
        counted = text("refuse.recorded", lang)
    else:
        counted = text(
            "refuse.not_an_application", lang, available=format_fen(data["available_fen"])
        )
    return {
        "refused": True,
        "code": refusal.code,
        "cooloff": cooloff,
        "headline": headline,
        "state": data["state"],
        "limit_fen": data["limit_fen"],
        "available_fen": data["available_fen"],
        "reference_fen": data["reference_fen"],
        "lost_fen": data["lost_fen"],
        "reasons": [
            {k: r[k] for k in ("code", "category", "title", "amount_fen", "advice", "recovers")}
            for r in shown
        ],
        "recorded": True,
        "application": application,
        "counted": counted,
        "hint": text("hint.why", lang),
    }


def _unlock_text(state: AccountState, policy: Policy, asked: Borrow, lang: str) -> str:
    """What makes the amount asked available: the smallest repayment today after which
    `borrow` grants it (simulated on a copy), or the plan that finds the way."""
    from limitlab.core.advice import repayment_to_borrow

    from .explanation import path_text

    amount = format_fen(asked.amount_fen)
    path = repayment_to_borrow(state, policy, asked)
    if path is None:
        return text(
            "refuse.unlock_plan",
            lang,
            amount=amount,
            plain=plain_yuan(asked.amount_fen),
            term=asked.term,
        )
    return text("refuse.unlock", lang, amount=amount, path=path_text(path, state.today, lang))


def render_refusal(report: dict[str, Any], lang: str) -> None:
    con = err_console()
    if report.get("cooloff"):
        con.print(Text(report["cooloff"]["text"], style="bold red"))
    con.print(Text(report["headline"], style="bold red"))
    for r in report.get("reasons", []):
        amount = paren(
            text(
                "refuse.share",
                lang,
                amount=format_fen(r["amount_fen"]),
                lost=format_fen(report["lost_fen"]),
            ),
            lang,
        )
        gap = "" if lang == "zh" else " "
        title = text(
            "why.refusing_item", lang, title=f"{r['title']}{gap}{amount}", text=r["advice"]
        )
        con.print(hanging([("  • ", title)]))
    if "counted" in report:
        con.print(Text(report["counted"], style="dim"))
    if "hint" in report:
        con.print(Text(report["hint"], style="dim"))
