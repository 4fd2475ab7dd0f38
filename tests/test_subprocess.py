"""The installed console script and `python -m limitlab.cli`, run as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

LIMITLAB = Path(sys.executable).parent / "limitlab"


@pytest.fixture
def env() -> dict[str, str]:
    """The test's environment (NO_COLOR, COLUMNS and LIMITLAB_DB from conftest) as a dict."""
    return dict(os.environ)


def run(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_the_console_script_is_installed() -> None:
    assert LIMITLAB.is_file(), LIMITLAB
    assert os.access(LIMITLAB, os.X_OK)


def test_version_from_the_console_script(env: dict[str, str]) -> None:
    result = run(env, LIMITLAB, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"limitlab {version('limitlab')}"


def test_version_from_python_dash_m(env: dict[str, str]) -> None:
    result = run(env, sys.executable, "-m", "limitlab.cli", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"limitlab {version('limitlab')}"


def test_help_exits_0_with_examples(env: dict[str, str]) -> None:
    result = run(env, LIMITLAB, "--help")
    assert result.returncode == 0, result.stderr
    assert "Example" in result.stdout
    assert result.stderr == ""


def test_a_short_life_through_real_processes(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "life.db"
    assert run(env, LIMITLAB, "--db", db, "init", "--start", "2026-01-05").returncode == 0
    borrow = run(env, LIMITLAB, "--db", db, "borrow", "22000", "--json")  # stdin not a tty
    assert borrow.returncode == 0, borrow.stderr
    assert json.loads(borrow.stdout)["loan_id"] == 1
    status = run(env, LIMITLAB, "--db", db, "status", "--json")
    assert json.loads(status.stdout)["available_fen"] == 200_000  # ¥24,000 − ¥22,000
    refused = run(env, LIMITLAB, "--db", db, "borrow", "5000", "--yes", "--lang", "zh")
    assert refused.returncode == 3
    assert "额度不足" in refused.stderr
    assert run(env, LIMITLAB, "--db", db, "verify").returncode == 0


def test_bad_input_in_chinese_is_one_line_and_exit_2(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    assert run(env, LIMITLAB, "--db", db, "init", "--start", "2026-01-05").returncode == 0
    before = db.read_bytes()
    for args in (("--lang", "zh", "borrow", "abc"), ("borrow", "abc", "--lang", "zh")):
        result = run(env, LIMITLAB, "--db", db, *args)
        assert result.returncode == 2
        assert result.stderr.startswith("limitlab: 不是有效金额")
        assert result.stderr.count("\n") == 1
    assert db.read_bytes() == before


def test_a_missing_database_exits_4_and_creates_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    db = tmp_path / "sub" / "none.db"
    result = run(env, LIMITLAB, "--db", db, "status")
    assert result.returncode == 4
    assert "limitlab init" in result.stderr
    assert "Traceback" not in result.stderr
    assert not db.parent.exists()


def test_limitlab_db_environment_variable_picks_the_file(
    env: dict[str, str], tmp_path: Path
) -> None:
    env["LIMITLAB_DB"] = str(tmp_path / "from-env.db")
    assert run(env, LIMITLAB, "init", "--start", "2026-01-05").returncode == 0
    assert (tmp_path / "from-env.db").is_file()


def test_demo_in_english(env: dict[str, str], tmp_path: Path) -> None:
    result = run(env, LIMITLAB, "demo", "--db", tmp_path / "demo.db")
    assert result.returncode == 0, result.stderr[-2000:]
    output = result.stdout + result.stderr
    assert "Limit used up" in output or "Not enough limit" in output
    assert "$ limitlab borrow" in output
    assert "额度" not in output


def test_demo_in_chinese(env: dict[str, str], tmp_path: Path) -> None:
    result = run(env, LIMITLAB, "demo", "--db", tmp_path / "demo.db", "--lang", "zh")
    assert result.returncode == 0, result.stderr[-2000:]
    output = result.stdout + result.stderr
    assert "额度" in output
    assert "Limit used up" not in output and "Not enough limit" not in output


def test_an_account_with_its_own_policy_reads_back_in_a_new_process(
    env: dict[str, str], tmp_path: Path
) -> None:
    """Each command is a fresh interpreter: the stored policy is decoded there before anything
    has validated a policy (the decoder must not depend on what ran earlier)."""
    db, toml = tmp_path / "own.db", tmp_path / "strict.toml"
    toml.write_text("grace_days = 5\nraise_clean_months = 6\n")
    assert (
        run(env, LIMITLAB, "--db", db, "--policy", toml, "init", "--start", "2026-01-05").returncode
        == 0
    )
    shown = run(env, LIMITLAB, "--db", db, "--json", "policy", "show")
    assert shown.returncode == 0, shown.stderr
    policy = json.loads(shown.stdout)
    assert (policy["grace_days"], policy["raise_clean_months"]) == (5, 6)
    for args in (("status",), ("why",), ("advance", "--days", "40"), ("verify",)):
        result = run(env, LIMITLAB, "--db", db, *args)
        assert result.returncode == 0, (args, result.stderr)


def test_shell_completion_script_and_answers(env: dict[str, str]) -> None:
    # typer names the shell that runs limitlab (shellingham reads the parent processes) and
    # takes "bash" as an argument only where it cannot: run it from bash, as a user does (a
    # test run with no shell above it, a detached or nohup one, got "Shell  not supported.")
    script = run(env, "bash", "-c", '"$0" --show-completion bash; code=$?; exit $code', LIMITLAB)
    assert script.returncode == 0, script.stderr
    assert "_limitlab_completion" in script.stdout
    for words, cword, expected in (
        ("limitlab st", "1", ["status"]),
        ("limitlab wallet d", "2", ["deposit"]),
        ("limitlab scenario ", "2", ["list", "run", "check"]),
    ):
        answered = run(
            {
                **env,
                "_LIMITLAB_COMPLETE": "complete_bash",
                "COMP_WORDS": words,
                "COMP_CWORD": cword,
            },
            LIMITLAB,
        )
        assert answered.returncode == 0, answered.stderr
        assert answered.stdout.split() == expected, words
