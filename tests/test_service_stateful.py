"""The service with a real store on a temporary file, driven by random command sequences
(issue 10 §9): after every step `verify` passes (the replayed log gives the stored tables),
the invariants hold, and the stored account is the one the pure engine computes. Refusals,
DomainErrors (nothing written), policy changes, confirmed quotes and `init --force` included."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from limitlab.core import commands as c
from limitlab.core.engine import DomainError, apply, open_account
from limitlab.core.invariants import check
from limitlab.core.model import METHODS, AccountState
from limitlab.core.policy import DEFAULT_POLICY, Policy, policy_from_dict, policy_to_dict
from limitlab.core.service import create_account, execute, preview, verify
from limitlab.core.store import Store

from .conftest import START, profile

LONG = os.environ.get("LIMITLAB_LONG_TESTS") == "1"
yuan = st.integers(min_value=1, max_value=40_000).map(lambda y: y * 100)
#: Amounts that include the refusals' edges: below the minimum drawdown, and far beyond a limit.
drawdown = st.one_of(yuan, st.sampled_from([1, 99, 9_999, 10_000, 90_000_000]))
LENDERS = st.sampled_from(["A", "B", "C"])

POLICIES: list[Policy] = [
    DEFAULT_POLICY,
    policy_from_dict({"grace_days": 0, "review_interval_days": 10}),
    policy_from_dict(
        {
            "tiers": [
                {**t, "daily_rate": str(Decimal(t["daily_rate"]) + Decimal("0.0001"))}
                for t in policy_to_dict(DEFAULT_POLICY)["tiers"]
            ],
            "cooloff_days": 3,
        }
    ),
]
a_policy = st.sampled_from(POLICIES)


class ServiceLife(RuleBasedStateMachine):
    """One account on disk, and beside it what the pure engine says it should be."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.mkdtemp(prefix="limitlab-stateful-")
        self.path = os.path.join(self.folder, "account.db")
        self.store: Store | None = None
        self.expected: AccountState | None = None
        self.policy = DEFAULT_POLICY

    def teardown(self) -> None:
        if self.store is not None:
            self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- opening ---------------------------------------------------------------------------

    def _open(self, wallet: int, income: int, policy: Policy, force: bool) -> None:
        command = c.Open(profile(monthly_income_fen=income), wallet, START)
        if self.store is not None:
            self.store.close()
            self.store = None
        outcome = create_account(self.path, command, policy, force=force)
        self.store = Store.open(self.path)
        self.expected, self.policy = outcome.state, policy
        assert outcome.state == open_account(command, policy).state

    @initialize(wallet=st.integers(0, 50_000).map(lambda y: y * 100), policy=a_policy)
    def open(self, wallet: int, policy: Policy) -> None:
        self._open(wallet, 800_000, policy, force=False)

    @rule(income=st.integers(0, 30_000).map(lambda y: y * 100), policy=a_policy)
    def open_again_with_force(self, income: int, policy: Policy) -> None:
        self._open(100_000, income, policy, force=True)
        assert self.store is not None and self.store.command_count() == 1

    # --- commands --------------------------------------------------------------------------

    def _do(
        self,
        command: c.Command,
        policy: Policy | None = None,
        quote_from: c.Borrow | None = None,
    ) -> None:
        store, before = self.store, self.expected
        assert store is not None and before is not None
        # what the service should do, worked out by the pure engine
        state, in_force = before, self.policy
        if policy is not None and policy_to_dict(policy) != policy_to_dict(in_force):
            state = apply(state, policy, c.SetPolicy(policy_to_dict(policy))).state
            in_force = policy
        try:
            wanted = apply(state, in_force, command)
        except DomainError as exc:
            wanted_error: DomainError | None = exc
        else:
            wanted_error = None
        count = store.command_count()
        quote = None
        if quote_from is not None:
            try:
                quote = preview(store, quote_from, policy=policy).quote
            except DomainError:
                quote = None
        try:
            done = execute(store, command, policy=policy, expected_quote=quote)
        except DomainError as exc:
            assert wanted_error is not None and exc.code == wanted_error.code, exc.code
            assert store.command_count() == count  # nothing written, the policy included
            assert store.load().state == before
            return
        assert wanted_error is None, wanted_error.code
        assert done.outcome.refusal == wanted.refusal
        assert done.state == wanted.state == store.load().state
        assert done.policy == in_force == store.load().policy
        self.expected, self.policy = done.state, done.policy

    @rule(
        amount=drawdown,
        term=st.sampled_from([3, 6, 7, 12]),
        method=st.sampled_from(METHODS),
        policy=st.none() | a_policy,
        confirmed=st.booleans(),
    )
    def borrow(
        self, amount: int, term: int, method: str, policy: Policy | None, confirmed: bool
    ) -> None:
        command = c.Borrow(amount, term, method)  # type: ignore[arg-type]
        self._do(command, policy, quote_from=command if confirmed else None)

    @rule(amount=yuan, mode=st.sampled_from(["amount", "all", "overdue"]))
    def repay(self, amount: int, mode: str) -> None:
        self._do(c.Repay(mode, amount if mode == "amount" else None))  # type: ignore[arg-type]

    @rule(direction=st.sampled_from(["deposit", "withdraw"]), amount=yuan)
    def wallet(self, direction: str, amount: int) -> None:
        self._do(c.Wallet(direction, amount))  # type: ignore[arg-type]

    @rule(days=st.integers(min_value=1, max_value=70), policy=st.none() | a_policy)
    def advance(self, days: int, policy: Policy | None) -> None:
        assert self.expected is not None
        self._do(c.Advance(self.expected.today + timedelta(days=days)), policy)

    @rule(income=st.integers(min_value=0, max_value=60_000), trust=st.integers(0, 120))
    def profile_set(self, income: int, trust: int) -> None:
        self._do(c.SetProfile(monthly_income_fen=income * 100, trust=trust))

    @rule(lender=LENDERS, balance=yuan, monthly=yuan)
    def external_add(self, lender: str, balance: int, monthly: int) -> None:
        self._do(c.ExternalAdd(lender, balance, monthly // 10))

    @rule(lender=LENDERS)
    def external_repay(self, lender: str) -> None:
        self._do(c.ExternalRepay(lender))

    @rule(
        factor=st.sampled_from(["0.5", "0.8", "1.5"]),
        days=st.integers(0, 60),
        cohort=st.sampled_from([None, "score<700", "lenders>=1 or dti>0.3", "score<<"]),
    )
    def platform_tighten(self, factor: str, days: int, cohort: str | None) -> None:
        self._do(c.Tighten(Decimal(factor), days, cohort))

    @rule(days=st.integers(0, 5))
    def platform_maintenance(self, days: int) -> None:
        self._do(c.Maintenance(days))

    # --- after every step ------------------------------------------------------------------

    @invariant()
    def the_log_replays_to_the_stored_tables(self) -> None:
        if self.store is not None:
            result = verify(self.store)
            assert result.ok, result.difference

    @invariant()
    def every_invariant_holds(self) -> None:
        if self.store is not None:
            loaded = self.store.load()
            assert check(loaded.state, loaded.policy) == []
            assert loaded.state == self.expected


ServiceLife.TestCase.settings = settings(
    max_examples=50 if LONG else 10,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestServiceLife = ServiceLife.TestCase
