"""--export saves the screen for slides with rich's own export; a bad target changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.mark.parametrize("command", ["why", "status", "score", "limits", "chart"])
@pytest.mark.parametrize("suffix", [".svg", ".html", ".txt"])
def test_export_saves_the_screen(cli: Any, tmp_path: Path, command: str, suffix: str) -> None:
    cli.init()
    cli("borrow", "30000", "--yes")
    target = tmp_path / f"slide{suffix}"
    result = cli(command, "--export", str(target))
    assert result.exit_code == 0, result.output
    saved = target.read_text(encoding="utf-8")
    assert f"Saved {target}" in result.stderr
    expected = {
        "why": "¥2,000.00",
        "status": "¥30,000.00",
        "score": "installments paid on time",
        "limits": "¥32,000.00",
        "chart": "¥30,000.00",
    }[command]
    if suffix == ".svg":  # svg writes every character with its own escapes and spacing
        assert "<svg" in saved
    else:
        assert expected in saved


def test_scenario_run_exports_the_whole_lesson(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "lesson.txt"
    result = cli("scenario", "run", "drawn-down", "--export", str(target))
    assert result.exit_code == 0, result.output
    saved = target.read_text(encoding="utf-8")
    assert "$ limitlab borrow 32000 --term 12 --yes" in saved
    assert "Limit used up" in saved


@pytest.mark.parametrize("target", ["slide.pdf", "no-such-folder/slide.svg"])
def test_a_bad_export_target_is_refused_before_anything_runs(
    cli: Any, tmp_path: Path, target: str
) -> None:
    cli.init()
    result = cli("why", "--export", str(tmp_path / target))
    assert result.exit_code == 2
    assert "Cannot export" in result.stderr
    assert result.stdout == ""
