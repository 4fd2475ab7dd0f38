"""The one module that touches Typer's private API (a contract test, tests/test_lean_params.py,
fails loudly when an upgrade moves it; pyproject pins typer below 0.30).

* **Parameter coercion.** Typer 0.29 coerces each parameter through a pydantic TypeAdapter that
  it builds on first use, even for a parameter left at its default. The first one imports most
  of pydantic: about a third of a `limitlab status` (~70 ms). Our parameters are plain `str`,
  `int`, `bool` and `list[str]`; `LeanParam` takes the everyday values of those (a string, a
  plain decimal integer in range, a bool) as they are, and hands anything else to Typer's own
  coercion, so every value comes out as Typer would make it (a property test compares them).
* **Click's classes**, vendored by Typer as `typer._click`: the context, the help formatter and
  the parser's exceptions, re-exported here so no other module names the private package.
"""

from __future__ import annotations

from typing import Any

from limitlab.core.records import record
from typer._click import Command as ClickCommand
from typer._click import Context, HelpFormatter
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param

__all__ = [
    "BadOptionUsage",
    "BadParameter",
    "ClickCommand",
    "ClickException",
    "Context",
    "HelpFormatter",
    "LeanParam",
    "MissingParameter",
    "NoArgsIsHelpError",
    "NoSuchOption",
    "UsageError",
    "is_lean",
    "prime",
]

#: Longer digit strings go to Typer (Python's int() refuses over 4,300 digits; pydantic words
#: its own error). limitlab's integers are days, months, ids: never this long.
_MAX_FAST_DIGITS = 18
_LIST_OF_STR: Any = list[str]


@record(frozen=True)
class LeanParam(RuntimeParam):
    """Coerce the everyday values without pydantic; anything else the way Typer does."""

    def _coerce_value(self, value: Any, param: Any, ctx: Context) -> Any:
        kind = self.annotation
        if kind is str and isinstance(value, str):
            return value
        if kind is bool and isinstance(value, bool):
            return value
        if kind is int and _plain_decimal(value):
            number = int(value)
            info = self.parameter_info
            if (info.min is None or number >= info.min) and (
                info.max is None or number <= info.max
            ):
                return number
        if (
            kind == _LIST_OF_STR
            and isinstance(value, list | tuple)
            and all(isinstance(item, str) for item in value)
        ):
            return list(value)
        full = build_runtime_param(param.type_descriptor)
        return full._coerce_value(value, param=param, ctx=ctx)


def _plain_decimal(value: Any) -> bool:
    if type(value) is int:
        return True
    return (
        isinstance(value, str)
        and 0 < len(value) <= _MAX_FAST_DIGITS
        and value.isascii()
        and value.isdigit()
    )


def is_lean(descriptor: TypeDescriptor) -> bool:
    """A parameter `LeanParam` can take: a plain type (an int may have a range, unclamped) with
    no parser, choice or path."""
    info = descriptor.parameter_info
    ranged = info.min is not None or info.max is not None
    return (
        (descriptor.annotation in (str, int, bool) or descriptor.annotation == _LIST_OF_STR)
        and descriptor.file_annotation is None
        and info.parser is None
        and (not ranged or (descriptor.annotation is int and not info.clamp))
        and not descriptor.is_choice
        and not descriptor.is_path
    )


def prime(params: list[Any]) -> None:
    """Give each plain parameter a `LeanParam` before Typer would build its TypeAdapter."""
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            continue
        if is_lean(descriptor):
            try:
                lean = LeanParam(
                    annotation=descriptor.annotation, parameter_info=descriptor.parameter_info
                )
            except TypeError:  # RuntimeParam grew a field: leave the parameter to Typer
                continue
            param._runtime_param = lean
