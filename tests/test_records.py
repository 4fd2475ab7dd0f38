"""`record` gives exactly what `dataclasses.dataclass` gives: repr, equality, hash, frozenness."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from limitlab.core.records import record


def _pair(frozen: bool) -> tuple[Any, Any]:
    def body() -> dict[str, Any]:
        return {
            "__annotations__": {"a": "int", "b": "str", "c": "Any", "d": "list[int]"},
            "b": "x",
            "c": dataclasses.field(default=None, repr=False, compare=False),
            "d": dataclasses.field(default_factory=list),
        }

    made = type("Thing", (), body())
    std = type("Thing", (), body())
    return record(frozen=frozen)(made), dataclasses.dataclass(frozen=frozen)(std)


@pytest.mark.parametrize("frozen", [False, True])
def test_record_behaves_as_dataclass(frozen: bool) -> None:
    mine, std = _pair(frozen)
    values: list[tuple[Any, ...]] = [
        (1, "x", None, [1]),
        (1, "x", "other", [1]),
        (2, "y", None, []),
        (Decimal("1.0"), "", date(2026, 1, 5), [2, 3]),
    ]
    for args in values:
        m, s = mine(*args), std(*args)
        assert repr(m) == repr(s)
        assert dataclasses.asdict(m) == dataclasses.asdict(s)
        assert dataclasses.replace(m, a=9).a == 9
        for other in values:
            assert (m == mine(*other)) == (s == std(*other))
            assert (m != mine(*other)) == (s != std(*other))
        assert (m == s) is False and m.__eq__(s) is NotImplemented
        if frozen:
            assert hash(mine(*args[:3], ())) == hash(std(*args[:3], ()))
            with pytest.raises(dataclasses.FrozenInstanceError):
                m.a = 3
        else:
            with pytest.raises(TypeError):
                hash(m)
    # a record inside its own repr
    if not frozen:
        m, s = mine(1), std(1)
        m.d, s.d = [m], [s]
        assert repr(m) == repr(s) == "Thing(a=1, b='x', d=[...])"


def test_record_keeps_methods_the_class_writes() -> None:
    @record(frozen=True)
    class Own:
        a: int

        def __repr__(self) -> str:
            return "own"

        def __hash__(self) -> int:
            return 7

    assert repr(Own(1)) == "own" and hash(Own(1)) == 7 and Own(1) == Own(1)
