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
    assert "$ limitlab borrow 24000 --term 12 --yes" in saved
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


def test_chinese_svg_counts_two_cells_a_wide_character(cli: Any, tmp_path: Path) -> None:
    """rich writes textLength as characters × cell width; a 汉字 run must be 2 cells each."""
    import html
    import re

    cli.init()
    cli("borrow", "30000", "--yes")
    target = tmp_path / "status.svg"
    assert cli("status", "--lang", "zh", "--export", str(target)).exit_code == 0
    svg = target.read_text(encoding="utf-8")
    assert "Noto Sans CJK SC" in svg  # a CJK font stack is named
    runs = re.findall(r'textLength="([0-9.]+)"[^>]*>([^<]*)</text>', svg)
    cell = 20 * 0.61
    wide = [(float(n), html.unescape(t)) for n, t in runs if re.search(r"[\u4e00-\u9fff]", t)]
    assert wide
    for length, shown in wide:
        from rich.cells import cell_len

        assert abs(length - cell * cell_len(shown)) < 0.01, shown


@pytest.mark.parametrize("command", [["why", "--slide"], ["chart"], ["notice"]])
def test_png_exports_for_slides(cli: Any, tmp_path: Path, command: list[str]) -> None:
    from PIL import Image

    cli.init()
    cli("borrow", "30000", "--yes")
    target = tmp_path / "slide.png"
    result = cli(*command, "--lang", "zh", "--export", str(target))
    assert result.exit_code == 0, result.output
    if command == ["notice"]:  # nothing adverse yet: nothing to export
        return
    image = Image.open(target)
    assert image.info.get("Software") == "limitlab export"
    if "--slide" in command:
        assert image.size == (1920, 1080)
    again = cli(*command, "--lang", "zh", "--export", str(target))  # our own file: replaced
    assert again.exit_code == 0


def test_status_does_not_load_the_plotting_libraries() -> None:
    from tests.test_startup import loaded_modules

    modules = loaded_modules("status", "--help")
    assert not [m for m in modules if m.split(".")[0] in ("matplotlib", "PIL", "plotext")]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["policy", "show"], "reported to the credit bureau"),
        (["external", "list"], "huabei"),
        (["platform", "list"], "maintenance"),
    ],
)
def test_the_list_screens_export_too(
    cli: Any, tmp_path: Path, command: list[str], expected: str
) -> None:
    cli.init()
    cli("external", "add", "--lender", "Huabei", "--balance", "6000", "--monthly", "600")
    cli("platform", "maintenance", "--days", "2")
    target = tmp_path / "list.txt"
    result = cli(*command, "--export", str(target))
    assert result.exit_code == 0, result.output
    assert expected in target.read_text(encoding="utf-8").lower()
    assert f"Saved {target}" in result.stderr
    assert cli(*command, "--export", str(tmp_path / "list.pdf")).exit_code == 2


@pytest.mark.parametrize(
    "command",
    [
        ["status"],
        ["why", "--slide"],
        ["notice"],
        ["score"],
        ["limits"],
        ["schedule"],
        ["history"],
        ["plan", "--need", "1000"],
        ["what-if", "advance --months 1"],
        ["glossary"],
        ["policy", "show"],
        ["external", "list"],
        ["platform", "list"],
        ["chart"],
    ],
)
def test_a_screen_exported_goes_into_the_file_only(
    cli: Any, tmp_path: Path, command: list[str]
) -> None:
    """--export FILE writes the screen into FILE and prints one line saying where, on every
    screen alike (a slide or a chart picture is not what the terminal would show)."""
    cli.init()
    cli("borrow", "30000", "--yes")
    cli("profile", "set", "--income", "1500")  # a cut: a notice to show
    target = tmp_path / "screen.txt"
    result = cli(*command, "--export", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.strip() == f"Saved {target}."
    assert target.stat().st_size > 40
    assert cli(*command).stdout.strip()  # without --export the screen is printed


def test_a_lesson_exported_still_plays_on_screen(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "lesson.txt"
    result = cli("scenario", "run", "drawn-down", "--export", str(target))
    assert result.exit_code == 0, result.output
    assert "Limit used up" in result.stdout and "Limit used up" in target.read_text("utf-8")


def test_every_export_option_says_what_it_does_alike() -> None:
    """One --export help on every screen (scenario run's says the lesson plays as it saves)."""
    from tests.conftest import _command

    found: dict[str, str] = {}

    def walk(command: Any, words: str) -> None:
        for sub_name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{words} {sub_name}".strip())
        for param in getattr(command, "params", []):
            if "--export" in getattr(param, "opts", []):
                found[words] = param.help or ""

    walk(_command(), "")
    assert len(found) >= 14, sorted(found)
    helps = {help_ for words, help_ in found.items() if words != "scenario run"}
    assert helps == {
        "Save the screen for slides in FILE (.svg, .png, .html or .txt) instead of printing it; "
        "one line says where."
    }
    assert found["scenario run"].startswith("Also save what the lesson prints")
