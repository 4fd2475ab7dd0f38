"""The documented exit codes, and the exception that carries a message key to one of them."""

from __future__ import annotations

from typing import Any

#: Also a borrow declined at its question: "no", Enter, or the end of input (Ctrl-D).
#: (A what-if exits with the code of the action that stopped it: 3 or 2, as typed alone.)
EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_DATABASE = 4
EXIT_INTERRUPTED = 130


class UserError(Exception):
    """A message from the catalogue and the exit code that goes with it."""

    def __init__(self, key: str, exit_code: int = EXIT_USAGE, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.exit_code = exit_code
        self.params = params
