"""Random accounts for the property tests: the lives of the stateful machine's kind of commands
(borrow, repay, other lenders, income, platform measures, the wallet), each followed by some
simulated days, from three profiles that reach overdue and closure, short cash, or neither."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from limitlab.core import commands as c
from limitlab.core.engine import DomainError, apply
from limitlab.core.model import METHODS

yuan = st.integers(min_value=100, max_value=40_000).map(lambda y: y * 100)
LENDERS = ("Huabei", "JD", "WeLoan", "Duxiaoman")
commands = st.one_of(
    *[st.builds(c.Borrow, yuan, st.sampled_from([3, 6, 12]), st.sampled_from(METHODS))] * 3,
    st.builds(c.Repay, st.just("amount"), yuan),
    st.builds(c.Repay, st.sampled_from(["all", "overdue"])),
    st.builds(c.SetProfile, monthly_income_fen=st.integers(0, 30_000).map(lambda y: y * 100)),
    *[
        st.builds(
            c.ExternalAdd,
            st.sampled_from(LENDERS),
            yuan,
            st.integers(2_000, 5_500).map(lambda y: y * 100),  # debt-to-income near its limits
        )
    ]
    * 2,
    st.builds(c.ExternalRepay, st.sampled_from(LENDERS)),
    st.builds(c.Tighten, st.sampled_from([Decimal("0.5"), Decimal("0.8")]), st.integers(1, 60)),
    st.builds(c.Maintenance, st.integers(1, 5)),
    st.builds(c.Wallet, st.sampled_from(["deposit", "withdraw"]), yuan),
)
#: (wallet, monthly expenses) of a life's profile (income ¥8,000): broke (overdue, then the
#: closure), short of cash for every installment, and the default.
WALLETS = [(0, 800_000), (0, 700_000), (100_000, 500_000), (100_000, 500_000)]
#: Random lives: a profile, then commands, each followed by some days.
lives = st.tuples(
    st.sampled_from(WALLETS),
    st.lists(st.tuples(commands, st.integers(0, 60)), min_size=2, max_size=10),
)


def live(sim: Any, life: tuple[tuple[int, int], list[Any]]) -> Any:
    (wallet, expenses), steps = life
    s = sim(wallet_fen=wallet, monthly_expenses_fen=expenses)
    for command, days in steps:
        for each in [command, *([c.Advance(s.state.today + timedelta(days=days))] if days else [])]:
            with contextlib.suppress(DomainError):  # a request that does not apply changes nothing
                s.state = apply(s.state, s.policy, each).state
    return s
