"""The service: one command's whole trip (load, apply, check, save) in one transaction.

The only module that imports both the engine and the store. A command's write is one
`BEGIN IMMEDIATE` transaction: the policy change it implies, the command itself (worked out
inside the write lock when it is a function of the state), the invariant check in debug mode
(LIMITLAB_DEBUG) and the save. A DomainError leaves nothing behind. The engine is imported
where it is used, so that importing the service costs a reading command nothing.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from .policy import DEFAULT_POLICY, Policy, policy_from_stored, policy_to_dict
from .records import record
from .store import Store, StoreError, scratch_folder

if TYPE_CHECKING:
    from . import commands as c
    from .engine import Outcome, Refusal
    from .loans import Quote
    from .model import AccountState

#: What breaks while the rules read a hand-edited state (verify reports it, never crashes).
#: verify replays the log into a scratch folder named so (core/store.py scratch_folder).
VERIFY_PREFIX = "limitlab-verify-"

_UNREADABLE = (ValueError, TypeError, KeyError, AttributeError, IndexError, ArithmeticError)


@record(frozen=True)
class Executed:
    """A command that went through: what the engine said, and the account after it."""

    outcome: Outcome
    state: AccountState
    policy: Policy


@record(frozen=True)
class Preview:
    """A drawdown worked out without writing: the quote at the rate it would be booked at (a
    new policy laid first when one is given) and every refusal the rules already know."""

    quote: Quote
    refusals: tuple[Refusal, ...]
    state: AccountState
    policy: Policy
    #: Whether `policy` differs from the account's (booking will lay it first).
    policy_changes: bool


@record(frozen=True)
class Verification:
    """`difference` is None when the invariants hold and the replayed log gives the stored
    tables; else the first problem, in words (table, row, key)."""

    difference: str | None
    commands: int

    @property
    def ok(self) -> bool:
        return self.difference is None


def create_account(path: str, command: c.Open, policy: Policy, *, force: bool = False) -> Outcome:
    """Open a new account at `path` (see Store.create_new for what may be replaced). The log's
    opening command carries `policy`, so that a replay opens the account the same way."""
    from .engine import open_account

    laid = policy_to_dict(policy)
    if command.policy != laid:
        command = dataclasses.replace(command, policy=laid)
    outcome = open_account(command, policy)
    Store.create_new(path, command, outcome, policy, force=force)
    return outcome


def execute(
    store: Store,
    command: c.Command | Callable[[AccountState], c.Command],
    *,
    policy: Policy | None = None,
    progress: Callable[[int, int], None] | None = None,
    expected_quote: Quote | None = None,
) -> Executed:
    """Apply `command` (or `command(state)`, decided inside the write lock) to the account in
    one transaction, and record it when something happened.

    `policy`: the policy to apply it under; when it differs from the account's it is laid
    first (a SetPolicy in the log), in the same transaction. `expected_quote`: for a Borrow,
    the quote the person confirmed; when the account moved since (another process wrote), the
    booking is refused with DomainError "quote_changed" naming the difference."""
    from . import commands as c

    with store.transaction():
        loaded = store.load()
        state, current = loaded.state, loaded.policy
        if policy is not None and policy_to_dict(policy) != policy_to_dict(current):
            laid, current = _apply_and_record(
                store, state, current, c.SetPolicy(policy_to_dict(policy))
            )
            state = laid.state
        if callable(command):
            command = command(state)
        if expected_quote is not None:
            _check_quote(state, current, command, expected_quote)
        outcome, current = _apply_and_record(store, state, current, command, progress)
    return Executed(outcome, outcome.state, current)


def preview(store: Store, command: c.Borrow, *, policy: Policy | None = None) -> Preview:
    """The quote `command` would be booked with and the refusals the rules already know,
    as `execute(store, command, policy=policy)` would see them now; nothing is written.
    DomainError for a drawdown that cannot be asked for (term, method, minimum)."""
    from . import commands as c
    from .engine import apply, borrow_refusals, quote_for

    loaded = store.load()  # one read transaction
    state, current = loaded.state, loaded.policy
    changes = policy is not None and policy_to_dict(policy) != policy_to_dict(current)
    if policy is not None and changes:
        state = apply(state, policy, c.SetPolicy(policy_to_dict(policy))).state
        current = policy
    q = quote_for(state, current, command)
    return Preview(q, tuple(borrow_refusals(state, current, command)), state, current, changes)


def verify(store: Store) -> Verification:
    """Check the invariants, then replay the log into an empty database and compare every
    business table. The stored side is read in one read transaction, so another process
    writing meanwhile never shows as a difference; a damaged table is a difference too."""
    from .invariants import check

    count = 0
    with store.snapshot():
        try:
            count = store.command_count()
            loaded = store.load()
            try:
                problems = check(loaded.state, loaded.policy)
            except _UNREADABLE as exc:
                return Verification(
                    f"state, row 1: the rules cannot read it ({type(exc).__name__}: {exc})", count
                )
            if problems:
                return Verification(f"invariant broken: {problems[0]}", count)
            with scratch_folder(VERIFY_PREFIX) as folder:  # a killed verify's: swept here
                replayed = _replay(store, os.path.join(folder, "replay.db"))
                if isinstance(replayed, str):
                    return Verification(replayed, count)
                with replayed:
                    return Verification(store.first_difference(replayed), count)
        except StoreError as exc:
            if exc.kind != "damaged" or exc.path != store.path:
                raise
            return Verification(exc.detail, count)


# --- the steps ---------------------------------------------------------------------------------


def _apply_and_record(
    store: Store,
    state: AccountState,
    policy: Policy,
    command: c.Command,
    progress: Callable[[int, int], None] | None = None,
    *,
    replaying: bool = False,
) -> tuple[Outcome, Policy]:
    """Apply one command and record it when it changed anything; the outcome and the policy
    in force after it (a SetPolicy brings its own). Inside a transaction. A replay writes the
    state once at the end and skips the debug check."""
    from . import commands as c
    from .engine import apply

    new_policy = None
    if isinstance(command, c.SetPolicy):
        new_policy = policy = policy_from_stored(command.policy)
    outcome = apply(state, policy, command, progress)
    if not replaying and os.environ.get("LIMITLAB_DEBUG"):
        from .invariants import InvariantError, check

        problems = check(outcome.state, policy)
        if problems:
            raise InvariantError("; ".join(problems))
    if outcome.changed:
        store.record(command, state, outcome, new_policy, write_state=not replaying)
    return outcome, policy


def _check_quote(state: AccountState, policy: Policy, command: c.Command, expected: Quote) -> None:
    """Refuse to book when the quote is no longer the one the person confirmed."""
    from . import commands as c
    from .engine import DomainError, quote_for

    if not isinstance(command, c.Borrow):
        raise TypeError(f"a quote goes with a Borrow, not {type(command).__name__}")
    now = quote_for(state, policy, command)
    if now != expected:
        raise DomainError(
            "quote_changed",
            was_daily_rate=str(expected.daily_rate),
            now_daily_rate=str(now.daily_rate),
            was_interest_fen=expected.total_interest_fen,
            now_interest_fen=now.total_interest_fen,
            was_first_due=expected.installments[0].due_date.isoformat(),
            now_first_due=now.installments[0].due_date.isoformat(),
        )


def _replay(store: Store, path: str) -> Store | str:
    """The command log replayed into a new database at `path`, in one transaction with the
    state kept in memory (written once at the end); or what is wrong with the log."""
    log = store.commands()
    try:
        return _replay_log(log, path)
    finally:
        log.close()


def _replay_log(log: Iterator[tuple[int, str, c.Command]], path: str) -> Store | str:
    from . import commands as c
    from .engine import DomainError, open_account

    first = next(log, None)
    if first is None:
        return "the command log is empty"
    command_id, kind, opening = first
    if not isinstance(opening, c.Open):
        return "the log does not start with opening the account"
    try:
        policy = policy_from_stored(opening.policy) if opening.policy else DEFAULT_POLICY
        opened = open_account(opening, policy)
    except (DomainError, *_UNREADABLE) as exc:
        return f"commands, row id={command_id} (open): cannot be replayed ({_why(exc)})"
    replica = Store.scratch(path, opening, opened, policy)
    problem = None
    try:
        state = opened.state
        with replica.transaction():
            for command_id, kind, command in log:
                if isinstance(command, c.Open):
                    problem = f"commands, row id={command_id}: the account is opened again"
                    break
                try:
                    outcome, policy = _apply_and_record(
                        replica, state, policy, command, replaying=True
                    )
                except (DomainError, *_UNREADABLE) as exc:
                    problem = f"commands, row id={command_id} ({kind}): cannot be replayed"
                    problem += f" ({_why(exc)})"
                    break
                state = outcome.state
            if problem is None:
                replica.save_state(state)
    except BaseException:
        replica.close()
        raise
    if problem is not None:
        replica.close()
        return problem
    return replica


def _why(exc: Exception) -> str:
    code = getattr(exc, "code", None)
    return str(code) if isinstance(code, str) else f"{type(exc).__name__}: {exc}"
