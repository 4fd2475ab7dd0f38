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

    def finish(self, text: str) -> str:
        if self.space_between_scripts:
            return _AFTER_LATIN.sub(" ", _BEFORE_LATIN.sub(" ", text))
        return text


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
