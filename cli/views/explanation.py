"""The Explanation in words: the JSON of `why --json` (and the waterfall of `status --detail`),
made from core's codes and raw parameters; explanation_screen.py draws it."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Any

from limitlab.cli.i18n import text
from limitlab.core.explain import Evidence, Explanation, Line, Reason
from limitlab.core.money import format_fen, format_percent, plain_yuan, rate_str

from ..errors import format_params

if TYPE_CHECKING:
    from limitlab.core.advice import Path, Step
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
    above = params.get("threshold_ratio")
    if above is not None:
        # A debt-to-income cut: the ratio rounded down, as the scorecard's debt-to-income % is
        # (never read at or above a threshold it is below), with the places it takes to read
        # above the threshold the cut applies above.
        for key in ("dti_ratio", "without_ratio"):
            if params.get(key) is not None:
                out[key.removesuffix("_ratio")] = _floor_percent(params[key], above)
    if "loan_ids" in params:
        out["loans"] = ", ".join(f"#{loan_id}" for loan_id in params["loan_ids"])  # en, zh alike
    ratio, limit = params.get("dti_ratio"), params.get("max_ratio")
    if ratio is not None and limit is not None and ratio > limit:
        # Over the limit is shown over it: 70.0001 % reads "70.0001%", not "70%".
        places = 0
        while places < 6 and format_percent(ratio, places) == format_percent(limit, places):
            places += 1
        out["dti"] = format_percent(ratio, places)
    return out


def _floor_percent(ratio: Decimal, threshold: Decimal) -> str:
    """`ratio` as a percent rounded down: whole, or with the places (up to 4) it takes to read
    above `threshold` when it is above it (50.3% above 50%, not 50%)."""
    places = 0
    while True:
        quantum = Decimal(1).scaleb(-places)
        shown = (ratio * 100).quantize(quantum, rounding=ROUND_FLOOR)
        if ratio <= threshold or shown > threshold * 100 or places == 4:
            return f"{shown}%"
        places += 1


def _worded_in(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """`worded`, with a scorecard attribute and a binding cap in the language's words and
    points signed (−50)."""
    from ..render import attribute_text, cohort_text, value_text

    out = worded(params)
    if "cohort" in params:
        out["cohort"] = cohort_text(params["cohort"], lang)
    if "attribute" in params:
        out["attribute"] = attribute_text(params["attribute"], lang)
        for key in ("value", "without", "old", "new"):
            if key in out:
                out[key] = value_text(str(out[key]), lang, params["attribute"])
    if params.get("binding"):
        out["binding"] = text(f"binding.{params['binding']}", lang)
    if "points" in params:
        out["points"] = f"{params['points']:+d}".replace("-", "−")
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
        from ..render import paren

        gap = "" if lang == "zh" else " "
        label += gap + paren(text("binding." + detail["binding"], lang), lang)
    if code in ("MULTI_LENDER", "HIGH_DTI", "CREDIT_RECORD", "PLATFORM_POLICY") and detail:
        label += f" × {detail.get('factor')}"
    return label


def headline(e: Explanation, lang: str) -> str:
    """The state in its own name (the line closed, frozen, no limit at all, borrowing
    suspended — for maintenance or another cause —, used up), then what is available of the
    limit; "used up" only when the limit is there and taken."""
    limit, available = format_fen(e.limit_fen), format_fen(e.available_fen)
    codes = {r.code for r in e.blocking}
    suffix = ""
    if e.state == "closed":
        key = "closed"
    elif e.state == "frozen":
        key = "frozen"
    elif e.limit_fen == 0:
        key = "no_limit"
        if e.suspended:
            suffix = text("why.suffix_suspended", lang)
    elif e.suspended:
        key = "maintenance" if "MAINTENANCE" in codes else "suspended"
    elif e.available_fen == 0:
        key = "used_up"
    else:
        key = "available"
    return text(f"why.headline_{key}", lang, available=available, limit=limit) + suffix


def evidence_json(ev: Evidence, lang: str) -> dict[str, Any]:
    """A piece of evidence: its date, kind and words, then its raw parameters."""
    return {
        "on": ev.on.isoformat() if ev.on else None,
        "kind": ev.kind,
        "text": text(f"ev.{ev.kind}", lang, **_worded_in(ev.params, lang)),
        **raw_json(ev.params),
    }


def _capital(sentence: str, lang: str) -> str:
    return sentence[:1].upper() + sentence[1:] if lang != "zh" else sentence


def step_text(step: Step, lang: str) -> str:
    """One step of a path in words, with the command to type."""
    params = {
        "amount": format_fen(step.amount_fen),
        "plain": plain_yuan(step.amount_fen),
        "date": step.on.isoformat(),
        "loan_id": step.loan_id,
        "lender": step.lender,
    }
    key = step.action
    if step.action == "repay_overdue" and step.loan_id is not None:
        key = "repay_overdue_loan"
    return text(f"step.{key}", lang, **params)


def outcome_text(path: Path, today: date, lang: str) -> str:
    """What a path leads to: the amount available at each checkpoint."""
    parts = [
        text(
            "outcome.today" if m.on == today else "outcome.on",
            lang,
            available=format_fen(m.available_fen),
            date=m.on.isoformat(),
        )
        for m in path.checkpoints
    ]
    return text("outcome.join", lang).join(parts)


def _steps_text(path: Path, today: date, lang: str) -> str:
    """A path's actions in words (the wallet top-up of today first)."""
    actions = [s for s in path.steps if s.action not in ("deposit", "wait")]
    now = sum(s.amount_fen for s in path.steps if s.action == "deposit" and s.on == today)
    words = [step_text(s, lang) for s in actions]
    if now:
        words.insert(0, text("step.deposit", lang, amount=format_fen(now)))
    return text("step.then", lang).join(words)


