"""Other lenders amortise (issue 13, item 4): their monthly payments leave the wallet on the
payday (or their own day), the month's interest first and the rest off the balance; a lender
paid off leaves the count at its review; a missed payment is recorded and its days past due
count in the score; policy `external_payments = "outside"` keeps the old behaviour. Expected
figures are computed here, month by month, not by the engine."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from limitlab.core import commands as c
from limitlab.core.policy import DEFAULT_POLICY, policy_from_stored, policy_to_dict

from .conftest import OUTSIDE_WALLET


def half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2))


def amortised(balance: int, monthly: int, apr: str) -> list[tuple[int, int, int]]:
    """(payment, interest, balance after) of each month until paid off."""
    rate = Fraction(apr) / 12
    out = []
    while balance > 0:
        interest = half_up(balance * rate)
        payment = min(monthly, balance + interest)
        balance = balance + interest - payment
        out.append((payment, interest, balance))
    return out


def attribute(s: Any, name: str) -> str:
    return str(next(a.value for a in s.state.attributes if a.attribute == name))


def test_payments_leave_the_wallet_on_payday_and_the_balance_falls_to_zero(sim: Any) -> None:
    s = sim(wallet_fen=100_000)  # payday the 10th: +¥3,000 (¥8,000 − ¥5,000)
    s.do(c.ExternalAdd("Huabei", 300_000, 60_000, Decimal("0.18")))
    assert attribute(s, "other_lenders") == "1"
    s.to(date(2026, 1, 10))
    (paid,) = [e for e in s.last.events if e.kind == "external_payment"]
    # ¥3,000 × 18 % ÷ 12 = ¥45.00 interest; ¥555.00 off the balance
    assert (paid.data["amount_fen"], paid.data["interest_fen"]) == (60_000, 4_500)
    assert paid.data["principal_fen"] == 55_500
    assert s.state.external[0].balance_fen == 244_500
    assert s.state.wallet_fen == 100_000 + 300_000 - 60_000
    expected = amortised(300_000, 60_000, "0.18")
    assert expected[0] == (60_000, 4_500, 244_500)
    s.to(date(2026, 6, 10))
    payments = [e for e in s.events if e.kind == "external_payment"]
    assert [(e.on.month, e.data["amount_fen"], e.data["interest_fen"]) for e in payments] == [
        (month, pay, interest) for month, (pay, interest, _) in enumerate(expected, 1)
    ]
    assert len(expected) == 6 and expected[-1][2] == 0  # the sixth payment closes it
    assert s.state.external[0].balance_fen == 0
    (off,) = [e for e in s.events if e.kind == "external_paid_off"]
    assert off.on == date(2026, 6, 10)
    review = [e for e in s.last.events if e.kind == "limit_review"][-1]
    assert (review.on, review.data["trigger"]) == (date(2026, 6, 10), "external")
    assert attribute(s, "other_lenders") == "0"  # gone from the count at that review


def test_a_stated_day_is_its_payment_day(sim: Any) -> None:
    s = sim(wallet_fen=500_000)
    s.do(c.ExternalAdd("JD", 100_000, 20_000, Decimal(0), due_day=20))
    s.to(date(2026, 1, 19))
    assert s.state.external[0].balance_fen == 100_000
    s.to(date(2026, 1, 20))
    assert s.state.external[0].balance_fen == 80_000  # no interest at 0 %: all principal
    assert [e.on for e in s.events if e.kind == "external_payment"] == [date(2026, 1, 20)]


def test_a_missed_payment_is_recorded_and_its_days_past_due_count_in_the_score(
    sim: Any,
) -> None:
    s = sim(wallet_fen=0, monthly_expenses_fen=800_000)  # paydays add nothing
    s.do(c.ExternalAdd("Huabei", 300_000, 60_000, Decimal("0.18")))
    assert attribute(s, "worst_dpd_24m") == "0"
    s.to(date(2026, 1, 10))
    (missed,) = [e for e in s.last.events if e.kind == "external_missed"]
    assert missed.data == {"lender": "Huabei", "missing_fen": 60_000, "wallet_fen": 0}
    assert s.state.external[0].balance_fen == 304_500  # interest added, nothing paid
    s.to(date(2026, 1, 15))
    assert attribute(s, "worst_dpd_24m") == "5"
    (late,) = s.state.delinquencies
    assert (late.lender, late.due_date, late.max_dpd) == ("Huabei", date(2026, 1, 10), 5)
    s.do(c.Wallet("deposit", 60_000))
    s.to(date(2026, 1, 16))  # collected as cash comes in
    assert s.state.external[0].arrears_fen == 0
    assert s.state.external[0].balance_fen == 244_500
    assert attribute(s, "worst_dpd_24m") == "5"  # the record stays: scored for 24 months


def test_the_policy_can_keep_them_outside_the_wallet(sim: Any) -> None:
    s = sim(OUTSIDE_WALLET, wallet_fen=100_000)
    s.do(c.ExternalAdd("Huabei", 300_000, 60_000))
    s.to(date(2026, 3, 10))
    assert s.state.external[0].balance_fen == 300_000
    assert s.state.wallet_fen == 100_000 + 3 * 300_000
    assert not [e for e in s.events if e.kind.startswith("external_p")]
    # a policy stored before the setting existed keeps that behaviour
    old = {k: v for k, v in policy_to_dict(DEFAULT_POLICY).items() if k != "external_payments"}
    assert policy_from_stored(old).external_payments == "outside"
    assert DEFAULT_POLICY.external_payments == "wallet"


def test_external_add_takes_an_apr_and_a_day_and_refuses_a_payment_below_interest(
    cli: Any,
) -> None:
    cli.init()
    ok = cli("external", "add", "--lender", "Car", "--balance", "9000", "--monthly", "500",
             "--apr", "12%", "--day", "15")  # fmt: skip
    assert ok.exit_code == 0, ok.output
    (row,) = cli.json("external", "list")
    assert (row["apr"], row["due_day"], row["arrears_fen"]) == ("0.12", 15, 0)
    bad = cli("external", "add", "--lender", "Tiny", "--balance", "9000", "--monthly", "50")
    assert bad.exit_code == 2
    assert "¥50.00 does not cover the month's interest of ¥135.00" in bad.output
    zh = cli("external", "add", "--lender", "T", "--balance", "9000", "--monthly", "50",
             "--lang", "zh")  # fmt: skip
    assert "月供 ¥50.00 不足以支付当月利息 ¥135.00" in zh.output
