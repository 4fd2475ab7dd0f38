"""On a terminal (issue 14 items 6-7): borrow's question (rules first, on stderr, both
languages, default No, Ctrl-D) and long screens through the pager. CliRunner where the
terminal can be pretended, a real pseudo-terminal where it cannot."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from limitlab.cli.prompt import answer

LIMITLAB = Path(sys.executable).parent / "limitlab"
posix_only = pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")


@pytest.fixture
def asking(monkeypatch: pytest.MonkeyPatch) -> None:
    """borrow runs as on a terminal: it asks."""
    import limitlab.cli.commands.borrowing as borrowing

    monkeypatch.setattr(borrowing, "interactive", lambda: True)


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("y", True), ("YES\n", True), (" 是 ", True), ("是的", True), ("好", True),
        ("n", False), ("No", False), ("否", False), ("\n", False), ("\u3000", False),
        ("maybe", None), ("yess", None), ("是否", None),
    ],
)  # fmt: skip
def test_answers_in_either_language_and_enter_is_no(line: str, said: bool | None) -> None:
    assert answer(line) is said


def test_yes_books_the_loan_and_the_question_is_on_stderr(cli: Any, asking: None) -> None:
    cli.init()
    result = cli("borrow", "5000", "--lang", "zh", input="是\n")
    assert result.exit_code == 0, result.output
    assert "[是/否，默认否]" in result.stderr and "[是/否" not in result.stdout
    assert "报价" in result.stdout or "¥5,000.00" in result.stdout
    assert cli.json("status")["used_fen"] == 500_000


@pytest.mark.parametrize("typed", ["\n", "n\n", "否\n"])
def test_enter_or_no_borrows_nothing(cli: Any, asking: None, typed: str) -> None:
    cli.init()
    result = cli("borrow", "5000", input=typed)
    assert result.exit_code == 0, result.output
    assert "[y/N]" in result.stderr
    assert "Cancelled; nothing was borrowed." in result.stderr
    assert cli.json("status")["used_fen"] == 0


@pytest.mark.parametrize(
    ("lang", "again"),
    [("en", "Please answer y (yes) or n (no)"), ("zh", "请回答“是”或“否”")],
)
def test_bad_input_is_answered_in_the_users_language_and_asked_again(
    cli: Any, asking: None, lang: str, again: str
) -> None:
    cli.init()
    result = cli("borrow", "5000", "--lang", lang, input="maybe\nyes\n")
    assert result.exit_code == 0, result.output
    assert result.stderr.count(again) == 1
    assert result.stderr.count("[y/N]" if lang == "en" else "[是/否，默认否]") == 2
    assert cli.json("status")["used_fen"] == 500_000


def test_the_end_of_input_is_no_with_one_line_and_exit_0(cli: Any, asking: None) -> None:
    cli.init()
    result = cli("borrow", "5000", input="")
    assert result.exit_code == 0, result.output
    assert "No answer (end of input): nothing was borrowed." in result.stderr
    assert "Traceback" not in result.output
    assert cli.json("status")["used_fen"] == 0


def test_a_refusal_the_rules_know_shows_no_quote_and_asks_nothing(cli: Any, asking: None) -> None:
    cli.init()
    result = cli("borrow", "40000", input="y\n")
    assert result.exit_code == 3
    assert result.stdout == ""  # no quote
    assert "[y/N]" not in result.stderr
    assert "Not enough limit" in result.stderr
    quote = cli("borrow", "40000", "--quote")  # the quote stays on --quote
    assert quote.exit_code == 0 and "¥40,000.00" in quote.stdout


# --- real terminals ---------------------------------------------------------------------------


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PAGER", "LIMITLAB_PAGER")}
    return {**env, "NO_COLOR": "1", "COLUMNS": "100", **extra}


def _on_a_terminal(
    args: list[str], env: dict[str, str], answers: list[bytes], *, stdout_file: Path | None = None
) -> tuple[str, str, int]:
    """Run limitlab with stdin and stderr (and stdout, unless `stdout_file`) on a
    pseudo-terminal; type each answer once the terminal is quiet. (terminal text, stdout
    file text, exit code)."""
    import pty

    master, slave = pty.openpty()
    out = open(stdout_file, "wb") if stdout_file else None  # noqa: SIM115
    proc = subprocess.Popen(
        [str(LIMITLAB), *args],
        stdin=slave,
        stdout=out or slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # the child is gone (EIO)
                break
            if not data:
                break
            seen += data
        elif proc.poll() is not None:
            break
        elif answers:
            os.write(master, answers.pop(0))
    code = proc.wait(timeout=30)
    os.close(master)
    if out:
        out.close()
    written = stdout_file.read_text() if stdout_file else ""
    return seen.decode(errors="replace"), written, code


@posix_only
def test_the_question_is_on_the_terminal_when_stdout_goes_to_a_file(
    cli: Any, tmp_path: Path
) -> None:
    cli.init()
    shown, written, code = _on_a_terminal(
        ["--db", str(cli.db), "borrow", "5000"],
        _env(tmp_path),
        [b"perhaps\n", b"\x04"],  # a bad answer, then Ctrl-D
        stdout_file=tmp_path / "out.txt",
    )
    assert code == 0
    assert "Total interest" in written and "[y/N]" not in written  # the quote went to the file
    assert shown.count("[y/N]") == 2 and "Please answer y (yes) or n (no)" in shown
    assert "No answer (end of input): nothing was borrowed." in shown
    assert "Traceback" not in shown
    assert cli.json("status")["used_fen"] == 0


@pytest.fixture
def long_history(cli: Any) -> Any:
    """An account whose history is well over 40 lines."""
    cli.init()
    assert cli("borrow", "5000", "--yes").exit_code == 0
    assert cli("advance", "--months", "14").exit_code == 0
    return cli


MARK = "sed s/^/PAGED:/"  # a pager that shows it was used


@posix_only
def test_a_long_screen_goes_through_the_pager_on_a_terminal_only(
    long_history: Any, tmp_path: Path
) -> None:
    db = str(long_history.db)
    shown, _, code = _on_a_terminal(["--db", db, "history"], _env(tmp_path, PAGER=MARK), [])
    assert code == 0
    assert shown.count("PAGED:") >= 40
    assert "2026-01-05" in shown
    # LIMITLAB_PAGER first; --no-pager after the command or before it; --json never paged
    for args, extra in (
        (["history"], {"LIMITLAB_PAGER": "sed s/^/OURS:/", "PAGER": MARK}),
        (["history", "--no-pager"], {"PAGER": MARK}),
        (["--no-pager", "history"], {"PAGER": MARK}),
        (["history", "--json"], {"PAGER": MARK}),
    ):
        shown, _, code = _on_a_terminal(["--db", db, *args], _env(tmp_path, **extra), [])
        assert code == 0 and "PAGED:" not in shown, args
        assert "2026-01-05" in shown
    ours, _, _ = _on_a_terminal(
        ["--db", db, "history"], _env(tmp_path, LIMITLAB_PAGER="sed s/^/OURS:/", PAGER=MARK), []
    )
    assert ours.count("OURS:") >= 40
    # a short screen is not paged; a pipe is never paged
    short, _, _ = _on_a_terminal(["--db", db, "limits"], _env(tmp_path, PAGER=MARK), [])
    assert "PAGED:" not in short
    piped = subprocess.run(
        [str(LIMITLAB), "--db", db, "history"],
        env=_env(tmp_path, PAGER=MARK),
        capture_output=True,
        text=True,
        check=True,
    )
    assert "PAGED:" not in piped.stdout and piped.stdout.count("\n") >= 40


@posix_only
def test_a_pager_that_cannot_start_falls_back_to_plain_output(
    long_history: Any, tmp_path: Path
) -> None:
    shown, _, code = _on_a_terminal(
        ["--db", str(long_history.db), "history"],
        _env(tmp_path, PAGER="no-such-pager-anywhere --flag"),
        [],
    )
    assert code == 0
    assert "2026-01-05" in shown and shown.count("\n") >= 40
    assert "Traceback" not in shown


def test_an_exported_screen_is_never_held_for_the_pager(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from limitlab.cli import pager

    cli.init()
    monkeypatch.setattr(pager, "wanted", lambda: True)  # as on a terminal
    target = tmp_path / "why.txt"
    result = cli("why", "--export", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # the screen went into the file (one line on stderr says so)
    assert "¥32,000.00" in target.read_text(encoding="utf-8")
    assert pager._held == []
    held = cli("why")  # without --export the screen waits for the pager (flushed at exit)
    assert held.exit_code == 0 and held.stdout == ""
    assert "¥32,000.00" in "".join(pager._held)
    pager._held.clear()
