"""Read models: the data behind `status`, `schedule`, `borrow --quote`, `score` and `limits`.

Each returns JSON-ready dicts (money as `*_fen` integers, rates as decimal strings); the CLI
prints them as JSON or renders them as tables.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from limitlab.core.limits import current_dpd
from limitlab.core.loans import REFERENCE_LOAN_FEN, DayCount, Quote, quote
from limitlab.core.model import AccountState, Installment, Loan, to_jsonable
from limitlab.core.money import rate_str
from limitlab.core.payments import overdue_fen
from limitlab.core.policy import Policy
from limitlab.core.scoring import key_factors
from limitlab.core.standing import available_fen, state_name, suspensions

#: The loan `status` prices its effective APR with: ¥10,000 over 12 months, equal installments.


def _next_due(state: AccountState) -> tuple[date | None, int]:
    upcoming = [
        i
        for loan in state.loans
        for i in loan.installments
        if not i.is_paid and i.due_date >= state.today
    ]
    if not upcoming:
        return None, 0
    first = min(i.due_date for i in upcoming)
    return first, sum(i.owed_fen for i in upcoming if i.due_date == first)


def status_report(state: AccountState, policy: Policy) -> dict[str, Any]:
    next_date, next_fen = _next_due(state)
    reference = quote(
        REFERENCE_LOAN_FEN, state.daily_rate, 12, "equal-installment", state.today, policy.day_count
    )
    return {
        "today": state.today.isoformat(),
        "state": state_name(state),
        "score": state.score,
        "score_band": policy.band_for(state.score),
        "limit_fen": state.limit_fen,
        "used_fen": state.used_fen,
        "available_fen": available_fen(state),
        "daily_rate": str(state.daily_rate),
        "apr_simple": rate_str(reference.apr_simple),
        "apr_effective": rate_str(reference.apr_effective),
        "next_due_date": next_date.isoformat() if next_date else None,
        "next_due_fen": next_fen,
        "wallet_fen": state.wallet_fen,
        "overdue_fen": overdue_fen(state.loans, state.today),
        "days_past_due": current_dpd(state),
        "suspensions": [
            {
                "code": s.code,
                "since": s.since.isoformat(),
                "until": s.until.isoformat() if s.until else None,
                "condition": s.condition,
            }
            for s in suspensions(state)
        ],
        "loans": [loan_summary(loan) for loan in state.loans],
    }


def loan_summary(loan: Loan) -> dict[str, Any]:
    return {
        "loan_id": loan.id,
        "principal_fen": loan.principal_fen,
        "outstanding_principal_fen": loan.outstanding_principal_fen,
        "method": loan.method,
        "term": loan.term,
        "drawn_on": loan.drawn_on.isoformat(),
    }


def installment_status(inst: Installment, today: date) -> str:
    if inst.is_paid:
        return "paid"
    if inst.due_date < today:
        return "overdue"
    if inst.due_date == today:
        return "due"
    return "upcoming"


def installments_report(installments: list[Installment], today: date) -> list[dict[str, Any]]:
    return [
        {
            "seq": i.seq,
            "due_date": i.due_date.isoformat(),
            "days": (i.due_date - i.period_start).days,
            "principal_fen": i.principal_fen,
            "interest_fen": i.interest_fen,
            "penalty_fen": i.penalty_fen,
            "paid_fen": i.principal_paid_fen + i.interest_paid_fen + i.penalty_paid_fen,
            "owed_fen": i.owed_fen,
            "status": installment_status(i, today),
            "days_past_due": i.days_past_due(today) if not i.is_paid else i.max_dpd,
            "paid_on": i.paid_on.isoformat() if i.paid_on else None,
        }
        for i in installments
    ]


def quote_report(q: Quote, loan_id: int | None, today: date, warn_above: Decimal) -> dict[str, Any]:
    """The quote; `apr_warning` when its simple APR (单利, as Chinese disclosure states it) is
    above the policy's warning line, `apr_effective_warning` when its effective APR is (each
    compared unrounded, so a rate over the line is never shown as at it without a warning)."""
    simple_over, effective_over = q.above(warn_above)
    return {
        "loan_id": loan_id,
        "principal_fen": q.principal_fen,
        "term": q.term,
        "method": q.method,
        "daily_rate": str(q.daily_rate),
        "apr_simple": rate_str(q.apr_simple),
        "apr_effective": rate_str(q.apr_effective),
        "total_interest_fen": q.total_interest_fen,
        "apr_warning": simple_over,
        "apr_effective_warning": effective_over,
        "installments": installments_report(q.installments, today),
    }


def schedule_report(loan: Loan, today: date, day_count: DayCount = "actual") -> dict[str, Any]:
    payments = [i.principal_fen + i.interest_fen for i in loan.installments]
    q = Quote(
        loan.principal_fen, loan.term, loan.method, loan.daily_rate, loan.installments, day_count
    )
    return {
        **loan_summary(loan),
        "closed_on": loan.closed_on.isoformat() if loan.closed_on else None,
        "daily_rate": str(loan.daily_rate),
        "apr_simple": rate_str(q.apr_simple),
        "total_interest_fen": sum(i.interest_fen for i in loan.installments),
        "total_payments_fen": sum(payments),
        "installments": installments_report(loan.installments, today),
    }


def score_report(state: AccountState, policy: Policy) -> dict[str, Any]:
    keys = {a.attribute for a in key_factors(state.attributes)}
    dims: dict[str, dict[str, int]] = {}
    for a in state.attributes:
        d = dims.setdefault(a.dimension, {"points": 0, "max_points": 0})
        d["points"] += a.points
        d["max_points"] += a.max_points
    return {
        "today": state.today.isoformat(),
        "score": state.score,
        "score_band": policy.band_for(state.score),
        "base": policy.score_base,
        "dimensions": [{"dimension": k, **v} for k, v in dims.items()],
        "attributes": [
            {**to_jsonable(a), "gap": a.max_points - a.points, "key_factor": a.attribute in keys}
            for a in state.attributes
        ],
        "key_factors": [a.attribute for a in key_factors(state.attributes)],
    }
