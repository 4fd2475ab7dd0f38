"""The store (issue 2 §3, DESIGN §6): refusing foreign, damaged and newer files; verify;
one transaction per command; tables a teacher can query; determinism."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
from limitlab.cli.main import app
from limitlab.core import store as store_module
from limitlab.core.store import BUSINESS_TABLES, SCHEMA_VERSION, Store, StoreError

#: A short life: borrow, a payday, autopay, an overdue installment, a refusal, recovery.
STORY: list[tuple[str, ...]] = [
    ("borrow", "10000", "--yes"),
    ("borrow", "3000", "--yes", "--term", "3", "--method", "interest-first"),
    ("advance", "--to", "2026-02-01"),
    ("wallet", "withdraw", "4000"),
    ("advance", "--to", "2026-02-08"),
    ("borrow", "1000", "--yes"),  # refused: overdue (exit 3)
    ("wallet", "deposit", "3000"),
    ("repay", "--overdue"),
    ("repay", "500"),
    ("advance", "--months", "2"),
]


def live(cli: Any) -> None:
    cli.init()
    for args in STORY:
        result = cli(*args)
        assert result.exit_code in (0, 3), (args, result.output)


@pytest.fixture(scope="module")
def lived_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once: the default account after STORY."""
    path = tmp_path_factory.mktemp("template") / "lived.db"
    runner = typer.testing.CliRunner()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NO_COLOR", "1")
        env.delenv("LIMITLAB_LANG", raising=False)
        for args in [("init", "--start", "2026-01-05"), *STORY]:
            result = runner.invoke(app, ["--db", str(path), *args])
            assert result.exit_code in (0, 3), (args, result.output)
    return path


@pytest.fixture
def lived(cli: Any, lived_template: Path) -> Any:
    shutil.copyfile(lived_template, cli.db)
    return cli


def file_bytes(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.parent.glob(path.name + "*"))}


