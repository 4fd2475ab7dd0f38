"""Progress bars for long work: on stderr, and only when stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(label: str, *, minimum: int = 60) -> Iterator[Callable[[int, int], None] | None]:
    """Yield a `(done, total)` callback that draws a bar for totals of at least `minimum`,
    or None on a pipe (scripts and tests see nothing)."""
    if not sys.stderr.isatty() or getattr(sys.stderr, "kept", False):  # kept: said later
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = None

    def advance(done: int, total: int) -> None:
        nonlocal task
        if total < minimum:
            return
        if task is None:
            bar.start()
            task = bar.add_task(label, total=total)
        bar.update(task, completed=done)

    try:
        yield advance
    finally:
        if task is not None:
            bar.stop()
