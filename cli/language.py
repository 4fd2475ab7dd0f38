"""The one place that decides the language: `--lang`, then LIMITLAB_LANG, then the locale
(LC_ALL, LC_MESSAGES, LANG: one starting with `zh` means Chinese), else English."""

from __future__ import annotations

import os

from .exits import UserError

#: Where the parser leaves the language of the command line for the help screen (`ctx.meta`
#: is shared by a command's context and its parents').
LANG_KEY = "limitlab.lang"


def known(value: str) -> str | None:
    """The language a value names (`zh`, `zh_CN.UTF-8`, `EN`…), or None."""
    from .i18n import languages

    lowered = value.strip().lower()
    for lang in languages():
        if lowered == lang or lowered.startswith((f"{lang}_", f"{lang}-", f"{lang}.")):
            return lang
    return None


def from_locale() -> str:
    """The locale's language when it is one of ours, else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return known(value) or "en"
    return "en"


def resolve_lang(value: str | None) -> str:
    """The language of this run: `value` (from --lang) when given, else LIMITLAB_LANG, else
    the locale. An unknown --lang or LIMITLAB_LANG is bad input (exit 2), wherever it is read."""
    for given in (value, os.environ.get("LIMITLAB_LANG")):
        if given:
            lang = known(given)
            if lang is None:
                from .i18n import languages

                raise UserError("lang.bad", text=given, languages=", ".join(languages()))
            return lang
    return from_locale()


def lang_in_args(args: list[str]) -> str | None:
    """The `--lang` value among these words, read before Typer parses them (the help screen
    and early errors come first): the last one given, none after `--`; None when absent."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
    return found


def lang_for_words(args: list[str]) -> str:
    """The language for a message about these words (a usage error, the help screen): as
    `resolve_lang` decides, falling back to English when the language itself is bad."""
    try:
        return resolve_lang(lang_in_args(args))
    except UserError:
        return "en"
