"""Loan schedules for the three repayment methods, their APRs, and calendar months."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal, localcontext
from typing import Literal

from .model import Installment, Method
from .money import Fen, round_fen
from .records import record

#: The loan the rates of a screen are quoted on (¥10,000 over 12 months, equal installment).
REFERENCE_LOAN_FEN = 1_000_000

DAYS_PER_MONTH = 30
#: The days of a simple APR's year (年化利率(单利) = daily rate × 360, as 借呗's own disclosure
#: states it: 0.04 % a day is 14.4 %), whichever way a period's interest counts its days.
DAYS_PER_YEAR = {"actual": 360, "30": 360}

#: How a period's interest counts days: "actual" calendar days (按日计息) or "30" per month.
DayCount = Literal["actual", "30"]
DAY_COUNTS: tuple[DayCount, ...] = ("actual", "30")


def add_months(start: date, months: int, day: int | None = None) -> date:
    """The same day of month `months` later (or `day`), clamped to the month's end."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day or start.day, last))


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (0 when `end` is before `start`)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day and add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def monthly_rate(daily_rate: Decimal) -> Decimal:
    return daily_rate * DAYS_PER_MONTH


def simple_apr(daily_rate: Decimal, day_count: DayCount = "actual") -> Decimal:
    """年化利率(单利), unrounded: the daily rate × 360 (DESIGN §2), on either day count."""
    return daily_rate * DAYS_PER_YEAR[day_count]


def effective_apr_above(principal: Fen, payments: list[Fen], line: Decimal) -> bool:
    """Whether the effective APR of −principal then monthly `payments` is above `line`, exactly:
    the payments discounted at the line's monthly rate, (1 + line)^(1/12) − 1, are worth more
    than the principal (the NPV falls as the rate rises)."""
    with localcontext() as ctx:
        ctx.prec = 30
        monthly = (1 + line) ** (Decimal(1) / 12) - 1
        worth = sum(Decimal(p) / (1 + monthly) ** n for n, p in enumerate(payments, 1))
        return worth > principal


def split_principal(
    principal: Fen,
    daily_rate: Decimal,
    periods: int,
    method: Method,
    days: list[int] | None = None,
) -> list[tuple[Fen, Fen]]:
    """(principal, interest) per period for `principal` repaid over `periods` months.

    Interest per period is the outstanding principal × daily rate × the period's days (`days`,
    按日计息; 30 each when None, the 30-day convention), rounded half-up once. The fixed
    equal-installment payment comes from the monthly rate = daily × 30; the principal parts
    always sum to `principal` (the last part absorbs rounding and the days' differences).
    """
    rate = monthly_rate(daily_rate)
    period_days = days if days is not None else [DAYS_PER_MONTH] * periods
    parts: list[tuple[Fen, Fen]] = []
    outstanding = principal
    if method == "equal-installment":
        with localcontext() as ctx:
            ctx.prec = 40
            growth = (1 + rate) ** periods
            payment = round_fen(Decimal(principal) * rate * growth / (growth - 1))
    for n in range(1, periods + 1):
        interest = round_fen(Decimal(outstanding) * daily_rate * period_days[n - 1])
        if n == periods:
            part = outstanding
        elif method == "equal-installment":
            part = max(0, min(payment - interest, outstanding))
        elif method == "equal-principal":
            part = min(round_fen(Decimal(principal) / periods), outstanding)  # P/n half-up
        else:  # interest-first: principal at the end
            part = 0
        parts.append((part, interest))
        outstanding -= part
    return parts


def build_schedule(
    principal: Fen,
    daily_rate: Decimal,
    term: int,
    method: Method,
    drawn_on: date,
    day_count: DayCount = "actual",
) -> list[Installment]:
    """The installments of a new loan, due on the drawdown's day of each following month.

    `day_count` "actual" prices each period on its calendar days (the first from the drawdown
    date), "30" on 30 days each.
    """
    dues = [add_months(drawn_on, seq) for seq in range(1, term + 1)]
    starts = [drawn_on, *dues[:-1]]
    days = (
        [(d - s).days for s, d in zip(starts, dues, strict=True)] if day_count == "actual" else None
    )
    installments: list[Installment] = []
    for seq, (part, interest) in enumerate(
        split_principal(principal, daily_rate, term, method, days), start=1
    ):
        installments.append(
            Installment(
                seq=seq,
                period_start=starts[seq - 1],
                due_date=dues[seq - 1],
                principal_fen=part,
                interest_fen=interest,
                settled_on=starts[seq - 1],
            )
        )
    return installments


def effective_apr(principal: Fen, payments: list[Fen]) -> Decimal:
    """(1 + the monthly IRR of −principal then `payments`)^12 − 1, to 4 places."""
    with localcontext() as ctx:
        ctx.prec = 30
        p = Decimal(principal)

        def npv(r: Decimal) -> Decimal:
            total = -p
            factor = Decimal(1)
            for amount in payments:
                factor /= 1 + r
                total += amount * factor
            return total

        low, high = Decimal(0), Decimal(1)
        if npv(low) <= 0:
            return Decimal("0.0000")
        for _ in range(80):
            mid = (low + high) / 2
            if npv(mid) > 0:
                low = mid
            else:
                high = mid
        annual = (1 + low) ** 12 - 1
    return annual.quantize(Decimal("0.0001"))


@record(frozen=True)
class Quote:
    """What a drawdown would cost: its schedule, total interest and both APRs."""

    principal_fen: Fen
    term: int
    method: Method
    daily_rate: Decimal
    installments: list[Installment]
    #: How its interest counts days; the simple APR's year is 360 days either way.
    day_count: DayCount = "actual"

    @property
    def total_interest_fen(self) -> Fen:
        return sum(i.interest_fen for i in self.installments)

    @property
    def payments_fen(self) -> list[Fen]:
        return [i.principal_fen + i.interest_fen for i in self.installments]

    @property
    def apr_simple(self) -> Decimal:
        """The simple APR as shown, to 4 places (compare `simple_apr` itself, unrounded)."""
        return simple_apr(self.daily_rate, self.day_count).quantize(Decimal("0.0001"))

    @property
    def apr_effective(self) -> Decimal:
        """(1 + the monthly IRR)^12 − 1, to 4 places: each installment one month after the
        one before, whatever its days (its interest counted them)."""
        return effective_apr(self.principal_fen, self.payments_fen)

    def above(self, line: Decimal) -> tuple[bool, bool]:
        """(simple APR above `line`, effective APR above it), each compared unrounded."""
        simple = simple_apr(self.daily_rate, self.day_count) > line
        return simple, effective_apr_above(self.principal_fen, self.payments_fen, line)

    @property
    def first_payment_fen(self) -> Fen:
        first = self.installments[0]
        return first.principal_fen + first.interest_fen


def quote(
    principal: Fen,
    daily_rate: Decimal,
    term: int,
    method: Method,
    on: date,
    day_count: DayCount = "actual",
) -> Quote:
    return Quote(
        principal,
        term,
        method,
        daily_rate,
        build_schedule(principal, daily_rate, term, method, on, day_count),
        day_count,
    )
