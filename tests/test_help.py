"""--help: an example on every command, what to type for every option, and all of it in
Chinese with --lang zh; drawn by our own help screen (cli/helpscreen.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from limitlab.cli.i18n.zh import HELP_COMMANDS as COMMANDS
from limitlab.cli.i18n.zh import HELP_OPTIONS as OPTIONS
from limitlab.cli.main import app
from limitlab.cli.typer_classes import Command, Group
from typer.testing import CliRunner

LIMITLAB = str(Path(sys.executable).parent / "limitlab")


def walk(command: Any, words: str = "") -> Iterator[tuple[str, Any]]:
    """(words after `limitlab`, click command) for the whole tree, building every command."""
    yield words, command
    if hasattr(command, "list_commands"):
        ctx = command.make_context("limitlab", [], resilient_parsing=True)
        for name in command.list_commands(ctx):
            yield from walk(command.get_command(ctx, name), f"{words} {name}".strip())


def help_of(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_and_group_has_chinese_help() -> None:
    tree = dict(walk(typer.main.get_command(app)))
    assert set(tree) - {""} == set(COMMANDS)
    for words, command in tree.items():
        if words and not hasattr(command, "list_commands"):
            assert "示例：limitlab" in COMMANDS[words], words


def test_every_command_is_ours_so_it_gets_the_lean_parsing_and_the_help_screen() -> None:
    for words, command in walk(typer.main.get_command(app)):
        assert isinstance(command, Group if hasattr(command, "list_commands") else Command), words


def test_every_option_and_argument_has_help_in_both_languages() -> None:
    root = typer.main.get_command(app)
    for words, command in walk(root):
        ctx = command.make_context("limitlab", [], resilient_parsing=True)
        for param in command.get_params(ctx):
            name = f"limitlab {words} {param.name}"
            assert param.help, name
            assert param.help in OPTIONS, f"{name}: no Chinese for {param.help!r}"


def test_help_shows_what_to_type_not_type_names() -> None:
    out = help_of("advance")
    assert "Usage: limitlab advance [OPTIONS]" in out
    assert "--to" in out and "DATE" in out
    assert "--days" in out and " N " in out
    assert "<bool>" not in out and "<str>" not in out and "<int>" not in out
    out = help_of("borrow")
    assert "Usage: limitlab borrow [OPTIONS] AMOUNT" in out
    assert "[default: 12]" in out and "[required]" in out
    assert "Example: limitlab borrow 5000" in out


def test_optional_arguments_are_bracketed_once_in_usage() -> None:
    assert "Usage: limitlab external repay [OPTIONS] NAME [AMOUNT]" in help_of("external", "repay")
    assert "Usage: limitlab schedule [OPTIONS] [LOAN]" in help_of("schedule")
    assert "Usage: limitlab what-if [OPTIONS] ACTION…" in help_of("what-if")


def test_group_help_lists_its_commands_with_their_first_paragraph() -> None:
    out = help_of()
    assert "Usage: limitlab [OPTIONS] COMMAND [ARGS]…" in out
    assert "Exit codes: 0 ok" in out
    for name in ("init", "status", "why", "what-if", "scenario", "glossary"):
        assert f"│ {name} " in out, name
    out = help_of("wallet")
    assert "deposit" in out and "Put cash into the wallet." in out
    assert "Example: limitlab wallet deposit" not in out.split("Commands")[1]


@pytest.mark.parametrize("where", ["before", "after"])
def test_lang_zh_translates_text_options_and_panels(where: str) -> None:
    args = ["--lang", "zh", "borrow"] if where == "before" else ["borrow", "--lang", "zh"]
    out = help_of(*args)
    assert "用法：limitlab borrow [OPTIONS] AMOUNT" in out
    assert "示例：limitlab borrow 5000" in out
    assert "借款金额，单位：元。[必填]" in out
    assert "期数（月）：3、6 或 12。[默认：12]" in out  # no space after full-width punctuation
    assert "─ 选项 " in out and "─ 参数 " in out
    assert "Months: 3, 6 or 12." not in out


def test_lang_zh_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIMITLAB_LANG", "zh")
    out = help_of()
    assert "额度为什么用完了" in out and "─ 命令 " in out


def test_no_arguments_prints_the_help_and_exits_2() -> None:
    result = CliRunner().invoke(app, [])
    assert result.exit_code == 2
    assert "Usage: limitlab [OPTIONS] COMMAND" in result.output


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
    assert "希望可用的金额。" in out


# --- usage errors ---------------------------------------------------------------------------

USAGE_ERRORS = [
    (
        ["borrow"],
        "Missing argument 'AMOUNT'.",
        "缺少参数 'AMOUNT'。",
    ),
    (
        ["external", "add", "--lender", "A"],
        "Missing option '--balance'.",
        "缺少选项 '--balance'。",
    ),
    (
        ["borrow", "100", "--term", "x"],
        "Invalid value for '--term': a whole number is needed",
        "'--term' 的值无效：需要一个整数",
    ),
    (
        ["history", "--last", "0"],
        "Invalid value for '--last': it must be at least 1",
        "'--last' 的值无效：不能小于 1",
    ),
    (["status", "--jsn"], "No such option: --jsn", "没有这个选项：--jsn（可用的选项：--json）"),
    (
        ["statsu"],
        "No such command 'statsu'. Did you mean 'status'?",
        "没有这个命令：'statsu'。您是不是要找 'status'？",
    ),
    (
        ["status", "extra"],
        "Got unexpected extra argument(s) (extra)",
        "多余的参数：（extra）",
    ),
    (["borrow", "100", "--quote=1"], "does not take a value", "选项 '--quote' 不接受值。"),
    (["advance", "--to"], "requires", "选项 '--to' 需要一个值。"),
]


def _one_line(text: str) -> str:
    """The panel's lines joined (a long message wraps inside the box)."""
    return " ".join(line.strip(" │╭╮╰╯─") for line in text.splitlines())


@pytest.mark.parametrize(("args", "english", "chinese"), USAGE_ERRORS)
def test_usage_errors_exit_2_in_the_users_language(
    args: list[str], english: str, chinese: str
) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert english in _one_line(result.stderr)
    assert "Try 'limitlab" in result.stderr and "-h' for help." in result.stderr
    assert result.stdout == ""
    result = CliRunner().invoke(app, args, env={"LIMITLAB_LANG": "zh"})
    assert result.exit_code == 2
    assert chinese in _one_line(result.stderr)
    assert "运行 'limitlab" in result.stderr and "用法：limitlab" in result.stderr


def test_lang_zh_on_the_command_line_words_the_usage_error() -> None:
    result = CliRunner().invoke(app, ["borrow", "--lang", "zh"])
    assert result.exit_code == 2
    assert "缺少参数 'AMOUNT'。" in result.stderr


def test_a_usage_error_embedded_in_a_scenario_still_reaches_the_caller() -> None:
    """Run embedded (standalone_mode=False), Typer's exceptions propagate unchanged."""
    from limitlab.cli.typer_ext import UsageError

    command = typer.main.get_command(app)
    with pytest.raises(UsageError):
        command.main(["borrow"], prog_name="limitlab", standalone_mode=False)
