"""`record`: `dataclasses.dataclass` without compiling `__repr__`, `__eq__` and `__hash__`.

The standard decorator writes each method as source and compiles it (an `exec` per method,
per class); the ~65 dataclasses a command loads spent most of their import time there. A record
is a real dataclass (`fields`, `replace`, `asdict`, the generated `__init__` and a frozen
record's `__setattr__`), whose repr, equality and hash are the shared functions below, made to
give exactly what the generated ones give: `Name(a=1, b='x')` ("..." for a record met again
inside its own repr), equality of the tuple of compared fields between two objects of the
same class (NotImplemented otherwise), the hash of that tuple when frozen, unhashable when
not; a method the class writes itself is kept. tests/test_records.py compares the two.
"""

from __future__ import annotations

import dataclasses
from _thread import get_ident
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """obj → (obj.a, obj.b, …) (a tuple for one name or none too)."""
    if len(names) >= 2:
        return attrgetter(*names)
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _methods(cls: type, frozen: bool) -> None:
    fields = dataclasses.fields(cls)
    shown = tuple(f.name for f in fields if f.repr)
    key = _getter(tuple(f.name for f in fields if f.compare))
    running: set[tuple[int, int]] = set()

    def __repr__(self: Any) -> str:
        mark = id(self), get_ident()
        if mark in running:
            return "..."
        running.add(mark)
        try:
            inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
            return f"{self.__class__.__qualname__}({inner})"
        finally:
            running.discard(mark)

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(key(self))

    own = cls.__dict__
    for method in (__repr__, __eq__):
        if method.__name__ not in own:
            method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
            setattr(cls, method.__name__, method)
    # dataclasses' rule for eq=True, unsafe_hash=False: an explicit __hash__ stays; otherwise
    # frozen gets the fields' hash and mutable becomes unhashable.
    class_hash = own.get("__hash__", dataclasses.MISSING)
    explicit = not (class_hash is dataclasses.MISSING or (class_hash is None and "__eq__" in own))
    if not explicit:
        if frozen:
            __hash__.__qualname__ = f"{cls.__qualname__}.__hash__"
            cls.__hash__ = __hash__  # type: ignore[method-assign, assignment]
        else:
            cls.__hash__ = None  # type: ignore[assignment]


@overload
def record(cls: type[T], /) -> type[T]: ...
@overload
def record(*, frozen: bool = False) -> Callable[[type[T]], type[T]]: ...
@dataclass_transform(field_specifiers=(dataclasses.field,))
def record(cls: type[T] | None = None, /, *, frozen: bool = False) -> Any:
    """`@record` / `@record(frozen=True)`: as `@dataclass` / `@dataclass(frozen=True)`."""

    def wrap(cls: type[T]) -> type[T]:
        made = dataclasses.dataclass(cls, frozen=frozen, repr=False, eq=False)
        _methods(made, frozen)
        return made

    return wrap if cls is None else wrap(cls)
