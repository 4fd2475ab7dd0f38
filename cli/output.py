"""What a command prints: data as JSON on stdout, screens through rich, messages on stderr;
and what happens when those cannot be written (`guard_streams`)."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from .settings import Settings


def print_json(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()  # before any message after it, on a pipe shared with stderr too


def words(s: Settings, key: str, **params: Any) -> str:
    """A message of the catalogue in the run's language."""
    from limitlab.cli.i18n import text

    return text(key, s.lang, **params)


def say(s: Settings, key: str, **params: Any) -> None:
    """A message (not data): to stderr, in the user's language; wrapped by rich only on a
    terminal (to a pipe or a file a message stays one line, for whatever reads it)."""
    from .render import err_console

    console = err_console()
    console.print(
        words(s, key, **params), markup=False, highlight=False, soft_wrap=not console.is_terminal
    )


def show(renderable: Any = "") -> None:
    """A screen on stdout (and into the --export recording, when one is on)."""
    from .render import show as render_show

    render_show(renderable)


def show_data(
    s: Settings, data: Any, view: Callable[[], Any], target: str | None, picture: Any = None
) -> None:
    """A read command's ending: its data as JSON, or its screen (into the --export file instead;
    `picture` draws a .png/.svg of its own, cli/render.py)."""
    if s.json:
        print_json(data)
        return
    with exporting(target, picture):
        show(view())
    saved(s, target)


def exporting(target: str | None, picture: Any = None) -> AbstractContextManager[None]:
    """Record what is shown into `target` (None: record nothing)."""
    from .render import exporting as recorder

    return recorder(target, picture)


def saved(s: Settings, target: str | None) -> None:
    if target is not None:
        say(s, "export.saved", path=target)


def money(fen: int) -> str:
    from limitlab.core.money import format_fen

    return format_fen(fen)


# --- when the output cannot be written -------------------------------------------------------


class _Writer(io.RawIOBase):
    """A standard stream's file descriptor that never raises on write: the first failure is
    kept in `failure` and everything after it is dropped. A command whose reader went away
    (`limitlab history | head`) or whose output is full (`> /dev/full`) still runs to its
    end; the entry point decides the exit code from `failure`."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self.fd = fd
        self.failure: OSError | None = None

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fd

    def isatty(self) -> bool:
        return self.failure is None and os.isatty(self.fd)

    def write(self, data: Any) -> int:
        """All of `data` (a pipe may take a large write in parts), or the first failure."""
        view = memoryview(data).cast("B")
        size = len(view)
        while view and self.failure is None:
            try:
                view = view[os.write(self.fd, view) :]
            except BlockingIOError:  # a non-blocking terminal or pipe: wait until it drains
                import select

                select.select([], [self.fd], [])
            except OSError as exc:
                self.failure = exc
        return size

    def close(self) -> None:  # the descriptor is the process's: never closed here
        self.flush()
        super().close()


class GuardedStreams:
    """stdout and stderr, each on a `_Writer`; `stdout_failure` is the first error writing
    standard output (a reader that left, EPIPE, included)."""

    def __init__(self) -> None:
        self._out = _guard("stdout", 1)
        self._err = _guard("stderr", 2)

    def flush(self) -> None:
        for name in ("stdout", "stderr"):
            stream = getattr(sys, name)
            try:
                if stream is not None:
                    stream.flush()
            except (OSError, ValueError):
                pass

    @property
    def stdout_failure(self) -> OSError | None:
        return self._out.failure


def _guard(name: str, fd: int) -> _Writer:
    """Put `sys.<name>` on a `_Writer` over `fd`, as it was (encoding, errors, buffering). A
    closed descriptor is opened on the null device first, so no file opened later can take
    its number and receive the output; writing it then counts as failed."""
    writer = _Writer(fd)
    try:
        os.fstat(fd)
    except OSError as exc:
        null = os.open(os.devnull, os.O_WRONLY)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
        writer.failure = exc
    old = getattr(sys, name)
    stream: io.TextIOWrapper[Any]
    if isinstance(getattr(old, "buffer", None), io.RawIOBase):  # python -u, PYTHONUNBUFFERED
        raw: Any = writer  # a raw stream, as Python's own unbuffered stdout is
        stream = io.TextIOWrapper(raw, write_through=True, **_text_options(old, fd))
    else:
        stream = io.TextIOWrapper(io.BufferedWriter(writer), **_text_options(old, fd))
    if old is not None:
        with contextlib.suppress(OSError, ValueError):
            old.flush()
    setattr(sys, name, stream)
    return writer


def _text_options(old: Any, fd: int) -> dict[str, Any]:
    return {
        "encoding": getattr(old, "encoding", None) or "utf-8",
        "errors": getattr(old, "errors", None) or ("backslashreplace" if fd == 2 else "strict"),
        "line_buffering": bool(getattr(old, "line_buffering", False)) or fd == 2,
    }


def guard_streams() -> GuardedStreams:
    """Called once by the entry point, before anything is printed."""
    return GuardedStreams()


# --- output said later, in order -------------------------------------------------------------


class _Tap(io.TextIOBase):
    """Stands for `sys.<name>` while a command's output is kept: what is written is kept in
    `chunks` (shared with the other stream, so the order of the two stays), and it answers
    `isatty` as the real stream does, so the screens are drawn as they would be there."""

    #: a progress bar is not drawn into kept output (cli/progress.py)
    kept = True

    def __init__(self, name: str, chunks: list[tuple[str, str]]) -> None:
        super().__init__()
        self._name = name
        self._real = getattr(sys, name)
        self._chunks = chunks

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._real, "encoding", None) or "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        try:
            return bool(self._real.isatty())
        except (OSError, ValueError, AttributeError):
            return False

    def write(self, data: str) -> int:
        self._chunks.append((self._name, data))
        return len(data)


@contextlib.contextmanager
def kept_output() -> Iterator[Callable[[], None]]:
    """What is printed to stdout and stderr in the block is kept, not written; the function
    it yields writes it out, in the order it was printed (a scenario step whose narration
    needs the step's figures says it before the step's screen)."""
    from .render import kept_recording

    chunks: list[tuple[str, str]] = []
    taps = {name: _Tap(name, chunks) for name in ("stdout", "stderr")}
    real = {name: getattr(sys, name) for name in taps}

    with kept_recording() as record:  # and what an --export of the whole session records

        def replay() -> None:
            for name, data in chunks:
                stream = getattr(sys, name)
                stream.write(data)
                stream.flush()
            chunks.clear()
            record()

        for name, tap in taps.items():
            setattr(sys, name, tap)
        try:
            yield replay
        finally:
            for name, stream in real.items():
                setattr(sys, name, stream)
