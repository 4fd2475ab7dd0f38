"""The lesson is wired: --db after the command name, a scenario's account left where the
commands it prints find it, narration that wraps and says the run's own figures, and
`limitlab lesson` playing the 45-minute plan."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer.main
from limitlab.cli.main import app
from typer.testing import CliRunner

#: Commands whose --db is the lesson's own file (not the account), or that take none.
OWN_DB = {"scenario run", "demo", "lesson"}


def _walk(command: Any, words: str = "") -> Any:
    subs = getattr(command, "commands", None)
    if subs is None:
        yield words, command
        return
    for name, sub in subs.items():
        yield from _walk(sub, f"{words} {name}".strip())


def test_every_command_takes_db_after_its_name() -> None:
    root = typer.main.get_command(app)
    without = [
        words
        for words, command in _walk(root)
        if words not in OWN_DB and "--db" not in {o for p in command.params for o in p.opts}
    ]
    assert without == []


def test_db_after_the_command_wins_over_the_global_one_and_is_checked_alike(
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    db, other = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    assert runner.invoke(app, ["init", "--income", "8000", "--db", db]).exit_code == 0
    done = runner.invoke(
        app, ["--db", other, "platform", "tighten", "--factor", "0.5", "--days", "3", "--db", db]
    )
    assert done.exit_code == 0, done.output
    assert not Path(other).exists()
    listed = runner.invoke(app, ["platform", "list", "--json", "--db", db])
    assert '"factor"' in listed.stdout
    empty = runner.invoke(app, ["--db", db, "status", "--db", ""])
    assert empty.exit_code == 2
    assert "--db is empty" in empty.output
    missing = runner.invoke(app, ["status", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 4


def _printed_commands(output: str) -> list[list[str]]:
    return [shlex.split(line) for line in output.splitlines() if line.startswith("  limitlab ")]


@pytest.mark.parametrize("args", [["scenario", "run", "overdue-spiral"], ["demo", "--lang", "zh"]])
def test_a_lesson_ends_with_commands_that_work_on_its_account(args: list[str]) -> None:
    runner = CliRunner()
    played = runner.invoke(app, args)
    assert played.exit_code == 0, played.output
    assert "Demo finished" not in played.output
    commands = _printed_commands(played.output)
    assert len(commands) >= 5
    paths = {words[words.index("--db") + 1] for words in commands}
    assert len(paths) == 1 and Path(paths.pop()).is_file()
    for words in commands:
        result = runner.invoke(app, words[1:])
        assert result.exit_code == 0, (words, result.output)


def test_scenario_run_again_replaces_its_own_default_file() -> None:
    runner = CliRunner()
    for _ in range(2):
        assert runner.invoke(app, ["scenario", "run", "drawn-down"]).exit_code == 0


def test_narration_wraps_under_its_number_and_only_narrated_steps_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    out = CliRunner().invoke(app, ["scenario", "run", "multi-lender"]).output
    said = [line for line in out.splitlines() if re.match(r"\d\. [A-Z]", line)]
    numbers = [int(line.split(".")[0]) for line in said if "(you)" not in line]
    assert numbers == list(range(1, 8))  # 8 steps, 7 narrated: no number skipped
    assert "…" not in out
    third = out[out.index("3. The third lender") :].splitlines()
    block = third[: next(i for i, line in enumerate(third) if line.startswith("$ "))]
    assert len(block) >= 3 and all(line.startswith("   ") for line in block[1:])  # hanging
    assert all(len(line.rstrip()) <= 60 for line in block)


def test_narration_says_the_runs_own_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    out = CliRunner().invoke(app, ["scenario", "run", "multi-lender"]).output
    reviewed = re.findall(r"Added JD; the limit was reviewed: (¥[\d,.]+)\.", out)[0]
    before = re.findall(r"Added Weilidai; the limit was reviewed: (¥[\d,.]+)\.", out)[0]
    old, new = (float(x.strip("¥").replace(",", "")) for x in (before, reviewed))
    change = f"−{round((old - new) / old * 100)}%"
    assert f"{before} → {reviewed} ({change})." in out
    zh = CliRunner().invoke(app, ["scenario", "run", "multi-lender", "--lang", "zh"]).output
    assert f"{before} → {reviewed}（{change}）。" in zh


def _lesson(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(f'title = "t"\ntitle_zh = "t"\nstart = "2026-01-05"\n{body}', "utf-8")
    return path


def test_an_unknown_figure_in_a_narration_is_refused_naming_the_step(tmp_path: Path) -> None:
    path = _lesson(
        tmp_path, '[[steps]]\nshow = "status"\n\n[[steps]]\nsay_zh = "{limt}"\nshow = "why"\n'
    )
    result = CliRunner().invoke(app, ["scenario", "check", str(path)])
    assert result.exit_code == 2
    assert "steps[2].say_zh" in result.output and "limt" in result.output


def test_a_cut_the_lesson_expects_must_be_in_force(tmp_path: Path) -> None:
    path = _lesson(
        tmp_path, '[[steps]]\ndo = "borrow 1000 --yes"\nexpect = { cuts = ["HIGH_DTI"] }\n'
    )
    result = CliRunner().invoke(app, ["scenario", "check", str(path)])
    assert result.exit_code == 1
    assert "cuts should include HIGH_DTI" in result.output


def test_the_lesson_plays_a_section_with_its_title_minutes_and_follow_ups() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["lesson", "going-wrong"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("20–30 min · When things go wrong")
    assert "Income drop → missed autopay" in result.output
    assert "$ limitlab notice --db " in result.output
    assert "Notice of a credit-limit decision" in result.output
    zh = runner.invoke(app, ["lesson", "credit-line", "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    assert zh.output.startswith("0–5 分钟 · 什么是信用额度")
    unknown = runner.invoke(app, ["lesson", "nope"])
    assert unknown.exit_code == 2
    assert "credit-line, the-limit" in unknown.output


def test_the_whole_lesson_plays_every_section_in_order() -> None:
    result = CliRunner().invoke(app, ["lesson"])
    assert result.exit_code == 0, result.output
    minutes = re.findall(r"^(\d+–\d+) min · ", result.output, re.M)
    assert minutes == ["0–5", "5–12", "12–20", "20–30", "30–37", "37–43", "43–45"]
