"""The message catalogue: one module per language in this package (en.py, zh.py, …), each a
`MESSAGES` dict (key → template), its `TYPESETTING` and, for a language other than English,
the help of the commands and options. A key a language lacks is said in English.

Adding a language is adding one file here, `xx.py`, with those names: `--lang xx` and
LIMITLAB_LANG=xx then find it (tests/test_catalogue.py does it with a throw-away language).
"""

from __future__ import annotations

import functools
import importlib
import os
import re
from types import ModuleType
from typing import Any

from limitlab.core.records import record

#: The language every key exists in, and the one said where another lacks a key.
FALLBACK = "en"

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: No space after full-width punctuation (，：；…): it carries its own spacing.
_BEFORE_LATIN = re.compile(f"(?<=[{_CJK}])(?=[¥#A-Za-z0-9])")
_AFTER_LATIN = re.compile(f"(?<=[A-Za-z0-9%)])(?=[{_CJK}])")
#: Full-width punctuation: the spacing is in the character.
_FULL_WIDTH = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f\uff3b-\uff40\uff5b-\uff65“”‘’…"
#: A space no Chinese text keeps: after full-width punctuation, and between two Chinese
#: characters or a Chinese character and full-width punctuation (a placeholder's own space
#: around a value that turned out Chinese: `差距最大的是 {attribute}`).
_NO_GAP = re.compile(f"(?<=[{_FULL_WIDTH}]) +(?=\\S)|(?<=[{_CJK}]) +(?=[{_CJK}{_FULL_WIDTH}])")


#: Full-width and CJK characters: a line may break between any two of them.
_WIDE = f"{_CJK}\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014"


@record(frozen=True)
class Typesetting:
    """How a language sets its text."""

    #: Its own name, as a chooser would list it.
    name: str
    #: Between two sentences: a space in English, nothing after a Chinese full stop.
    sentence_gap: str = " "
    #: A space between Chinese and figures or Latin words (the usual Chinese typesetting),
    #: so a terminal wraps between them and never inside a figure such as ¥3,000.00.
    space_between_scripts: bool = False

    #: Line breaking (禁则 / 避头尾): the characters no line starts with (closing punctuation:
    #: the character before it is carried down with it) and those no line ends with (opening
    #: punctuation). Empty: lines break at spaces only. Whatever they are, a command or a
    #: figure is never split (`breaks`), in every language.
    no_line_start: str = ""
    no_line_end: str = ""

    def finish(self, text: str) -> str:
        if self.space_between_scripts:
            spaced = _AFTER_LATIN.sub(" ", _BEFORE_LATIN.sub(" ", text))
            return _NO_GAP.sub("", spaced)
        return text

    def breaks(
        self, line: str, width: int, fold: bool = True, keep: list[tuple[int, int]] | None = None
    ) -> list[int]:
        """Where `line` (no newline) is broken to fit `width` cells: the offsets the next
        lines start at. A line breaks between two wide
        characters or at a space, never before a closing mark nor after an opening one, and
        never inside a run of narrow characters: a figure (¥1,000.00, 2026-02-05, 12.5%) or
        a command (`limitlab why --db a.db`: `keep` spans each command of the line, read
        against the command tree, cli/typed.py; None: a command runs up to the next wide
        character), unless it alone is wider than the line."""
        from rich.cells import cell_len

        offsets: list[int] = []
        column = 0
        units = self._units(line, _TOKEN if keep is None else _PIECE)
        for start, end, gap in _kept(units, keep or []):
            need = cell_len(line[start:end])
            if column and column + need > width:
                offsets.append(start)
                column = 0
            if need > width and fold:
                column = _fold(line, start, end, width, offsets, self.no_line_start)
            else:
                column += need
            column += cell_len(line[end:gap])
        return offsets

    def _units(self, line: str, pieces: re.Pattern[str]) -> list[tuple[int, int, int]]:
        """(start, end, end of the spaces after it) of each piece a line may not break in:
        a wide character or a narrow run, with the closing marks after it and the opening
        marks before it."""
        units: list[list[int]] = []
        opening = -1
        for match in pieces.finditer(line):
            start, end = match.span()
            token = match.group()
            if token.isspace():
                if units:
                    units[-1][2] = end
                    continue
                opening = start if opening < 0 else opening  # a leading indent stays with it
                continue
            if token[0] in self.no_line_start and units and opening < 0:
                units[-1][1] = units[-1][2] = end
                continue
            if token in self.no_line_end:
                opening = start if opening < 0 else opening
                continue
            units.append([start if opening < 0 else opening, end, end])
            opening = -1
        if opening >= 0:
            units.append([opening, len(line), len(line)])
        return [(a, b, c) for a, b, c in units]


def _kept(
    units: list[tuple[int, int, int]], keep: list[tuple[int, int]]
) -> list[tuple[int, int, int]]:
    """`units` with those a kept span touches made one (a command is one piece)."""
    out: list[tuple[int, int, int]] = []
    for start, end, gap in units:
        if out and any(a < end and out[-1][1] > a and start < b for a, b in keep):
            out[-1] = (out[-1][0], end, gap)
        else:
            out.append((start, end, gap))
    return out


