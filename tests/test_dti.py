"""Debt-to-income counts what is really due (issue 13, item 5): an interest-first loan by its
average payment with the balloon (policy `dti_interest_first`), the ratio compared unrounded,
and every unpaid installment due now, not only each loan's oldest. Expected figures are worked
out here from the schedules, not by the engine's own DTI functions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from limitlab.cli.views.explanation import worded
from limitlab.core import commands as c
from limitlab.core.engine import borrow_refusals
from limitlab.core.loans import quote
from limitlab.core.policy import DEFAULT_POLICY, policy_from_dict

INCOME = 1_000_000  # ¥10,000 a month


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def stretched(sim: Any, monthly_fen: int) -> Any:
    """An account on ¥10,000 a month owing another lender `monthly_fen` a month (set on the
    state directly, so that the score and the rate stay those of one other lender)."""
    s = sim(monthly_income_fen=INCOME)
    s.do(c.ExternalAdd("Car", 5_000_000, 100_000))
    s.state.external[0].monthly_fen = monthly_fen
    return s


def codes(state: Any, policy: Any, command: c.Borrow) -> list[str]:
    return [r.code for r in borrow_refusals(state, policy, command)]


def test_the_ratio_is_compared_unrounded(sim: Any) -> None:
    """70 % exactly is granted; one fen more a month (70.0001 %) is over 70 % and refused."""
    s = stretched(sim, 0)
    rate = Fraction(s.state.daily_rate) * 30
    growth = (1 + rate) ** 12
    principal = 1_000_000
    payment = int(principal * rate * growth / (growth - 1) + Fraction(1, 2))
    command = c.Borrow(principal, 12, "equal-installment")
    s.state.external[0].monthly_fen = 700_000 - payment
    assert codes(s.state, s.policy, command) == []
    s.state.external[0].monthly_fen = 700_001 - payment
    refusals = borrow_refusals(s.state, s.policy, command)
    assert [r.code for r in refusals] == ["HIGH_DTI"]
    # 0.700001, shown rounded up: never as "at" the threshold
    assert refusals[0].params["dti_after"] == "0.7001"
    assert refusals[0].params["installment_fen"] == payment
    # and the words say it is over: "70.01%", not "70%, over 70%"
    words = worded({"dti_ratio": Decimal("0.7001"), "max_ratio": Decimal("0.7")})
    assert (words["dti"], words["max"]) == ("70.01%", "70%")


def test_an_interest_first_drawdown_counts_its_average_payment_with_the_balloon(sim: Any) -> None:
    s = stretched(sim, 0)
    principal = 900_000
    schedule = quote(principal, s.state.daily_rate, 3, "interest-first", s.state.today)
    flows = [i.principal_fen + i.interest_fen for i in schedule.installments]
    assert flows[-1] > principal  # the balloon
    average = ceil_div(sum(flows), 3)  # (¥9,000 + three months' interest) ÷ 3, rounded up
    command = c.Borrow(principal, 3, "interest-first")
    s.state.external[0].monthly_fen = 700_000 - average
    assert codes(s.state, s.policy, command) == []
    s.state.external[0].monthly_fen = 700_001 - average
    refusal = borrow_refusals(s.state, s.policy, command)[0]
    assert (refusal.code, refusal.params["installment_fen"]) == ("HIGH_DTI", average)
    # The policy's other choice counts the next payment only (interest): granted.
    nxt = policy_from_dict({"dti_interest_first": "next"})
    assert codes(s.state, nxt, command) == []
    assert DEFAULT_POLICY.dti_interest_first == "average"


def test_an_interest_first_loan_held_counts_its_average_in_the_score_and_review(sim: Any) -> None:
    s = sim(monthly_income_fen=INCOME)
    assert s.do(c.Borrow(2_000_000, 12, "interest-first")).refusal is None
    (loan,) = s.state.loans
    average = ceil_div(sum(i.principal_fen + i.interest_fen for i in loan.installments), 12)
    dti = next(a for a in s.state.attributes if a.attribute == "dti_pct")
    assert dti.value == str(100 * average // INCOME)  # ¥20,000 + interest over 12: 17 %
    assert dti.value == "17"


def test_every_installment_due_now_counts_not_only_the_oldest(sim: Any) -> None:
    """Two installments overdue on one loan: both count (the oldest alone did before)."""
    s = sim(monthly_income_fen=800_000, monthly_expenses_fen=800_000, wallet_fen=0)
    assert s.do(c.Borrow(1_200_000, 12, "equal-principal")).refusal is None
    s.to(date(2026, 3, 10))  # due 2026-02-05 and 2026-03-05 unpaid
    (loan,) = s.state.loans
    late = [i for i in loan.installments if i.due_date < s.state.today]
    assert [i.seq for i in late] == [1, 2] and not any(i.is_paid for i in late)
    expected = sum(i.principal_fen + i.interest_fen + i.penalty_fen for i in late)
    # ¥1,000 principal a month: over ¥2,000 of ¥8,000 (25 %), where the oldest alone was 13 %
    assert 200_000 < expected < 240_000
    dti = next(a for a in s.state.attributes if a.attribute == "dti_pct")
    assert dti.value == str(100 * expected // 800_000)
