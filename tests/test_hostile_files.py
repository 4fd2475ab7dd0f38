"""Hostile files, names and signals (issue 11, items 6, 7, 9, 12 and 13), through the real
program: an export never lands on the account or outside a lesson's folder and replaces only
limitlab's own files; an output failure is blamed on what failed, and a reader that leaves is
not a failure; Ctrl-C is 130 and one line at any moment; a scenario's size is bounded; an
empty --db, a too-long advance, --json with --export and the end of the calendar are refused.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import json
import os
import pty
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .test_progress import drain

LIMITLAB = str(Path(sys.executable).parent / "limitlab")
START = "2026-01-05"
INTERRUPTED = "limitlab: Interrupted; nothing was half-written.\n"


def limitlab(
    *args: str | Path, env: dict[str, str] | None = None, timeout: float = 60, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    if "stdout" not in kwargs and "stderr" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run(
        [LIMITLAB, *map(str, args)],
        text=True,
        env=env or dict(os.environ),
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
        **kwargs,
    )


def ok(*args: str | Path) -> subprocess.CompletedProcess[str]:
    result = limitlab(*args)
    assert result.returncode == 0, result.stderr
    return result


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line(result: subprocess.CompletedProcess[str], code: int, *hints: str) -> str:
    """Exit `code`, one line on stderr naming each hint, no traceback; the line."""
    err = result.stderr
    assert result.returncode == code, f"exit {result.returncode}: {err or result.stdout}"
    assert "Traceback" not in err
    assert err.startswith("limitlab: ") and err.count("\n") == 1, err
    for hint in hints:
        assert hint in err, f"{hint!r} not in {err!r}"
    return err


def commands(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM commands").fetchone()[0])
    finally:
        conn.close()


def wallet_fen(db: Path) -> int:
    return int(json.loads(ok("--db", db, "status", "--json").stdout)["wallet_fen"])


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("account") / "account.db"
    ok("--db", db, "init", "--start", START)
    ok("--db", db, "borrow", "3000", "--term", "6", "--yes")
    return db


@pytest.fixture
def account(template: Path, tmp_path: Path) -> Path:
    db = tmp_path / "account.db"
    shutil.copyfile(template, db)
    return db


def default_process() -> None:
    """A test run in the background inherits SIGINT ignored; a user's terminal does not."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# --- 6. an export never overwrites the account, and only replaces limitlab's own files -------


def test_an_export_onto_the_account_itself_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "acct.txt"
    ok("--db", db, "init", "--start", START)
    before = digest(db)
    for force in ((), ("--force",)):
        result = limitlab("--db", db, "status", "--export", db, *force)
        one_line(result, 2, "acct.txt", "account's database")
    assert digest(db) == before
    ok("--db", db, "verify")


def test_an_export_through_a_symlink_or_hard_link_to_the_account_is_refused(
    tmp_path: Path,
) -> None:
    db = tmp_path / "acct.db"
    ok("--db", db, "init", "--start", START)
    before = digest(db)
    (tmp_path / "link.txt").symlink_to(db)
    (tmp_path / "wal.txt").symlink_to(tmp_path / "acct.db-wal")  # the -wal, not there yet
    (tmp_path / "shm.svg").symlink_to(tmp_path / "acct.db-shm")
    os.link(db, tmp_path / "hard.html")
    for name in ("link.txt", "wal.txt", "shm.svg", "hard.html"):
        result = limitlab("--db", db, "status", "--export", tmp_path / name, "--force")
        one_line(result, 2, name, "account's database")
    assert digest(db) == before
    assert not (tmp_path / "acct.db-wal").exists()
    ok("--db", db, "verify")


