"""Faults, through the real program: a killed process, damaged, foreign-version, read-only and
full files, and two shells writing at once. Each bad file is refused with exit 4 and a message
that says what to do, and the file is left byte for byte as it was.

Root ignores file permissions, so read-only files are made with `chattr +i` when running as
root; the full disk is a tiny tmpfs mounted in a private mount namespace (`unshare -m`), and,
everywhere, a "disk full" error injected into the store through the CLI.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from limitlab.core.store import SCHEMA_VERSION, Store

LIMITLAB = str(Path(sys.executable).parent / "limitlab")
START = "2026-01-05"

READ = ("status",)
WRITES = (("wallet", "deposit", "1"), ("advance", "--days", "30"))

HINT_DAMAGED = "restore a copy"
HINT_NEWER = "upgrade limitlab"
HINT_PERMISSIONS = "permissions"
HINT_SPACE = "free space"


def limitlab(db: Path | str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LIMITLAB, "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def ok(db: Path | str, *args: str) -> subprocess.CompletedProcess[str]:
    result = limitlab(db, *args)
    assert result.returncode == 0, result.stderr
    return result


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_refused(result: subprocess.CompletedProcess[str], *hints: str) -> None:
    """Exit 4, one line on stderr that names what to do, no traceback."""
    err = result.stderr.strip()
    assert result.returncode == 4, f"exit {result.returncode}: {result.stderr or result.stdout}"
    assert "Traceback" not in result.stderr
    assert err.startswith("limitlab: ") and "\n" not in err, err
    for hint in hints:
        assert hint in err, f"{hint!r} not in {err!r}"


def count(db: Path, sql: str) -> Any:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def lived_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("lived") / "account.db"
    ok(db, "init", "--start", START)
    ok(db, "borrow", "3000", "--term", "6", "--yes")
    ok(db, "advance", "--days", "200")
    assert not Path(f"{db}-wal").exists()  # closed cleanly: everything is in the main file
    return db


@pytest.fixture
def lived(lived_template: Path, tmp_path: Path) -> Path:
    """An account with some history (a loan, paydays, reviews), built by the real program."""
    db = tmp_path / "account.db"
    shutil.copyfile(lived_template, db)
    return db


# --- a process killed in the middle of a long advance ---------------------------------------


def _wait_for_write_lock(db: Path, proc: subprocess.Popen[str], deadline: float) -> None:
    """Until `proc` holds the write lock (its transaction has begun)."""
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"advance ended early: {proc.communicate()[1]}"
        conn = sqlite3.connect(db, timeout=0)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
            return
        finally:
            conn.close()
        time.sleep(0.02)
    raise AssertionError("advance never took the write lock")


@pytest.mark.parametrize("phase", ["computing", "late"])
def test_sigkill_during_a_long_advance_leaves_the_last_committed_state(
    lived: Path, tmp_path: Path, phase: str
) -> None:
    db = lived
    before = json.loads(ok(db, "status", "--json").stdout)
    commands_before = count(db, "SELECT count(*) FROM commands")
    events_before = count(db, "SELECT count(*) FROM events")
    args = ("advance", "--days", "18000")  # ~49 simulated years: seconds of work
    delay = 0.3
    if phase == "late":
        # how long the whole advance takes here (on a copy), to kill it near its end,
        # while it writes its events and commits
        copy = tmp_path / "copy.db"
        shutil.copyfile(db, copy)
        started = time.monotonic()
        ok(copy, *args)
        delay = max(0.3, 0.85 * (time.monotonic() - started) - 0.4)

    proc = subprocess.Popen(
        [LIMITLAB, "--db", str(db), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        _wait_for_write_lock(db, proc, time.monotonic() + 30)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        assert proc.stderr is not None
        proc.stderr.close()
    verify = limitlab(db, "verify")
    assert verify.returncode == 0, verify.stderr
    after = json.loads(ok(db, "status", "--json").stdout)
    committed = count(db, "SELECT count(*) FROM commands") != commands_before
    if phase == "computing":
        assert proc.returncode == -signal.SIGKILL, "the advance finished before the kill"
        assert not committed
    if committed:  # killed after its commit (while printing): then all of it is there
        assert count(db, "SELECT count(*) FROM commands") == commands_before + 1
        expected = date.fromisoformat(before["today"]) + timedelta(days=18000)
        assert after["today"] == expected.isoformat()
    else:
        assert after == before
        assert count(db, "SELECT count(*) FROM events") == events_before
    # the lock died with the process: the account takes the next command at once
    ok(db, "wallet", "deposit", "1")
    assert count(db, "SELECT count(*) FROM commands") == count(db, "SELECT max(id) FROM commands")


# --- files that cannot be used -------------------------------------------------------------


def _check_every_command_refused(db: Path, *hints: str) -> None:
    before = digest(db)
    for args in (*[READ], ("why",), *WRITES, ("verify",)):
        assert_refused(limitlab(db, *args), *hints)
    assert digest(db) == before


@pytest.mark.parametrize(
    "keep",
    [
        100,
        pytest.param("half+123", id="half-plus-123-bytes"),
        "one-byte-short",
    ],
)
def test_a_truncated_file_is_refused_and_left_as_it_is(lived: Path, keep: int | str) -> None:
    data = lived.read_bytes()
    named = {"half+123": len(data) // 2 + 123, "one-byte-short": len(data) - 1}
    size = named[keep] if isinstance(keep, str) else keep
    lived.write_bytes(data[:size])
    _check_every_command_refused(lived, HINT_DAMAGED)


@pytest.mark.parametrize("header", [b"", b"SQLite format 3\x00"], ids=["random", "sqlite-header"])
def test_random_bytes_are_refused_and_left_as_they_are(tmp_path: Path, header: bytes) -> None:
    db = tmp_path / "noise.db"
    db.write_bytes(header + random.Random(6).randbytes(16 * 1024 - len(header)))
    _check_every_command_refused(db, HINT_DAMAGED)


def test_a_file_from_a_newer_schema_is_refused_and_left_as_it_is(lived: Path) -> None:
    conn = sqlite3.connect(lived)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    _check_every_command_refused(lived, HINT_NEWER)


# --- read-only files and folders -----------------------------------------------------------


def _permissions_apply() -> bool:
    """False when file modes are not enforced on us (root, or CAP_DAC_OVERRIDE)."""
    return os.geteuid() != 0


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """`path` (file or folder) read-only for limitlab: chmod, or `chattr +i` as root."""
    if _permissions_apply():
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("running as root, which ignores file modes, and chattr is not installed")
    made = subprocess.run([chattr, "+i", str(path)], capture_output=True, text=True, check=False)
    if made.returncode != 0:
        pytest.skip(
            "running as root, which ignores file modes, and this file system refuses "
            f"chattr +i: {made.stderr.strip()}"
        )
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


def test_a_read_only_file_can_be_read_but_writes_are_refused(lived: Path) -> None:
    before = digest(lived)
    with read_only(lived):
        assert ok(lived, "status").stdout
        for args in WRITES:
            assert_refused(limitlab(lived, *args), HINT_PERMISSIONS)
    assert digest(lived) == before


def test_an_account_cannot_be_created_in_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only(folder):
        assert_refused(limitlab(folder / "new.db", "init", "--start", START), HINT_PERMISSIONS)
    assert list(folder.iterdir()) == []


def test_an_account_in_a_read_only_folder_is_refused_naming_permissions(lived: Path) -> None:
    folder = lived.parent
    before = digest(lived)
    with read_only(folder):
        for args in (READ, *WRITES):
            result = limitlab(lived, *args)
            assert_refused(result, HINT_PERMISSIONS)
            assert "damaged" not in result.stderr
    assert digest(lived) == before


# --- a full disk ---------------------------------------------------------------------------

FULL_DISK = textwrap.dedent(
    """
    import hashlib, json, os, shutil, subprocess, sys

    mnt, source, room, limitlab = sys.argv[1:5]
    commands = json.loads(sys.argv[5])
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt], capture_output=True, text=True
    )
    if mounted.returncode:
        print(json.dumps({"skip": "cannot mount a tmpfs: " + mounted.stderr.strip()}))
        sys.exit(0)
    db = os.path.join(mnt, "account.db")
    shutil.copyfile(source, db)
    filler = os.path.join(mnt, "filler")
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:  # fill the file system to the last byte
        while os.write(fd, b"x" * 4096):
            pass
    except OSError:
        pass
    os.close(fd)
    page = os.sysconf("SC_PAGE_SIZE")
    keep = {"none": 0, "shm-only": -(-32768 // page) * page}[room]  # the WAL index: 32 KiB
    if keep:
        os.truncate(filler, max(0, os.path.getsize(filler) - keep))

    def digest():
        with open(db, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()

    before = digest()
    results = []
    for args in commands:
        r = subprocess.run(
            [limitlab, "--db", db, *args], capture_output=True, text=True,
            stdin=subprocess.DEVNULL,
        )
        results.append({"args": args, "exit": r.returncode, "stderr": r.stderr})
    print(json.dumps({"same": before == digest(), "results": results}))
    """
)


def on_a_full_disk(db: Path, room: str, commands: list[tuple[str, ...]]) -> dict[str, Any]:
    """Run limitlab commands on a copy of `db` on a full tmpfs in a private mount namespace
    (nothing is mounted outside it)."""
    unshare = shutil.which("unshare")
    if unshare is None or os.geteuid() != 0:
        pytest.skip("a tiny tmpfs needs root and unshare(1); see the injected full-disk test")
    mnt = db.parent / "mnt"
    mnt.mkdir()
    args = [str(mnt), str(db), room, LIMITLAB, json.dumps(commands)]
    result = subprocess.run(
        [unshare, "-m", sys.executable, "-c", FULL_DISK, *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
        check=False,
    )
    if result.returncode != 0 and "unshare" in result.stderr:
        pytest.skip(f"no private mount namespace here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    if "skip" in report:
        pytest.skip(report["skip"])
    return report


def _as_result(r: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess(r["args"], r["exit"], "", r["stderr"])


def test_a_full_disk_refuses_writes_and_keeps_the_file(lived: Path) -> None:
    """Room for SQLite's WAL index but none for the log: reads work, writes are refused."""
    report = on_a_full_disk(lived, "shm-only", [READ, *WRITES])
    status, *writes = report["results"]
    assert status["exit"] == 0, status["stderr"]
    for write in writes:
        assert_refused(_as_result(write), HINT_SPACE)
    assert report["same"]


def test_a_completely_full_disk_is_refused_naming_free_space(lived: Path) -> None:
    report = on_a_full_disk(lived, "none", [READ, *WRITES])
    for r in report["results"]:
        assert_refused(_as_result(r), HINT_SPACE)
        assert "damaged" not in r["stderr"]
    assert report["same"]


def test_disk_full_inside_a_command_is_refused_and_rolled_back(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same fault injected where SQLite raises it, mid-transaction (works anywhere)."""
    cli.init()
    assert cli("borrow", "3000", "--yes").exit_code == 0
    before = digest(cli.db)
    commands_before = count(cli.db, "SELECT count(*) FROM commands")

    def full(self: Store, *args: Any, **kwargs: Any) -> None:
        self._conn.execute("INSERT INTO commands (on_date, kind, args, result) VALUES (1,2,3,4)")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "record", full)
    for args in WRITES:
        result = cli(*args)
        assert result.exit_code == 4, result.output
        err = result.stderr.strip()
        assert err.startswith("limitlab: ") and HINT_SPACE in err, err
        assert "database or disk is full" in err
    monkeypatch.undo()
    assert count(cli.db, "SELECT count(*) FROM commands") == commands_before
    assert digest(cli.db) == before
    assert cli("verify").exit_code == 0


# --- two shells at once --------------------------------------------------------------------

WORKER = textwrap.dedent(
    """
    import contextlib, io, json, sys
    import typer
    from limitlab.cli.main import app

    db, script = sys.argv[1], json.loads(sys.argv[2])
    command = typer.main.get_command(app)  # built once: 200 commands in one process
    print("ready", flush=True)
    sys.stdin.readline()  # both workers start together
    results = []
    for args in script:
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            try:
                code = command.main(
                    ["--db", db, *args], prog_name="limitlab", standalone_mode=False
                )
            except SystemExit as exc:
                code = exc.code
            except Exception as exc:
                code, _ = 1, err.write(f"{type(exc).__name__}: {exc}")
        results.append([args, code or 0, err.getvalue()])
    print(json.dumps(results))
    """
)


def run_workers(db: Path, scripts: list[list[list[str]]]) -> list[list[Any]]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(db), json.dumps(script)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(os.environ),
        )
        for script in scripts
    ]
    try:
        for p in procs:
            assert p.stdout is not None
            assert p.stdout.readline().strip() == "ready", p.communicate()[1]
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        outputs = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    results = []
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
        results += json.loads(out)
    return results


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    ok(db, "init", "--start", START)
    first = [
        ["wallet", "deposit", "1"] if i % 2 == 0 else ["advance", "--days", "1"] for i in range(200)
    ]
    second = [
        ["wallet", "deposit", "2"] if i % 2 == 0 else ["wallet", "withdraw", "1"]
        for i in range(200)
    ]
    results = run_workers(db, [first, second])

    assert len(results) == 400
    failed = [r for r in results if r[1] != 0]
    assert failed == [], failed[:5]
    assert not any("locked" in r[2] or "busy" in r[2] for r in results)
    # every one of the 400 changed the account, so the log holds all of them
    assert count(db, "SELECT count(*) FROM commands WHERE kind = 'wallet'") == 300
    assert count(db, "SELECT count(*) FROM commands WHERE kind = 'advance'") == 100
    assert count(db, "SELECT count(*) FROM commands") == 401
    deposits = "SELECT coalesce(sum(json_extract(data, '$.amount_fen')), 0) FROM events WHERE kind"
    assert count(db, f"{deposits} = 'wallet_deposit'") == 100 * 100 + 100 * 200
    assert count(db, f"{deposits} = 'wallet_withdraw'") == 100 * 100
    assert json.loads(ok(db, "status", "--json").stdout)["today"] == "2026-04-15"  # +100 days
    ok(db, "verify")


def test_advance_days_counts_from_the_day_it_is_written(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another shell advances a day after this command has read the account, just before it
    takes the write lock."""
    import contextlib

    from limitlab.cli import session as cli_app
    from limitlab.core import commands as c
    from limitlab.core.service import execute

    cli.init()
    real_account = cli_app.account
    opened: list[int] = []

    @contextlib.contextmanager
    def racing_account(settings: Any) -> Any:
        opened.append(1)
        if len(opened) == 1:  # the command has started, before it takes the write lock
            with Store.open(settings.db_path) as other:  # the other shell
                execute(other, c.Advance(other.load().state.today + timedelta(days=1)))
        with real_account(settings) as store:
            yield store

    monkeypatch.setattr(cli_app, "account", racing_account)
    result = cli("advance", "--days", "1")
    assert opened
    assert result.exit_code == 0, result.stderr
    assert cli.json("status")["today"] == "2026-01-07"
