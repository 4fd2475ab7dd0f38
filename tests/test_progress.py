"""Long work shows a progress bar on a terminal's stderr, and nothing on a pipe."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

LIMITLAB = str(Path(sys.executable).parent / "limitlab")


def test_a_long_advance_prints_no_bar_on_a_pipe(cli: Any) -> None:
    cli.init()
    result = cli("advance", "--days", "400")
    assert result.exit_code == 0
    assert "Simulating" not in result.stderr


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
        seen = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
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
    assert b'"available_fen": 2900000' in proc.stdout
