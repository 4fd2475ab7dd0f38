"""Random command sequences never break an invariant (core.invariants.INVARIANTS)."""

from __future__ import annotations

import contextlib
import os
from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from limitlab.core import commands as c
from limitlab.core.engine import DomainError, apply, open_account
from limitlab.core.invariants import check
from limitlab.core.model import METHODS
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
