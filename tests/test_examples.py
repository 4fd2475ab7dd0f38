"""Every scenario in examples/ runs and its expectations hold; scenarios are the typed commands."""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from limitlab.cli.main import app
from limitlab.cli.scenario_file import load_scenario
from limitlab.core.store import BUSINESS_TABLES
from typer.testing import CliRunner

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*"))


def test_examples_folder_holds_only_scenarios() -> None:
    assert EXAMPLES, "examples/ is empty"
    assert all(p.suffix == ".toml" for p in EXAMPLES), EXAMPLES


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_runs_and_its_expectations_hold(path: Path) -> None:
    result = CliRunner().invoke(app, ["scenario", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert "hold" in result.stderr


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_has_narration_in_both_languages(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.title and scenario.title_zh
    narrated = [s for s in scenario.steps if s.say]
    assert narrated, "a lesson needs narration"
    assert all(s.say_zh for s in narrated)
    assert any(s.expect for s in scenario.steps), "a bundled scenario states what must hold"


def _rows(db: Path) -> dict[str, list[Any]]:
    conn = sqlite3.connect(db)
    try:
        return {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
            for t in BUSINESS_TABLES
            if t != "installments"
        } | {
            "installments": conn.execute(
                "SELECT * FROM installments ORDER BY loan_id, seq"
            ).fetchall()
        }
    finally:
        conn.close()


@pytest.mark.parametrize("name", ["drawn-down", "multi-lender", "overdue-spiral"])
def test_a_scenario_and_the_same_commands_typed_give_identical_databases(
    name: str, tmp_path: Path
) -> None:
    scenario = load_scenario(Path("examples") / f"{name}.toml")
    played, typed = tmp_path / "played.db", tmp_path / "typed.db"
    runner = CliRunner()
    result = runner.invoke(app, ["scenario", "run", name, "--db", str(played)])
    assert result.exit_code == 0, result.output

    commands = [scenario.profile.init_args(scenario.start)]
    commands += [shlex.split(step.do) for step in scenario.steps if step.do]
    for words in commands:
        result = runner.invoke(app, ["--db", str(typed), *words])
        assert result.exit_code in (0, 3), result.output
    assert _rows(played) == _rows(typed)


def test_scenario_list_names_every_bundled_scenario() -> None:
    result = CliRunner().invoke(app, ["scenario", "list", "--json"])
    assert result.exit_code == 0, result.output
    import json

    names = {row["name"] for row in json.loads(result.stdout)}
    assert names == {p.stem for p in EXAMPLES}


BAD = {
    "bad-toml": ("title = \n", "not valid TOML"),
    "unknown-action": (
        'title = "t"\ntitle_zh = "t"\nstart = "2026-01-05"\n[[steps]]\ndo = "fly 100"\n',
        "steps[1].do: unknown action 'fly'",
    ),
    "missing-field": (
        'title = "t"\nstart = "2026-01-05"\n[[steps]]\nshow = "why"\n',
        "title_zh",
    ),
    "unknown-key": (
        'title = "t"\ntitle_zh = "t"\nstart = "2026-01-05"\n[[steps]]\nshow = "why"\n'
        '[[steps]]\ndo = "advance --days 1"\nexpect = { mood = "happy" }\n',
        "steps[2].expect.mood",
    ),
    "both-kinds": (
        'title = "t"\ntitle_zh = "t"\nstart = "2026-01-05"\n[[steps]]\n'
        'show = "why"\ndo = "advance --days 1"\n',
        "steps[1]: a step needs exactly one of 'do' or 'show'",
    ),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_bad_scenario_file_is_refused_naming_the_step_and_key(case: str, tmp_path: Path) -> None:
    text, expected = BAD[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["scenario", "check", str(path)])
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output


def test_a_failed_expectation_makes_check_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "wrong.toml"
    path.write_text(
        'title = "t"\ntitle_zh = "t"\nstart = "2026-01-05"\n[[steps]]\n'
        'do = "borrow 1000 --yes"\nexpect = { available_fen = 1 }\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["scenario", "check", str(path)])
    assert result.exit_code == 1
    assert "available_fen should be 1, got 2300000" in result.stderr


def test_an_unknown_scenario_name_lists_the_bundled_ones() -> None:
    result = CliRunner().invoke(app, ["scenario", "run", "nope"])
    assert result.exit_code == 2
    assert "drawn-down" in result.stderr


def test_demo_plays_the_full_lesson(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--db", str(tmp_path / "demo.db")])
    assert result.exit_code == 0, result.output
    assert "$ limitlab borrow 30000 --term 12 --method equal-installment --yes" in result.stdout
    assert "Limit used up" in result.stdout


def test_scenario_run_never_replaces_an_existing_account(cli: Any, db: Path) -> None:
    cli.init()
    cli("borrow", "5000", "--yes")
    before = db.read_bytes()
    result = cli("scenario", "run", "multi-lender")  # the global --db is the user's account
    assert result.exit_code == 0
    assert db.read_bytes() == before
    refused = CliRunner().invoke(app, ["scenario", "run", "multi-lender", "--db", str(db)])
    assert refused.exit_code == 4
    assert db.read_bytes() == before
    forced = CliRunner().invoke(
        app, ["scenario", "run", "multi-lender", "--db", str(db), "--force"]
    )
    assert forced.exit_code == 0


def test_a_malformed_step_fails_the_check_with_exit_code_2_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "bad-step.toml"
    path.write_text(
        'title = "t"\ntitle_zh = "t"\nstart = "2026-01-05"\n[[steps]]\ndo = "borrow"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["scenario", "check", str(path)])
    assert result.exit_code == 1
    assert "exit code 2, expected 0" in result.stderr
    assert "Internal error" not in result.output


def test_an_export_inside_a_lesson_keeps_the_lesson_export(tmp_path: Path) -> None:
    lesson = tmp_path / "lesson.toml"
    inner, outer = tmp_path / "inner.txt", tmp_path / "outer.txt"
    lesson.write_text(
        'title = "t"\ntitle_zh = "t"\nstart = "2026-01-05"\n[[steps]]\n'
        f'show = "why --export {inner}"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["scenario", "run", str(lesson), "--export", str(outer)])
    assert result.exit_code == 0, result.output
    assert "24,000.00" in inner.read_text(encoding="utf-8")
    assert "24,000.00" in outer.read_text(encoding="utf-8")


def test_a_lesson_never_plays_into_the_account_in_use(cli: Any, db: Path) -> None:
    cli.init()
    before = db.read_bytes()
    result = cli("scenario", "run", "drawn-down", "--db", str(db), "--force")
    assert result.exit_code == 4
    assert db.read_bytes() == before


def test_lang_en_reaches_every_step_even_when_the_environment_says_zh(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LIMITLAB_LANG", "zh")
    result = CliRunner().invoke(
        app, ["scenario", "run", "maintenance", "--lang", "en", "--db", str(tmp_path / "m.db")]
    )
    assert result.exit_code == 0, result.output
    assert "Platform maintenance" in result.stdout
    assert "系统维护" not in result.stdout


def test_overdue_spiral_at_its_overdue_step_ranks_the_overdue_first(tmp_path: Path) -> None:
    """Issue 12: in the bundled lesson the overdue was 6th of 6 with ¥0 while the narration
    said it suspends borrowing; now it ranks first, with the largest share."""
    import json

    scenario = load_scenario(Path("examples") / "overdue-spiral.toml")
    db = str(tmp_path / "spiral.db")
    runner = CliRunner()
    steps = [scenario.profile.init_args(scenario.start)]
    steps += [shlex.split(s.do) for s in scenario.steps[:3] if s.do]  # to 5 days past due
    for words in steps:
        assert runner.invoke(app, ["--db", db, *words]).exit_code == 0
    data = json.loads(runner.invoke(app, ["--db", db, "why", "--json"]).stdout)
    assert [(r["code"], r["amount_fen"]) for r in data["reasons"]] == [
        ("OVERDUE", 1_359_192),
        ("USED_BY_LOANS", 1_081_616),
        ("INCOME_DROP", 759_192),
    ]
    assert sum(r["amount_fen"] for r in data["reasons"]) == data["reference_fen"]
    assert data["reasons"][0]["blocking"] and data["cannot_borrow"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_bundled_scenario_verifies(path: Path, tmp_path: Path) -> None:
    """Reviews now store their own attribution and a basis in the state: a replay of the log
    gives the same tables, to the byte, for every lesson."""
    db = str(tmp_path / "lesson.db")
    runner = CliRunner()
    assert runner.invoke(app, ["scenario", "run", str(path), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["--db", db, "verify"])
    assert result.exit_code == 0, result.output
