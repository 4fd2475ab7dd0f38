"""The README's tour is real output: its commands run in order, as a user types them, through
the installed `limitlab` (NO_COLOR=1, COLUMNS=100, one fresh account), and what each prints is
what the README shows. `python -m tests.test_readme` writes the tour anew from this version."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
LIMITLAB = str(Path(sys.executable).parent / "limitlab")
#: The tour: the first console block after its heading.
TOUR = re.compile(r"(## A tour\n.*?```console\n)(?P<block>.*?)(```\n)", re.S)
EXIT = re.compile(r"#\s*exit code (\d+)")


def _steps(block: str) -> list[tuple[str, str]]:
    """(the command line as shown, what it printed) for each `$ limitlab …` of the block."""
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line, []))
        elif steps:
            steps[-1][1].append(line)
    return [(typed, "\n".join(out).strip("\n")) for typed, out in steps]


def _run(typed: str, db: str) -> tuple[int, str]:
    words = shlex.split(typed[2:], comments=True)
    assert words[0] == "limitlab", typed
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "COLUMNS": "100",
        "LIMITLAB_DB": db,
        "TERM": "dumb",
    }
    for name in ("LIMITLAB_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        env.pop(name, None)
    done = subprocess.run(
        [LIMITLAB, *words[1:]],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    shown = "\n".join(line.rstrip() for line in done.stdout.splitlines()).strip("\n")
    return done.returncode, shown


def _wanted_exit(typed: str) -> int:
    found = EXIT.search(typed)
    return int(found.group(1)) if found else 0


def play(block: str) -> list[tuple[str, int, str]]:
    with tempfile.TemporaryDirectory(prefix="limitlab-readme-") as folder:
        db = os.path.join(folder, "account.db")
        return [(typed, *_run(typed, db)) for typed, _ in _steps(block)]


def test_the_readme_tour_is_what_limitlab_prints() -> None:
    found = TOUR.search(README.read_text(encoding="utf-8"))
    assert found, "README has no tour"
    steps = _steps(found["block"])
    assert len(steps) >= 8
    for (typed, shown), (_, code, printed) in zip(steps, play(found["block"]), strict=True):
        assert code == _wanted_exit(typed), (typed, printed)
        assert printed == shown, f"{typed}\n--- README\n{shown}\n--- limitlab\n{printed}"


#: The 45-minute lesson: its table, up to the next paragraph.
LESSON = re.compile(r"\*\*A 45-minute lesson\.\*\*.*?\n\n(?P<table>\|.*?)\n\n", re.S)
#: A command of the lesson: a code span that starts with `limitlab `, maybe "(exit code N)".
LESSON_COMMAND = re.compile(r"`(?P<typed>limitlab [^`]+)`(?: \(exit code (?P<exit>\d+)\))?")


def lesson_commands(readme: str) -> list[tuple[str, int]]:
    """(command line, exit code the README says) of each command of the lesson, in order."""
    found = LESSON.search(readme)
    assert found, "README has no lesson plan"
    return [(m["typed"], int(m["exit"] or 0)) for m in LESSON_COMMAND.finditer(found["table"])]


def test_the_readme_lesson_runs_as_written_in_a_fresh_home_and_folder() -> None:
    """As a teacher types it on a new machine: the installed command, an empty home (the
    user data directory in it) and working folder, no LIMITLAB_* set."""
    commands = lesson_commands(README.read_text(encoding="utf-8"))
    assert len(commands) >= 14
    with tempfile.TemporaryDirectory(prefix="limitlab-lesson-") as folder:
        home, work = Path(folder, "home"), Path(folder, "work")
        home.mkdir()
        work.mkdir()
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "NO_COLOR": "1"}
        env |= {"COLUMNS": "100", "TERM": "dumb"}
        for typed, wanted in commands:
            words = shlex.split(typed)
            done = subprocess.run(
                [LIMITLAB, *words[1:]],
                capture_output=True,
                stdin=subprocess.DEVNULL,
                text=True,
                env=env,
                cwd=work,
                timeout=120,
                check=False,
            )
            assert done.returncode == wanted, (typed, done.stdout[-2000:], done.stderr)
            assert ": exit code" not in done.stdout, (typed, done.stdout)  # a what-if action
        assert (work / "lesson.svg").is_file()
        assert (home / ".local/share/limitlab/account.db").exists() is False


def main() -> None:
    """Write the tour anew: the same commands, this version's output."""
    text = README.read_text(encoding="utf-8")
    found = TOUR.search(text)
    assert found
    parts = []
    for typed, code, printed in play(found["block"]):
        assert code == _wanted_exit(typed), (typed, code, printed)
        parts.append(typed + ("\n" + printed if printed else ""))
    block = "\n\n".join(parts) + "\n"
    README.write_text(text[: found.start("block")] + block + text[found.end("block") :], "utf-8")


if __name__ == "__main__":
    main()
