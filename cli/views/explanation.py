"""The Explanation in words: the JSON of `why --json` (and the waterfall of `status --detail`),
made from core's codes and raw parameters; explanation_screen.py draws it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from limitlab.cli.i18n import text
from limitlab.core.explain import Evidence, Explanation, Line, Reason
from limitlab.core.money import format_fen, format_percent, rate_str

from ..errors import format_params

if TYPE_CHECKING:
    from limitlab.core.drawdown import AmountCheck


def worded(params: dict[str, Any]) -> dict[str, Any]:
    """Raw parameters as a sentence takes them: each `*_fen` also as its formatted twin (the
    error funnel's rule), each `*_ratio` as a whole percent without the suffix, a date in ISO
    form, a date that is not known as a dash, and `loan_ids` as `loans` ("#1, #2")."""
    out = format_params(params)
    for key, value in params.items():
        if value is None:
            out[key] = "—"
        elif key.endswith("_ratio"):
            out[key.removesuffix("_ratio")] = format_percent(value, 0)
        elif isinstance(value, date):
            out[key] = value.isoformat()
    if "loan_ids" in params:
        out["loans"] = ", ".join(f"#{loan_id}" for loan_id in params["loan_ids"])
    return out


def raw_json(params: dict[str, Any]) -> dict[str, Any]:
    """Raw parameters as JSON carries them: dates in ISO form, `*_ratio` shares as decimal
    strings like every rate ("0.2500")."""
    out = dict(params)
    for key, value in params.items():
        if isinstance(value, date):
            out[key] = value.isoformat()
        elif isinstance(value, Decimal):
            out[key] = rate_str(value) if key.endswith("_ratio") else str(value)
    return out


def line_label(code: str, lang: str, detail: dict[str, Any] | None = None) -> str:
    if detail and detail.get("suspension"):
        return text(f"line.held.{code}", lang)
    label = text(f"line.{code}", lang)
    if code == "BASE_LIMIT" and detail and detail.get("binding"):
        label += f" ({text('binding.' + detail['binding'], lang)})"
    if code in ("MULTI_LENDER", "HIGH_DTI", "CREDIT_RECORD", "PLATFORM_POLICY") and detail:
        label += f" × {detail.get('factor')}"
    return label


def headline(e: Explanation, lang: str) -> str:
    limit, available = format_fen(e.limit_fen), format_fen(e.available_fen)
    key = "why.headline_used_up" if e.available_fen == 0 else "why.headline_available"
    out = text(key, lang, available=available, limit=limit)
    if e.state == "closed":
        out += text("why.suffix_closed", lang)
    elif e.suspended:
        out += text("why.suffix_suspended", lang)
    return out


def evidence_json(ev: Evidence, lang: str) -> dict[str, Any]:
    """A piece of evidence: its date, kind and words, then its raw parameters."""
    return {
        "on": ev.on.isoformat() if ev.on else None,
        "kind": ev.kind,
        "text": text(f"ev.{ev.kind}", lang, **worded(ev.params)),
        **raw_json(ev.params),
    }


def reason_json(r: Reason, rank: int, lang: str) -> dict[str, Any]:
    advice, advice_params = r.advice
    recovers, recovers_params = r.recovers
    return {
        "rank": rank,
        "code": r.code,
        "category": r.category,
        "title": text(f"reason.{r.code}.title", lang),
        "amount_fen": r.amount_fen,
        "evidence": [evidence_json(ev, lang) for ev in r.evidence],
        "advice": text(f"advice.{advice}", lang, **worded(advice_params)),
        "recovers": text(f"recovers.{recovers}", lang, **worded(recovers_params)),
        "recovers_on": r.recovers_on.isoformat() if r.recovers_on else None,
    }


def waterfall_json(lines: list[Line], lang: str) -> list[dict[str, Any]]:
    return [
        {
            "code": ln.code,
            "label": line_label(ln.code, lang, ln.detail),
            "amount_fen": ln.amount_fen,
            "subtotal": ln.subtotal,
        }
        for ln in lines
    ]


def amount_json(check: AmountCheck, lang: str) -> dict[str, Any]:
    """`why --amount`: borrow's decision with every refusing rule and its figures, the largest
    amount granted per term when debt-to-income refuses, and `unlock`: exactly what
    `plan --need AMOUNT --term N --method M --json` prints (null when granted)."""
    from limitlab.cli.views.plan import plan_json

    return {
        "amount_fen": check.amount_fen,
        "term": check.term,
        "method": check.method,
        "granted": check.granted,
        "application": check.application,
        "refusing": [
            {
                "code": code,
                "text": text(f"check.{code}", lang, **worded(params)),
                **raw_json(params),
            }
            for code, params in check.refusing
        ],
        "largest": [{"term": term, "amount_fen": fen} for term, fen in check.largest],
        "unlock": plan_json(check.unlock) if check.unlock is not None else None,
    }


def explanation_json(e: Explanation, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "today": e.today.isoformat(),
        "state": e.state,
        "headline": headline(e, lang),
        "score": e.score,
        "limit_fen": e.limit_fen,
        "used_fen": e.used_fen,
        "available_fen": e.available_fen,
        "waterfall": waterfall_json(e.waterfall, lang),
        "reasons": [reason_json(r, i, lang) for i, r in enumerate(e.reasons, start=1)],
        "score_factors": [
            {
                "attribute": f.attribute,
                "dimension": f.dimension,
                "value": f.value,
                "points": f.points,
                "max_points": f.max_points,
                "advice": text(f"factor.{f.attribute}", lang),
            }
            for f in e.score_factors
        ],
    }
    if e.amount is not None:
        out["amount"] = amount_json(e.amount, lang)
    return out