def path_text(path: Path, today: date, lang: str) -> str:
    """An action path: its steps (the wallet top-ups and waits summed up when it waits), then
    what it leads to."""
    funded = sum(s.amount_fen for s in path.steps if s.action == "deposit" and s.on > today)
    out = text(
        "path.leads_to",
        lang,
        steps=_steps_text(path, today, lang),
        outcome=outcome_text(path, today, lang),
    )
    if funded:
        out += text("path.funded", lang, cash=format_fen(funded))
    return out


def wait_text(path: Path, today: date, lang: str) -> str:
    """A waiting path: what it leads to, and the cash the installments on the way need."""
    funded = sum(s.amount_fen for s in path.steps if s.action == "deposit")
    out = outcome_text(path, today, lang)
    if funded:
        out += text("path.funded", lang, cash=format_fen(funded))
    return out


def path_json(path: Path) -> dict[str, Any]:
    """A simulated path as JSON carries it: its steps, its cash, what it leads to."""
    return {
        "steps": [
            {
                "action": s.action,
                "date": s.on.isoformat(),
                "amount_fen": s.amount_fen,
                **({"loan_id": s.loan_id} if s.loan_id is not None else {}),
                **({"lender": s.lender} if s.lender is not None else {}),
            }
            for s in path.steps
        ],
        "cash_fen": path.cash_fen,
        "leads_to": [
            {"date": m.on.isoformat(), "available_fen": m.available_fen, "limit_fen": m.limit_fen}
            for m in path.checkpoints
        ],
    }


def binds_text(r: Reason, e: Explanation, lang: str, *, short: bool = False) -> str:
    """What is true of a cause that frees nothing alone: which other causes also hold the
    limit back, and, when doing their advice too frees something (simulated on one copy),
    those steps and what they lead to; the short form names the causes only. Or that it
    frees nothing."""
    if not r.binds_with:
        return text("binds.nothing", lang)
    titles: list[str] = []
    for code in r.binds_with:
        title = text(f"reason.{code}.title", lang)
        if title not in titles:
            titles.append(title)
    many = "many" if len(titles) > 1 else "one"
    causes = text("binds.join", lang).join(titles)
    if short:
        return text(f"binds.short_{many}", lang, causes=causes)
    out = text(f"binds.{many}", lang, causes=causes)
    if r.together is not None:
        out += text("binds.together", lang, path=path_text(r.together, e.today, lang))
    return out