def test_an_existing_file_is_replaced_only_when_limitlab_wrote_it_or_with_force(
    account: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my own notes\n", encoding="utf-8")
    one_line(limitlab("--db", account, "why", "--export", notes), 2, "notes.txt", "--force")
    assert notes.read_text(encoding="utf-8") == "my own notes\n"
    ok("--db", account, "why", "--export", notes, "--force")
    first = notes.read_text(encoding="utf-8")
    assert "my own notes" not in first
    assert first.endswith("\n-- limitlab export --\n")  # the mark a .txt export carries
    ok("--db", account, "score", "--export", notes)  # limitlab's own: replaced freely
    assert "installments paid on time" in notes.read_text(encoding="utf-8")
    for suffix in (".svg", ".html"):
        slide = tmp_path / f"slide{suffix}"
        ok("--db", account, "status", "--export", slide)
        assert slide.read_text(encoding="utf-8").startswith("<!-- limitlab export -->\n<")
        ok("--db", account, "status", "--export", slide)
    assert [p.name for p in tmp_path.iterdir() if "limitlab-tmp" in p.name] == []


def test_scenario_run_never_exports_onto_its_own_database(tmp_path: Path) -> None:
    lesson = tmp_path / "lesson.txt"
    result = limitlab("scenario", "run", "drawn-down", "--db", lesson, "--export", lesson)
    one_line(result, 2, "account's database")
    assert not lesson.exists()


def _lesson(folder: Path, show: str, *, name: str = "lesson.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        'title = "t"\ntitle_zh = "t"\nstart = "2026-01-05"\n\n'
        f"[[steps]]\nshow = {json.dumps(show)}\n",
        encoding="utf-8",
    )
    return path


def test_a_lesson_exports_only_inside_its_own_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    folder = tmp_path / "shared" / "lessons"
    for target in (str(outside), "../../outside.txt"):
        lesson = _lesson(folder, f"why --export {target}")
        result = limitlab("scenario", "run", lesson, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert "only inside its own folder" in result.stderr
        assert not outside.exists()
    # a relative name is taken from the lesson's folder, not from where it is played
    lesson = _lesson(folder, "why --export why.svg")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = limitlab("scenario", "run", lesson, cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (folder / "why.svg").read_text(encoding="utf-8").startswith("<!-- limitlab export")
    assert list(elsewhere.iterdir()) == []


def test_a_lesson_never_replaces_a_file_limitlab_did_not_write(tmp_path: Path) -> None:
    folder = tmp_path / "lessons"
    lesson = _lesson(folder, "why --export notes.txt --force")
    notes = folder / "notes.txt"
    notes.write_text("the teacher's notes\n", encoding="utf-8")
    result = limitlab("scenario", "run", lesson)
    assert result.returncode == 1
    assert "A lesson cannot replace" in result.stderr
    assert notes.read_text(encoding="utf-8") == "the teacher's notes\n"


def test_a_lesson_step_never_exports_onto_the_users_account(tmp_path: Path) -> None:
    folder = tmp_path / "lessons"
    account = folder / "mine.txt"
    lesson = _lesson(folder, "why --export mine.txt")
    ok("--db", account, "init", "--start", START)
    before = digest(account)
    result = limitlab("--db", account, "scenario", "run", lesson)
    assert result.returncode == 1
    assert "account's database" in result.stderr
    assert digest(account) == before


# --- 7. an output failure names what failed; a reader that leaves is not a failure -----------


def test_an_export_to_a_folder_or_a_device_names_it_not_the_database(
    account: Path, tmp_path: Path
) -> None:
    (tmp_path / "folder.txt").mkdir()
    (tmp_path / "full.txt").symlink_to("/dev/full")
    for name in ("folder.txt", "full.txt"):
        result = limitlab("--db", account, "status", "--export", tmp_path / name)
        err = one_line(result, 2, name, "not a regular file")
        assert "account.db" not in err
        assert result.stdout == ""


def test_an_export_that_fails_while_written_leaves_the_old_file(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.init()
    slide = tmp_path / "slide.txt"
    assert cli("status", "--export", str(slide)).exit_code == 0
    before = slide.read_bytes()

    def full(*args: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    result = cli("why", "--export", str(slide))
    assert result.exit_code == 2
    assert "Cannot write the export" in result.stderr and str(slide) in result.stderr
    assert "account.db" not in result.stderr
    assert slide.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if "limitlab-tmp" in p.name] == []


def test_a_closed_pipe_after_a_write_is_exit_0_and_the_write_is_saved_once(
    account: Path,
) -> None:
    wallet, logged = wallet_fen(account), commands(account)
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written
    try:
        result = limitlab(
            "--db",
            account,
            "--json",
            "wallet",
            "deposit",
            "7",
            stdout=write,
            stderr=subprocess.PIPE,
        )
    finally:
        os.close(write)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert wallet_fen(account) == wallet + 700
    assert commands(account) == logged + 1


@pytest.mark.parametrize("unbuffered", [False, True])
@pytest.mark.parametrize("json_out", [False, True])
def test_a_reader_that_stops_early_is_exit_0_with_no_error(
    account: Path, json_out: bool, unbuffered: bool
) -> None:
    """`limitlab advance … | head -c 10`: the advance is saved, exit 0, nothing said of it.

    The screen: the reader leaves while the advance is computed, before anything is written
    (it used to end in exit 1 and no word). JSON: it reads 10 bytes of ~110 KB and leaves
    while the rest waits for room in the pipe (it used to be exit 4, "Cannot write" the
    database; with PYTHONUNBUFFERED, Python itself dropped the rest of a partial write)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    today = json.loads(ok("--db", account, "status", "--json").stdout)["today"]
    logged = commands(account)
    proc = subprocess.Popen(
        [
            LIMITLAB,
            "--db",
            str(account),
            *(["--json"] if json_out else []),
            "advance",
            "--days",
            "18000",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        if json_out:
            assert len(proc.stdout.read(10)) == 10
        else:
            _holding_the_write_lock(str(account))(proc)
        proc.stdout.close()
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    assert code == 0, err
    assert "limitlab:" not in err and "Traceback" not in err
    if not json_out:
        assert "18000 days later" in err  # what the command did is still said
    after = json.loads(ok("--db", account, "status", "--json").stdout)["today"]
    assert after != today
    assert commands(account) == logged + 1
    ok("--db", account, "verify")


def test_standard_output_on_a_full_device_names_it_and_says_the_write_is_saved(
    account: Path,
) -> None:
    wallet = wallet_fen(account)
    with open("/dev/full", "w") as full:
        result = limitlab(
            "--db", account, "--json", "wallet", "deposit", "7", stdout=full, stderr=subprocess.PIPE
        )
    one_line(result, 1, "standard output", "No space left on device", "saved")
    assert "account.db" not in result.stderr
    assert wallet_fen(account) == wallet + 700
    with open("/dev/full", "w") as full:
        result = limitlab("--db", account, "status", stdout=full, stderr=subprocess.PIPE)
    one_line(result, 1, "standard output")


def _unreadable_for_limitlab() -> list[str]:
    """A prefix that runs limitlab without the power to read any file (root ignores modes)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, which reads any file, and setpriv is not installed")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]


def test_an_unreadable_policy_file_is_bad_input_naming_it(account: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("score_base = 300\n", encoding="utf-8")
    policy.chmod(0)
    before = digest(account)
    prefix = _unreadable_for_limitlab()
    for args in (("status",), ("wallet", "deposit", "1")):
        result = subprocess.run(
            [*prefix, LIMITLAB, "--db", str(account), "--policy", str(policy), *args],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
        err = one_line(result, 2, "Policy file", "policy.toml", "ermission denied")
        assert "account.db" not in err
    assert digest(account) == before


def test_the_help_says_what_a_closed_pipe_exits_with() -> None:
    out = ok("--help").stdout
    assert "reader of a pipe stops early" in " ".join(out.split())


# --- 9. Ctrl-C: 130 and one line, at any moment ---------------------------------------------


def _interrupt(args: list[str], when: Callable[[subprocess.Popen[bytes]], None], **kw: Any) -> Any:
    """Run limitlab, send Ctrl-C (SIGINT) once `when(proc)` returns; (exit code, stderr)."""
    proc = subprocess.Popen(
        [LIMITLAB, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=default_process,
        **kw,
    )
    try:
        when(proc)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, out.decode(), err.decode()


def _loading(delay: float) -> Callable[[subprocess.Popen[bytes]], None]:
    """Until the process loads its first compiled library module (our imports have begun:
    Python's own start-up loads none), then `delay` seconds more."""

    def wait(proc: subprocess.Popen[bytes]) -> None:
        while proc.poll() is None:
            try:
                maps = Path(f"/proc/{proc.pid}/maps").read_text()
            except OSError:
                maps = ""
            if "lib-dynload/" in maps:
                time.sleep(delay)
                return
            time.sleep(0.0005)
        pytest.skip("this Python loads no module from lib-dynload: no sign of our imports")

    return wait


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc")
@pytest.mark.parametrize("delay", [0, 0.005, 0.01, 0.02, 0.035, 0.05])
def test_ctrl_c_while_the_command_loads_is_one_line_and_130(account: Path, delay: float) -> None:
    before = digest(account)  # a long command: still running 50 ms after it starts loading
    code, _, err = _interrupt(["--db", str(account), "advance", "--days", "18000"], _loading(delay))
    assert "Traceback" not in err
    assert (code, err) == (130, INTERRUPTED)
    assert digest(account) == before


def _holding_the_write_lock(pattern: str) -> Callable[[subprocess.Popen[bytes]], None]:
    """Until the database matching `pattern` is in the middle of a write (the long one)."""

    def wait(proc: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"ended early: {proc.communicate()}"
            for db in glob.glob(pattern):
                conn = sqlite3.connect(db, timeout=0)
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute("ROLLBACK")
                except sqlite3.OperationalError as exc:
                    if "locked" in str(exc):
                        time.sleep(0.2)  # well inside the 49-year advance
                        return
                finally:
                    conn.close()
            time.sleep(0.01)
        raise AssertionError("the long write never began")

    return wait


def test_ctrl_c_during_a_what_if_stops_the_whole_command(account: Path, tmp_path: Path) -> None:
    """It used to fail only the current action, and what-if went on and exited 0."""
    before = digest(account)
    temp = tmp_path / "tmp"
    temp.mkdir()
    code, out, err = _interrupt(
        ["--db", str(account), "what-if", "advance --days 18000", "wait 3"],
        _holding_the_write_lock(str(temp / "limitlab-whatif-*" / "copy.db")),
        env={**os.environ, "TMPDIR": str(temp)},
    )
    assert (code, err) == (130, INTERRUPTED)
    assert out == ""  # no comparison of a half-done try
    assert digest(account) == before
    assert list(temp.iterdir()) == []  # its copy is gone too


def test_ctrl_c_during_a_lesson_stops_it_with_130(tmp_path: Path) -> None:
    """It used to be one failed step: exit 1."""
    lesson = tmp_path / "long.toml"
    lesson.write_text(
        'title = "long"\ntitle_zh = "长"\nstart = "2026-01-05"\n\n'
        '[[steps]]\ndo = "advance --days 18000"\n\n[[steps]]\nshow = "status"\n',
        encoding="utf-8",
    )
    db = tmp_path / "lesson.db"
    code, _, err = _interrupt(
        ["scenario", "run", str(lesson), "--db", str(db), "--export", str(tmp_path / "l.txt")],
        _holding_the_write_lock(str(db)),
    )
    assert code == 130
    assert err.endswith(INTERRUPTED) and err.count("limitlab:") == 1, err  # after the init step
    assert not (tmp_path / "l.txt").exists()  # nothing half-written: no half a lesson either
    ok("--db", db, "verify")


# --- 12. a scenario's size is bounded ---------------------------------------------------------


def _steps(count: int) -> str:
    return 'title = "t"\ntitle_zh = "t"\nstart = "2026-01-05"\n' + (
        '[[steps]]\nshow = "status"\n' * count
    )


def test_a_scenario_with_too_many_steps_is_refused_at_once(tmp_path: Path) -> None:
    from limitlab.cli.commands.scenarios import MAX_SCENARIO_STEPS

    lesson = tmp_path / "many.toml"
    lesson.write_text(_steps(MAX_SCENARIO_STEPS + 1), encoding="utf-8")
    for args in (("run", lesson), ("check", lesson)):
        result = limitlab("scenario", *args, timeout=30)
        one_line(result, 2, "many.toml", f"at most {MAX_SCENARIO_STEPS} steps")


def test_a_huge_scenario_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """100,000 steps used to run for minutes."""
    lesson = tmp_path / "huge.toml"
    lesson.write_text(_steps(100_000), encoding="utf-8")
    started = time.monotonic()
    result = limitlab("scenario", "run", lesson, timeout=30)
    one_line(result, 2, "huge.toml", "bytes")
    assert time.monotonic() - started < 10


_HEAD = 'title = "t"\ntitle_zh = "t"\nstart = "2026-01-05"\n[[steps]]\nshow = "status"\n'


@pytest.mark.parametrize(
    "body",
    [
        "[policy]\nx = " + "[" * 500 + "]" * 500 + "\n",
        "y = " + "{a=" * 600 + "1" + "}" * 600 + "\n",
    ],
    ids=["policy list 500 deep", "table 600 deep"],
)
def test_a_deeply_nested_scenario_is_bad_input_naming_the_file(tmp_path: Path, body: str) -> None:
    """It used to be `Internal error: RecursionError` (exit 1); the limit is the policy
    file's (core/policy.py MAX_NESTING), refused the same way."""
    from limitlab.core.policy import MAX_NESTING

    lesson = tmp_path / "d500.toml"
    lesson.write_text(_HEAD + body, encoding="utf-8")
    for args in (("run", lesson, "--db", tmp_path / "x.db"), ("check", lesson)):
        result = limitlab("scenario", *args)
        one_line(result, 2, "d500.toml", f"nests deeper than {MAX_NESTING} levels")
    assert not (tmp_path / "x.db").exists()


def test_every_bundled_scenario_is_within_the_limits() -> None:
    from limitlab.cli.commands.scenarios import (
        MAX_SCENARIO_BYTES,
        MAX_SCENARIO_STEPS,
        bundled,
        load,
    )

    for path in bundled().values():
        assert path.stat().st_size <= MAX_SCENARIO_BYTES // 10
        assert len(load(str(path)).steps) <= MAX_SCENARIO_STEPS // 10


# --- 13. an empty --db, too far, --json with --export, the end of the calendar ----------------


def test_an_empty_db_is_bad_input_never_the_default_account(tmp_path: Path) -> None:
    default = tmp_path / "default.db"
    env = {**os.environ, "LIMITLAB_DB": str(default)}
    assert limitlab("init", "--start", START, env=env).returncode == 0
    before = digest(default)
    result = limitlab("--db", "", "init", "--force", env=env)
    one_line(result, 2, "--db is empty")
    for args in (("status",), ("scenario", "run", "drawn-down", "--db", ""), ("demo", "--db", "")):
        one_line(limitlab("--db", "", *args, env=env), 2, "is empty")
    assert digest(default) == before
    home = tmp_path / "home"
    unset = {**os.environ, "LIMITLAB_DB": "", "HOME": str(home), "XDG_DATA_HOME": str(home)}
    one_line(limitlab("init", "--force", env=unset), 2, "LIMITLAB_DB is empty")
    assert not home.exists()


def test_advance_months_beyond_the_most_says_months(account: Path) -> None:
    err = one_line(limitlab("--db", account, "advance", "--months", "601"), 2, "601", "600 months")
    assert "days" not in err
    ok("--db", account, "advance", "--months", "600")


def test_json_with_export_is_refused_instead_of_skipping_the_export(
    account: Path, tmp_path: Path
) -> None:
    for command in ("status", "why", "score", "limits", "chart"):
        target = tmp_path / f"{command}.svg"
        for args in ((command, "--json"), ("--json", command)):
            result = limitlab("--db", account, *args, "--export", target)
            one_line(result, 2, "--json", "--export")
            assert result.stdout == ""
            assert not target.exists()


def test_the_simulated_calendar_ends_on_2199_12_31(tmp_path: Path) -> None:
    db = tmp_path / "late.db"
    ok("--db", db, "init", "--start", "2199-06-01")
    for lang, hint in (("en", "ends on 2199-12-31"), ("zh", "模拟日历止于 2199-12-31")):
        result = limitlab("--db", db, "advance", "--months", "12", "--lang", lang)
        one_line(result, 2, hint)
    assert json.loads(ok("--db", db, "status", "--json").stdout)["today"] == "2199-06-01"
    ok("--db", db, "advance", "--to", "2199-12-31")
    one_line(limitlab("--db", db, "advance", "--days", "1"), 2, "2199-12-31")
    ok("--db", db, "verify")


@pytest.mark.parametrize(
    "args", [["status", "--bogus"], ["borrow"], ["statsu"], ["history", "--last", "0"]]
)
def test_a_usage_error_off_a_terminal_is_one_line_and_a_hint(args: list[str]) -> None:
    for lang in ("en", "zh"):
        result = limitlab(*args, "--lang", lang)
        assert result.returncode == 2
        lines = result.stderr.splitlines()
        assert len(lines) == 2, result.stderr
        assert lines[0].startswith("limitlab: ")
        assert "-h" in lines[1] and "limitlab" in lines[1]
        assert not set("╭╮╰╯│") & set(result.stderr)


def test_a_usage_error_on_a_terminal_keeps_its_panel() -> None:
    primary, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [LIMITLAB, "status", "--bogus"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=secondary,
            timeout=60,
            check=False,
        )
        os.close(secondary)
        seen = drain(primary).decode()
    finally:
        os.close(primary)
    assert proc.returncode == 2
    assert "╭" in seen and "No such option: --bogus" in seen


# --- messages on a pipe: one line, prefixed --------------------------------------------------


def test_a_failing_verify_on_a_pipe_is_one_prefixed_line_at_80_columns(account: Path) -> None:
    """It used to wrap onto two lines, without `limitlab: `."""
    conn = sqlite3.connect(account)
    with conn:
        conn.execute("UPDATE loans SET outstanding_principal_fen = 1")
    conn.close()
    env = {**os.environ, "COLUMNS": "80"}
    for lang, words in (("en", "Verification failed: loans"), ("zh", "校验失败：loans")):
        result = limitlab("--db", account, "verify", "--lang", lang, env=env)
        assert len(one_line(result, 1, words)) > 80


def test_a_long_note_on_a_pipe_is_not_wrapped(account: Path, tmp_path: Path) -> None:
    policy = tmp_path / "p.toml"
    policy.write_text("score_base = 250\n", encoding="utf-8")
    result = limitlab(
        "--db", account, "--policy", policy, "status", env={**os.environ, "COLUMNS": "80"}
    )
    assert result.returncode == 0, result.stderr
    note = [
        line for line in result.stderr.splitlines() if "differs from the account's policy" in line
    ]
    assert len(note) == 1 and note[0].endswith("uses the account's policy."), result.stderr


# --- 13. temporary copies a kill left behind are cleaned up at the next run -------------------

_HOLD = """
import sys, time
from limitlab.core.store import scratch_folder
with scratch_folder(sys.argv[1]) as folder:
    print(folder, flush=True)
    time.sleep(120)
"""


def _holder(prefix: str, env: dict[str, str]) -> tuple[subprocess.Popen[str], Path]:
    """Another process using a scratch folder of `prefix`, as a what-if or a verify does."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD, prefix], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    return proc, Path(proc.stdout.readline().strip())


def _stop(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def _long_ago(*folders: Path) -> None:
    """Older than any age rule of the sweep: only a held lock keeps such a folder."""
    old = time.time() - 3600
    for folder in folders:
        os.utime(folder, (old, old))


def test_a_killed_what_if_leaves_a_copy_the_next_what_if_removes(
    account: Path, tmp_path: Path
) -> None:
    """SIGKILL runs no clean-up: /tmp/limitlab-whatif-*/copy.db (+ -wal/-shm) used to stay
    for ever. The next what-if removes it, and never the folder another what-if is using."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    proc = subprocess.Popen(
        [LIMITLAB, "--db", str(account), "what-if", "advance --days 18000"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        _holding_the_write_lock(str(temp / "limitlab-whatif-*" / "copy.db"))(proc)
    finally:
        _stop(proc)  # SIGKILL in the middle of the copy's write
    (killed,) = temp.glob("limitlab-whatif-*")
    assert (killed / "copy.db").exists()
    live, used = _holder("limitlab-whatif-", env)
    try:
        _long_ago(killed, used)
        ok_env = limitlab("--db", account, "what-if", "wait 3", env=env)
        assert ok_env.returncode == 0, ok_env.stderr
        assert not killed.exists()
        assert used.exists()  # still in use: left alone however old
    finally:
        _stop(live)


def test_a_killed_verify_leaves_a_replay_the_next_verify_removes(
    account: Path, tmp_path: Path
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    killed_proc, killed = _holder("limitlab-verify-", env)
    _stop(killed_proc)  # SIGKILL while it held its folder
    (killed / "replay.db").write_bytes(b"half a replay")
    young_proc, young = _holder("limitlab-verify-", env)
    _stop(young_proc)  # abandoned a moment ago: may be a verify between mkdtemp and its lock
    lockless = temp / "limitlab-verify-older"  # an older limitlab's, no lock file: by age alone
    lockless.mkdir()
    live, used = _holder("limitlab-verify-", env)
    try:
        _long_ago(killed, used, lockless)
        result = limitlab("--db", account, "verify", env=env)
        assert result.returncode == 0, result.stderr
        assert not killed.exists() and not lockless.exists()
        assert used.exists() and young.exists()
        assert limitlab("--db", account, "what-if", "wait 1", env=env).returncode == 0
        assert young.exists()  # another command's folders are not what-if's to sweep
    finally:
        _stop(live)
