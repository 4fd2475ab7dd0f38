"""--export files: which targets are allowed, how limitlab recognises a file it wrote, and
how one is written (whole or not at all).

* **Never the account.** A target whose real path (symlinks followed) or file identity is the
  account's database, its -wal, -shm or -journal, is refused, --force or not.
* **Only regular files.** A folder, a device (/dev/full), a FIFO or a socket is refused.
* **Only limitlab's own files are replaced**, unless the command has --force. limitlab marks
  every export it writes: an .svg or .html starts with the line `<!-- limitlab export -->`
  (a comment: invisible in a browser), a .txt ends with the line `-- limitlab export --`.
  A .png carries the text chunk `Software: limitlab export` in its first bytes.
  A file with that mark is replaced freely; any other file needs --force.
* **A lesson's steps** (`show = "why --export why.svg"`) export inside the lesson file's own
  folder (a relative name is taken from there), never over a file limitlab did not write
  (--force is not honoured there), never onto the lesson's database or the user's account.
* **Written whole**: into a temporary file beside the target, then renamed over it; a
  failure (or Ctrl-C) leaves the old file as it was. A symlink is followed: its target is
  replaced, the link stays.
"""

from __future__ import annotations

import contextlib
import os
import stat

from .exits import UserError
from .settings import export_bounds

#: The formats a screen exports to, by file suffix (.png: cli/slides.py).
EXPORT_FORMATS = (".svg", ".html", ".txt", ".png")
#: The first line of an .svg or .html export.
MARK_HEAD = "<!-- limitlab export -->"
#: The last line of a .txt export.
MARK_TAIL = "-- limitlab export --"
#: The companions SQLite keeps beside a database.
_COMPANIONS = ("", "-wal", "-shm", "-journal")


def check_target(path: str, *, protect: tuple[str, ...], force: bool) -> str:
    """The path to export to (inside a lesson: resolved from the lesson's folder), or a
    UserError (exit 2) saying why not, before any work is done."""
    if os.path.splitext(path)[1].lower() not in EXPORT_FORMATS:
        raise UserError("export.format", path=path)
    bounds = export_bounds()
    if bounds is not None:
        path = os.path.join(bounds.folder, path)  # an absolute path stays as it is
        force = False
        protect = (*protect, *bounds.protect)
        folder = os.path.realpath(bounds.folder)
        if os.path.commonpath([folder, os.path.realpath(path)]) != folder:
            raise UserError("export.outside_lesson", path=path, folder=bounds.folder)
    real = os.path.realpath(path)
    if not os.path.isdir(os.path.dirname(real)):
        raise UserError("export.folder", path=path)
    if _is_protected(real, protect):
        raise UserError("export.account", path=path)
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise UserError("export.unusable", path=path, detail=exc.strerror or str(exc)) from None
    if not stat.S_ISREG(mode):
        raise UserError("export.not_a_file", path=path)
    if not force and not is_export(real):
        key = "export.not_ours_lesson" if bounds is not None else "export.not_ours"
        raise UserError(key, path=path)
    return path


def _is_protected(real: str, protect: tuple[str, ...]) -> bool:
    for account in protect:
        if not account:
            continue
        for base in {os.path.realpath(account), os.path.abspath(account)}:
            for companion in _COMPANIONS:
                other = base + companion
                if real == os.path.realpath(other) or _same_file(real, other):
                    return True
    return False


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def is_export(path: str) -> bool:
    """Does the file carry limitlab's export mark (first line of an .svg/.html, last line of
    a .txt)? An unreadable file does not."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - len(MARK_TAIL) - 4))
            tail = fh.read()
    except OSError:
        return False
    if head.lstrip(b"\xef\xbb\xbf").startswith(MARK_HEAD.encode()):
        return True
    if head.startswith(b"\x89PNG") and b"Software\x00limitlab export" in head:
        return True
    lines = tail.rstrip(b"\r\n").splitlines()
    return bool(lines) and lines[-1].strip() == MARK_TAIL.encode()


def marked(content: str, suffix: str) -> str:
    """`content` with limitlab's export mark for a file ending in `suffix`."""
    if suffix.lower() == ".txt":
        return content.rstrip("\n") + "\n" + MARK_TAIL + "\n"
    return MARK_HEAD + "\n" + content


def write(path: str, content: str | bytes) -> None:
    """Write an export whole: a temporary file beside the target, renamed over it. A failure
    is a UserError naming the export (exit 2); the old file, if any, is left as it was."""
    import tempfile

    real = os.path.realpath(path)
    folder, name = os.path.split(real)
    if isinstance(content, bytes):  # a picture: marked by whoever drew it
        data = content
    else:
        data = marked(content, os.path.splitext(real)[1]).encode("utf-8")
    temporary = None
    try:
        try:
            mode = stat.S_IMODE(os.stat(real).st_mode)  # a replaced export keeps its mode
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask  # as open() would make a new file
        fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".limitlab-tmp", dir=folder)
        try:
            os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, real)
        temporary = None
    except OSError as exc:
        detail = exc.strerror or str(exc)
        raise UserError("export.unwritable", path=path, detail=detail) from None
    finally:
        if temporary is not None:  # failed or interrupted: the old file stays as it was
            with contextlib.suppress(OSError):
                os.unlink(temporary)
