"""What a 借呗-style app would say (issue 12, item 9): one message per state, named by `status`
and `why` beside the real reason, and each one true of the account by simulation: what it says
about borrowing is what `borrow` does on a copy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from limitlab.core import commands as c
from limitlab.core.app_message import APP_MESSAGES, AppMessage, app_message
from limitlab.core.engine import apply, borrow_refusals
from limitlab.core.standing import available_fen

from .conftest import CATALOGUE
from .lives import live, lives

BORROW_30000 = c.Borrow(3_000_000, 12, "equal-installment")
BROKE: dict[str, Any] = {"wallet_fen": 0, "monthly_expenses_fen": 800_000}


def says(s: Any) -> AppMessage:
    return app_message(s.state, s.policy)


def test_a_fresh_account_shows_what_is_available(sim: Any) -> None:
    s = sim()
    assert says(s) == AppMessage("AVAILABLE", {"available_fen": 3_200_000})


def test_a_line_drawn_down_shows_limit_used_up(sim: Any) -> None:
    s = sim()
    s.do(c.Borrow(3_200_000, 12, "equal-installment"))
    assert says(s).code == "LIMIT_USED_UP"


def test_a_platform_cut_below_what_is_owed_also_shows_limit_used_up(sim: Any) -> None:
    """The app says the same as for one's own loans; the real reason is the platform's."""
    s = sim()
    s.do(BORROW_30000)
    s.do(c.Tighten(Decimal("0.5"), 30, None))
    assert (s.state.limit_fen, says(s).code) == (1_600_000, "LIMIT_USED_UP")
    assert "PLATFORM_POLICY" in s.state.decision.codes


def test_maintenance_comes_before_everything_else(sim: Any) -> None:
    s = sim()
    s.do(c.Borrow(3_200_000, 12, "equal-installment"))
    s.do(c.Maintenance(2))
    assert says(s).code == "MAINTENANCE"
    s.days(2)
    assert says(s).code == "LIMIT_USED_UP"


def test_an_overdue_and_a_cooloff_show_borrowing_paused(sim: Any) -> None:
    s = sim(**BROKE)
    s.do(c.Borrow(500_000, 12, "equal-installment"))
    s.to(date(2026, 2, 7))  # 2 days past due
    assert says(s).code == "BORROWING_PAUSED"
    fresh = sim()
    for _ in range(3):
        fresh.do(c.Borrow(100_000, 3, "equal-installment"))
    assert fresh.state.cooloff_until == date(2026, 1, 19)
    assert says(fresh).code == "BORROWING_PAUSED"


def test_30_days_past_due_and_a_closed_line_show_limit_frozen(sim: Any) -> None:
    s = sim(**BROKE)
    s.do(c.Borrow(500_000, 12, "equal-installment"))
    s.to(date(2026, 3, 6))  # 29 days past due
    assert says(s).code == "BORROWING_PAUSED"
    s.to(date(2026, 3, 7))  # 30
    assert says(s).code == "LIMIT_FROZEN"
    s.to(date(2026, 5, 10))  # 90+: closed
    assert s.state.closed_on is not None
    assert says(s).code == "LIMIT_FROZEN"


def test_no_income_shows_no_limit(sim: Any) -> None:
    s = sim(monthly_income_fen=0)
    assert (s.state.limit_fen, says(s).code) == (0, "NO_LIMIT")


@pytest.mark.parametrize("code", APP_MESSAGES)
def test_every_message_has_the_apps_chinese_and_english(code: str) -> None:
    en, zh = CATALOGUE[f"app.{code}"]
    assert en and zh and en != zh


# --- every message is true of the account, by simulation -----------------------------------------


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(life=lives, last=st.sampled_from(["nothing", "draw it all", "maintenance", "3 tries"]))
def test_what_the_app_says_is_what_borrow_does(sim: Any, life: Any, last: str) -> None:
    s = live(sim, life)
    then: dict[str, list[c.Command]] = {
        "nothing": [],
        "draw it all": [c.Borrow(max(available_fen(s.state), 10_000), 12, "equal-installment")],
        "maintenance": [c.Maintenance(2)],
        "3 tries": [c.Borrow(10_000, 3, "equal-installment")] * 3,
    }
    for command in then[last]:
        s.state = apply(s.state, s.policy, command).state
    message = says(s)
    smallest = c.Borrow(s.policy.min_borrow_fen, 3, "interest-first")

    def refusals(command: c.Borrow) -> list[str]:
        codes = [r.code for r in borrow_refusals(s.state, s.policy, command)]
        outcome = apply(s.state, s.policy, command)  # borrow itself agrees
        assert (outcome.refusal is None) is (not codes)
        return codes

    if message.code == "AVAILABLE":
        available = message.params["available_fen"]
        assert available == available_fen(s.state) > 0
        # the amount shown fits the limit; one fen more does not
        assert "LIMIT_EXCEEDED" not in refusals(c.Borrow(available, 12, "equal-installment"))
        assert "LIMIT_EXCEEDED" in refusals(c.Borrow(available + 1, 12, "equal-installment"))
        return
    codes = refusals(smallest)
    assert codes, message  # every other message: not even the smallest drawdown is granted
    expected = {
        "MAINTENANCE": {"MAINTENANCE"},
        "LIMIT_FROZEN": {"ACCOUNT_CLOSED", "OVERDUE"},
        "NO_LIMIT": {"NOT_ELIGIBLE", "NO_INCOME", "LIMIT_EXCEEDED"},
        "BORROWING_PAUSED": {"OVERDUE", "FREQUENT_APPLICATIONS"},
        "LIMIT_USED_UP": {"LIMIT_EXCEEDED"},
    }[message.code]
    assert expected & set(codes), (message, codes)  # the rule the message stands for refuses


# --- through the CLI -----------------------------------------------------------------------------


def test_status_names_the_apps_message_above_the_real_cause(cli: Any) -> None:
    cli.init()
    assert cli("borrow", "32000", "--yes").exit_code == 0
    data = cli.json("status")
    assert data["app_message"] == {
        "code": "LIMIT_USED_UP",
        "text": "Limit used up",
        "app_text": "额度已用完",
    }
    lines = cli("status").stdout.splitlines()
    at = lines.index("The app would show: “Limit used up”.")
    assert lines[at + 1].startswith("Cause: Drawn down by your own loans")
    zh = cli.json("status", "--lang", "zh")["app_message"]
    assert zh == {"code": "LIMIT_USED_UP", "text": "额度已用完", "app_text": "额度已用完"}
    assert "App 上显示：“额度已用完”。" in cli("status", "--lang", "zh").stdout


def test_status_of_an_account_with_room_shows_the_amount(cli: Any) -> None:
    cli.init()
    data = cli.json("status")["app_message"]
    assert data == {
        "code": "AVAILABLE",
        "text": "Available to borrow: ¥32,000.00",
        "app_text": "可借额度 ¥32,000.00",
    }
    assert "The app would show: “Available to borrow: ¥32,000.00”." in cli("status").stdout


def test_why_names_the_apps_message_beside_the_real_reason(cli: Any) -> None:
    cli.init()
    assert cli("borrow", "30000", "--yes").exit_code == 0
    assert cli("platform", "maintenance", "--days", "2").exit_code == 0
    data = cli.json("why")
    assert data["app_message"] == {
        "code": "MAINTENANCE",
        "text": "Under maintenance",
        "app_text": "系统维护中",
    }
    top = data["reasons"][0]
    out = " ".join(cli("why").stdout.split())
    assert f"The app would show: “Under maintenance”. The real reason: {top['title']}." in out
    assert top["code"] not in out  # no code names on screen
    zh = cli.json("why", "--lang", "zh")
    title = zh["reasons"][0]["title"]
    line = f"App 上显示：“系统维护中”。真正的原因：{title}。"
    squeezed = "".join(cli("why", "--lang", "zh").stdout.split())  # wrapped or not
    assert "".join(line.split()) in squeezed
