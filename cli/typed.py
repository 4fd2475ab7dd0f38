"""Commands a screen prints for the user to type (`limitlab repay --all`), read against the
running command tree: where each ends (so a line never breaks inside it, cli/render.py) and
the `--db PATH` it needs to read the screen's account when that is not the default one."""

from __future__ import annotations

import re
from typing import Any

#: Where a command a screen names starts (`limitlab why`), and each word after it: no space,
#: quote, parenthesis, Chinese character or full-width punctuation (an ellipsis `…` is a word).
_COMMAND_START = re.compile(r"(?<![\w/.-])limitlab(?= )")
_COMMAND_WORD = re.compile(
    " ([^\\s\"'()“”‘’\u3000-\u303f\uff00-\uffef\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)"
)


def account_inserts(plain: str) -> list[tuple[int, str]]:
    """Where `--db PATH` goes into each command `plain` names (`limitlab repay --all`, read
    against the command tree: its words, options, their values and arguments), so that it
    reads the account the screen is about when that is not the default one; [] when it is,
    or a command already names its --db."""
    from limitlab.cli.i18n import screen_account

    account, root = screen_account()
    if account is None or root is None or "limitlab " not in plain:
        return []
    import shlex

    quoted = account if re.fullmatch(r"[\w@%+=:,./-]+", account) else shlex.quote(account)
    inserts = []
    for start in _COMMAND_START.finditer(plain):
        end = _command_end(plain, start.end(), root)
        if end is not None and " --db" not in plain[start.start() : end]:
            inserts.append((end, f" --db {quoted}"))
    return inserts


def command_spans(plain: str) -> list[tuple[int, int]] | None:
    """Where each command `plain` names starts and ends (its words, options, their values and
    arguments, read against the command tree): a line never breaks inside one. None when no
    command runs (no tree to read against)."""
    from limitlab.cli.i18n import screen_account

    _, root = screen_account()
    if root is None:
        return None
    if "limitlab " not in plain:
        return []
    spans = []
    for start in _COMMAND_START.finditer(plain):
        end = _command_end(plain, start.end(), root)
        if end is not None:
            spans.append((start.start(), end))
    return spans


def _command_end(plain: str, at: int, root: Any) -> int | None:
    """Where the command whose words start at `at` ends; None for no command of `root`."""
    command, end, arguments, value = root, None, 0, False
    while (word := _COMMAND_WORD.match(plain, at)) is not None:
        bare = word.group(1).rstrip(".,;:")
        if hasattr(command, "commands"):  # a group: the next word names one of its commands
            command = command.commands.get(bare)
            if command is None:
                return None
            arguments = sum(
                p.nargs if p.nargs > 0 else 99
                for p in command.params
                if p.param_type_name == "argument"
            )
        elif value:
            value = False
        elif bare.startswith("-"):
            option = next((p for p in command.params if bare.split("=")[0] in p.opts), None)
            if option is None:
                break
            flag = getattr(option, "is_flag", False) or getattr(option, "count", False)
            value = not flag and "=" not in bare
        elif arguments:
            arguments -= 1
        else:
            break
        end, at = word.start(1) + len(bare), word.end()
        if bare != word.group(1):
            break  # the sentence goes on after it: `limitlab score.`
    return None if hasattr(command, "commands") else end


def account_commands(plain: str) -> str:
    """`plain` with `--db PATH` in each command it names (account_inserts)."""
    for at, words in reversed(account_inserts(plain)):
        plain = plain[:at] + words + plain[at:]
    return plain
