"""Long work shows a progress bar on a terminal's stderr, and nothing on a pipe."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

LIMITLAB = str(Path(sys.executable).parent / "limitlab")


def test_a_long_advance_prints_no_bar_on_a_pipe(cli: Any) -> None:
    cli.init()
    result = cli("advance", "--days", "400")
    assert result.exit_code == 0
    assert "Simulating" not in result.stderr


def drain(primary: int, timeout: float | None = None) -> bytes:
    """What a pty shows: read until its other end closes, or with `timeout`, until nothing
    more comes for that long."""
    seen = b""
    while timeout is None or select.select([primary], [], [], timeout)[0]:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    return seen


def new_account(tmp_path: Path) -> str:
    """A new account made by the installed command; its database path."""
    db = str(tmp_path / "a.db")
    subprocess.run(
        [LIMITLAB, "--db", db, "init", "--start", "2026-01-05"], check=True, capture_output=True
    )
    return db


def test_a_long_advance_draws_a_bar_on_a_terminal(tmp_path: Path) -> None:
    db = new_account(tmp_path)
    primary, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [LIMITLAB, "--db", db, "advance", "--days", "400"],
            stdout=subprocess.DEVNULL,
            stderr=secondary,
            timeout=60,
            check=False,
        )
        os.close(secondary)
        seen = drain(primary)
    finally:
        os.close(primary)
    assert proc.returncode == 0
    assert b"Simulating days" in seen
    assert b"400/400" in seen


def test_what_if_never_waits_for_a_prompt_on_a_terminal(tmp_path: Path) -> None:
    """A nested `borrow` would ask "Borrow …?" into captured output and wait forever."""
    db = new_account(tmp_path)
    primary, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [LIMITLAB, "--db", db, "what-if", "borrow 3000", "--json"],
            stdin=secondary,
            capture_output=True,
            timeout=30,
            check=False,
        )
    finally:
        os.close(secondary)
        os.close(primary)
    assert proc.returncode == 0, proc.stderr
    assert b'"available_fen": 2100000' in proc.stdout  # ¥24,000 − ¥3,000


def _at_the_borrow_prompt(tmp_path: Path, then: Any) -> tuple[int, bytes]:
    """`borrow 3000` on a terminal, stopped at its "Borrow …?" prompt; `then(proc, primary)`
    answers it. The exit code, and what the terminal showed."""
    db = new_account(tmp_path)
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [LIMITLAB, "--db", db, "borrow", "3000"],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        # a test run in the background inherits SIGINT ignored; the user's terminal does not
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    seen = b""
    try:
        deadline = time.monotonic() + 30
        while b"[y/N]" not in seen and time.monotonic() < deadline:
            if select.select([primary], [], [], 0.5)[0]:
                seen += os.read(primary, 65536)
        assert b"[y/N]" in seen, seen
        then(proc, primary)
        code = proc.wait(timeout=30)
        seen += drain(primary, timeout=0.2)
    finally:
        proc.kill()
        os.close(secondary)
        os.close(primary)
    return code, seen


def test_ctrl_c_at_a_prompt_is_interrupted_130(tmp_path: Path) -> None:
    code, seen = _at_the_borrow_prompt(tmp_path, lambda proc, _: proc.send_signal(signal.SIGINT))
    assert code == 130
    assert b"Interrupted; nothing was half-written." in seen


def test_end_of_input_at_a_prompt_is_no_with_0(tmp_path: Path) -> None:
    code, seen = _at_the_borrow_prompt(tmp_path, lambda _, primary: os.write(primary, b"\x04"))
    assert code == 0
    assert b"No answer (end of input): nothing was borrowed." in seen
    assert b"Traceback" not in seen
