"""Loan schedules: the issue's reference numbers and the rounding rules."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from limitlab.core.loans import add_months, quote
from limitlab.core.model import METHODS

RATE = Decimal("0.0004")
DRAWN = date(2026, 1, 15)


def payments(q) -> list[int]:  # type: ignore[no-untyped-def]
    return [i.principal_fen + i.interest_fen for i in q.installments]


def test_equal_installment_reference_numbers() -> None:
    q = quote(1_000_000, RATE, 12, "equal-installment", DRAWN, "30")
    assert payments(q)[:11] == [89_975] * 11
    assert payments(q)[11] == 89_980
    assert q.total_interest_fen == 79_705
    assert q.apr_simple == Decimal("0.1440")
    assert q.apr_effective == Decimal("0.1539")


def test_equal_principal_reference_numbers() -> None:
    q = quote(1_000_000, RATE, 12, "equal-principal", DRAWN, "30")
    first, last = q.installments[0], q.installments[-1]
    assert (first.principal_fen, first.interest_fen) == (83_333, 12_000)
    assert (last.principal_fen, last.interest_fen) == (83_337, 1_000)
    assert q.total_interest_fen == 78_000


def test_interest_first_reference_numbers() -> None:
    q = quote(1_000_000, RATE, 12, "interest-first", DRAWN, "30")
    assert payments(q)[:11] == [12_000] * 11
    assert payments(q)[11] == 1_012_000
    assert q.total_interest_fen == 144_000


def test_due_dates_fall_on_the_drawdown_day_clamped_to_month_end() -> None:
    q = quote(100_000, RATE, 3, "equal-installment", date(2026, 1, 31))
    assert [i.due_date for i in q.installments] == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]


def test_add_months_clamps_and_crosses_years() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 15), -3) == date(2025, 12, 15)


@given(
    principal=st.integers(min_value=10_000, max_value=20_000_000),
    term=st.sampled_from([3, 6, 12]),
    method=st.sampled_from(METHODS),
    rate=st.sampled_from([Decimal("0.0002"), Decimal("0.0004"), Decimal("0.0006")]),
)
def test_principal_parts_always_sum_to_the_principal(principal, term, method, rate) -> None:  # type: ignore[no-untyped-def]
    q = quote(principal, rate, term, method, DRAWN)
    assert sum(i.principal_fen for i in q.installments) == principal
    assert all(i.principal_fen >= 0 and i.interest_fen >= 0 for i in q.installments)
    assert len(q.installments) == term


@pytest.mark.parametrize("method", METHODS)
def test_simple_apr_is_daily_rate_times_365_or_360_by_the_30_day_convention(method: str) -> None:
    q = quote(500_000, Decimal("0.0005"), 6, method, DRAWN)  # type: ignore[arg-type]
    assert q.apr_simple == Decimal("0.1825")
    q = quote(500_000, Decimal("0.0005"), 6, method, DRAWN, "30")  # type: ignore[arg-type]
    assert q.apr_simple == Decimal("0.1800")
