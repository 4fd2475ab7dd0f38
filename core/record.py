"""`Record`: what every dataclass of the model and the policy shares.

`@dataclass` writes and compiles `__eq__`, `__repr__` (and, frozen, `__hash__`) afresh for
each class at import, a quarter of a millisecond each: with two dozen classes that is a tenth
of a `limitlab status`. These generic versions behave the same (fields in order, the same class
only) and are written once.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any


class Record:
    """Base of the model's and the policy's dataclasses (declared `eq=False, repr=False`)."""

    __slots__ = ()

    def _values(self) -> tuple[Any, ...]:
        """The fields that take part in comparison, in order (as `@dataclass` compares)."""
        return tuple(getattr(self, f.name) for f in fields(self) if f.compare)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}"
            for f in fields(self)  # type: ignore[arg-type]
            if f.repr
        )
        return f"{self.__class__.__qualname__}({shown})"

    __hash__: Any = None  # mutable records are not hashable (as with @dataclass)


class FrozenRecord(Record):
    """Base of frozen dataclasses: hashable by value, as `@dataclass(frozen=True)` makes them."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._values())
