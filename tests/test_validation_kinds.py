"""Validation problems are worded from the catalogue by their kind (`validation.KIND`), and most
kinds are pydantic's own error types: this pins every type and context key the catalogue
depends on, so a pydantic upgrade that renames one fails here instead of silently showing a
Chinese user pydantic's English (issue 10 §6)."""

from __future__ import annotations

import ast
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import pytest
from limitlab.cli.i18n import text
from limitlab.core.policy import Bound
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, validate_call

from .conftest import CATALOGUE

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Strict:
    """A policy-like dataclass: unknown keys refused, values bounded by our own marker."""

    __pydantic_config__: ClassVar = {"extra": "forbid"}
    count: Annotated[int, Bound(ge=1, le=10)] = 1
    factor: Annotated[Decimal, Bound(gt=0, lt=1)] = Decimal("0.5")
    name: Annotated[str, Bound(min_length=1, max_length=3)] = "a"
    items: Annotated[tuple[int, ...], Bound(min_length=1, max_length=2)] = (1,)


class Model(BaseModel):
    """A scenario-like model."""

    model_config = ConfigDict(extra="forbid")
    required: int
    flag: bool = True
    on: date = date(2026, 1, 1)
    words: list[str] = []
    table: dict[str, int] = {}


def needs_one(value: int) -> int:
    return value


def python(target: Any, data: Any) -> Callable[[], object]:
    return lambda: TypeAdapter(target).validate_python(data)


#: pydantic's error type → a way to make pydantic raise it. Each must come out with exactly
#: this type and with every parameter its catalogue message uses.
PYDANTIC_KINDS: dict[str, Callable[[], object]] = {
    "int_type": python(Strict, {"count": True}),
    "int_parsing": python(int, "x"),
    "decimal_type": python(Strict, {"factor": True}),
    "decimal_parsing": python(Decimal, "x"),
    "decimal_max_places": python(Strict, {"factor": "0.123456789"}),
    "finite_number": python(Strict, {"factor": "NaN"}),
    "bool_type": python(bool, 1.5),
    "literal_error": python(Literal["wallet", "outside"], "bank"),
    "bool_parsing": python(bool, "maybe"),
    "string_type": python(Strict, {"name": 1}),
    "string_too_short": python(Strict, {"name": ""}),
    "string_too_long": python(Strict, {"name": "abcd"}),
    "tuple_type": python(Strict, {"items": 1}),
    "list_type": python(Model, {"required": 1, "words": 1}),
    "dict_type": python(Model, {"required": 1, "table": 1}),
    "model_type": python(Model, 1),
    "dataclass_type": python(tuple[Strict], [1]),
    "date_type": python(Model, {"required": 1, "on": True}),
    "date_parsing": lambda: TypeAdapter(date, config=ConfigDict(strict=True)).validate_json('"x"'),
    "date_from_datetime_parsing": python(Model, {"required": 1, "on": "x"}),
    "date_from_datetime_inexact": python(Model, {"required": 1, "on": "2026-01-01T08:00"}),
    "greater_than": python(Strict, {"factor": "0"}),
    "greater_than_equal": python(Strict, {"count": 0}),
    "less_than": python(Strict, {"factor": "1"}),
    "less_than_equal": python(Strict, {"count": 11}),
    "too_short": python(Strict, {"items": []}),
    "too_long": python(Strict, {"items": [1, 2, 3]}),
    "unexpected_keyword_argument": python(Strict, {"x": 1}),
    "extra_forbidden": python(Model, {"required": 1, "x": 1}),
    "missing": python(Model, {}),
    "missing_argument": lambda: validate_call(needs_one)(),  # type: ignore[call-arg]
    "invalid_key": python(Strict, {1: 1}),
}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def first_error(validate: Callable[[], object]) -> dict[str, Any]:
    with pytest.raises(ValidationError) as caught:
        validate()
    return dict(caught.value.errors()[0])


@pytest.mark.parametrize("kind", sorted(PYDANTIC_KINDS))
def test_pydantic_still_names_the_error_as_the_catalogue_does(kind: str) -> None:
    err = first_error(PYDANTIC_KINDS[kind])
    assert err["type"] == kind
    en, zh = CATALOGUE[f"validation.{kind}"]
    needed = placeholders(en) | placeholders(zh)
    ctx = dict(err.get("ctx") or {})
    assert needed <= ctx.keys(), (kind, needed, ctx)
    for lang in ("en", "zh"):
        assert "{" not in text(f"validation.{kind}", lang, **ctx)


@pytest.mark.parametrize("value", [1.5, 1e300, True, "1"])
def test_a_strict_whole_number_refuses_floats_booleans_and_text_as_int_type(value: object) -> None:
    """A scenario's whole numbers are strict: without it pydantic says `int_from_float`
    (1.5), `int_parsing_size` (1e300) or takes `true` for 1, kinds the catalogue has not."""
    from limitlab.cli.scenario_file import Whole

    assert first_error(python(Whole, value))["type"] == "int_type"


def test_a_check_of_a_class_keeps_its_own_kind_through_pydantic() -> None:
    """A PolicyError raised in a dataclass's __post_init__ reaches us as pydantic's
    `value_error`, with the exception itself as `ctx["error"]`."""
    from limitlab.core.policy import Bins, PolicyError

    err = first_error(python(Bins, {"edges": ["2", "1"], "points": [0, 1, 2]}))
    assert err["type"] == "value_error"
    assert isinstance(err["ctx"]["error"], PolicyError)
    assert err["ctx"]["error"].kind == "edges_order"


def _kinds_given(path: Path, exception: str, position: int) -> set[str]:
    """The kinds `path` gives `exception`: its literal argument at `position`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == exception
            and len(node.args) > position
        ):
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.add(argument.value)
    return found


#: The kinds limitlab's own code gives a problem, by module, exception and argument position.
OURS = {
    *_kinds_given(ROOT / "core" / "policy.py", "PolicyError", 2),
    *_kinds_given(ROOT / "cli" / "scenario_file.py", "ScenarioError", 2),
    *_kinds_given(ROOT / "cli" / "scenario_file.py", "PydanticCustomError", 0),
    *_kinds_given(ROOT / "cli" / "edge.py", "Problem", 0),
}


def test_every_kind_limitlab_gives_is_in_the_catalogue() -> None:
    assert {"no_bands", "plain_text", "apr_ceiling", "too_deep", "one_kind"} <= OURS
    assert sorted(k for k in OURS if f"validation.{k}" not in CATALOGUE) == []


def test_every_validation_kind_in_the_catalogue_is_pinned_or_ours() -> None:
    kinds = {key.removeprefix("validation.") for key in CATALOGUE if key.startswith("validation.")}
    assert sorted(kinds - OURS - PYDANTIC_KINDS.keys()) == []
