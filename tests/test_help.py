"""--help has an example on every command, in English and (with --lang zh) in Chinese."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from limitlab.cli.app import app
from limitlab.cli.help_zh import COMMANDS, command_paths

LIMITLAB = str(Path(sys.executable).parent / "limitlab")


def test_every_command_and_group_has_chinese_help() -> None:
    paths = {path for path, _ in command_paths(app)}
    assert paths == set(COMMANDS)
    leaves = {path for path, info in command_paths(app) if not hasattr(info, "typer_instance")}
    for path in leaves:
        assert "示例：limitlab" in COMMANDS[path], path


def test_chinese_help_is_shown_with_lang_zh() -> None:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    out = subprocess.run(
        [LIMITLAB, "--lang", "zh", "--help"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert "额度为什么用完了" in out
    env["LIMITLAB_LANG"] = "zh"
    out = subprocess.run(
        [LIMITLAB, "plan", "-h"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert "最省钱方案" in out
    assert "示例：limitlab plan --need 5000" in out
