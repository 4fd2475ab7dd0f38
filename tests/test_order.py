"""A played session (`scenario run`, `demo`, `lesson`) prints in one order on a terminal, a
pipe and a file: the title, then for each step its narration, its `$ command` line and only
then the command's screen. On a terminal the session's own lines used to be held for the
pager while the commands it ran printed at once, so every screen came before its words."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

LIMITLAB = str(Path(sys.executable).parent / "limitlab")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")

#: maintenance.toml as a reader follows it: each marker after the one before.
MAINTENANCE = [
    "A maintenance window",
    "$ limitlab init --start 2026-01-05",
    "Account on 2026-01-05",  # init's screen
    "1. The platform announces two days of maintenance.",
    "$ limitlab platform maintenance --days 2",
    "2. Borrowing is refused",
    "$ limitlab borrow 2000 --yes",
    "Borrowing suspended for maintenance",  # the refusal
    "$ limitlab why",
    "From base limit to available",  # why's screen
    "3. Two days later it works again.",
    "$ limitlab advance --days 2",
    "Account on 2026-01-07",
    "$ limitlab borrow 2000 --yes",
    "Quote:",
]


def env_for(tmp_path: Path, lang: str = "en", columns: int = 100) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIMITLAB", "LESS"))}
    env.pop("PAGER", None)  # the default pager, as a new user has it
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        LIMITLAB_LANG=lang,
        COLUMNS=str(columns),
        LINES="40",
        TERM="xterm",
        NO_COLOR="1",
    )
    return env


def on_terminal(
    args: list[str], env: dict[str, str], *, columns: int = 100, prompt: str | None = None
) -> tuple[str, list[str]]:
    """Run `limitlab ARGS` with stdin, stdout and stderr on one pty `columns` wide. Each time
    `prompt` shows, what was shown up to then is noted and Enter is pressed. The whole
    transcript (escape codes and CRs removed) and the notes."""
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    proc = subprocess.Popen(
        [LIMITLAB, *args],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env=env,
        cwd=env["HOME"],
        start_new_session=True,
    )
    os.close(secondary)
    seen, notes, answered = "", [], 0
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline:
            if not select.select([primary], [], [], 1.0)[0]:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            seen += chunk.decode("utf-8", "replace")
            if prompt is not None and seen.count(prompt) > answered:
                answered += 1
                notes.append(ANSI.sub("", seen))
                os.write(primary, b"\n")
        proc.wait(timeout=60)
    finally:
        os.close(primary)
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, ANSI.sub("", seen)[-3000:]
    return ANSI.sub("", seen), notes


def piped(args: list[str], env: dict[str, str]) -> str:
    """stdout and stderr into one pipe, as `limitlab … 2>&1 | less` reads them."""
    done = subprocess.run(
        [LIMITLAB, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=env["HOME"],
        timeout=240,
        check=False,
    )
    out = done.stdout.decode()
    assert done.returncode == 0, out[-3000:]
    return out


def assert_in_order(transcript: str, markers: list[str]) -> None:
    at = 0
    for marker in markers:
        found = transcript.find(marker, at)
        assert found >= 0, f"{marker!r} is not after {transcript[max(0, at - 300) : at]!r}"
        at = found + len(marker)


def test_a_scenario_on_a_terminal_shows_each_screen_after_its_command(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    shown, _ = on_terminal(["scenario", "run", "maintenance", "--db", "m.db"], env)
    assert_in_order(shown, MAINTENANCE)


def test_a_scenario_through_a_pipe_and_into_a_file_keeps_the_same_order(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    assert_in_order(piped(["scenario", "run", "maintenance", "--db", "m.db"], env), MAINTENANCE)
    out = tmp_path / "out.txt"
    with out.open("wb") as file:
        subprocess.run(
            [LIMITLAB, "scenario", "run", "maintenance", "--db", "f.db"],
            stdin=subprocess.DEVNULL,
            stdout=file,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=env["HOME"],
            timeout=240,
            check=True,
        )
    assert_in_order(out.read_text(), MAINTENANCE)


def test_with_step_each_pause_comes_after_the_command_line_and_before_its_screen(
    tmp_path: Path,
) -> None:
    env = env_for(tmp_path)
    prompt = "(Enter for the next step)"
    shown, notes = on_terminal(
        ["scenario", "run", "maintenance", "--db", "m.db", "--step"], env, prompt=prompt
    )
    assert_in_order(shown, MAINTENANCE)
    assert len(notes) == 5  # one pause before each step after init
    # at the pause before `why`: its narration-less command line is out, its screen is not
    before_why = next(n for n in notes if n.rstrip().endswith(prompt) and "$ limitlab why" in n)
    assert "From base limit to available" not in before_why
    # the pause before the last borrow: the advance's screen is out, the borrow's quote is not
    last = notes[-1]
    assert "Account on 2026-01-07" in last
    assert "Quote:" not in last
    assert last.rstrip().endswith(f"$ limitlab borrow 2000 --yes --db m.db\n{prompt}".rstrip())


FIGURES = """\
title = "Figures"
title_zh = "数字"
start = "2026-01-05"

