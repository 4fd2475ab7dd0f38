"""A limit change names what moved (a platform measure's start or end, not OTHER) and cites
no value that did not move."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from limitlab.cli.main import app
from typer.testing import CliRunner

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.toml"))


def _limits(path: Path, tmp_path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    ran = runner.invoke(app, ["scenario", "run", path.stem, "--db", db])
    assert ran.exit_code == 0, ran.output
    changes = json.loads(runner.invoke(app, ["limits", "--db", db, "--json"]).stdout)
    measures = json.loads(runner.invoke(app, ["platform", "list", "--db", db, "--json"]).stdout)
    return changes, measures


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_change_sums_and_a_measure_starting_or_ending_is_named(
    path: Path, tmp_path: Path
) -> None:
    changes, measures = _limits(path, tmp_path)
    edges = {d for m in measures if m["kind"] == "tighten" for d in (m["starts_on"], m["ends_on"])}
    for change in changes:
        entries = change["attribution"]
        if entries is None:
            continue
        delta = change["new_limit_fen"] - change["old_limit_fen"]
        assert sum(e["amount_fen"] for e in entries) == delta, change
        codes = [e["code"] for e in entries]
        if change["trigger"] == "platform":  # a platform review: only measures moved
            assert codes == ["PLATFORM_POLICY"], change
        if change["date"] in edges and change["trigger"] == "platform":
            assert "OTHER" not in codes
        for entry in entries:
            if entry["code"] == "OTHER":  # what it stands for moved, and says so
                assert entry["evidence"], change
            for ev in entry["evidence"]:
                if "old" in ev and "new" in ev:
                    assert ev["old"] != ev["new"], ev  # an unchanged value is not cited


def test_the_full_lessons_raise_when_the_tightening_ends_is_the_measure(
    tmp_path: Path,
) -> None:
    changes, _ = _limits(Path("examples/full-lesson.toml"), tmp_path)
    (raise_,) = [c for c in changes if c["date"] == "2026-02-19"]
    assert (raise_["old_limit_fen"], raise_["new_limit_fen"]) == (130_000, 170_000)
    (entry,) = raise_["attribution"]
    assert (entry["code"], entry["key"], entry["amount_fen"]) == (
        "PLATFORM_POLICY",
        "measure:1",
        40_000,
    )
    (ev,) = entry["evidence"]
    assert {k: ev[k] for k in ("kind", "cohort", "factor", "starts_on", "ends_on")} == {
        "kind": "measure_ended",
        "cohort": "score<800",
        "factor": "0.8",
        "starts_on": "2026-02-09",
        "ends_on": "2026-02-19",
    }
    # the ¥1,700 assessment × 0.8 = ¥1,360, rounded down to the ¥100 step: ¥1,300; its end
    # gives back ¥400


def test_the_platform_tightenings_end_at_a_scheduled_review_is_the_measure(
    tmp_path: Path,
) -> None:
    changes, _ = _limits(Path("examples/platform-tightening.toml"), tmp_path)
    (back,) = [c for c in changes if c["date"] == "2026-02-04"]
    assert [(e["code"], e["amount_fen"]) for e in back["attribution"]] == [
        ("PLATFORM_POLICY", back["new_limit_fen"] - back["old_limit_fen"])
    ]


def test_applications_leaving_the_window_are_named_not_lumped_into_the_raise(cli: Any) -> None:
    """Three applications on 2026-01-05 are in the review of that day (other lenders); by the
    scheduled review of 2026-02-04 they have left the 30-day window and the score is back up:
    the raise is the applications' as much as the raise rules' (each needs the other), not
    the raise rules' alone (it was all REVIEW_PENDING: the applications, the same records,
    were no change)."""
    assert cli("init", "--start", "2026-01-05", "--income", "8000").exit_code == 0  # default policy
    for _ in range(3):
        assert cli("borrow", "500", "--term", "3", "--yes").exit_code == 0
    assert (
        cli("external", "add", "--lender", "JD", "--balance", "1000", "--monthly", "100").exit_code
        == 0
    )
    assert cli("advance", "--to", "2026-01-25").exit_code == 0
    assert cli("external", "repay", "JD").exit_code == 0
    assert cli("advance", "--to", "2026-02-04").exit_code == 0
    (change,) = [c for c in cli.json("limits") if c["date"] == "2026-02-04"]
    delta = change["new_limit_fen"] - change["old_limit_fen"]
    assert delta > 0
    amounts = {e["code"]: e["amount_fen"] for e in change["attribution"]}
    assert set(amounts) == {"FREQUENT_APPLICATIONS", "REVIEW_PENDING"}, amounts
    assert sum(amounts.values()) == delta and amounts["FREQUENT_APPLICATIONS"] > 0
    (ev,) = next(e for e in change["attribution"] if e["code"] == "FREQUENT_APPLICATIONS")[
        "evidence"
    ]
    assert ev["count"] == 0  # none left in the window
