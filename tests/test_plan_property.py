"""A plan never passes through a new overdue (issue 12, item 7): replaying the steps `plan`
prints, through the engine on a copy, grants `borrow A --term N --method M` and adds no
overdue, penalty or bureau report; what the installments on the way need is in its cost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from limitlab.cli.views.plan import plan_json
from limitlab.core import commands as c
from limitlab.core.engine import apply, check_borrow
from limitlab.core.model import METHODS
from limitlab.core.money import floor_to
from limitlab.core.plan import find_plan
from limitlab.core.standing import available_fen

from .lives import live, lives

#: What a plan must never pass through.
HARM = ("autopay_short", "overdue", "bureau_report", "external_missed", "external_reported")
PAID = (
    "repay_overdue",
    "external_repay",
    "external_arrears",
    "fund_installments",
    "repay_principal",
)


def command_of(step: dict[str, Any]) -> c.Command:
    """A printed step as the command a person types (fund_installments is a deposit)."""
    action, amount = step["action"], step["amount_fen"]
    if action in ("deposit", "fund_installments"):
        return c.Wallet("deposit", amount)
    if action == "repay_overdue":
        return c.Repay("overdue")
    if action == "external_repay":
        return c.ExternalRepay(step["lender"])
    if action == "external_arrears":
        return c.ExternalRepay(step["lender"], arrears=True)
    if action == "wait":
        return c.Advance(date.fromisoformat(step["date"]))
    assert action == "repay_principal", action
    return c.Repay("amount", amount)


def replay(state: Any, policy: Any, plan: dict[str, Any]) -> tuple[Any, list[str]]:
    """Play the plan's printed steps (all but the borrow) through the engine; what happened."""
    happened: list[str] = []
    for step in plan["steps"][:-1]:
        if step["action"] == "fund_installments":
            assert date.fromisoformat(step["due_date"]) > date.fromisoformat(step["date"])
        outcome = apply(state, policy, command_of(step))
        assert outcome.refusal is None, (step, outcome.refusal)
        state = outcome.state
        happened += [e.kind for e in outcome.events]
    return state, happened


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    life=lives,
    share=st.sampled_from([Decimal("0.1"), Decimal("0.5"), Decimal("0.9"), Decimal("1.2")]),
    term=st.sampled_from([3, 6, 12]),
    method=st.sampled_from(METHODS),
)
def test_replaying_a_plan_grants_the_borrow_and_adds_no_overdue(
    sim: Any, life: Any, share: Decimal, term: int, method: Any
) -> None:
    s = live(sim, life)
    drawn = floor_to(available_fen(s.state) * 9 // 10, 100)  # most of the line drawn down
    if drawn >= s.policy.min_borrow_fen:
        s.state = apply(s.state, s.policy, c.Borrow(drawn, 12, "equal-installment")).state
    # a share of the line's base (what the rules would give without any cut or loan)
    need = max(s.policy.min_borrow_fen, floor_to(int(s.state.decision.base_fen * share), 100))
    plan: dict[str, Any] = plan_json(find_plan(s.state, s.policy, need, term=term, method=method))
    if not plan["found"]:
        return
    assert plan["steps"][-1] == {"action": "borrow", "amount_fen": need, "date": plan["ready_on"]}
    assert plan["cash_fen"] == sum(x["amount_fen"] for x in plan["steps"] if x["action"] in PAID)
    after, happened = replay(s.state, s.policy, plan)
    assert [kind for kind in happened if kind in HARM] == []
    # not one day overdue on the way (each such day adds penalty interest and sets this date)
    assert after.last_overdue_on == s.state.last_overdue_on
    assert after.today.isoformat() == plan["ready_on"]
    assert check_borrow(after, s.policy, c.Borrow(need, term, method)) is None
