"""Random command sequences never break an invariant (core.invariants.INVARIANTS), and every
invariant can fail: each has a broken state it catches (a check that cannot fail checks
nothing). The service-level property test is tests/test_service_stateful.py."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from limitlab.core import commands as c
from limitlab.core import invariants
from limitlab.core.engine import DomainError, apply, open_account
from limitlab.core.invariants import INVARIANTS, check
from limitlab.core.model import METHODS, AccountState
from limitlab.core.policy import DEFAULT_POLICY

from .conftest import START, profile

LONG = os.environ.get("LIMITLAB_LONG_TESTS") == "1"
yuan = st.integers(min_value=1, max_value=40_000).map(lambda y: y * 100)


class Account(RuleBasedStateMachine):
    """An account driven by every kind of command, checked after each step."""

    def __init__(self) -> None:
        super().__init__()
        opened = open_account(c.Open(profile(), 200_000, START), DEFAULT_POLICY)
        self.state = opened.state
        self.steps = 0

    def _do(self, command: c.Command) -> None:
        # A request that does not apply to this account (DomainError) changes nothing.
        with contextlib.suppress(DomainError):
            self.state = apply(self.state, DEFAULT_POLICY, command).state
        self.steps += 1

    @rule(amount=yuan, term=st.sampled_from([3, 6, 12]), method=st.sampled_from(METHODS))
    def borrow(self, amount: int, term: int, method: str) -> None:
        self._do(c.Borrow(amount, term, method))  # type: ignore[arg-type]

    @rule(amount=yuan)
    def repay_amount(self, amount: int) -> None:
        self._do(c.Repay("amount", amount))

    @rule(mode=st.sampled_from(["all", "overdue"]))
    def repay_mode(self, mode: str) -> None:
        self._do(c.Repay(mode))  # type: ignore[arg-type]

    @rule(days=st.integers(min_value=1, max_value=45))
    def advance(self, days: int) -> None:
        self._do(c.Advance(self.state.today + timedelta(days=days)))

    @rule(direction=st.sampled_from(["deposit", "withdraw"]), amount=yuan)
    def wallet(self, direction: str, amount: int) -> None:
        self._do(c.Wallet(direction, amount))  # type: ignore[arg-type]

    @rule(income=st.integers(min_value=0, max_value=60_000), trust=st.integers(0, 100))
    def profile_set(self, income: int, trust: int) -> None:
        self._do(c.SetProfile(monthly_income_fen=income * 100, trust=trust))

    @rule(lender=st.sampled_from(["A", "B", "C", "D", "E", "F"]), balance=yuan, monthly=yuan)
    def external_add(self, lender: str, balance: int, monthly: int) -> None:
        self._do(c.ExternalAdd(lender, balance, monthly // 10))

    @rule(lender=st.sampled_from(["A", "B", "C", "D", "E", "F"]))
    def external_repay(self, lender: str) -> None:
        self._do(c.ExternalRepay(lender))

    @rule(
        factor=st.sampled_from(["0.5", "0.8"]),
        days=st.integers(1, 60),
        cohort=st.sampled_from([None, "score<700", "lenders>=1 or dti>0.3"]),
    )
    def tighten(self, factor: str, days: int, cohort: str | None) -> None:
        self._do(c.Tighten(Decimal(factor), days, cohort))

    @rule(days=st.integers(1, 5))
    def maintenance(self, days: int) -> None:
        self._do(c.Maintenance(days))

    @invariant()
    def every_invariant_holds(self) -> None:
        assert check(self.state, DEFAULT_POLICY) == []


Account.TestCase.settings = settings(
    max_examples=1000 if LONG else 200,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestAccount = Account.TestCase


# --- every invariant can fail --------------------------------------------------------------------


def _first_installment(state: AccountState) -> Any:
    return state.loans[0].installments[0]


#: For each invariant, a way to break a sound account that it must catch.
BREAKERS: dict[str, Callable[[AccountState], None]] = {
    "limit_is_not_negative": lambda s: setattr(s, "assessed_fen", -1),
    "limit_is_the_last_decisions": lambda s: setattr(s, "limit_fen", s.limit_fen - 10_000),
    "waterfall_sums_to_available": lambda s: setattr(
        s.decision.steps[0], "amount_fen", s.decision.steps[0].amount_fen + 1
    ),
    "principal_is_conserved": lambda s: setattr(s, "borrowed_fen", s.borrowed_fen + 1),
    "installments_sum_to_their_loan": lambda s: setattr(
        _first_installment(s), "interest_paid_fen", _first_installment(s).interest_fen + 1
    ),
    "limit_within_regulatory_cap": lambda s: setattr(s.profile, "monthly_income_fen", 1),
    "score_adds_up": lambda s: setattr(s, "score", s.score + 1),
    "wallet_is_not_negative": lambda s: setattr(s, "wallet_fen", -1),
}


def copy_decision(state: AccountState) -> Any:
    """The decision and its steps are shared between copies (the engine only replaces them)."""
    import copy

    decision = copy.copy(state.decision)
    decision.steps = [copy.copy(step) for step in decision.steps]
    return decision


def sound_account(sim: Callable[..., Any]) -> Any:
    s = sim()
    s.do(c.Borrow(1_000_000, 12, "equal-installment"))
    s.days(40)
    assert check(s.state, s.policy) == []
    return s


def test_every_invariant_has_a_broken_state_it_catches() -> None:
    assert sorted(BREAKERS) == sorted(i.__name__ for i in INVARIANTS)


@pytest.mark.parametrize("invariant", INVARIANTS, ids=lambda i: i.__name__)
def test_each_invariant_can_fail(sim: Callable[..., Any], invariant: invariants.Check) -> None:
    s = sound_account(sim)
    broken = s.state.copy()
    broken.decision = copy_decision(broken)
    BREAKERS[invariant.__name__](broken)
    assert invariant(s.state, s.policy) == []
    problems = invariant(broken, s.policy)
    assert problems, invariant.__name__
    assert set(problems) <= set(check(broken, s.policy))


def test_the_waterfall_must_start_with_the_base_limit(sim: Callable[..., Any]) -> None:
    s = sound_account(sim)
    broken = s.state.copy()
    broken.decision = copy_decision(broken)
    broken.decision.steps[0].code = "SOMETHING_ELSE"
    assert invariants.waterfall_sums_to_available(broken, s.policy) == [
        "the waterfall does not start with the base limit"
    ]


def test_a_score_outside_the_policys_range_is_caught(sim: Callable[..., Any]) -> None:
    s = sound_account(sim)
    broken = s.state.copy()
    broken.score = s.policy.score_max + 1
    assert any("outside" in p for p in invariants.score_adds_up(broken, s.policy))
