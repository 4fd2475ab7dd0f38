"""Interest by actual days (按日计息), equal-principal parts, compound overdue interest and the
APR warnings (issue 13 items 1, 6, 8, 10). Expected numbers are worked out here by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from limitlab.cli.views.report import quote_report
from limitlab.core import commands as c
from limitlab.core.loans import quote
from limitlab.core.model import METHODS
from limitlab.core.policy import DEFAULT_POLICY

from tests.conftest import Sim

from .conftest import OLD_BINS

RATE = Fraction(4, 10_000)  # 0.04 % a day
RATE_D = Decimal("0.0004")


def half_up(x: Fraction) -> int:
    """Round a non-negative amount of fen half-up, by integer arithmetic."""
    return int((x * 2 + 1) // 2)


def test_an_actual_day_schedule_over_february_and_a_31_day_month() -> None:
    # Drawn 2026-01-31: due 02-28 (28 days), 03-31 (31 days, clamped back), 04-30 (30 days).
    q = quote(1_000_000, RATE_D, 3, "equal-installment", date(2026, 1, 31))
    assert [i.due_date for i in q.installments] == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    days = [28, 31, 30]
    monthly = RATE * 30
    growth = (1 + monthly) ** 3
    payment = half_up(1_000_000 * monthly * growth / (growth - 1))  # 341,365
    expected = []
    outstanding = 1_000_000
    for n, d in enumerate(days, start=1):
        interest = half_up(outstanding * RATE * d)
        part = outstanding if n == 3 else payment - interest
        expected.append((part, interest))
        outstanding -= part
    # By hand: 1,000,000 × 0.0004 × 28 = 11,200; 669,835 × 0.0004 × 31 = 8,305.95 → 8,306;
    # 336,776 × 0.0004 × 30 = 4,041.31 → 4,041 and the last takes the rest of the principal.
    assert expected == [(330_165, 11_200), (333_059, 8_306), (336_776, 4_041)]
    got = [(i.principal_fen, i.interest_fen) for i in q.installments]
    assert got == expected
    assert sum(p for p, _ in got) == 1_000_000
    # The 30-day convention prices every period as 30 days: 12,000 on the first.
    assert (
        quote(1_000_000, RATE_D, 3, "equal-installment", date(2026, 1, 31), "30")
        .installments[0]
        .interest_fen
        == 12_000
    )


def test_an_actual_day_equal_principal_schedule() -> None:
    q = quote(600_000, RATE_D, 3, "equal-principal", date(2026, 1, 31))
    # 200,000 each; interest on 600,000 × 28 days, 400,000 × 31, 200,000 × 30.
    assert [(i.principal_fen, i.interest_fen) for i in q.installments] == [
        (200_000, 6_720),
        (200_000, 4_960),
        (200_000, 2_400),
    ]


def test_equal_principal_parts_are_rounded_half_up_the_last_absorbing() -> None:
    q = quote(100_000, RATE_D, 6, "equal-principal", date(2026, 1, 15), "30")
    # 100,000 / 6 = 16,666.67 → 16,667 five times; the last takes 100,000 − 83,335 = 16,665.
    assert [i.principal_fen for i in q.installments] == [16_667] * 5 + [16_665]


@settings(max_examples=10, deadline=None)
@given(
    wait=st.integers(min_value=0, max_value=40),
    method=st.sampled_from(METHODS),
    term=st.sampled_from([3, 6]),
    period=st.integers(min_value=1, max_value=3),
)
def test_paying_off_the_day_before_a_due_date_is_never_dearer(  # type: ignore[no-untyped-def]
    wait, method, term, period
) -> None:
    costs = []
    for before in (1, 0):
        s = Sim(wallet_fen=5_000_000, monthly_expenses_fen=800_000)  # payday adds nothing
        if wait:
            s.days(wait)
        s.do(c.Borrow(1_000_000, term, method))
        due = s.state.loans[0].installments[period - 1].due_date
        s.to(due - timedelta(days=before))
        if s.state.loans:  # on the last due date autopay has already closed the loan
            s.do(c.Repay("all"))
        assert s.state.loans == []
        costs.append(5_000_000 - s.state.wallet_fen)
    assert costs[0] <= costs[1]


def _overdue_penalty(sim: Any, compound: bool) -> int:
    # "next": the interest-first balloon's average would fail the debt-to-income rule here.
    # The old scorecard (750 'excellent'): the 0.02 % rate of the numbers below.
    policy = replace(OLD_BINS, compound_overdue_interest=compound, dti_interest_first="next")
    s = sim(policy=policy, wallet_fen=0, monthly_expenses_fen=800_000)  # nothing to autopay with
    s.do(c.Borrow(3_000_000, 3, "interest-first"))  # the first installment is interest only
    s.to(date(2026, 2, 10))  # due 02-05: 5 days past due
    inst = s.state.loans[0].installments[0]
    assert (inst.principal_fen, inst.interest_fen) == (0, 18_600)  # 3,000,000 × 0.0002 × 31
    return int(inst.penalty_fen)


def test_compound_overdue_interest_is_off_by_default_and_a_policy_option(sim: Any) -> None:
    assert DEFAULT_POLICY.compound_overdue_interest is False
    assert _overdue_penalty(sim, False) == 0  # penalty runs on overdue principal only
    # 复利: 18,600 × 0.0002 × 1.5 = 5.58 → 6 fen a day, 5 days.
    assert _overdue_penalty(sim, True) == 5 * half_up(Fraction(18_600) * Fraction(3, 10_000))


def test_the_apr_warnings_name_which_apr_they_compare() -> None:
    q = quote(1_000_000, Decimal("0.0006"), 12, "equal-installment", date(2026, 1, 15), "30")
    line = Decimal("0.22")
    report = quote_report(q, None, date(2026, 1, 15), line)
    # Simple: 0.0006 × 360 = 21.6 %, under 22 %; effective: 1.018^12 − 1 ≈ 23.87 %, over it.
    assert float((1 + Fraction(18, 1000)) ** 12 - 1) > 0.22
    assert report["apr_warning"] is False
    assert report["apr_effective_warning"] is True


def test_the_schedule_screen_shows_days_paid_and_owed_in_both_languages(cli: Any) -> None:
    cli("init", "--start", "2026-01-31")
    assert cli("borrow", "3000", "--term", "3", "--yes").exit_code == 0
    cli("advance", "--to", "2026-03-05")
    en = cli("schedule").stdout
    assert all(word in en for word in ("Days", "Paid", "Owed"))
    rows = [line.split() for line in en.splitlines() if line.strip()[:1].isdigit()]
    assert [row[2] for row in rows] == ["28", "31", "30"]  # 02-28, 03-31, 04-30
    # 300,000 × 0.0004 × 28 = 3,360 fen of interest (the default profile opens at 670, the
    # 650–699 tier's 0.04 %), the first installment paid in full
    assert (
        rows[0][4] == "¥33.60" and rows[0][5] == rows[0][6] and rows[0][7] == "¥0.00"
    )  # no penalty cell
    zh = cli("--lang", "zh", "schedule").stdout
    assert all(word in zh for word in ("天数", "已还", "待还"))
