"""Bureau records (issue 13 item 7): kept 5 years from the day the delinquency ends
(征信业管理条例 art. 16), never aged out while unpaid, scored for 24 months from the report."""

from __future__ import annotations

from datetime import date
from typing import Any

from limitlab.core import commands as c

#: ¥1,000 over 3 months from 2026-01-05: the first installment is due 2026-02-05.
BORROW = c.Borrow(100_000, 3, "equal-installment")


def test_a_repaid_record_is_kept_five_years_from_the_day_the_delinquency_ends(sim: Any) -> None:
    s = sim(wallet_fen=0, monthly_expenses_fen=800_000)  # income = expenses: autopay pays nothing
    s.do(BORROW)
    s.to(date(2026, 2, 15))  # 10 days past due, reported on the 4th day (2026-02-09)
    (record,) = s.state.bureau
    assert (record.reported_on, record.ended_on) == (date(2026, 2, 9), None)

    s.do(c.Wallet("deposit", 200_000))
    s.do(c.Repay("all"))  # the delinquency ends today, 2026-02-15
    (record,) = s.state.bureau
    assert record.ended_on == date(2026, 2, 15)

    s.to(date(2028, 3, 1))  # no longer scored (24 months from the report) but kept
    assert s.state.bureau and "CREDIT_RECORD" not in s.state.decision.codes
    s.to(date(2031, 2, 14))  # the last day of the five years from 2026-02-15
    assert len(s.state.bureau) == 1
    s.to(date(2031, 2, 15))
    assert s.state.bureau == []


def test_an_unpaid_delinquency_never_ages_out(sim: Any) -> None:
    s = sim(wallet_fen=0, monthly_expenses_fen=800_000)
    s.do(BORROW)
    s.to(date(2032, 3, 1))  # six years later, never repaid (the line closed at 90 days)
    assert s.state.closed_on is not None
    assert [(r.seq, r.ended_on) for r in s.state.bureau] == [(1, None), (2, None), (3, None)]
