"""`LeanParam` (cli/typer_ext.py) coerces exactly as Typer's own pydantic-backed coercion does:
the same value, or the same error with the same message, for any input."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st
from limitlab.cli.main import app
from limitlab.cli.typer_ext import LeanParam, is_lean
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param

ROOT = typer.main.get_command(app)


def param_of(words: str, name: str) -> tuple[Any, Any]:
    command = ROOT
    for word in words.split():
        parent = command.make_context("limitlab", [], resilient_parsing=True)
        command = command.get_command(parent, word)  # type: ignore[attr-defined]
    ctx = command.make_context("limitlab", [], resilient_parsing=True)
    param = next(p for p in command.get_params(ctx) if p.name == name)
    return param, ctx


PARAMS = {
    "str": param_of("borrow", "method"),
    "str | None": param_of("why", "amount_text"),
    "int": param_of("borrow", "term"),
    "int | None": param_of("advance", "days"),
    "int, min=1": param_of("history", "last"),
    "bool": param_of("borrow", "yes"),
    "bool | None": param_of("profile set", "verified"),
    "list[str]": param_of("what-if", "actions"),
    "list[str] | None": param_of("history", "kind"),
}


def outcome(runtime: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        return ("value", runtime.coerce(value, param=param, ctx=ctx))
    except BadParameter as exc:
        return ("error", exc.format_message())


def lean(param: Any) -> LeanParam:
    d = param.type_descriptor
    return LeanParam(annotation=d.annotation, parameter_info=d.parameter_info)


def test_every_parameter_of_limitlab_is_taken_by_the_lean_path() -> None:
    """A new parameter of another kind would quietly bring pydantic back into start-up."""

    def walk(command: Any, words: str) -> Any:
        ctx = command.make_context("limitlab", [], resilient_parsing=True)
        for param in command.get_params(ctx):
            yield f"{words} {param.name}", param
        for name in getattr(command, "list_commands", lambda _: [])(ctx):
            yield from walk(command.get_command(ctx, name), f"{words} {name}")

    for name, param in walk(ROOT, "limitlab"):
        assert is_lean(param.type_descriptor), name


def test_typers_runtime_coercion_contract_is_what_leanparam_expects() -> None:
    """cli/typer_ext.py relies on these internals of Typer 0.29; an upgrade that moves them
    must fail here."""
    import dataclasses
    import inspect

    from typer._coercion import RuntimeParam, TypeDescriptor
    from typer.core import _TyperParameter

    assert [f.name for f in dataclasses.fields(RuntimeParam)] == ["parameter_info", "annotation"]
    assert list(inspect.signature(RuntimeParam._coerce_value).parameters) == [
        "self",
        "value",
        "param",
        "ctx",
    ]
    assert {"annotation", "parameter_info", "file_annotation"} <= {
        f.name for f in dataclasses.fields(TypeDescriptor)
    }
    assert "self._runtime_param" in inspect.getsource(_TyperParameter.get_runtime_param)
    assert not inspect.isabstract(LeanParam)
    # parsing a command line primes its parameters, and Typer then uses what we primed
    root = typer.main.get_command(app)
    borrow = root.get_command(root.make_context("limitlab", [], resilient_parsing=True), "borrow")  # type: ignore[attr-defined]
    ctx = borrow.make_context("borrow", ["100", "--term", "6"])
    term = next(p for p in borrow.params if p.name == "term")
    assert isinstance(term._runtime_param, LeanParam)
    assert ctx.params["term"] == 6


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**25), 10**25),
    st.integers(-(10**25), 10**25).map(str),
    st.text(max_size=12),
    st.text(alphabet="0123456789+-_. \t１２٣e", max_size=22),
    st.sampled_from(["", " 7 ", "007", "1_000", "+5", "-0", "１２３", "9" * 19, "9" * 5000]),
    st.sampled_from(["true", "False", "yes", "0", "1", "on", " "]),
    st.lists(st.text(max_size=6), max_size=3).map(tuple),
)


@pytest.mark.parametrize("kind", sorted(PARAMS))
@settings(max_examples=150, deadline=None)
@given(value=VALUES)
def test_lean_coercion_agrees_with_typer(kind: str, value: Any) -> None:
    param, ctx = PARAMS[kind]
    full = build_runtime_param(param.type_descriptor)
    assert outcome(lean(param), value, param, ctx) == outcome(full, value, param, ctx)


def test_plain_values_never_reach_pydantic(monkeypatch: pytest.MonkeyPatch) -> None:
    """The everyday values take the fast path (no TypeAdapter is built for them)."""
    import limitlab.cli.typer_ext as ext

    def refuse(_: Any) -> Any:
        raise AssertionError("fell back to Typer's coercion")

    monkeypatch.setattr(ext, "build_runtime_param", refuse)
    cases = [
        ("str", "equal-principal", "equal-principal"),
        ("int", "12", 12),
        ("int, min=1", "3", 3),
        ("bool", True, True),
        ("list[str]", ("repay 5000", "wait 30"), ["repay 5000", "wait 30"]),
    ]
    for kind, value, expected in cases:
        param, ctx = PARAMS[kind]
        assert lean(param).coerce(value, param=param, ctx=ctx) == expected
