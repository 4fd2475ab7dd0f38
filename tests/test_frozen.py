"""Issue 13 item 3: serious delinquency freezes the line (只还不借).

From 30 days past due the limit is cut to the principal owed and frozen: repaid principal
lowers the limit with it and nothing revolves back (available stays 0) until a scheduled
review after 3 months without overdue lifts the freeze. The figures are worked out here by
hand from the schedule's rules (equal-principal parts P/n half-up, interest = principal ×
daily rate × actual days), not by the engine's functions."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from limitlab.core import commands as c
from limitlab.core.app_message import app_message
from limitlab.core.policy import (
    DEFAULT_POLICY,
    policy_from_stored,
    policy_to_dict,
)
from limitlab.core.standing import available_fen, state_name

from .conftest import OLD_BINS

BROKE: dict[str, Any] = {"wallet_fen": 0, "monthly_expenses_fen": 800_000}
START = date(2026, 1, 5)
DAILY = Decimal("0.0002")  # the default profile's tier with OLD_BINS (score ≥ 750): 0.02 % a day
LOAN = 500_000


def half_up(x: Decimal) -> int:
    return int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def interest(principal: int, days: int) -> int:
    return half_up(Decimal(principal) * DAILY * days)


# The loan by hand: 3 equal-principal parts of ¥5,000.00, half-up, the last absorbing.
PART = half_up(Decimal(LOAN) / 3)  # 166,667
LAST = LOAN - 2 * PART  # 166,666
#: 30 days past the first due date (2026-02-05): the freeze.
FROZEN_ON = date(2026, 2, 5) + timedelta(days=30)
#: Reviews every 30 days from the opening; the first one 3 months after the last overdue day
#: (the day the overdue is repaid: it was still overdue that morning) lifts the freeze.
REVIEWS = [START + timedelta(days=30 * k) for k in range(1, 20)]
LIFT = next(day for day in REVIEWS if day >= date(2026, 6, 7))


def frozen_account(sim: Any, **policy: Any) -> Any:
    s = sim(replace(OLD_BINS, **policy), **BROKE) if policy else sim(**BROKE)
    assert s.state.daily_rate == DAILY
    s.do(c.Borrow(LOAN, 3, "equal-principal"))
    s.to(FROZEN_ON)
    return s


def test_30_days_past_due_freezes_and_repaid_principal_lowers_the_limit(sim: Any) -> None:
    s = frozen_account(sim)
    st = s.state
    assert (st.frozen_on, state_name(st), st.limit_fen, st.used_fen) == (
        FROZEN_ON,
        "frozen",
        LOAN,
        LOAN,
    )
    assert [e.data for e in s.events if e.kind == "line_frozen"] == [{"days_past_due": 30}]
    assert app_message(st, s.policy).code == "LIMIT_FROZEN"

    s.do(c.Wallet("deposit", 500_000))
    paid = s.do(c.Repay("overdue")).result
    assert paid["principal_fen"] == 2 * PART  # installments 1 and 2
    st = s.state
    assert (st.limit_fen, st.used_fen, available_fen(st)) == (LOAN - 2 * PART, LAST, 0)
    assert state_name(st) == "frozen"  # nothing overdue, still 只还不借

    # ¥500 more: the interest for the 2 days used of the third period (from 2026-03-05) first
    paid = s.do(c.Repay("amount", 50_000)).result
    used = interest(LAST, 2)
    assert (paid["interest_fen"], paid["principal_fen"]) == (used, 50_000 - used)
    st = s.state
    left = LAST - (50_000 - used)
    assert (st.limit_fen, st.used_fen, available_fen(st)) == (left, left, 0)
    assert st.decision.trigger == "repaid" and "FROZEN" in st.decision.codes
    refusal = s.do(c.Borrow(10_000, 3, "equal-installment")).refusal
    assert refusal is not None and refusal.code == "FROZEN"


def test_a_scheduled_review_after_three_clean_months_lifts_the_freeze(sim: Any) -> None:
    s = frozen_account(sim)
    s.do(c.Wallet("deposit", 800_000))  # enough for the overdue and the last installment
    s.do(c.Repay("overdue"))
    assert date(2026, 7, 4) == LIFT
    s.to(LIFT - timedelta(days=1))
    st = s.state
    # the last installment paid by autopay on 2026-04-05: the frozen limit followed it to 0
    assert (st.used_fen, st.limit_fen, available_fen(st), state_name(st)) == (0, 0, 0, "frozen")
    s.to(LIFT)
    st = s.state
    assert st.frozen_on is None
    assert [e.on for e in s.events if e.kind == "line_unfrozen"] == [LIFT]
    # the raise rules from the assessment held at the cut (¥5,000): at most +50 %
    assert (st.limit_fen, available_fen(st)) == (LOAN * 3 // 2, LOAN * 3 // 2)
    assert state_name(st) != "frozen"
    lifted = next(a for a in st.decision.attribution or [] if a["code"] == "FROZEN")
    assert lifted["evidence"] == [{"kind": "unfrozen", "frozen_on": FROZEN_ON.isoformat()}]


def test_a_policy_without_the_freeze_revolves_as_before(sim: Any) -> None:
    s = frozen_account(sim, freeze_on_serious_delinquency=False)
    assert s.state.frozen_on is None and state_name(s.state) == "suspended"
    s.do(c.Wallet("deposit", 500_000))
    s.do(c.Repay("overdue"))
    st = s.state
    assert (st.limit_fen, available_fen(st)) == (LOAN, 2 * PART)  # the cut limit revolves


def test_a_policy_stored_before_the_freeze_keeps_the_old_behaviour() -> None:
    old = policy_to_dict(DEFAULT_POLICY)
    del old["freeze_on_serious_delinquency"]
    assert policy_from_stored(old).freeze_on_serious_delinquency is False
    assert DEFAULT_POLICY.freeze_on_serious_delinquency is True


# --- on the screens -------------------------------------------------------------------------


def frozen_cli(cli: Any) -> None:
    """The same account through the CLI: frozen, overdue repaid, ¥500 of principal repaid."""
    cli.init_outside("--expenses", "8000", "--wallet", "0")
    for args in (
        ("borrow", "5000", "--term", "3", "--method", "equal-principal", "--yes"),
        ("advance", "--to", FROZEN_ON.isoformat()),
        ("wallet", "deposit", "5000"),
        ("repay", "--overdue"),
        ("repay", "500"),
    ):
        result = cli(*args)
        assert result.exit_code == 0, result.output


def test_why_shows_the_freeze_first_with_its_advice(cli: Any) -> None:
    frozen_cli(cli)
    data = cli.json("why")
    assert (data["state"], data["available_fen"]) == ("frozen", 0)
    top = data["reasons"][0]
    assert (top["code"], top["blocking"]) == ("FROZEN", True)
    assert top["title"] == "Line frozen after serious delinquency: repay only"
    assert top["advice"] == (
        "Keep every installment paid on time: the freeze lifts at the scheduled review of "
        f"{LIFT.isoformat()}, after 3 months without overdue; until then repaid principal "
        "does not come back."
    )
    assert top["recovers_on"] == LIFT.isoformat()
    assert top["evidence"][0]["on"] == FROZEN_ON.isoformat()
    zh = cli.json("--lang", "zh", "why")["reasons"][0]
    assert zh["title"] == "严重逾期后额度冻结（只还不借）"
    assert f"{LIFT.isoformat()} 的定期评估解除冻结" in zh["advice"]
    assert not re.search(r"[,;:!?]", zh["advice"].replace("limitlab", ""))  # full-width only


def test_status_app_message_and_glossary_name_the_frozen_line(cli: Any) -> None:
    frozen_cli(cli)
    assert cli.json("status")["state"] == "frozen"
    en = cli("status").stdout
    assert "frozen" in en and "Limit frozen" in cli("status", "--detail").stdout
    zh = cli("--lang", "zh", "status", "--detail").stdout
    assert "额度已冻结" in zh
    example = cli.json("glossary", "额度冻结")[0]["example"]
    assert example.startswith(f"Your line is frozen since {FROZEN_ON.isoformat()}")
    assert "¥0.00 available" in example
