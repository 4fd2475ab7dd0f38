"""What counts as an application (issue 12, item 8): the app takes an amount up to the available
figure it shows, and only that is judged by the credit rules and counts toward the cool-off and
the score. A refusal above it (maintenance, a suspension, no room) is recorded as a refusal."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from limitlab.core import commands as c

#: ¥10,000 a month, no social insurance, 6 months in the job, trust 40: score 695, limit ¥30,000.
P695: dict[str, Any] = {
    "monthly_income_fen": 1_000_000,
    "social_insurance": False,
    "employment_months": 6,
    "trust": 40,
}
CLI_695 = (
    "--income",
    "10000",
    "--no-social-insurance",
    "--employment-months",
    "6",
    "--trust",
    "40",
)
BORROW_1000 = c.Borrow(100_000, 3, "equal-installment")
TOO_MUCH = c.Borrow(5_000_000, 12, "equal-installment")


def test_three_refusals_above_the_limit_are_no_applications(sim: Any) -> None:
    s = sim(**P695)
    for _ in range(3):
        out = s.do(TOO_MUCH)
        assert out.refusal is not None and out.refusal.code == "LIMIT_EXCEEDED"
        assert [e.kind for e in out.events] == ["borrow_refused"]
        assert out.events[0].data == {
            "amount_fen": 5_000_000,
            "code": "LIMIT_EXCEEDED",
            "available_fen": 3_000_000,
        }
    assert s.state.applications == []
    assert s.state.cooloff_until is None
    assert s.state.score == 695  # no score points lost (it was 695 → 665 when they counted)
    assert s.do(BORROW_1000).refusal is None


def test_a_refusal_during_maintenance_is_no_application(sim: Any) -> None:
    s = sim(**P695)
    s.do(c.Maintenance(2))
    for _ in range(3):
        out = s.do(BORROW_1000)
        assert out.refusal is not None and out.refusal.code == "MAINTENANCE"
        assert [e.kind for e in out.events] == ["borrow_refused"]
    assert s.state.applications == [] and s.state.cooloff_until is None
    s.days(2)
    assert s.do(BORROW_1000).refusal is None


def test_a_refusal_while_overdue_is_no_application(sim: Any) -> None:
    s = sim(**P695, monthly_expenses_fen=1_000_000, wallet_fen=0)
    assert s.do(c.Borrow(500_000, 12, "equal-installment")).refusal is None
    s.to(date(2026, 2, 7))  # the first installment, due 02-05, is 2 days late
    for _ in range(3):
        out = s.do(BORROW_1000)
        assert out.refusal is not None and out.refusal.code == "OVERDUE"
        assert [e.kind for e in out.events] == ["borrow_refused"]
    assert s.state.applications == []  # the loan's own, 33 days ago, is out of every window
    assert s.state.cooloff_until is None


def test_refusals_within_what_is_available_are_applications_and_start_the_cooloff(
    sim: Any,
) -> None:
    """Debt-to-income refuses ¥1,000 that is well within the ¥14,000 available."""
    s = sim(**P695)
    s.do(c.ExternalAdd("Car", 9_000_000, 695_000))
    assert (s.state.score, s.state.limit_fen) == (640, 1_400_000)
    scores = []
    for _ in range(3):
        out = s.do(BORROW_1000)
        assert out.refusal is not None and out.refusal.code == "HIGH_DTI"
        assert out.events[0].kind == "application_refused"
        scores.append(s.state.score)
    assert scores == [640, 625, 610]  # applications_30d: 1 → 40, 2 → 25, 3 → 10 points
    assert "cooloff_started" in [e.kind for e in out.events]
    assert s.state.cooloff_until == date(2026, 1, 19)
    fourth = s.do(BORROW_1000)
    assert fourth.refusal is not None and fourth.refusal.code == "FREQUENT_APPLICATIONS"
    assert [e.kind for e in fourth.events] == ["borrow_refused"]
    assert len(s.state.applications) == 3


# --- through the CLI -----------------------------------------------------------------------------


def borrow(cli: Any, *args: str) -> tuple[int, Any]:
    result = cli("borrow", *args, "--yes", "--json")
    return result.exit_code, json.loads(result.stdout)


def test_the_refusal_says_it_was_no_application(cli: Any) -> None:
    cli.init(*CLI_695)
    code, report = borrow(cli, "50000")
    assert code == 3
    assert (report["code"], report["application"], report["cooloff"]) == (
        "LIMIT_EXCEEDED",
        False,
        None,
    )
    assert report["counted"].startswith("Not an application: the app takes an amount up to")
    assert "¥30,000.00" in report["counted"]
    text = cli("borrow", "50000", "--yes")
    assert "Not an application" in text.stderr
    assert cli.json("history", "--kind", "application_refused") == []
    refused = cli.json("history", "--kind", "borrow_refused")
    assert [e["data"]["code"] for e in refused] == ["LIMIT_EXCEEDED", "LIMIT_EXCEEDED"]
    assert cli.json("status")["score"] == 695


def test_a_refusal_that_starts_a_cooloff_says_so_first(cli: Any) -> None:
    cli.init(*CLI_695)
    added = cli("external", "add", "--lender", "Car", "--balance", "90000", "--monthly", "6950")
    assert added.exit_code == 0, added.output
    for _ in range(2):
        code, report = borrow(cli, "1000", "--term", "3")
        assert (code, report["code"], report["application"]) == (3, "HIGH_DTI", True)
        assert report["cooloff"] is None
    code, report = borrow(cli, "1000", "--term", "3")
    assert (code, report["code"]) == (3, "HIGH_DTI")
    assert list(report)[:3] == ["refused", "code", "cooloff"]
    assert report["cooloff"] == {
        "until": "2026-01-19",
        "applications": 3,
        "window_days": 7,
        "text": "This refusal makes 3 applications in 7 days: a cool-off starts, "
        "and borrowing is paused until 2026-01-19.",
    }
    assert report["counted"] == (
        "This application was recorded and counts toward the frequent-application rule."
    )
    assert cli.json("status")["state"] == "suspended"


def test_the_cooloff_line_comes_first_on_screen(cli: Any) -> None:
    cli.init(*CLI_695)
    cli("external", "add", "--lender", "Car", "--balance", "90000", "--monthly", "6950")
    for _ in range(2):
        assert cli("borrow", "1000", "--term", "3", "--yes").exit_code == 3
    result = cli("borrow", "1000", "--term", "3", "--yes", "--lang", "zh")
    assert result.exit_code == 3
    squeezed = "".join(result.stderr.split())  # a narrow terminal may wrap the line
    assert squeezed.startswith("本次被拒使7天内的申请达到3次：进入冷静期，2026-01-19之前暂停借款。")


def test_a_grant_that_starts_a_cooloff_says_so(cli: Any) -> None:
    cli.init(*CLI_695)
    for _ in range(2):
        assert borrow(cli, "1000")[1]["cooloff_until"] is None
    result = cli("borrow", "1000", "--yes")
    assert result.exit_code == 0
    assert (
        "This was 3 applications in 7 days: a cool-off starts, and borrowing is paused "
        "until 2026-01-19." in " ".join(result.stderr.split())
    )
