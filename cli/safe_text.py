"""Text from outside (names, titles, what was typed) shown as text: a control or invisible
character is written out (`\\x1b`, `\\n`, `\\u202e`) instead of reaching the terminal, and
a long echo of bad input is cut."""

from __future__ import annotations

#: Unicode categories a terminal may obey or hide instead of showing: controls (ESC, CR, BEL,
#: C1 such as CSI), format characters (bidi overrides and isolates, zero-width ones, tags),
#: lone surrogates and the line/paragraph separators. Spaces (U+3000 too) are shown as such.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})

#: At most this many characters of one piece of bad input are echoed in a message.
ECHO_MAX = 200


def _is_hidden(char: str) -> bool:
    import unicodedata

    return unicodedata.category(char) in HIDDEN_CATEGORIES


def first_hidden(text: str) -> str | None:
    """The first control or invisible character in `text`, or None."""
    if text.isprintable():  # the common case, in C: no control, format or separator at all
        return None
    return next((ch for ch in text if _is_hidden(ch)), None)


def _written(char: str) -> str:
    return repr(char)[1:-1] if _is_hidden(char) else char


def visible(text: str, *, keep: str = "") -> str:
    """`text` with each control or invisible character (other than those in `keep`) written
    out as Python writes it in a string: `\\x1b`, `\\r`, `\\u202e`."""
    if text.isprintable():
        return text
    return "".join(ch if ch in keep else _written(ch) for ch in text)


def echo(value: str, lang: str) -> str:
    """A piece of bad input as a message quotes it: on one line, every control character
    visible, and cut after ECHO_MAX characters with how long it was."""
    shown = visible(value)
    if len(shown) <= ECHO_MAX:
        return shown
    from limitlab.cli.i18n import text

    head, used = [], 0
    for char in value:
        piece = _written(char)
        used += len(piece)
        if used > ECHO_MAX:
            break
        head.append(piece)
    return text("echo.cut", lang, start="".join(head), length=len(value))


class OwnWords(str):
    """Words of our own handed to a message (the commands, kinds or terms one may use): a
    message shows them whole, where anything else it quotes is echoed (cut when long)."""

    __slots__ = ()
