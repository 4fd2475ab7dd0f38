"""The store (issue 2 §3, DESIGN §6, issue 10 §2, issue 11 §5, §11, §13): refusing foreign,
damaged and newer files; `init --force` replacing only a limitlab database; every read decoding
defensively; one classification of errors; leftovers of a killed create cleaned up; verify;
one transaction per command; named queries; tables a teacher can query; determinism."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
from limitlab.cli.main import app
from limitlab.core import store as store_module
from limitlab.core.service import create_account
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
    assert info.value.kind == "missing"
    assert not db.exists()


def test_a_foreign_sqlite_database_is_refused(cli: Any) -> None:
    sql(cli.db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    sql(cli.db, "INSERT INTO notes (body) VALUES ('mine')")
    assert_refused_by_cli(cli, "not a limitlab database")
    with pytest.raises(StoreError) as info:
        Store.open(str(cli.db))
    assert info.value.kind == "foreign"
    assert sql(cli.db, "SELECT body FROM notes") == [("mine",)]


def test_an_empty_file_is_refused_and_left_empty(cli: Any) -> None:
    cli.db.write_bytes(b"")
    assert_refused_by_cli(cli)
    with pytest.raises(StoreError) as info:
        Store.open(str(cli.db))
    assert info.value.kind == "foreign"
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
    assert info.value.kind in ("damaged", "foreign")
    assert cli.db.read_bytes() == content


def test_a_directory_is_refused(cli: Any) -> None:
    cli.db.mkdir()
    result = cli("status")
    assert result.exit_code == 4
    with pytest.raises(StoreError) as info:
        Store.open(str(cli.db))
    assert info.value.kind == "foreign"


@pytest.mark.parametrize("keep", [50, 1024, 0.5, -4096], ids=["50B", "1KiB", "half", "lastpage"])
def test_a_truncated_database_is_refused_as_damaged(lived: Any, keep: float) -> None:
    cli = lived
    data = cli.db.read_bytes()
    size = int(len(data) * keep) if isinstance(keep, float) else keep
    cli.db.write_bytes(data[:size])
    assert_refused_by_cli(cli, "damaged")
    with pytest.raises(StoreError) as info:
        Store.open(str(cli.db)).load()
    assert info.value.kind == "damaged"


def test_a_database_from_a_newer_schema_is_refused(cli: Any) -> None:
    cli.init()
    sql(cli.db, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    err = assert_refused_by_cli(cli, "newer")
    assert "upgrade" in err
    with pytest.raises(StoreError) as info:
        Store.open(str(cli.db))
    assert info.value.kind == "newer"
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
        create_account(str(cli.db), c.Open(profile, 0, date(2026, 1, 5)), DEFAULT_POLICY)
    assert info.value.kind == "exists"
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


def _as_an_older_version_wrote_it(db: Path) -> int:
    """Strip what reviews keep since issue 12 (each review's attribution, the basis it compares
    with) from the stored events and state, as a version before it wrote them (in the store's
    own JSON form); the number of review events that carried an attribution."""

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    conn = sqlite3.connect(db)
    try:
        stripped = 0
        for event_id, data in conn.execute(
            "SELECT id, data FROM events WHERE kind = 'limit_review'"
        ).fetchall():
            decision = json.loads(data)
            stripped += decision.pop("attribution") is not None
            conn.execute("UPDATE events SET data = ? WHERE id = ?", [dumps(decision), event_id])
        state = json.loads(conn.execute("SELECT data FROM state").fetchone()[0])
        del state["review_basis"], state["decision"]["attribution"]
        conn.execute("UPDATE state SET data = ?", [dumps(state)])
        conn.commit()
        return stripped
    finally:
        conn.close()


def test_verify_is_clean_on_an_account_an_older_version_wrote_and_on_its_continuation(
    lived: Any,
) -> None:
    cli = lived
    assert _as_an_older_version_wrote_it(cli.db) > 0  # the story's reviews had attributions
    result = cli("verify")
    assert result.exit_code == 0, result.output
    # the new version carries on: its first review has no basis (null), the replay's has one
    added = cli("external", "add", "--lender", "Huabei", "--balance", "3000", "--monthly", "150")
    assert added.exit_code == 0, added.output
    assert cli("advance", "--months", "1").exit_code == 0
    result = cli("verify")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("tamper", "where"),
    [
        (
            "UPDATE events SET data = json_set(data, '$.limit_fen', 1) "
            "WHERE id = (SELECT max(id) FROM events WHERE kind = 'limit_review')",
            "events, row ",
        ),
        (  # a field older versions did record is still compared when it goes missing
            "UPDATE events SET data = json_remove(data, '$.score') "
            "WHERE id = (SELECT max(id) FROM events WHERE kind = 'limit_review')",
            "events, row ",
        ),
        (
            "UPDATE state SET data = json_set(data, '$.decision.previous_base_fen', 7)",
            "state, row 1",
        ),
    ],
)
def test_verify_still_catches_tampering_on_an_account_an_older_version_wrote(
    lived: Any, tamper: str, where: str
) -> None:
    cli = lived
    _as_an_older_version_wrote_it(cli.db)
    sql(cli.db, tamper)
    result = cli("verify", "--json")
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["difference"].startswith(where)


def test_verify_compares_an_attribution_the_stored_review_records(lived: Any) -> None:
    cli = lived
    for lender in ("Huabei", "JD", "WeLoan"):  # a cut with an attribution of its own
        added = cli("external", "add", "--lender", lender, "--balance", "3000", "--monthly", "150")
        assert added.exit_code == 0, added.output
    rows = sql(
        cli.db,
        "SELECT id FROM events WHERE kind = 'limit_review' "
        "AND json_array_length(data, '$.attribution') > 0 ORDER BY id LIMIT 1",
    )
    assert rows
    sql(
        cli.db,
        "UPDATE events SET data = json_set(data, '$.attribution', json('[]')) WHERE id = ?",
        (rows[0][0],),
    )
    result = cli("verify", "--json")
    assert result.exit_code == 1
    assert ".attribution" in json.loads(result.stdout)["difference"]


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
    assert insts[0] == (1, "2026-02-05", 80_419, 6_200, "2026-02-05")  # 31 days of interest
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


# --- init --force replaces only a limitlab database (issue 11 §5, issue 14 §7) -----------------


def opening() -> Any:
    from limitlab.core import commands as c

    from .conftest import START, profile

    return c.Open(profile(), 100_000, START)


def force_create(path: Path) -> StoreError:
    from limitlab.core.policy import DEFAULT_POLICY

    with pytest.raises(StoreError) as info:
        create_account(str(path), opening(), DEFAULT_POLICY, force=True)
    return info.value


def test_force_refuses_a_named_pipe_and_leaves_it_a_pipe(cli: Any) -> None:
    os.mkfifo(cli.db)
    error = force_create(cli.db)
    assert (error.kind, error.detail) == ("foreign", "a named pipe (FIFO)")
    result = cli("init", "--force")
    assert result.exit_code == 4
    assert "not a limitlab database (a named pipe (FIFO))" in result.stderr
    assert stat.S_ISFIFO(os.stat(cli.db).st_mode)
    assert cli("status").exit_code == 4  # read, it is refused too (and never opened: no hang)
    assert list(cli.db.parent.iterdir()) == [cli.db]


def test_force_refuses_a_device_and_leaves_it_a_device(tmp_path: Path) -> None:
    """A character device like /dev/null, made in the test's own folder (never the real one)."""
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except (PermissionError, AttributeError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    error = force_create(node)
    assert (error.kind, error.detail) == ("foreign", "a character device")
    assert stat.S_ISCHR(os.stat(node).st_mode)


def test_the_kinds_of_files_that_are_not_regular_files_have_names() -> None:
    assert store_module.file_kind(stat.S_IFREG | 0o644) is None
    assert store_module.file_kind(stat.S_IFCHR | 0o666) == "a character device"
    assert store_module.file_kind(stat.S_IFBLK | 0o660) == "a block device"
    assert store_module.file_kind(stat.S_IFDIR | 0o755) == "a directory"
    assert store_module.file_kind(stat.S_IFSOCK | 0o755) == "a socket"


def test_force_refuses_a_socket(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        assert force_create(path).detail == "a socket"
        assert stat.S_ISSOCK(os.stat(path).st_mode)
    finally:
        server.close()


def test_force_refuses_a_directory_and_leaves_what_is_in_it(cli: Any) -> None:
    cli.db.mkdir()
    (cli.db / "keep.txt").write_text("mine", encoding="utf-8")
    assert force_create(cli.db).detail == "a directory"
    assert cli("init", "--force").exit_code == 4
    assert (cli.db / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_force_refuses_a_foreign_sqlite_database_and_keeps_its_data(cli: Any) -> None:
    sql(cli.db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    sql(cli.db, "INSERT INTO notes (body) VALUES ('mine')")
    before = cli.db.read_bytes()
    error = force_create(cli.db)
    assert (error.kind, error.detail) == ("foreign", "a SQLite database of another program")
    result = cli("init", "--force")
    assert result.exit_code == 4 and "not a limitlab database" in result.stderr
    assert cli.db.read_bytes() == before
    assert sql(cli.db, "SELECT body FROM notes") == [("mine",)]


def test_force_refuses_another_programs_application_id(cli: Any) -> None:
    sql(cli.db, "PRAGMA application_id = 1234")
    sql(cli.db, "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    assert force_create(cli.db).detail == "a SQLite database of another program"
    with pytest.raises(StoreError) as info:
        Store.open(str(cli.db))
    assert info.value.kind == "foreign"


@pytest.mark.parametrize(
    "content",
    [b"my notes\n" * 50, random.Random(3).randbytes(4096), b"SQLite format 3\x00" + b"\x00" * 40],
    ids=["text", "random-bytes", "a-sqlite-header-and-nothing-more"],
)
def test_force_refuses_a_file_it_cannot_recognise_as_its_own(cli: Any, content: bytes) -> None:
    cli.db.write_bytes(content)
    assert force_create(cli.db).kind == "foreign"
    assert cli("init", "--force").exit_code == 4
    assert cli.db.read_bytes() == content


def test_force_replaces_a_limitlab_database_even_a_damaged_one(lived: Any) -> None:
    """Its application id, in the header, still says whose it is."""
    cli = lived
    data = cli.db.read_bytes()
    cli.db.write_bytes(data[:100] + random.Random(4).randbytes(len(data) - 100))
    assert cli("status").exit_code == 4
    result = cli("init", "--force", "--start", "2027-01-01")
    assert result.exit_code == 0, result.output
    assert cli.json("status")["today"] == "2027-01-01"


def test_force_replaces_a_limitlab_database_made_before_the_application_id(cli: Any) -> None:
    cli.init()
    sql(cli.db, "PRAGMA application_id = 0")
    assert cli("init", "--force", "--start", "2027-01-01").exit_code == 0
    assert cli.json("status")["today"] == "2027-01-01"


def test_force_follows_a_symlink_and_replaces_the_real_account(cli: Any, tmp_path: Path) -> None:
    real = tmp_path / "real" / "account.db"
    real.parent.mkdir()
    type(cli)(real).init()
    cli.db.symlink_to(real)
    result = cli("init", "--force", "--start", "2027-01-01")
    assert result.exit_code == 0, result.output
    assert cli.db.is_symlink() and os.readlink(cli.db) == str(real)
    assert type(cli)(real).json("status")["today"] == "2027-01-01"
    assert sorted(p.name for p in real.parent.iterdir()) == ["account.db"]


def test_a_symlink_to_something_else_is_refused_and_both_stay(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("mine", encoding="utf-8")
    cli.db.symlink_to(target)
    assert force_create(cli.db).kind == "foreign"
    assert cli.db.is_symlink() and target.read_text(encoding="utf-8") == "mine"


def test_an_empty_file_holds_nothing_and_becomes_an_account(cli: Any) -> None:
    cli.db.write_bytes(b"")  # e.g. `--db "$(mktemp)"`
    cli.init()
    assert cli.json("status")["today"] == "2026-01-05"


def test_without_force_a_foreign_file_is_named_foreign_not_an_existing_account(cli: Any) -> None:
    os.mkfifo(cli.db)
    result = cli("init")
    assert result.exit_code == 4
    assert "not a limitlab database" in result.stderr and "--force" not in result.stderr


# --- every read decodes defensively (issue 11 §11) ----------------------------------------------


def damage(path: Path, query: str) -> None:
    sql(path, query)


def assert_damaged_by_cli(cli: Any, *words: str) -> None:
    """Reads and writes exit 4 naming the damage; verify reports it as a difference (exit 1)."""
    before = file_bytes(cli.db)
    for args in [("status",), ("borrow", "100", "--yes"), ("why",)]:
        result = cli(*args)
        assert result.exit_code == 4, (args, result.output)
        err = result.stderr.strip()
        assert err.startswith("limitlab: ") and "\n" not in err, err
        for word in words:
            assert word in err, err
    result = cli("verify", "--json")
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["difference"].startswith(words[-1])
    assert file_bytes(cli.db) == before


def refused_as_damaged(call: Callable[[], Any], *words: str) -> StoreError:
    with pytest.raises(StoreError) as info:
        call()
    assert info.value.kind == "damaged", info.value
    for word in words:
        assert word in info.value.detail, info.value.detail
    return info.value


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("UPDATE state SET data = json_set(data, '$.wallet_fen', 'lots')", ["wallet_fen", "lots"]),
        ("UPDATE state SET data = json_set(data, '$.score', 700.5)", ["data.score"]),
        ("UPDATE state SET data = json_set(data, '$.closed_on', 7)", ["cannot be read"]),
        ("UPDATE state SET data = json_set(data, '$.loans[0].term', json('true'))", ["term"]),
        ("UPDATE state SET data = json_set(data, '$.wallet_fen', 1e30)", ["wallet_fen"]),
        ("UPDATE state SET data = json_set(data, '$.daily_rate', 'NaN')", ["daily_rate"]),
        ("UPDATE state SET data = json_set(data, '$.loans[0].method', 'barter')", ["method"]),
        ("UPDATE state SET data = json_set(data, '$.today', '9999-12-30')", ["today", "9999"]),
        ("UPDATE state SET data = json_set(data, '$.profile', json('[]'))", []),
        ("UPDATE state SET data = '{\"today\": '", []),
        ("UPDATE state SET data = NULL", []),
    ],
)
def test_a_damaged_state_is_refused_naming_the_table_and_row(
    lived: Any, query: str, words: list[str]
) -> None:
    cli = lived
    damage(cli.db, query)
    with Store.open(str(cli.db)) as store:
        refused_as_damaged(store.load, "state, row 1", *words)
        difference = verify_difference(store)
        assert difference.startswith("state, row 1"), difference
    assert_damaged_by_cli(cli, "damaged", "state, row 1")


def test_a_file_without_its_state_row_does_not_open(lived: Any) -> None:
    damage(lived.db, "DELETE FROM state")
    refused_as_damaged(lambda: Store.open(str(lived.db)), "state")
    assert_refused_by_cli(lived, "damaged", "state")


def verify_difference(store: Any) -> str:
    from limitlab.core.service import verify

    result = verify(store)
    assert result.difference is not None
    return result.difference


@pytest.mark.parametrize(
    "query",
    ["UPDATE policy SET data = '[]'", "UPDATE policy SET data = json_set(data, '$.tiers', 5)"],
    ids=["empty-list", "tiers-a-number"],
)
def test_a_damaged_policy_is_refused_naming_the_table(lived: Any, query: str) -> None:
    cli = lived
    damage(cli.db, query)
    with Store.open(str(cli.db)) as store:
        refused_as_damaged(store.load, "policy, row 1")
        assert verify_difference(store).startswith("policy, row 1")
    assert_damaged_by_cli(cli, "damaged", "policy, row 1")


def test_a_stored_policy_with_a_setting_of_the_wrong_type_is_refused(lived: Any) -> None:
    damage(lived.db, "UPDATE policy SET data = json_set(data, '$.grace_days', 'three')")
    with Store.open(str(lived.db)) as store:
        refused_as_damaged(store.load, "policy, row 1")


def test_limit_changes_with_null_codes_are_damage_naming_the_row(lived: Any) -> None:
    rows = sql(lived.db, "SELECT event_id FROM limit_changes ORDER BY event_id")
    (event_id,) = rows[-1]
    damage(lived.db, f"UPDATE limit_changes SET codes = NULL WHERE event_id = {event_id}")
    with Store.open(str(lived.db)) as store:
        refused_as_damaged(
            store.limit_changes, f"limit_changes, row event_id={event_id}", "codes is NULL"
        )
        assert verify_difference(store).startswith(f"limit_changes, row {len(rows)}, codes")


def test_limit_changes_with_a_date_beyond_the_calendar_are_damage(lived: Any) -> None:
    damage(lived.db, "UPDATE limit_changes SET on_date = '9999-12-31'")
    with Store.open(str(lived.db)) as store:
        refused_as_damaged(store.limit_changes, "limit_changes, row event_id=", "9999-12-31")


def test_an_event_with_a_date_near_9999_is_damage_naming_the_row(lived: Any) -> None:
    cli = lived
    damage(cli.db, "UPDATE events SET on_date = '9999-12-31' WHERE id = 3")
    with Store.open(str(cli.db)) as store:
        refused_as_damaged(store.events, "events, row id=3", "9999-12-31")
    result = cli("history")
    assert result.exit_code == 4 and "events, row id=3" in result.stderr


@pytest.mark.parametrize(
    "query",
    [
        "UPDATE events SET data = '[1, 2]' WHERE id = 2",
        "UPDATE events SET data = 'not json' WHERE id = 2",
        "UPDATE events SET on_date = NULL WHERE id = 2",
        "UPDATE events SET data = CAST(x'7b22ff22' AS TEXT) WHERE id = 2",  # not UTF-8
    ],
    ids=["a-list", "not-json", "no-date", "not-utf8"],
)
def test_a_damaged_event_is_refused_naming_the_table(lived: Any, query: str) -> None:
    damage(lived.db, query)
    with Store.open(str(lived.db)) as store:
        refused_as_damaged(store.events, "events")
        assert store.events(["payday"])  # the rest of the history still reads


def test_a_damaged_command_is_refused_naming_the_row_and_verify_reports_it(lived: Any) -> None:
    damage(lived.db, "UPDATE commands SET args = json_set(args, '$.amount_fen', 'x') WHERE id = 2")
    with Store.open(str(lived.db)) as store:
        refused_as_damaged(lambda: list(store.commands()), "commands, row id=2", "amount_fen")
        assert verify_difference(store).startswith("commands, row id=2")
    result = lived("verify")
    assert result.exit_code == 1 and "commands, row id=2" in result.stderr


def test_a_damaged_paid_off_loan_is_refused_naming_the_row(cli: Any) -> None:
    cli.init("--wallet", "20000")
    cli("borrow", "1000", "--yes")
    cli("repay", "--all")
    damage(cli.db, "UPDATE installments SET due_date = 'soon' WHERE loan_id = 1")
    with Store.open(str(cli.db)) as store:
        refused_as_damaged(lambda: store.loan(1), "loans, row id=1")
    assert cli("schedule", "1").exit_code == 4


def test_a_damaged_platform_measure_is_refused_naming_the_row(cli: Any) -> None:
    cli.init()
    assert cli("platform", "tighten", "--factor", "0.5", "--days", "10").exit_code == 0
    damage(cli.db, "UPDATE platform_measures SET kind = 'coup'")
    with Store.open(str(cli.db)) as store:
        refused_as_damaged(store.platform_measures, "platform_measures, row id=1", "coup")


def test_flipped_bytes_never_crash_a_read(lived: Any) -> None:
    """Issue 11 §11: flipped bytes gave exit 1 in 5 of 32 reads. Every read either works or is
    a StoreError; verify reports a difference or works."""
    from limitlab.core.service import verify

    pristine = lived.db.read_bytes()
    outcomes: dict[str, int] = {}
    for seed in range(32):
        rng = random.Random(seed)
        data = bytearray(pristine)
        for _ in range(4):
            data[rng.randrange(100, len(data))] ^= 1 << rng.randrange(8)
        lived.db.write_bytes(bytes(data))
        try:
            with Store.open(str(lived.db)) as store:
                for read in (
                    store.load,
                    store.events,
                    store.limit_changes,
                    store.platform_measures,
                    lambda: store.loan(1),
                    lambda: list(store.commands()),
                    lambda: verify(store),
                ):
                    try:
                        read()
                        outcomes["read"] = outcomes.get("read", 0) + 1
                    except StoreError as exc:
                        assert exc.kind in ("damaged", "foreign"), exc
                        outcomes[exc.kind] = outcomes.get(exc.kind, 0) + 1
        except StoreError as exc:
            assert exc.kind in ("damaged", "foreign"), exc
            outcomes["open"] = outcomes.get("open", 0) + 1
        for args in (("status",), ("verify",), ("history",)):
            result = lived(*args)
            assert result.exit_code in (0, 1, 4), (seed, args, result.output)
            assert "Internal error" not in result.output and "Traceback" not in result.output
    assert outcomes.get("damaged", 0) + outcomes.get("open", 0) > 0, outcomes


# --- one classification of every error about the file -------------------------------------------


def test_a_real_busy_database_is_busy(cli: Any) -> None:
    cli.init()
    holder = sqlite3.connect(cli.db)
    holder.execute("BEGIN IMMEDIATE")
    try:
        other = sqlite3.connect(cli.db, timeout=0)
        with pytest.raises(sqlite3.OperationalError) as info:
            other.execute("BEGIN IMMEDIATE")
        other.close()
    finally:
        holder.close()
    assert store_module.classify(info.value, "p").kind == "busy"


def test_a_real_read_only_connection_is_unwritable(cli: Any) -> None:
    cli.init()
    conn = sqlite3.connect(f"{cli.db.as_uri()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as info:
        conn.execute("DELETE FROM events")
    conn.close()
    assert store_module.classify(info.value, "p").kind == "unwritable"


def test_a_real_text_file_read_as_a_database_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    path.write_text("hello\n" * 100, encoding="utf-8")
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError) as info:
        conn.execute("SELECT * FROM sqlite_master")
    conn.close()
    assert store_module.classify(info.value, "p", "state").detail.startswith("state: ")
    assert store_module.classify(info.value, "p").kind == "damaged"


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (sqlite3.OperationalError("database is locked"), "busy"),
        (sqlite3.OperationalError("database or disk is full"), "unwritable"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "unwritable"),
        (sqlite3.OperationalError("unable to open database file"), "unwritable"),
        (sqlite3.OperationalError("disk I/O error"), "unwritable"),
        (sqlite3.DatabaseError("database disk image is malformed"), "damaged"),
        (sqlite3.OperationalError("Could not decode to UTF-8 column 'data'"), "damaged"),
        (FileNotFoundError(errno.ENOENT, "No such file"), "missing"),
        (IsADirectoryError(errno.EISDIR, "Is a directory"), "foreign"),
        (PermissionError(errno.EACCES, "Permission denied"), "unwritable"),
        (OSError(errno.ENOSPC, "No space left on device"), "unwritable"),
        (ValueError("Invalid isoformat string"), "damaged"),
    ],
)
def test_every_error_about_the_file_has_one_kind(error: Exception, kind: str) -> None:
    found = store_module.classify(error, "/x/account.db")
    assert (found.kind, found.path) == (kind, "/x/account.db")
    assert str(error) in found.detail


def test_every_kind_has_a_message_in_both_languages() -> None:
    from limitlab.cli.i18n import text

    from .conftest import CATALOGUE

    assert set(store_module.KINDS) == {
        "missing",
        "foreign",
        "damaged",
        "newer",
        "unwritable",
        "busy",
        "exists",
    }
    for kind in store_module.KINDS:
        for lang in ("en", "zh"):
            assert "/x.db" in text(f"store.{kind}", lang, path="/x.db", detail="d")
    assert "store.not_limitlab" not in CATALOGUE


def test_an_error_that_is_not_about_the_database_passes_through_a_transaction(
    cli: Any,
) -> None:
    cli.init()
    with Store.open(str(cli.db)) as store:
        with pytest.raises(BrokenPipeError), store.transaction():
            raise BrokenPipeError("stdout went away")  # e.g. a progress bar's output
        with pytest.raises(StoreError) as info, store.transaction():
            raise sqlite3.OperationalError("database or disk is full")
    assert info.value.kind == "unwritable"


# --- leftovers of a killed create (issue 11 §13) --------------------------------------------------


def leftovers(folder: Path, name: str = ".limitlab-abc123.db", age: float = 3600) -> list[Path]:
    made = [folder / name, folder / f"{name}-wal", folder / f"{name}-shm"]
    for path in made:
        path.write_bytes(b"half an account")
        os.utime(path, (time.time() - age, time.time() - age))
    return made


def test_old_leftovers_of_a_killed_create_go_at_the_next_open(cli: Any) -> None:
    cli.init()
    folder = cli.db.parent
    old = leftovers(folder)
    orphan = folder / ".limitlab-gone.db-wal"
    orphan.write_bytes(b"")
    os.utime(orphan, (time.time() - 3600, time.time() - 3600))
    young = leftovers(folder, ".limitlab-young.db", age=0)
    unrelated = [folder / ".limitlab-notes.txt", folder / "mine.db"]
    for path in unrelated:
        path.write_text("mine", encoding="utf-8")
    Store.open(str(cli.db)).close()
    assert [p for p in [*old, orphan] if p.exists()] == []
    assert all(p.exists() for p in [*young, *unrelated])


def test_leftovers_go_at_the_next_create_in_the_folder(tmp_path: Path) -> None:
    from limitlab.core.policy import DEFAULT_POLICY

    old = leftovers(tmp_path)
    create_account(str(tmp_path / "new.db"), opening(), DEFAULT_POLICY)
    assert [p for p in old if p.exists()] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.db"]


def test_a_temporary_file_someone_holds_is_never_removed_however_old(cli: Any) -> None:
    fcntl = pytest.importorskip("fcntl")
    cli.init()
    held = leftovers(cli.db.parent)
    with open(held[0], "rb") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        Store.open(str(cli.db)).close()
        assert all(p.exists() for p in held)
    Store.open(str(cli.db)).close()
    assert not any(p.exists() for p in held)


CREATOR = textwrap.dedent(
    """
    import sys, time
    from limitlab.core import commands as c
    from limitlab.core.model import Profile
    from limitlab.core.policy import DEFAULT_POLICY
    from limitlab.core.service import create_account
    from limitlab.core.store import Store

    def stuck(self, *args, **kwargs):
        print("writing", flush=True)
        time.sleep(120)

    Store.record = stuck
    profile = Profile(800000, 500000, 36, True, True, 60, 10)
    create_account(sys.argv[1], c.Open(profile, 0, __import__("datetime").date(2026, 1, 5)),
                   DEFAULT_POLICY, force=True)
    """
)


def test_a_create_still_writing_keeps_its_file_and_a_killed_one_loses_it(cli: Any) -> None:
    """A real second process, stopped in the middle of writing its temporary file."""
    pytest.importorskip("fcntl")
    cli.init()
    folder = cli.db.parent
    creator = subprocess.Popen(
        [sys.executable, "-c", CREATOR, str(cli.db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert creator.stdout is not None
        assert creator.stdout.readline().strip() == "writing"
        (temporary,) = folder.glob(".limitlab-*.db")
        past = time.time() - 3600
        os.utime(temporary, (past, past))  # as old as anything: only its lock protects it
        assert cli("status").exit_code == 0
        assert temporary.exists()
    finally:
        creator.kill()
        creator.wait()
        if creator.stdout is not None:
            creator.stdout.close()
    assert cli("status").exit_code == 0
    assert not temporary.exists()
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".limitlab-")) == []


# --- named queries and the repository -----------------------------------------------------------


def test_a_store_is_a_context_manager_that_closes(lived: Any) -> None:
    with Store.open(str(lived.db)) as store:
        assert store.command_count() == len(STORY) + 1 - 0  # init and every STORY command
    with pytest.raises(sqlite3.ProgrammingError):
        store._conn.execute("SELECT 1")


def test_events_filter_by_kind_and_date_and_last_keeps_the_oldest_first_order(
    lived: Any,
) -> None:
    with Store.open(str(lived.db)) as store:
        every = store.events()
        assert [e.on for e in every] == sorted(e.on for e in every)
        assert store.events(last=3) == every[-3:]
        paydays = store.events(["payday"])
        assert paydays and {e.kind for e in paydays} == {"payday"}
        since = date(2026, 2, 1)
        assert store.events(since=since) == [e for e in every if e.on >= since]
        assert store.events(until=since) == [e for e in every if e.on <= since]
        assert store.events(["payday"], since=since, last=1) == paydays[-1:]
        assert store.events(["no-such-kind"]) == []


def test_limit_changes_are_data(lived: Any) -> None:
    from decimal import Decimal

    with Store.open(str(lived.db)) as store:
        changes = store.limit_changes()
    first = changes[0]
    assert (first.trigger, first.old_limit_fen, first.new_limit_fen) == (
        "opening",
        0,
        2_400_000,
    )  # 3 × ¥8,000 at 670
    assert first.on == date(2026, 1, 5)
    assert isinstance(first.daily_rate, Decimal) and isinstance(first.codes, tuple)
    assert len(changes) == len(sql(lived.db, "SELECT * FROM limit_changes"))


def test_platform_measures_are_the_models_records(cli: Any) -> None:
    from decimal import Decimal

    cli.init()
    cli("platform", "tighten", "--factor", "0.5", "--days", "10", "--cohort", "score<800")
    cli("platform", "maintenance", "--days", "2")
    with Store.open(str(cli.db)) as store:
        tighten, pause = store.platform_measures()
    assert (tighten.id, tighten.kind, tighten.factor, tighten.cohort) == (
        1,
        "tighten",
        Decimal("0.5"),
        "score<800",
    )
    assert (pause.kind, pause.factor, pause.ends_on - pause.starts_on) == (
        "maintenance",
        None,
        date(2026, 1, 7) - date(2026, 1, 5),
    )


def test_loan_finds_live_and_paid_off_loans_and_nothing_else(cli: Any) -> None:
    cli.init("--wallet", "20000")
    cli("borrow", "1000", "--yes")
    cli("repay", "--all")
    cli("borrow", "2000", "--yes")
    with Store.open(str(cli.db)) as store:
        paid, live_loan = store.loan(1), store.loan(2)
        assert paid is not None and paid.closed_on == date(2026, 1, 5)
        assert live_loan is not None and live_loan == store.load().state.loans[0]
        assert [store.loan(n) for n in (0, 3, -1, 2**70)] == [None] * 4


def test_backup_is_a_copy_that_opens_and_verifies(lived: Any, tmp_path: Path) -> None:
    from limitlab.core.service import verify

    copy = tmp_path / "copy.db"
    with Store.open(str(lived.db)) as store:
        store.backup(str(copy))
        original = store.load()
    with Store.open(str(copy)) as replica:
        assert replica.load() == original
        assert verify(replica).ok


def test_a_snapshot_reads_one_moment_while_another_connection_writes(cli: Any) -> None:
    from limitlab.core import commands as c
    from limitlab.core.service import execute

    cli.init()
    with Store.open(str(cli.db)) as reader, Store.open(str(cli.db)) as writer:
        with reader.snapshot():
            before = reader.load().state.wallet_fen
            execute(writer, c.Wallet("deposit", 500))
            assert reader.load().state.wallet_fen == before
            assert reader.command_count() == 1
        assert reader.load().state.wallet_fen == before + 500
        assert reader.command_count() == 2


def test_every_insert_names_its_columns() -> None:
    source = Path(store_module.__file__).read_text(encoding="utf-8")
    assert "VALUES (?" not in source
    assert store_module._insert_sql("t", ("a", "b"), False) == (
        "INSERT INTO t (a, b) VALUES (:a, :b)"
    )


def test_the_file_says_it_is_limitlab_in_its_header(lived: Any) -> None:
    header = lived.db.read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == store_module.APPLICATION_ID