[[steps]]
say = "Borrow: {available} is left."
say_zh = "借款：剩余 {available}。"
do = "borrow 20000 --term 12 --yes"

[[steps]]
show = "score"
"""


def test_a_narration_with_the_steps_own_figures_still_comes_before_its_command(
    tmp_path: Path,
) -> None:
    """Such a narration is known only once the step ran: the step's output is kept until
    the narration and its command line are out."""
    env = env_for(tmp_path)
    lesson = Path(env["HOME"]) / "figures.toml"
    lesson.write_text(FIGURES, encoding="utf-8")
    markers = [
        "Figures",
        "1. Borrow: ¥4,000.00 is left.",  # ¥24,000 − ¥20,000 (the default profile's limit)
        "$ limitlab borrow 20000 --term 12 --yes",
        "Quote: ¥20,000.00 over 12 months",
        "Borrowed ¥20,000.00 as loan #1",  # a message on stderr, in its place
        "$ limitlab score",
    ]
    assert_in_order(piped(["scenario", "run", str(lesson), "--db", "p.db"], env), markers)
    shown, _ = on_terminal(["scenario", "run", str(lesson), "--db", "t.db"], env)
    assert_in_order(shown, markers)


def test_the_demo_in_chinese_on_a_terminal(tmp_path: Path) -> None:
    env = env_for(tmp_path, "zh", 100)
    shown, _ = on_terminal(["demo", "--db", "dm.db", "--lang", "zh"], env)
    assert_in_order(
        shown,
        [
            "完整一课",
            "$ limitlab init --start 2026-01-05",
            "账户概况（2026-01-05）",
            "1. 支用大部分额度",
            "$ limitlab borrow 30000 --term 12",
            "报价：¥30,000.00",
            "2. 可借额度所剩无几",
            "$ limitlab status --db dm.db --lang zh",
            "3. 申请借款 ¥5,000",
            "$ limitlab borrow 5000 --yes --db dm.db --lang zh",
        ],
    )
    assert_command_lines_whole(shown)


def test_a_lesson_section_on_a_terminal(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    shown, _ = on_terminal(["lesson", "the-limit"], env)
    assert_in_order(
        shown,
        [
            "5–12 min",
            "Drawn down: your own loans use the limit",
            "$ limitlab init --start 2026-01-05",
            "Account on 2026-01-05",
            "1. Borrow the whole limit over 12 months.",
            "$ limitlab borrow 24000 --term 12 --yes",
            "Quote: ¥24,000.00 over 12 months",
            "$ limitlab why",
            "From base limit to available",
            "$ limitlab score --db",  # the follow-up, on the scenario's account
            "Score 642 (good) on 2026-01-05",
        ],
    )


# --- the `$ command` line in Chinese ---------------------------------------------------------


def assert_command_lines_whole(transcript: str) -> None:
    """`$` is never alone on its line, and a command line that fits is one line."""
    lines = transcript.splitlines()
    for n, line in enumerate(lines):
        assert line.strip() != "$", lines[max(0, n - 2) : n + 3]
        if line.startswith("$ limitlab"):
            assert not lines[n + 1].startswith("limitlab"), lines[n : n + 2]


@pytest.mark.parametrize("columns", [80, 100, 120])
def test_in_chinese_the_dollar_stays_with_its_command(tmp_path: Path, columns: int) -> None:
    env = env_for(tmp_path, "zh", columns)
    out = piped(["scenario", "run", "drawn-down", "--db", "d.db", "--lang", "zh"], env)
    assert_command_lines_whole(out)
    init = next(line for line in out.splitlines() if line.startswith("$ limitlab init"))
    assert len(init) > columns - 20  # filled up to the width, broken only at a space
    assert "$ limitlab borrow 24000 --term 12 --yes --db d.db --lang zh\n" in out  # one line


def test_an_export_of_the_session_keeps_the_same_order(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    lesson = Path(env["HOME"]) / "figures.toml"
    lesson.write_text(FIGURES, encoding="utf-8")
    piped(["scenario", "run", str(lesson), "--db", "e.db", "--export", "e.txt"], env)
    saved = (Path(env["HOME"]) / "e.txt").read_text(encoding="utf-8")
    assert_in_order(
        saved,
        [
            "1. Borrow: ¥4,000.00 is left.",
            "$ limitlab borrow 20000 --term 12 --yes",
            "Quote: ¥20,000.00 over 12 months",
            "$ limitlab score",
        ],
    )
