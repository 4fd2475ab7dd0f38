"""Repayments: allocation order, early repayment priced for the days elapsed, DTI afterwards."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from limitlab.core import commands as c
from limitlab.core.payments import accrued_interest_fen, payoff_fen
from limitlab.core.scoring import debt_to_income

from .conftest import OLD_BINS


def test_early_repayment_charges_interest_only_for_the_days_elapsed(sim: Any) -> None:
    s = sim(wallet_fen=5_000_000)
    s.do(c.Borrow(1_000_000, 12, "equal-installment"))  # 0.02 %/day
    s.days(10)
    loan = s.state.loans[0]
    assert accrued_interest_fen(loan, s.state.today) == 2_000  # 10,000 × 0.0002 × 10 days
    assert payoff_fen(s.state.loans, s.state.today) == 1_002_000
    paid = s.do(c.Repay("all")).result
    assert (paid["interest_fen"], paid["principal_fen"]) == (2_000, 1_000_000)
    assert s.state.loans == []


def test_a_period_is_priced_as_30_days_in_all_after_a_part_prepayment(sim: Any) -> None:
    s = sim(policy=replace(OLD_BINS, day_count="30"), wallet_fen=5_000_000)  # 0.02 % a day
    s.do(c.Borrow(1_200_000, 12, "interest-first"))
    s.days(15)
    s.do(c.Repay("amount", 303_600))  # 3,600 accrued (15 days) + 300,000 principal
    first = s.state.loans[0].installments[0]
    # 15 days on ¥12,000, then 15 days on ¥9,000: never a 31st day.
    assert first.interest_fen == 3_600 + 2_700


def test_a_period_is_priced_on_its_actual_days_after_a_part_prepayment(sim: Any) -> None:
    s = sim(wallet_fen=5_000_000)
    s.do(c.Borrow(1_200_000, 12, "interest-first"))  # 2026-01-05, first due 02-05: 31 days
    s.days(15)
    s.do(c.Repay("amount", 303_600))  # 12,000 × 0.0002 × 15 = 3,600 accrued, then ¥3,000
    loan = s.state.loans[0]
    first = loan.installments[0]
    # The term stays; this installment is irregular: 15 days on ¥12,000, 16 on ¥9,000.
    assert first.interest_fen == 3_600 + 2_880
    assert first.principal_fen == 300_000  # the principal paid early; interest-first owes no more
    assert len(loan.installments) == 12
    # The next period (02-05 → 03-05) has 28 days on ¥9,000.
    assert loan.installments[1].interest_fen == 900_000 * 2 * 28 // 10_000


def test_overdue_is_paid_before_anything_else_penalty_first(sim: Any) -> None:
    s = sim(wallet_fen=0, monthly_expenses_fen=800_000)
    s.do(c.Borrow(1_000_000, 12, "equal-installment"))
    s.to(date(2026, 2, 8))  # 3 days late
    inst = s.state.loans[0].installments[0]
    assert inst.penalty_fen > 0
    s.do(c.Wallet("deposit", 1_000))
    paid = s.do(c.Repay("amount", 1_000)).result
    assert paid["penalty_fen"] == inst.penalty_fen
    assert paid["interest_fen"] == 1_000 - inst.penalty_fen
    assert paid["principal_fen"] == 0


def test_debt_to_income_counts_only_what_is_still_due_after_an_early_repayment(sim: Any) -> None:
    s = sim(monthly_income_fen=2_000_000, wallet_fen=6_000_000)
    s.do(c.Borrow(5_000_000, 12, "equal-installment"))
    before = debt_to_income(s.state)
    s.to(s.state.today + timedelta(days=9))
    s.do(c.Repay("amount", 4_000_000))
    after = debt_to_income(s.state)
    assert after < before  # paying early lowers the monthly burden, never raises it
    assert s.do(c.Borrow(500_000, 12, "equal-installment")).refusal is None