def advice_text(r: Reason, e: Explanation, lang: str) -> str:
    """What to do: the simulated paths in words ("…; or …"); when none of them frees anything
    (nor fixing the cause alone), the action without an outcome of ¥0.00 and what also binds;
    or the advice's own words when there is nothing to do but wait (and for the closure, which
    no action reopens)."""
    code, params = r.advice
    own = text(f"advice.{code}", lang, **worded(params))
    if not r.paths or code == "ACCOUNT_CLOSED":
        return own
    if r.frees_nothing:
        steps = text("path.or", lang).join(_steps_text(p, e.today, lang) for p in r.paths)
        binds = binds_text(r, e, lang)
        return text("advice.alone_nothing", lang, steps=_capital(steps, lang), binds=binds)
    paths = _capital(text("path.or", lang).join(path_text(p, e.today, lang) for p in r.paths), lang)
    if any(m.available_fen > e.available_fen for p in r.paths for m in p.checkpoints):
        return paths
    key = "advice.while_suspended" if e.blocking else "advice.frees_nothing"
    return text(key, lang) + (" " if lang != "zh" else "") + paths


def recovers_text(r: Reason, e: Explanation, lang: str) -> str:
    today = e.today
    code, params = r.recovers
    if r.frees_nothing and code != "never":
        # The advice already said what also binds, in full; the recovery says it once.
        binds = binds_text(r, e, lang, short=bool(r.paths))
        walk = r.recovery
        if walk is not None and walk.checkpoints and walk.checkpoints[-1].limit_fen > e.limit_fen:
            rises = text("outcome.join", lang).join(
                text("limit.on", lang, limit=format_fen(m.limit_fen), date=m.on.isoformat())
                for m in walk.checkpoints
            )
            return text("recovers.limit_rises", lang, rises=rises, binds=binds)
        return text("recovers.not_alone", lang, binds=binds)
    if code == "after_action" and r.paths and r.paths[0].checkpoints:
        last = r.paths[0]._replace(checkpoints=r.paths[0].checkpoints[-1:])
        return text("recovers.after_action", lang, outcome=outcome_text(last, today, lang))
    if code == "after_wait" and r.recovery is not None:
        return text("recovers.after_wait", lang, outcome=wait_text(r.recovery, today, lang))
    if code in ("after_action", "after_wait"):  # not simulated (explain(advise=False))
        return text("recovers.when_done", lang)
    return text(f"recovers.{code}", lang, **worded(params))


def reason_title_of(r: Reason, lang: str) -> str:
    """A reason's title: its code's, or for another lender's late payments (`lender:` keys)
    the title that says they are that lender's."""
    if r.key.startswith("lender:"):
        return text(f"reason.{r.code}.external.title", lang)
    return text(f"reason.{r.code}.title", lang)


def reason_json(r: Reason, rank: int, lang: str, e: Explanation) -> dict[str, Any]:
    return {
        "rank": rank,
        "code": r.code,
        "key": r.key,
        "category": r.category,
        "title": reason_title_of(r, lang),
        "amount_fen": r.amount_fen,
        "alone_fen": r.alone_fen,
        "blocking": r.blocking,
        "equal_share": r.equal_share,
        "evidence": [evidence_json(ev, lang) for ev in r.evidence],
        "advice": advice_text(r, e, lang),
        "recovers": recovers_text(r, e, lang),
        "recovers_on": r.recovers_on.isoformat() if r.recovers_on else None,
        "advice_paths": [path_json(p) for p in r.paths],
        "recovery": path_json(r.recovery) if r.recovery is not None else None,
        "frees_nothing": r.frees_nothing,
        "binds_with": r.binds_with,
        "together": path_json(r.together) if r.together is not None else None,
    }


def cannot_borrow(e: Explanation, lang: str) -> str | None:
    """The opening line while a blocking cause holds: "You cannot borrow today because …"."""
    if not e.blocking:
        return None
    causes = [text(f"because.{r.code}", lang, **_because(r)) for r in e.blocking]
    return text("why.cannot_borrow", lang, causes=text("because.join", lang).join(causes))


def _because(r: Reason) -> dict[str, Any]:
    """The figures of a blocking cause's short form: the loans overdue, the end date."""
    loans = sorted({ev.params["loan_id"] for ev in r.evidence if ev.kind == "overdue_installment"})
    until = next(
        (ev.params["until"] for ev in r.evidence if ev.kind in ("cooloff", "maintenance")), None
    )
    return worded({"loan_ids": loans, "until": until})


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
        "reference_fen": e.reference_fen,
        "lost_fen": e.lost_fen,
        "cannot_borrow": cannot_borrow(e, lang),
        "reasons": [reason_json(r, i, lang, e) for i, r in enumerate(e.reasons, start=1)],
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
