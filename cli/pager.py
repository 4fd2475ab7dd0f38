"""Long screens through a pager: on a terminal only, never with --json or --export.

While paging is possible, `render.show` hands its rendered text to `hold`; what is held goes
out at `flush` — before any message on stderr or a question, and when the command ends — to
$LIMITLAB_PAGER, else $PAGER, else `less -FRX` when it is LINES lines or more, plainly
otherwise (and plainly when the pager cannot be started). `--no-pager` turns it off.

A played session (`scenario run`, `demo`, `lesson`) is never paged: it prints its own lines
(title, narration, `$ command`) around the screens of the commands it runs, which are never
held, and it may wait for Enter between them; holding only its own lines put every screen
before the words that introduce it (`streaming`)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

#: Screens this many lines long or longer go through the pager.
LINES = 40
DEFAULT = "less -FRX"

_off = False
_streaming = 0
_held: list[str] = []


def take_flag(args: list[str]) -> list[str]:
    """`args` without `--no-pager` (before a `--`), which it turns the pager off for: it is
    taken wherever it is, before the command name or after it."""
    global _off
    end = args.index("--") if "--" in args else len(args)
    kept = [a for a in args[:end] if a != "--no-pager"]
    _off = len(kept) != end  # each command line decides afresh (tests run many in one process)
    return kept + args[end:]


def wanted() -> bool:
    """May a screen go through the pager now? Standard output is a terminal, --no-pager was
    not given, and no scenario or what-if runs this command."""
    from .settings import nested

    if _off or _streaming or nested():
        return False
    try:
        return sys.stdout.isatty()
    except (OSError, ValueError):
        return False


@contextlib.contextmanager
def streaming() -> Iterator[None]:
    """Nothing is held in the block: each line goes out when it is shown, in order with what
    the commands run inside it print (what was held before goes out first)."""
    global _streaming
    flush()
    _streaming += 1
    try:
        yield
    finally:
        _streaming -= 1


def hold(rendered: str) -> None:
    _held.append(rendered)


def flush() -> None:
    """Show what is held: through the pager when it is long, else as it is."""
    if not _held:
        return
    out = "".join(_held)
    _held.clear()
    if out.count("\n") >= LINES and _page(out):
        return
    sys.stdout.write(out)
    sys.stdout.flush()


def command() -> list[str]:
    import shlex

    chosen = os.environ.get("LIMITLAB_PAGER")
    if chosen is None:
        chosen = os.environ.get("PAGER")
    if chosen is None:
        chosen = DEFAULT
    try:
        return shlex.split(chosen)
    except ValueError:
        return []


def _page(out: str) -> bool:
    """Whether the pager showed `out` (False: it could not start; nothing of it was shown)."""
    import subprocess

    args = command()
    if not args:  # PAGER="" (or unreadable): no pager
        return False
    sys.stdout.flush()
    env = None
    if "LESS" not in os.environ:  # `PAGER=less` keeps the colours and quits on a short screen
        env = {**os.environ, "LESS": "FRX"}
    try:
        pager = subprocess.Popen(args, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert pager.stdin is not None
    try:
        pager.stdin.write(out.encode(sys.stdout.encoding or "utf-8", "replace"))
        pager.stdin.close()
    except OSError:  # the reader quit early (q in less): not a failure
        pass
    while True:
        try:
            pager.wait()
            return True
        except KeyboardInterrupt:  # Ctrl-C is the pager's to handle; wait for it to end
            continue
