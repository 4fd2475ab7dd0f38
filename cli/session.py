"""The account a command works on: opened through the store, written through the service.
The one place cli/ reaches the store; every write goes through `limitlab.core.service`."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from .edge import load_policy_file
from .errors import note_committed
from .output import say
from .settings import Settings, nested

if TYPE_CHECKING:
    from limitlab.core import commands as c
    from limitlab.core.engine import Outcome
    from limitlab.core.loans import Quote
    from limitlab.core.model import AccountState
    from limitlab.core.policy import Policy
    from limitlab.core.service import Executed, Preview, Verification
    from limitlab.core.store import Loaded, Store

    CommandOrFn = c.Command | Callable[[AccountState], c.Command]
    Progress = Callable[[int, int], None]


def policy_file(s: Settings) -> Policy | None:
    """The --policy file's policy (validated once per file and version of it), or None."""
    if not s.policy:
        return None
    try:
        seen = os.stat(s.policy)
        version = (seen.st_mtime_ns, seen.st_size, seen.st_ino)
    except OSError:
        version = None  # reading it says what is wrong
    return _policy(s.policy, version)


@functools.lru_cache(maxsize=8)
def _policy(path: str, version: tuple[int, int, int] | None) -> Policy:
    return load_policy_file(path)


@contextlib.contextmanager
def account(s: Settings) -> Iterator[Store]:
    """The account's store, open for the length of the block."""
    from limitlab.core.store import Store

    with Store.open(s.db_path) as store:
        yield store


def create(s: Settings, command: c.Open, *, force: bool) -> Outcome:
    """A new account at the run's database, with the --policy file's policy or the defaults."""
    from limitlab.core.policy import DEFAULT_POLICY
    from limitlab.core.service import create_account

    outcome = create_account(s.db_path, command, policy_file(s) or DEFAULT_POLICY, force=force)
    _committed()
    return outcome


def _committed() -> None:
    """The run's own account took the command's write: Ctrl-C from now on says it was saved
    (a scenario step's lesson database and a what-if's copy are not the user's account)."""
    if not nested():
        note_committed()


def execute(
    s: Settings,
    command: CommandOrFn,
    progress: Progress | None = None,
    *,
    expected_quote: Quote | None = None,
) -> Executed:
    """Run a write command on the account, in one transaction with the --policy change it
    implies (if the command is bad input, the policy does not change either)."""
    from limitlab.core import service

    with account(s) as store:
        done = service.execute(
            store,
            command,
            policy=policy_file(s),
            progress=progress,
            expected_quote=expected_quote,
        )
    if done.outcome.changed:  # the transaction committed and wrote the command
        _committed()
    return done


def preview(s: Settings, command: c.Borrow) -> Preview:
    """A drawdown's quote at the rate it would be booked at, and what the rules refuse."""
    from limitlab.core import service

    with account(s) as store:
        found = service.preview(store, command, policy=policy_file(s))
    if found.policy_changes:
        say(s, "policy.applies", path=s.policy)
    return found


def load(s: Settings) -> Loaded:
    """The account as stored. A --policy file is checked here too (a bad one is bad input);
    a read changes nothing, so a new policy is said to wait for the next write."""
    from limitlab.core.policy import policy_to_dict

    with account(s) as store:
        loaded = store.load()
    wanted = policy_file(s)
    if wanted is not None and policy_to_dict(wanted) != policy_to_dict(loaded.policy):
        say(s, "policy.read_only", path=s.policy)
    return loaded


def load_file(path: str) -> Loaded:
    """Another account's state (a lesson's, a what-if's copy)."""
    from limitlab.core.store import Store

    with Store.open(path) as store:
        return store.load()


#: what-if tries its actions on a copy in a scratch folder named so.
WHATIF_PREFIX = "limitlab-whatif-"


@contextlib.contextmanager
def scratch_copy(s: Settings) -> Iterator[tuple[Loaded, str]]:
    """The account as it is and the path of a copy of it, in a scratch folder of its own for
    the block (core/store.py scratch_folder: removed after it; one a killed what-if left is
    removed by the next what-if, never one another what-if is still using)."""
    from limitlab.core.store import scratch_folder

    with scratch_folder(WHATIF_PREFIX) as folder:
        copy = os.path.join(folder, "copy.db")
        with account(s) as store:
            before = store.load()
            store.backup(copy)
        yield before, copy


def verify(s: Settings) -> Verification:
    from limitlab.core import service

    with account(s) as store:
        return service.verify(store)
