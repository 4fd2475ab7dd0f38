"""What the account can do now: its suspensions, its state name and the amount available."""

from __future__ import annotations

from dataclasses import field
from datetime import date
from typing import Any

from .limits import active_measures, current_dpd
from .model import AccountState
from .money import Fen
from .payments import overdue_fen
from .records import record

#: Suspensions in the order a hold is attributed to them (the first one holds the amount).
SUSPENSION_ORDER = (
    "ACCOUNT_CLOSED",
    "FROZEN",
    "OVERDUE",
    "MAINTENANCE",
    "FREQUENT_APPLICATIONS",
)


@record(frozen=True)
class Suspension:
    """Why borrowing is paused, since when, and until when (or on what condition)."""

    code: str
    since: date
    until: date | None
    condition: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def overdue_installments(state: AccountState) -> list[dict[str, Any]]:
    """Every installment past due and unpaid, oldest first, as evidence-ready dicts."""
    found = [
        (loan, inst)
        for loan in state.loans
        for inst in loan.installments
        if not inst.is_paid and inst.due_date < state.today
    ]
    found.sort(key=lambda li: (li[1].due_date, li[0].id, li[1].seq))
    return [
        {
            "loan_id": loan.id,
            "seq": inst.seq,
            "due_date": inst.due_date.isoformat(),
            "owed_fen": inst.owed_fen,
            "days_past_due": inst.days_past_due(state.today),
        }
        for loan, inst in found
    ]


def suspensions(state: AccountState) -> list[Suspension]:
    out: list[Suspension] = []
    if state.closed_on is not None:
        out.append(Suspension("ACCOUNT_CLOSED", state.closed_on, None, "never"))
    if state.frozen_on is not None and state.closed_on is None:
        # 只还不借: until a scheduled review after the clean months lifts it
        out.append(
            Suspension(
                "FROZEN",
                state.frozen_on,
                None,
                "clean_review",
                {"frozen_on": state.frozen_on.isoformat(), "owed_fen": state.used_fen},
            )
        )
    overdue = overdue_installments(state)
    if overdue and state.closed_on is None:
        out.append(
            Suspension(
                "OVERDUE",
                date.fromisoformat(overdue[0]["due_date"]),
                None,
                "repay_overdue",
                {
                    "overdue_fen": overdue_fen(state.loans, state.today),
                    "days_past_due": current_dpd(state),
                    "installments": overdue,
                },
            )
        )
    for m in active_measures(state, "maintenance"):
        out.append(Suspension("MAINTENANCE", m.starts_on, m.ends_on, None, {"measure_id": m.id}))
    if state.cooloff_until is not None and state.today < state.cooloff_until:
        since = state.cooloff_started_on or state.today
        out.append(
            Suspension(
                "FREQUENT_APPLICATIONS",
                since,
                state.cooloff_until,
                None,
                {
                    "applications": [
                        {"on": a.on.isoformat(), "amount_fen": a.amount_fen, "granted": a.granted}
                        for a in state.applications
                        if a.on <= since
                    ][-5:]
                },
            )
        )
    return out


def is_suspended(state: AccountState) -> bool:
    """Whether `suspensions(state)` has any, without building them (the attribution and the
    simulations ask this hundreds of times a `why`)."""
    today = state.today
    if state.closed_on is not None or state.frozen_on is not None:
        return True
    if state.cooloff_until is not None and today < state.cooloff_until:
        return True
    if any(
        not inst.is_paid and inst.due_date < today
        for loan in state.loans
        for inst in loan.installments
    ):
        return True
    return bool(active_measures(state, "maintenance"))


def available_fen(state: AccountState) -> Fen:
    """What can be borrowed now: 0 while suspended, else the limit less the principal owed."""
    if is_suspended(state):
        return 0
    return max(0, state.limit_fen - state.used_fen)


def state_name(state: AccountState) -> str:
    """active, exhausted, suspended, reduced, frozen, closed or not_eligible (DESIGN §3)."""
    if state.closed_on is not None:
        return "closed"
    if state.frozen_on is not None:
        return "frozen"
    if state.limit_fen == 0:  # no limit at all (score, income, or a raise from 0 pending)
        return "not_eligible"
    if is_suspended(state):
        return "suspended"
    if state.limit_fen - state.used_fen <= 0:
        return "exhausted"
    if state.limit_fen < state.decision.base_fen:
        return "reduced"
    return "active"
