"""The service (issue 10 §1): one command's whole write in one transaction, a preview that
writes nothing, the quote a person confirmed is the one booked, and `verify` reading one
snapshot while another process writes (issue 11 §10)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from limitlab.core import commands as c
from limitlab.core import invariants
from limitlab.core.engine import DomainError
from limitlab.core.invariants import InvariantError
from limitlab.core.model import AccountState
from limitlab.core.policy import DEFAULT_POLICY, Policy, policy_from_dict, policy_to_dict
from limitlab.core.service import create_account, execute, preview, verify
from limitlab.core.store import Store

from .conftest import START, profile

#: Every tier one hundredth of a percent a day dearer than the defaults.
DEARER = policy_from_dict(
    {
        "tiers": [
            {**t, "daily_rate": str(Decimal(t["daily_rate"]) + Decimal("0.0001"))}
            for t in policy_to_dict(DEFAULT_POLICY)["tiers"]
        ]
    }
)


def opened(path: Path, policy: Policy = DEFAULT_POLICY, wallet_fen: int = 100_000) -> Path:
    create_account(str(path), c.Open(profile(), wallet_fen, START), policy)
    return path


def files(path: Path) -> dict[str, bytes]:
    """The database and what its write-ahead log holds (the -shm index changes as anyone
    reads, and a reader may leave an empty log)."""
    found = {p.name: p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists()}
    return {name: data for name, data in found.items() if data}


@pytest.fixture
def account(db: Path) -> Path:
    return opened(db)


# --- create ------------------------------------------------------------------------------------


def test_create_account_returns_the_opening_and_the_log_carries_its_policy(db: Path) -> None:
    outcome = create_account(str(db), c.Open(profile(), 100_000, START), DEARER)
    assert outcome.state.limit_fen > 0
    with Store.open(str(db)) as store:
        assert store.load().policy == DEARER
        ((_, kind, command),) = list(store.commands())
        assert kind == "open" and isinstance(command, c.Open)
        assert command.policy == policy_to_dict(DEARER)  # so that a replay opens it the same
        assert verify(store).ok


def test_a_bad_opening_writes_no_file(db: Path) -> None:
    with pytest.raises(DomainError) as info:
        create_account(str(db), c.Open(profile(payday=31), 0, START), DEFAULT_POLICY)
    assert info.value.code == "bad_payday"
    assert list(db.parent.iterdir()) == []


# --- execute -----------------------------------------------------------------------------------


def test_execute_returns_the_outcome_and_the_account_after_it(account: Path) -> None:
    with Store.open(str(account)) as store:
        done = execute(store, c.Borrow(500_000, 12, "equal-installment"))
        assert done.outcome.result == {"loan_id": 1}
        assert done.state == store.load().state
        assert done.state.used_fen == 500_000
        assert done.policy == DEFAULT_POLICY
        assert store.command_count() == 2


def test_a_function_of_the_state_is_decided_inside_the_write_lock(account: Path) -> None:
    with Store.open(str(account)) as other:  # another shell moves the account on
        execute(other, c.Advance(START + timedelta(days=10)))
    seen: list[AccountState] = []

    def three_days_on(state: AccountState) -> c.Command:
        seen.append(state)
        return c.Advance(state.today + timedelta(days=3))

    with Store.open(str(account)) as store:
        done = execute(store, three_days_on)
    assert [s.today for s in seen] == [START + timedelta(days=10)]
    assert done.state.today == START + timedelta(days=13)


def test_a_new_policy_is_laid_first_in_the_same_transaction(account: Path) -> None:
    with Store.open(str(account)) as store:
        done = execute(store, c.Borrow(500_000, 12, "equal-installment"), policy=DEARER)
        assert done.policy == DEARER
        assert store.load().policy == DEARER
        kinds = [kind for _, kind, _ in store.commands()]
        assert kinds == ["open", "policy", "borrow"]
        (loan,) = done.state.loans
        # the default profile opens at 670: the 650–699 tier's 0.04 %, one hundredth dearer
        assert loan.daily_rate == Decimal("0.0004") + Decimal("0.0001")
        # the same policy again lays nothing
        execute(store, c.Wallet("deposit", 100), policy=DEARER)
        assert [kind for _, kind, _ in store.commands()][-1] == "wallet"
        assert store.command_count() == 4
        assert verify(store).ok


def test_a_command_that_raises_leaves_nothing_the_policy_change_included(account: Path) -> None:
    before = files(account)
    with Store.open(str(account)) as store:
        with pytest.raises(DomainError) as info:
            execute(store, c.Repay("all"), policy=DEARER)  # nothing is owed
        assert info.value.code == "nothing_owed"
        assert store.load().policy == DEFAULT_POLICY
        assert store.command_count() == 1
    assert files(account) == before


def test_a_refusal_is_recorded_with_the_policy_it_was_refused_under(account: Path) -> None:
    with Store.open(str(account)) as store:
        done = execute(store, c.Borrow(90_000_000, 12, "equal-installment"), policy=DEARER)
        assert done.outcome.refusal is not None
        assert done.outcome.refusal.code == "LIMIT_EXCEEDED"
        assert [kind for _, kind, _ in store.commands()] == ["open", "policy", "borrow"]
        assert store.load().policy == DEARER


def test_debug_mode_refuses_a_write_that_breaks_an_invariant(
    account: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(state: AccountState, policy: Policy) -> list[str]:
        return ["the wallet is haunted"] if state.wallet_fen > 100_000 else []

    monkeypatch.setattr(invariants, "INVARIANTS", [*invariants.INVARIANTS, broken])
    before = files(account)
    with Store.open(str(account)) as store:
        execute(store, c.Wallet("deposit", 1))  # debug mode is off: nothing is checked
        monkeypatch.setenv("LIMITLAB_DEBUG", "1")
        with pytest.raises(InvariantError, match="haunted"):
            execute(store, c.Wallet("deposit", 1))
        assert store.command_count() == 2
    assert files(account) != before  # the first deposit, only


# --- preview and the confirmed quote ------------------------------------------------------------


def test_preview_quotes_at_the_rate_it_would_be_booked_at_and_writes_nothing(
    account: Path,
) -> None:
    borrow = c.Borrow(500_000, 12, "equal-installment")
    before = files(account)
    with Store.open(str(account)) as store:
        plain = preview(store, borrow)
        dearer = preview(store, borrow, policy=DEARER)
        assert files(account) == before
        assert not plain.policy_changes and dearer.policy_changes
        assert dearer.quote.daily_rate == plain.quote.daily_rate + Decimal("0.0001")
        assert plain.refusals == dearer.refusals == ()
        booked = execute(store, borrow, policy=DEARER, expected_quote=dearer.quote)
        assert booked.state.loans[0].installments == dearer.quote.installments


def test_preview_names_the_refusals_the_rules_already_know(account: Path) -> None:
    with Store.open(str(account)) as store:
        seen = preview(store, c.Borrow(90_000_000, 12, "equal-installment"))
    assert [r.code for r in seen.refusals] == ["LIMIT_EXCEEDED", "HIGH_DTI"]


def test_preview_of_a_drawdown_that_cannot_be_asked_for_is_a_domain_error(account: Path) -> None:
    with Store.open(str(account)) as store, pytest.raises(DomainError) as info:
        preview(store, c.Borrow(500_000, 7, "equal-installment"))
    assert info.value.code == "bad_term"


def test_a_quote_that_changed_since_it_was_confirmed_is_not_booked(account: Path) -> None:
    borrow = c.Borrow(500_000, 12, "equal-installment")
    with Store.open(str(account)) as store:
        confirmed = preview(store, borrow).quote
        with Store.open(str(account)) as other:  # meanwhile, another shell
            execute(other, c.Advance(START + timedelta(days=1)))
        before = files(account)
        with pytest.raises(DomainError) as info:
            execute(store, borrow, expected_quote=confirmed)
        assert files(account) == before
        assert store.load().state.loans == []
    assert info.value.code == "quote_changed"
    params = info.value.params
    assert params["was_first_due"] == confirmed.installments[0].due_date.isoformat()
    assert params["now_first_due"] > params["was_first_due"]
    assert params["was_daily_rate"] == params["now_daily_rate"] == str(confirmed.daily_rate)
    assert {"was_interest_fen", "now_interest_fen"} <= params.keys()


def test_a_quote_confirmed_under_the_old_policy_is_not_booked_under_a_new_one(
    account: Path,
) -> None:
    borrow = c.Borrow(500_000, 12, "equal-installment")
    with Store.open(str(account)) as store:
        confirmed = preview(store, borrow).quote
        with pytest.raises(DomainError) as info:
            execute(store, borrow, policy=DEARER, expected_quote=confirmed)
        assert store.command_count() == 1  # the policy change went with it
    assert info.value.params["now_daily_rate"] != info.value.params["was_daily_rate"]


def test_the_quote_changed_message_names_both_figures_in_both_languages() -> None:
    from limitlab.cli.i18n import text

    params = {
        "was_daily_rate": "0.0003",
        "now_daily_rate": "0.0004",
        "was_interest": "¥1.00",
        "now_interest": "¥2.00",
        "was_first_due": "2026-02-05",
        "now_first_due": "2026-02-06",
    }
    for lang in ("en", "zh"):
        words = text("error.quote_changed", lang, **params)
        assert all(value in words for value in params.values()), words


# --- verify ------------------------------------------------------------------------------------


def test_verify_counts_the_commands_and_finds_nothing_on_a_sound_account(account: Path) -> None:
    with Store.open(str(account)) as store:
        execute(store, c.Borrow(500_000, 6, "equal-principal"))
        execute(store, c.Advance(START + timedelta(days=70)))
        result = verify(store)
    assert result.ok and result.difference is None
    assert result.commands == 3


def test_verify_reports_a_broken_invariant(account: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(invariants, "INVARIANTS", [lambda s, p: ["made up"]])
    with Store.open(str(account)) as store:
        assert verify(store).difference == "invariant broken: made up"


def test_verify_reports_a_log_that_cannot_be_replayed(account: Path) -> None:
    with Store.open(str(account)) as store:
        execute(store, c.Wallet("deposit", 500))
        store._conn.execute(
            "UPDATE commands SET args = json_set(args, '$.direction', 'sideways') WHERE id = 2"
        )
        store._conn.commit()
        result = verify(store)
    assert result.difference is not None
    assert result.difference.startswith("commands, row id=2"), result.difference


def test_verify_reports_a_second_opening_in_the_log(account: Path) -> None:
    with Store.open(str(account)) as store:
        execute(store, c.Wallet("deposit", 500))
        store._conn.execute(
            "UPDATE commands SET kind = 'open', args = (SELECT args FROM commands WHERE id = 1)"
            " WHERE id = 2"
        )
        store._conn.commit()
        assert verify(store).difference == "commands, row id=2: the account is opened again"


WRITER = textwrap.dedent(
    """
    import sys, time
    from limitlab.core import commands as c
    from limitlab.core.service import execute
    from limitlab.core.store import Store

    with Store.open(sys.argv[1]) as store:
        print("ready", flush=True)
        while True:  # until killed
            execute(store, c.Wallet("deposit", 100))
            time.sleep(0.003)
    """
)


def test_verify_never_reports_a_false_difference_while_another_process_writes(
    account: Path,
) -> None:
    """Issue 11 §10: a depositing writer beside `verify` gave false differences in 55 of 199
    runs when verify read the state, the log and each table in separate statements."""
    with Store.open(str(account)) as store:
        execute(store, c.Borrow(500_000, 12, "equal-installment"))
        execute(store, c.Advance(START + timedelta(days=40)))
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(account)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready", writer.communicate()[1]
        with Store.open(str(account)) as store:
            results = [verify(store) for _ in range(30)]
        assert writer.poll() is None, writer.communicate()[1]
    finally:
        writer.kill()
        writer.wait()
        for stream in (writer.stdout, writer.stderr):
            if stream is not None:
                stream.close()
    assert [r.difference for r in results if not r.ok] == []
    counts = [r.commands for r in results]
    assert counts == sorted(counts) and counts[-1] > counts[0] + 10, counts  # it did write


def test_verify_of_a_damaged_state_is_a_difference_not_a_crash(account: Path) -> None:
    with Store.open(str(account)) as store:
        store._conn.execute("UPDATE state SET data = json_set(data, '$.score', 'high')")
        store._conn.commit()
        result = verify(store)
    assert result.difference is not None
    assert result.difference.startswith("state, row 1"), result.difference
    assert "score" in result.difference


def test_verify_of_a_state_the_rules_cannot_read_is_a_difference(
    account: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def divides(state: AccountState, policy: Policy) -> list[str]:
        return [str(1 // (state.wallet_fen - state.wallet_fen))]

    monkeypatch.setattr(invariants, "INVARIANTS", [divides])
    with Store.open(str(account)) as store:
        result = verify(store)
    assert result.difference is not None
    assert result.difference.startswith("state, row 1: the rules cannot read it (ZeroDivisionError")


def test_a_verification_is_frozen_data() -> None:
    from limitlab.core.service import Verification

    result = Verification(None, 3)
    assert result.ok
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.commands = 4  # type: ignore[misc]