#: A command run (`limitlab` and its narrow words), a narrow run, a space run, one character:
#: where the command tree is not known (`keep` None), a command is what runs up to Chinese.
_TOKEN = re.compile(f"limitlab(?: [^\\s{_WIDE}]+)+|[^\\s{_WIDE}]+|\\s+|.")
#: A narrow run, a space run, one character (the commands are the `keep` spans).
_PIECE = re.compile(f"[^\\s{_WIDE}]+|\\s+|.")


def _fold(line: str, start: int, end: int, width: int, offsets: list[int], closing: str) -> int:
    """Break a piece wider than the line: at its spaces, else by cells (a `closing` mark
    carried down with the character before it); the width of its last line."""
    from rich.cells import cell_len

    column = 0
    for match in re.finditer(r"\S+\s*", line[start:end]):
        word_start = start + match.start()
        word = match.group().rstrip()
        if column and column + cell_len(word) > width:
            offsets.append(word_start)
            column = 0
        for i, char in enumerate(word):
            size = cell_len(char)
            if column and column + size > width:
                if char in closing and i and offsets[-1:] != [word_start + i - 1]:
                    offsets.append(word_start + i - 1)
                    column = cell_len(word[i - 1])
                else:
                    offsets.append(word_start + i)
                    column = 0
            column += size
        column += len(match.group()) - len(word)
    return column


#: The language whose typesetting wraps the text on screen (`limitlab … --lang`), set when a
#: command reads its settings.
_screen = FALLBACK


def set_screen_language(lang: str) -> None:
    global _screen
    _screen = lang


def screen_typesetting() -> Typesetting:
    return typesetting(_screen)


#: The account the running command reads when it is not the one a bare `limitlab …` opens
#: (a lesson's file, `--db other.db`): every command a screen prints gets `--db` it, so it
#: can be typed as it is. None: the default account (LIMITLAB_DB or the user data file).
_account: str | None = None
#: The command tree those commands are read against (the running `limitlab`'s root command).
_commands: Any = None


def set_screen_account(path: str | None, commands: Any = None) -> None:
    global _account, _commands
    _account, _commands = path, commands


def screen_account() -> tuple[str | None, Any]:
    """The account the screen's commands must name (None: the default one) and the tree."""
    return _account, _commands


def screen_state() -> tuple[str, str | None, Any]:
    """The screen language and account, for a command run inside another to restore."""
    return _screen, _account, _commands


def restore_screen_state(state: tuple[str, str | None, Any]) -> None:
    global _screen, _account, _commands
    _screen, _account, _commands = state


def languages() -> tuple[str, ...]:
    """The languages this package holds (a module each), English first."""
    return _languages(tuple(__path__))


@functools.cache
def _languages(path: tuple[str, ...]) -> tuple[str, ...]:
    found = {
        name.removesuffix(".py")
        for folder in path
        if os.path.isdir(folder)
        for name in os.listdir(folder)
        if re.fullmatch(r"[a-z]{2,3}\.py", name)
    }
    return (FALLBACK, *sorted(found - {FALLBACK}))


@functools.cache
def catalogue(lang: str) -> ModuleType:
    """The module of `lang` (English for a language this package does not hold)."""
    if lang not in languages():
        lang = FALLBACK
    return importlib.import_module(f"{__name__}.{lang}")


def text(key: str, lang: str = FALLBACK, **params: Any) -> str:
    """The text for `key` in `lang` (in English where `lang` lacks it), formatted with
    `params` and set by the language's typesetting."""
    book = catalogue(lang)
    template = book.MESSAGES.get(key)
    if template is None:
        template = catalogue(FALLBACK).MESSAGES[key]
    said = template.format(**params) if params else template
    typesetting: Typesetting = book.TYPESETTING
    return typesetting.finish(said)


def has(key: str) -> bool:
    return key in catalogue(FALLBACK).MESSAGES


def keys() -> list[str]:
    """Every key, in the order of the English catalogue."""
    return list(catalogue(FALLBACK).MESSAGES)


def typesetting(lang: str) -> Typesetting:
    setting: Typesetting = catalogue(lang).TYPESETTING
    return setting


def help_text(lang: str, words: str, english: str) -> str:
    """A command's help (`words` after `limitlab`; "" for limitlab itself) in `lang`;
    `english` is its docstring."""
    book = catalogue(lang)
    if not words:
        return getattr(book, "HELP_APP", None) or english
    commands: dict[str, str] = getattr(book, "HELP_COMMANDS", {})
    return commands.get(words, english)


def option_help(lang: str, english: str) -> str:
    """An option's help in `lang`; `english` is its `help=`."""
    options: dict[str, str] = getattr(catalogue(lang), "HELP_OPTIONS", {})
    return options.get(english, english)
