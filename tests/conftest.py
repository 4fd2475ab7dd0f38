"""Shared fixtures: an isolated database per test, a CLI runner, and engine-level helpers."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from limitlab.cli.i18n import catalogue, keys
from limitlab.cli.main import app
from limitlab.core import commands as c
from limitlab.core.engine import Outcome, apply, open_account
from limitlab.core.model import AccountState, Profile
from limitlab.core.policy import DEFAULT_POLICY, Policy, policy_from_dict
from typer.testing import CliRunner

START = date(2026, 1, 5)

#: Every message as (English, Chinese), as the catalogue tests read them.
CATALOGUE: dict[str, tuple[str, str]] = {
    key: (catalogue("en").MESSAGES[key], catalogue("zh").MESSAGES.get(key, "")) for key in keys()
}


@pytest.fixture(autouse=True)
def _build_the_click_command_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """typer rebuilds the click command on every CliRunner.invoke (~0.1 s); build it once."""
    import typer.main
    import typer.testing

    monkeypatch.setattr(
        typer.testing,
        "_get_command",
        lambda a: _command() if a is app else typer.main.get_command(a),
    )


@functools.cache
def _command() -> Any:
    import typer.main

    return typer.main.get_command(app)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test ever touches a real user's database or depends on the terminal."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("LIMITLAB_DB", str(tmp_path / "default-account.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))  # where lessons play
    for name in ("LIMITLAB_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):  # the locale too
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("LIMITLAB_DEBUG", raising=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "account.db"


class Cli:
    """`cli("borrow", "5000")` runs `limitlab --db DB borrow 5000` in-process."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Any:
        return self.runner.invoke(app, ["--db", str(self.db), *args], input=input)

    def json(self, *args: str) -> Any:
        result = self(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    #: A policy file the next `init` opens with (see `unverified_ok`).
    policy: str | None = None

    def init(self, *args: str) -> Any:
        given = ("--policy", self.policy) if self.policy else ()
        result = self(*given, "init", "--start", START.isoformat(), *args)
        assert result.exit_code == 0, result.output
        return result

    def init_outside(self, *args: str) -> Any:
        """`init` with other lenders paid outside the wallet (policy external_payments), for
        stories about our own loans that an other lender's missed payment would muddle."""
        path = self.db.parent / "outside.toml"
        path.write_text('external_payments = "outside"\n', encoding="utf-8")
        result = self("--policy", str(path), "init", "--start", START.isoformat(), *args)
        assert result.exit_code == 0, result.output
        return result


#: The default policy with other lenders paid outside the wallet (their balances stay).
OUTSIDE_WALLET = dataclasses.replace(DEFAULT_POLICY, external_payments="outside")


@pytest.fixture
def cli(db: Path) -> Cli:
    return Cli(db)


def profile(**changes: Any) -> Profile:
    """The CLI's default profile (¥8,000 income, score 750), with changes."""
    base: dict[str, Any] = {
        "monthly_income_fen": 800_000,
        "monthly_expenses_fen": 500_000,
        "employment_months": 36,
        "verified": True,
        "social_insurance": True,
        "trust": 60,
        "payday": 10,
    }
    base.update(changes)
    return Profile(**base)


class Sim:
    """An account driven through the pure engine, keeping every event."""

    def __init__(self, policy: Policy = DEFAULT_POLICY, wallet_fen: int = 100_000, **changes: Any):
        self.policy = policy
        outcome = open_account(c.Open(profile(**changes), wallet_fen, START), policy)
        self.state: AccountState = outcome.state
        self.events = list(outcome.events)
        self.last: Outcome = outcome

    def do(self, command: c.Command) -> Outcome:
        self.last = apply(self.state, self.policy, command)
        self.state = self.last.state
        self.events += self.last.events
        return self.last

    def days(self, n: int) -> Outcome:
        from datetime import timedelta

        return self.do(c.Advance(self.state.today + timedelta(days=n)))

    def to(self, day: date) -> Outcome:
        return self.do(c.Advance(day))

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]


@pytest.fixture
def sim() -> Callable[..., Sim]:
    return Sim


#: The policy of issue 13 without its real-name rule: the unverified low-score profiles of the
#: earlier tests keep their numbers with it.
UNVERIFIED_OK = policy_from_dict({"verification_required": False})


def unverified_ok(cli: Cli) -> None:
    """Make the next `cli.init` open with UNVERIFIED_OK (lines without real-name verification)."""
    policy = cli.db.parent / "unverified-ok.toml"
    policy.write_text("verification_required = false\n")
    cli.policy = str(policy)
