"""Where a repayment goes: penalty, overdue interest, overdue principal (oldest first), what is
due today, then the current period's accrued interest and principal (early repayment).

Early repayment is free: interest only for the days elapsed in the current period; the rest of
the schedule is recomputed with the same method on the smaller principal. A partial prepayment
keeps the term: later installments fall, and the current one becomes irregular (the principal
just paid, plus its new part; interest for the days before and after the prepayment).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field
from datetime import date
from decimal import Decimal

from .loans import DAYS_PER_MONTH, DayCount, split_principal
from .model import Installment, Loan
from .money import Fen, round_fen
from .records import record


@record
class Paid:
    """What one repayment paid, split by kind and by loan."""

    penalty_fen: Fen = 0
    interest_fen: Fen = 0
    principal_fen: Fen = 0
    by_loan: dict[int, Fen] = field(default_factory=dict)
    on_time: int = 0

    @property
    def total_fen(self) -> Fen:
        return self.penalty_fen + self.interest_fen + self.principal_fen

    def add(self, loan: Loan, kind: str, amount: Fen) -> None:
        if amount:
            setattr(self, f"{kind}_fen", getattr(self, f"{kind}_fen") + amount)
            self.by_loan[loan.id] = self.by_loan.get(loan.id, 0) + amount


def _due(loans: Iterable[Loan], today: date, *, overdue: bool) -> list[tuple[Loan, Installment]]:
    """Unpaid installments past due (`overdue`) or due today, oldest first."""
    found = [
        (loan, inst)
        for loan in loans
        for inst in loan.installments
        if inst.paid_on is None and (inst.due_date < today if overdue else inst.due_date == today)
    ]
    return sorted(found, key=lambda li: (li[1].due_date, li[0].id, li[1].seq))


def current_installment(loan: Loan, today: date) -> Installment | None:
    """The first unpaid installment not yet due: the period interest is accruing in."""
    for inst in loan.installments:
        if not inst.is_paid and inst.due_date > today:
            return inst
    return None


def _future_principal(loan: Loan, today: date) -> Fen:
    return sum(
        i.principal_due_fen for i in loan.installments if not i.is_paid and i.due_date > today
    )


def accrued_interest_fen(loan: Loan, today: date) -> Fen:
    """Interest owed now for the days elapsed in the current period (never above its schedule)."""
    inst = current_installment(loan, today)
    if inst is None:
        return 0
    settled_on = inst.settled_on or inst.period_start
    days = min(max((today - settled_on).days, 0), (inst.due_date - settled_on).days)
    accrued = inst.settled_interest_fen + round_fen(
        Decimal(_future_principal(loan, today)) * loan.daily_rate * days
    )
    return max(0, min(accrued, inst.interest_fen) - inst.interest_paid_fen)


def overdue_fen(loans: Iterable[Loan], today: date) -> Fen:
    return sum(inst.owed_fen for _, inst in _due(loans, today, overdue=True))


def due_now_fen(loans: Iterable[Loan], today: date) -> Fen:
    """Overdue plus what falls due today: what autopay tries to collect."""
    loans = list(loans)
    return overdue_fen(loans, today) + sum(i.owed_fen for _, i in _due(loans, today, overdue=False))


def payoff_fen(loans: Iterable[Loan], today: date) -> Fen:
    """What closes these loans today: all that is due, accrued interest, remaining principal."""
    loans = list(loans)
    return due_now_fen(loans, today) + sum(
        accrued_interest_fen(loan, today) + _future_principal(loan, today) for loan in loans
    )


def _settle(inst: Installment, today: date, paid: Paid) -> None:
    if inst.owed_fen == 0 and inst.paid_on is None:
        inst.paid_on = today
        if today <= inst.due_date:
            paid.on_time += 1


def pay(
    loans: list[Loan], amount: Fen, today: date, *, prepay: bool, day_count: DayCount = "actual"
) -> Paid:
    """Apply `amount` to `loans` (oldest loan first) in the order of the module docstring.

    Mutates the installments. With `prepay=False` (autopay) nothing beyond what is due is paid.
    Returns what was paid; any amount left over is simply not taken.
    """
    paid = Paid()
    left = amount
    overdue = _due(loans, today, overdue=True)
    for kind in ("penalty", "interest", "principal"):
        for loan, inst in overdue:
            take = min(left, getattr(inst, f"{kind}_due_fen"))
            setattr(inst, f"{kind}_paid_fen", getattr(inst, f"{kind}_paid_fen") + take)
            paid.add(loan, kind, take)
            left -= take
    for _, inst in overdue:
        _settle(inst, today, paid)
    for loan, inst in _due(loans, today, overdue=False):
        for kind in ("interest", "principal"):
            take = min(left, getattr(inst, f"{kind}_due_fen"))
            setattr(inst, f"{kind}_paid_fen", getattr(inst, f"{kind}_paid_fen") + take)
            paid.add(loan, kind, take)
            left -= take
        _settle(inst, today, paid)
    if prepay:
        for loan in sorted(loans, key=lambda ln: ln.id):
            if left <= 0:
                break
            left = _prepay(loan, left, today, paid, day_count)
    for loan in loans:
        if loan.closed_on is None and all(i.is_paid for i in loan.installments):
            loan.closed_on = today
    return paid


def _prepay(loan: Loan, amount: Fen, today: date, paid: Paid, day_count: DayCount) -> Fen:
    """Pay the current period's accrued interest, then principal early; return what is left."""
    inst = current_installment(loan, today)
    if inst is None:
        return amount
    accrued = accrued_interest_fen(loan, today)
    take = min(amount, accrued)
    inst.interest_paid_fen += take
    paid.add(loan, "interest", take)
    amount -= take
    if amount <= 0 or take < accrued:
        return amount
    future = [i for i in loan.installments if not i.is_paid and i.due_date > today]
    outstanding = sum(i.principal_due_fen for i in future)
    principal = min(amount, outstanding)
    amount -= principal
    paid.add(loan, "principal", principal)
    remaining = outstanding - principal
    inst.settled_interest_fen = inst.interest_paid_fen
    inst.settled_on = today
    if remaining == 0:
        inst.principal_fen += sum(i.principal_fen for i in future[1:])
        inst.principal_paid_fen = inst.principal_fen
        inst.interest_fen = inst.interest_paid_fen
        dropped = {id(i) for i in future[1:]}
        loan.installments = [i for i in loan.installments if id(i) not in dropped]
        _settle(inst, today, paid)
        return amount
    actual = day_count == "actual"
    days_left = [(i.due_date - i.period_start).days for i in future] if actual else None
    parts = split_principal(remaining, loan.daily_rate, len(future), loan.method, days_left)
    inst.principal_fen = inst.principal_paid_fen + principal + parts[0][0]
    inst.principal_paid_fen += principal
    # The period is priced on its days in all (30 by the 30-day convention): the days already
    # settled, then the rest.
    period = (inst.due_date - inst.period_start).days if actual else DAYS_PER_MONTH
    days = max(0, period - (today - inst.period_start).days)
    inst.interest_fen = inst.interest_paid_fen + round_fen(
        Decimal(remaining) * loan.daily_rate * days
    )
    for later, (part, interest) in zip(future[1:], parts[1:], strict=True):
        later.principal_fen, later.interest_fen = part, interest
    return amount
