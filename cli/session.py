"""The account a command works on: opened, read and written through the core."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .edge import load_policy_file
from .output import say
from .settings import Settings

if TYPE_CHECKING:
    from limitlab.core import commands as c
    from limitlab.core.engine import Outcome
    from limitlab.core.model import AccountState
    from limitlab.core.policy import Policy
    from limitlab.core.store import Loaded, Store

    CommandOrFn = c.Command | Callable[[AccountState], c.Command]


def open_store(s: Settings) -> Store:
    from limitlab.core.store import Store

    return Store.open(s.db_path)


def execute(
    s: Settings, command: CommandOrFn, progress: Callable[[int, int], None] | None = None
) -> tuple[Outcome, Loaded]:
    """Run a write command on the account. A --policy change is applied first, in the same
    transaction: if the command is bad input, the policy does not change either."""
    store = open_store(s)
    try:
        with store.transaction():
            set_policy = policy_change(s, store.load().policy)
            if set_policy is not None:
                store.execute(*set_policy)
            outcome = store.execute(command, progress=progress)
        return outcome, store.load()
    finally:
        store.close()


def policy_change(s: Settings, current: Policy) -> tuple[c.SetPolicy, Policy] | None:
    """(SetPolicy, the new policy) when --policy names one that differs from the account's."""
    if not s.policy:
        return None
    from limitlab.core import commands as c
    from limitlab.core.policy import policy_to_dict

    new_policy = load_policy_file(s.policy)
    if policy_to_dict(new_policy) == policy_to_dict(current):
        return None
    return c.SetPolicy(policy_to_dict(new_policy)), new_policy


def load(s: Settings) -> Loaded:
    """The account as stored. A --policy file is checked here too (a bad one is bad input);
    a read changes nothing, so a new policy is said to wait for the next write."""
    store = open_store(s)
    try:
        loaded = store.load()
    finally:
        store.close()
    if s.policy and policy_change(s, loaded.policy) is not None:
        say(s, "policy.read_only", path=s.policy)
    return loaded


def read(s: Settings, query: Callable[[Store], Any]) -> Any:
    """What `query` reads from the account's store (opened and closed around it)."""
    store = open_store(s)
    try:
        return query(store)
    finally:
        store.close()
