"""Which APR the 36 % ceiling and the 24 % warnings compare (issue 13, item 10): the ceiling is on
the simple APR (年化利率(单利)), the daily rate × 360 whatever the day count (as 借呗 states
it), compared unrounded; a quote warns when its simple APR passes the warning line and
when its effective APR does, (1 + the monthly IRR)^12 − 1, each installment a month apart
whatever its days. Every expected figure is computed here, with fractions, not by the engine."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from limitlab.cli.views.report import quote_report
from limitlab.core.loans import quote
from limitlab.core.policy import DEFAULT_POLICY, PolicyError, policy_from_dict, policy_to_dict

WARN = Decimal("0.24")


def half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2))


def with_top_rate(rate: str, **more: Any) -> Any:
    """The default policy with its dearest tier (the lowest scores) at `rate` a day."""
    tiers = policy_to_dict(DEFAULT_POLICY)["tiers"]
    tiers[0]["daily_rate"] = rate
    return policy_from_dict({"tiers": tiers, **more})


def simple(rate: str, days: int) -> Fraction:
    return Fraction(rate) * days


@pytest.mark.parametrize("day_count", ["actual", "30"])
@pytest.mark.parametrize("rate", ["0.00086", "0.000986", "0.001"])
def test_a_simple_apr_up_to_36_percent_is_allowed(rate: str, day_count: str) -> None:
    assert simple(rate, 360) <= Fraction(36, 100)  # 30.96 %, 35.496 %, 36 % exactly (not above)
    assert with_top_rate(rate, day_count=day_count).tiers[0].daily_rate == Decimal(rate)


@pytest.mark.parametrize("day_count", ["actual", "30"])
def test_a_simple_apr_just_over_36_percent_is_refused_and_says_which_apr(day_count: str) -> None:
    assert simple("0.00100001", 360) == Fraction("0.3600036")
    with pytest.raises(PolicyError) as caught:
        with_top_rate("0.00100001", day_count=day_count)
    assert (caught.value.key, caught.value.kind) == ("tiers.0.daily_rate", "apr_ceiling")
    # over the line never reads as at it
    assert caught.value.params == {"apr": "36.0004%", "ceiling": "36%"}
    assert "simple APR" in str(caught.value)


def test_the_brief_s_rate_is_allowed_and_its_quotes_warn_of_both_aprs() -> None:
    """0.086 % a day: 30.96 % simple, allowed; over 12 months from 1 January (365 days of
    interest) its effective APR passes 36 % — warned about, not refused."""
    policy = with_top_rate("0.00086")
    q = quote(1_000_000, Decimal("0.00086"), 12, "equal-installment", date(2026, 1, 1), "actual")
    report = quote_report(q, None, date(2026, 1, 1), policy.apr_warn)
    assert report["apr_simple"] == "0.3096"
    assert report["apr_warning"] is True and report["apr_effective_warning"] is True
    assert float(q.apr_effective) == pytest.approx(irr_apr(1_000_000, flows(q)), abs=1e-4)
    assert irr_apr(1_000_000, flows(q)) > 0.36


def flows(q: Any) -> list[int]:
    return [i.principal_fen + i.interest_fen for i in q.installments]


def irr_apr(principal: int, payments: list[int]) -> float:
    """(1 + r)^12 − 1 for the monthly r at which the payments are worth the principal (an
    independent bisection, in fractions)."""
    low, high = Fraction(0), Fraction(1, 2)
    for _ in range(60):
        r = (low + high) / 2
        worth = sum(Fraction(p) / (1 + r) ** n for n, p in enumerate(payments, 1))
        low, high = (r, high) if worth > principal else (low, r)
    return float((1 + low) ** 12 - 1)


@pytest.mark.parametrize(
    ("rate", "warned"),
    [("0.00066", False), ("0.00067", True), ("0.00066666", False), ("0.00066667", True)],
)
def test_the_simple_apr_warning_is_the_daily_rate_times_360_unrounded(
    rate: str, warned: bool
) -> None:
    # 23.76 %, 24.12 %, 23.99976 %, 24.00012 % (shown 24.00 %, warned: it is over)
    assert (simple(rate, 360) > Fraction(24, 100)) is warned
    q = quote(1_000_000, Decimal(rate), 3, "equal-installment", date(2026, 3, 5), "actual")
    report = quote_report(q, None, date(2026, 3, 5), WARN)
    assert report["apr_warning"] is warned
    assert Decimal(report["apr_simple"]) == (Decimal(rate) * 360).quantize(Decimal("0.0001"))


@pytest.mark.parametrize(
    ("drawn", "days", "warned"),
    [
        (date(2026, 1, 1), 31, True),  # January: 31 days of interest for one month
        (date(2026, 2, 1), 28, False),  # February: 28
    ],
)
def test_the_effective_apr_warning_over_a_31_day_month_and_a_february(
    drawn: date, days: int, warned: bool
) -> None:
    rate = "0.0006"  # 21.6 % simple: no simple warning
    q = quote(1_000_000, Decimal(rate), 1, "equal-installment", drawn, "actual")
    interest = half_up(1_000_000 * Fraction(rate) * days)
    assert q.installments[0].interest_fen == interest  # ¥186.00 / ¥168.00
    effective = (Fraction(1_000_000 + interest, 1_000_000)) ** 12 - 1  # 24.74 % / 22.15 %
    assert (effective > Fraction(24, 100)) is warned
    assert q.apr_effective == Decimal(float(effective)).quantize(Decimal("0.0001"))
    report = quote_report(q, None, drawn, WARN)
    assert (report["apr_warning"], report["apr_effective_warning"]) == (False, warned)


def test_status_shows_the_daily_rate_times_360_on_actual_days_too(cli: Any) -> None:
    cli.init()  # interest on actual days, as by default
    shown = cli.json("status")
    rate = Fraction(shown["daily_rate"])
    assert Fraction(shown["apr_simple"]) == rate * 360
    thirty = quote(1_000_000, Decimal("0.0004"), 12, "equal-installment", date(2026, 1, 5), "30")
    assert thirty.apr_simple == Decimal("0.1440")  # 0.04 % × 360, the issue-2 figure