def sql(path: Path, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(query, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def assert_refused_by_cli(cli: Any, *words: str) -> str:
    before = cli.db.read_bytes()
    for args in [("status",), ("verify",), ("borrow", "100", "--yes"), ("history",)]:
        result = cli(*args)
        assert result.exit_code == 4, (args, result.output)
        err = result.stderr.strip()
        assert err.startswith("limitlab: ") and "\n" not in err, err
        assert "Traceback" not in result.output
        for word in words:
            assert word in err, err
    assert cli.db.read_bytes() == before
    return str(err)


# --- files that are not (usable) limitlab databases ------------------------------------------


def test_a_missing_file_is_refused_and_not_created(db: Path) -> None:
    with pytest.raises(StoreError) as info:
        Store.open(str(db))
    assert info.value.code == "missing"
    assert not db.exists()


def test_a_foreign_sqlite_database_is_refused(cli: Any) -> None:
    sql(cli.db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    sql(cli.db, "INSERT INTO notes (body) VALUES ('mine')")
    assert_refused_by_cli(cli, "not a limitlab database")
    with pytest.raises(StoreError) as info:
        Store.open(str(cli.db))
    assert info.value.code == "not_limitlab"
    assert sql(cli.db, "SELECT body FROM notes") == [("mine",)]


def test_an_empty_file_is_refused_and_left_empty(cli: Any) -> None:
    cli.db.write_bytes(b"")
    assert_refused_by_cli(cli)
    with pytest.raises(StoreError) as info:
        Store.open(str(cli.db))
    assert info.value.code == "not_limitlab"
    assert cli.db.read_bytes() == b""


@pytest.mark.parametrize(
    "content",
    [random.Random(2).randbytes(8192), b"hello, this is a text file\n" * 40],
    ids=["random-bytes", "text"],
)
def test_a_file_that_is_not_a_database_is_refused(cli: Any, content: bytes) -> None:
    cli.db.write_bytes(content)
    assert_refused_by_cli(cli)
    with pytest.raises(StoreError) as info:
        Store.open(str(cli.db))
    assert info.value.code in ("damaged", "not_limitlab")
    assert cli.db.read_bytes() == content


def test_a_directory_is_refused(cli: Any) -> None:
    cli.db.mkdir()
    result = cli("status")
    assert result.exit_code == 4
    with pytest.raises(StoreError) as info:
        Store.open(str(cli.db))
    assert info.value.code == "not_limitlab"


@pytest.mark.parametrize("keep", [50, 1024, 0.5, -4096], ids=["50B", "1KiB", "half", "lastpage"])
def test_a_truncated_database_is_refused_as_damaged(lived: Any, keep: float) -> None:
    cli = lived
    data = cli.db.read_bytes()
    size = int(len(data) * keep) if isinstance(keep, float) else keep
    cli.db.write_bytes(data[:size])
    assert_refused_by_cli(cli, "damaged")
    with pytest.raises(StoreError) as info:
        Store.open(str(cli.db)).load()
    assert info.value.code == "damaged"


def test_a_database_from_a_newer_schema_is_refused(cli: Any) -> None:
    cli.init()
    sql(cli.db, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    err = assert_refused_by_cli(cli, "newer")
    assert "upgrade" in err
    with pytest.raises(StoreError) as info:
        Store.open(str(cli.db))
    assert info.value.code == "newer"
    assert sql(cli.db, "PRAGMA user_version") == [(SCHEMA_VERSION + 1,)]


def test_a_newer_database_is_refused_in_chinese(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    cli.init()
    sql(cli.db, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    monkeypatch.setenv("LIMITLAB_LANG", "zh")
    assert "更新版本" in cli("status").stderr


def test_store_create_refuses_an_existing_file(cli: Any) -> None:
    cli.init()
    before = file_bytes(cli.db)
    from limitlab.core import commands as c
    from limitlab.core.model import Profile
    from limitlab.core.policy import DEFAULT_POLICY

    profile = Profile(
        monthly_income_fen=800_000,
        monthly_expenses_fen=500_000,
        employment_months=36,
        verified=True,
        social_insurance=True,
        trust=60,
        payday=10,
    )
    with pytest.raises(StoreError) as info:
        Store.create(str(cli.db), c.Open(profile, 0, date(2026, 1, 5)), DEFAULT_POLICY)
    assert info.value.code == "exists"
    assert file_bytes(cli.db) == before


# --- verify ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "tamper"),
    [
        (
            "events",
            "UPDATE events SET data = replace(data, '1000000', '1000001') WHERE kind = 'borrowed'",
        ),
        ("events", "DELETE FROM events WHERE id = (SELECT max(id) FROM events)"),
        ("loans", "UPDATE loans SET outstanding_principal_fen = 1 WHERE id = 1"),
        ("installments", "UPDATE installments SET interest_fen = 0 WHERE loan_id = 1 AND seq = 12"),
        ("limit_changes", "UPDATE limit_changes SET new_limit_fen = 9900000"),
        ("state", "UPDATE state SET data = replace(data, '\"wallet_fen\":', '\"wallet_fen\":1')"),
    ],
)
def test_verify_detects_a_tampered_table_and_names_it(lived: Any, table: str, tamper: str) -> None:
    cli = lived
    assert cli("verify").exit_code == 0
    sql(cli.db, tamper)
    result = cli("verify")
    assert result.exit_code == 1, result.output
    assert table in result.stderr
    as_json = cli("verify", "--json")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["difference"].startswith(table)


def test_verify_json_reports_the_first_difference(lived: Any) -> None:
    cli = lived
    sql(cli.db, "UPDATE events SET on_date = '2020-01-01' WHERE kind = 'payday'")
    result = cli("verify", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert data["difference"].startswith("events, row ")


# --- one command, one transaction ------------------------------------------------------------


def _fail_on_call(n: int) -> Callable[..., None]:
    calls = {"n": 0}
    original_project = Store._project_event
    original_write = Store._write_loan

    def boom(self: Store, *args: Any) -> None:
        calls["n"] += 1
        if calls["n"] >= n:
            raise RuntimeError("disk went away")
        original = original_project if len(args) == 2 else original_write
        original(self, *args)

    return boom


@pytest.mark.parametrize(
    ("method", "nth", "args"),
    [
        ("_project_event", 1, ("borrow", "5000", "--yes")),
        ("_project_event", 3, ("advance", "--months", "2")),
        ("_write_loan", 1, ("borrow", "5000", "--yes")),
        ("_write_loan", 2, ("repay", "--all")),
    ],
)
def test_a_command_that_fails_midway_leaves_no_trace(
    cli: Any, monkeypatch: pytest.MonkeyPatch, method: str, nth: int, args: tuple[str, ...]
) -> None:
    cli.init("--wallet", "50000")
    cli("borrow", "3000", "--yes")
    cli("borrow", "2000", "--yes")
    before_files = file_bytes(cli.db)
    before_status = cli("status", "--json").stdout
    before_log = sql(cli.db, "SELECT * FROM commands")

    with monkeypatch.context() as patch:
        patch.setattr(Store, method, _fail_on_call(nth))
        result = cli(*args)
    assert result.exit_code == 1, result.output
    assert "disk went away" in result.stderr

    assert sql(cli.db, "SELECT * FROM commands") == before_log
    assert cli("status", "--json").stdout == before_status
    assert file_bytes(cli.db) == before_files
    assert cli("verify").exit_code == 0


def test_after_a_failed_command_the_same_command_succeeds(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.init()
    with monkeypatch.context() as patch:
        patch.setattr(Store, "_write_loan", _fail_on_call(1))
        assert cli("borrow", "5000", "--yes").exit_code == 1
    assert cli.json("borrow", "5000", "--yes")["loan_id"] == 1
    assert sql(cli.db, "SELECT id, principal_fen FROM loans") == [(1, 500_000)]


# --- tables a teacher can query ---------------------------------------------------------------


def test_the_teaching_tables_are_queryable_with_plain_sqlite3(cli: Any) -> None:
    cli.init()
    cli("borrow", "10000", "--yes")
    cli("advance", "--to", "2026-02-06")
    for table in ("loans", "installments", "events", "limit_changes", "commands"):
        assert sql(cli.db, f"SELECT count(*) FROM {table}")[0][0] > 0, table
    assert sql(cli.db, "SELECT id, drawn_on, principal_fen, method, term, status FROM loans") == [
        (1, "2026-01-05", 1_000_000, "equal-installment", 12, "active")
    ]
    insts = sql(
        cli.db,
        "SELECT seq, due_date, principal_fen, interest_fen, paid_on FROM installments "
        "WHERE loan_id = 1 ORDER BY seq",
    )
    assert len(insts) == 12
    assert insts[0] == (1, "2026-02-05", 80_619, 6_000, "2026-02-05")
    assert sum(row[2] for row in insts) == 1_000_000
    assert sql(cli.db, "SELECT trigger, old_limit_fen, new_limit_fen FROM limit_changes")[0] == (
        "opening",
        0,
        3_200_000,
    )
    kinds = [k for (k,) in sql(cli.db, "SELECT kind FROM events ORDER BY id")]
    assert kinds[0] == "opened" and "borrowed" in kinds and "payday" in kinds
    assert [k for (k,) in sql(cli.db, "SELECT kind FROM commands ORDER BY id")] == [
        "open",
        "borrow",
        "advance",
    ]


def test_the_file_is_versioned_in_wal_mode_with_sound_foreign_keys(lived: Any) -> None:
    cli = lived
    assert sql(cli.db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert sql(cli.db, "PRAGMA journal_mode") == [("wal",)]
    assert sql(cli.db, "PRAGMA foreign_key_check") == []
    assert sql(cli.db, "PRAGMA integrity_check") == [("ok",)]


def test_reading_commands_do_not_write(lived: Any) -> None:
    cli = lived
    before = file_bytes(cli.db)
    for args in [("status",), ("status", "--detail"), ("history",), ("schedule",), ("verify",)]:
        assert cli(*args).exit_code == 0, args
        assert cli(*args, "--json").exit_code == 0, args
    assert file_bytes(cli.db) == before


# --- determinism -----------------------------------------------------------------------------


def business_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    for table in BUSINESS_TABLES:
        order = "loan_id, seq" if table == "installments" else "rowid"
        out[table] = sql(path, f"SELECT * FROM {table} ORDER BY {order}")
    return out


def test_the_same_commands_give_identical_business_tables(cli: Any, tmp_path: Path) -> None:
    other = type(cli)(tmp_path / "elsewhere" / "twin.db")
    live(cli)
    live(other)
    first, second = business_rows(cli.db), business_rows(other.db)
    assert set(first) == set(BUSINESS_TABLES)
    assert first["events"] and first["loans"] and first["installments"]
    for table in BUSINESS_TABLES:
        assert first[table] == second[table], table


def test_replay_module_constant_lists_the_teaching_tables() -> None:
    for table in ("loans", "installments", "events", "limit_changes", "commands"):
        assert table in store_module.BUSINESS_TABLES


def test_verify_names_the_field_that_differs(cli: Any, db: Path) -> None:
    import json as _json

    cli.init()
    conn = sqlite3.connect(db)
    data = _json.loads(conn.execute("SELECT data FROM state").fetchone()[0])
    data["wallet_fen"] = 99
    conn.execute("UPDATE state SET data = ?", [_json.dumps(data)])
    conn.commit()
    conn.close()
    result = cli("verify")
    assert result.exit_code == 1
    assert "state, row 1, data.wallet_fen: stored 99 but replay gives 100000" in result.stderr
