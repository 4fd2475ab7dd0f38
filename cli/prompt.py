"""A yes/no question on the terminal: asked on stderr (so `> file` never hides it), answered
on stdin in either language, No unless the person says yes."""

from __future__ import annotations

import sys

from .settings import Settings

#: Answers, compared trimmed and case-folded; anything else is asked again. Enter is No.
YES = frozenset({"y", "yes", "是", "是的", "好", "好的", "对"})
NO = frozenset({"n", "no", "否", "不", "不是", "不要", ""})


def answer(line: str) -> bool | None:
    """True for a yes, False for a no (an empty line included), None for anything else."""
    said = line.strip().casefold()
    if said in YES:
        return True
    if said in NO:
        return False
    return None


def confirm(s: Settings, question: str) -> bool | None:
    """Ask `question` until the answer is a yes or a no; None when stdin ends (Ctrl-D)."""
    from limitlab.cli.i18n import text

    from .pager import flush

    flush()  # a screen waiting for the pager is shown before the question
    suffix = text("confirm.suffix", s.lang)
    while True:
        sys.stderr.write(f"{question} {suffix} ")
        sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            sys.stderr.write("\n")
            return None
        said = answer(line)
        if said is not None:
            return said
        sys.stderr.write(text("confirm.again", s.lang) + "\n")
