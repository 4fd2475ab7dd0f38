"""`Record`: what every dataclass of the model and the policy shares.

`@dataclass` writes and compiles `__eq__`, `__repr__` (and, frozen, `__hash__`) afresh for
each class at import, a quarter of a millisecond each: with two dozen classes that is a tenth
of a `limitlab status`. These generic versions behave the same (fields in order, the same class
only) and are written once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from typing import Any

#: Per class, a getter of its compared fields as a tuple (operator.attrgetter runs in C: the
#: engine compares records thousands of times a simulated year).
_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _getter(record: Any) -> Callable[[Any], tuple[Any, ...]]:
    names = [f.name for f in fields(record) if f.compare]
    if len(names) >= 2:
        return attrgetter(*names)
    return lambda obj: tuple(getattr(obj, name) for name in names)


class Record:
    """Base of the model's and the policy's dataclasses (declared `eq=False, repr=False`)."""

    __slots__ = ()

    def _values(self) -> tuple[Any, ...]:
        """The fields that take part in comparison, in order (as `@dataclass` compares)."""
        getter = _GETTERS.get(self.__class__)
        if getter is None:
            getter = _GETTERS[self.__class__] = _getter(self)
        return getter(self)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        getter = _GETTERS.get(self.__class__)
        if getter is None:
            return self._values() == other._values()  # the first comparison of this class
        return getter(self) == getter(other)

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
