"""`Record` and `FrozenRecord` give the model's and the policy's dataclasses exactly the
equality, repr and hashing `@dataclass` would have generated."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from limitlab.core.model import AccountState, Profile
from limitlab.core.policy import DEFAULT_POLICY, Bins, policy_from_dict
from limitlab.core.record import FrozenRecord, Record


@dataclass
class Generated:
    name: str
    amount: int
    on: date
    note: str = field(default="", compare=False)


@dataclass(eq=False, repr=False)
class Inherited(Record):
    name: str
    amount: int
    on: date
    note: str = field(default="", compare=False)


@dataclass(frozen=True)
class FrozenGenerated:
    edges: tuple[Decimal, ...]
    label: str


@dataclass(frozen=True, eq=False, repr=False)
class FrozenInherited(FrozenRecord):
    edges: tuple[Decimal, ...]
    label: str


VALUES = st.tuples(st.text(max_size=5), st.integers(-5, 5), st.dates(), st.text(max_size=3))


@given(a=VALUES, b=VALUES)
def test_equality_and_repr_match_dataclass(a: tuple[Any, ...], b: tuple[Any, ...]) -> None:
    assert (Inherited(*a) == Inherited(*b)) == (Generated(*a) == Generated(*b))
    assert repr(Inherited(*a)).replace("Inherited", "X") == repr(Generated(*a)).replace(
        "Generated", "X"
    )
    assert Inherited(*a) != Generated(*a)  # another class is never equal
    with pytest.raises(TypeError):
        hash(Inherited(*a))  # mutable: unhashable, as @dataclass makes it


@given(
    a=st.tuples(st.lists(st.decimals(allow_nan=False), max_size=3).map(tuple), st.text(max_size=3)),
    b=st.tuples(st.lists(st.decimals(allow_nan=False), max_size=3).map(tuple), st.text(max_size=3)),
)
def test_frozen_records_hash_and_compare_like_dataclass(
    a: tuple[Any, ...], b: tuple[Any, ...]
) -> None:
    assert (FrozenInherited(*a) == FrozenInherited(*b)) == (
        FrozenGenerated(*a) == FrozenGenerated(*b)
    )
    assert hash(FrozenInherited(*a)) == hash(FrozenGenerated(*a))
    assert repr(FrozenInherited(*a)).replace("FrozenInherited", "X") == repr(
        FrozenGenerated(*a)
    ).replace("FrozenGenerated", "X")


def test_the_model_and_the_policy_use_them() -> None:
    assert issubclass(AccountState, Record) and issubclass(Profile, Record)
    assert issubclass(type(DEFAULT_POLICY), FrozenRecord) and issubclass(Bins, FrozenRecord)
    assert policy_from_dict({}) == DEFAULT_POLICY
    assert hash(policy_from_dict({})) == hash(DEFAULT_POLICY)
    assert policy_from_dict({"grace_days": 5}) != DEFAULT_POLICY
    assert repr(DEFAULT_POLICY).startswith("Policy(")
