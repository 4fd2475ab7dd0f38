"""Our Typer command classes: the same commands, minus what Typer pays on every run, and
with usage errors in the user's language.

Every command and group of limitlab is a `Command` or a `Group` (a test walks the tree):

* **Parameter coercion.** Typer 0.29 coerces each parameter through a pydantic TypeAdapter that
  it builds on first use, even for a parameter left at its default. The first one imports most
  of pydantic: about a third of a `limitlab status`. Our parameters are plain `str`, `int`,
  `bool` and `list[str]`; `LeanParam` takes the everyday values of those (a string, a plain
  decimal integer in range, a bool) as they are, and hands anything else to Typer's own
  coercion, so every value comes out as Typer would make it (a property test compares them).
* **The help screen.** Typer's rich help imports rich.markdown (markdown-it) and rich.traceback
  (pygments) at module level; ours (`helpscreen`) draws its panels with rich tables only,
  shows what to type (AMOUNT, DATE, N) and speaks Chinese under `--lang zh`.
* **Usage errors** (a missing argument, an unknown option, a bad value) keep Typer's layout
  but are worded from the message catalogue, in English or Chinese (`helpscreen`).

This leans on Typer's internals: its runtime-coercion contract (`typer._coercion.RuntimeParam`,
the `_runtime_param` each parameter caches) and its vendored click (`typer._click`). So
`pyproject.toml` pins typer below 0.30, and tests/test_lean_params.py checks the contract: a
Typer upgrade that moves it fails the tests, not the users.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, NoReturn

import typer
import typer.main
from typer._click import Command as ClickCommand
from typer._click import Context, HelpFormatter
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer.core import TyperCommand, TyperGroup
from typer.exceptions import Abort

from .context import EXIT_INTERRUPTED, lang_from_argv, lang_in_args

#: Where parse_args leaves the `--lang` of the command line for the help screen (`ctx.meta` is
#: shared by a command's context and its parents').
LANG_KEY = "limitlab.lang"

#: Longer digit strings go to Typer (Python's int() refuses over 4,300 digits; pydantic words
#: its own error). limitlab's integers are days, months, ids: never this long.
_MAX_FAST_DIGITS = 18
_LIST_OF_STR: Any = list[str]


@dataclass(frozen=True)
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


def _prime(params: list[Any]) -> None:
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


def _start(ctx: Context, args: list[str]) -> None:
    """Before Typer parses `args`: note their --lang and prime the parameters."""
    lang = lang_in_args(args)
    if lang is not None:
        ctx.meta[LANG_KEY] = lang
    _prime(ctx.command.get_params(ctx))


def _usage_error(exc: ClickException, words: list[str]) -> NoReturn:
    from .helpscreen import show_usage_error

    show_usage_error(exc, lang_from_argv(words))
    sys.exit(exc.exit_code)


def argument_name(param: Any) -> str:
    """What the user types for an argument: its metavar, else its name in capitals (`…` when
    it takes several)."""
    if param.metavar:
        return str(param.metavar)
    return (param.name or "").upper() + (" …" if param.nargs == -1 else "")


def usage_pieces(command: Any) -> list[str]:
    """`[OPTIONS]`, the arguments as the user types them, then `COMMAND [ARGS]…` for a group;
    the usage line of the help screen and of usage errors alike."""
    pieces = ["[OPTIONS]"]
    for param in command.params:
        if param.param_type_name != "argument":
            continue
        name = argument_name(param)
        pieces.append(name if param.required or name.startswith("[") else f"[{name}]")
    if isinstance(command, TyperGroup):
        pieces.append("COMMAND [ARGS]…")
    return pieces


def defer_commands(app: typer.Typer) -> None:
    """Take `app`'s registered commands out of Typer's hands: it would build every one of them
    (reading each function's signature and annotations) on every run. `app` gets a `Group` of
    its own that holds them and builds a command when it is first used. Call once, after every
    command of `app` is registered."""
    base = app.info.cls if isinstance(app.info.cls, type) else Group
    assert issubclass(base, Group), "defer_commands needs typer.Typer(cls=Group)"
    deferred: dict[str, tuple[Any, bool]] = {}
    for info in app.registered_commands:
        assert info.callback is not None, "a command has a function"
        name = info.name or typer.main.get_command_name(info.callback.__name__)
        deferred[name] = (info, app.pretty_exceptions_short)
    app.registered_commands.clear()
    app.info.cls = type(base.__name__, (base,), {"deferred": deferred, "__module__": __name__})


class _Limitlab(ClickCommand):
    """What every limitlab command and group does differently from Typer's own."""

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        return usage_pieces(self)

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        _start(ctx, args)
        try:
            return super().parse_args(ctx, args)
        except UsageError as exc:
            exc.ctx = exc.ctx or ctx  # the parser raises some without one: no usage line
            raise

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        from .helpscreen import show_help

        show_help(self, ctx)


class Command(_Limitlab, TyperCommand):
    """A limitlab command (`@app.command(cls=Command)`)."""


class Group(_Limitlab, TyperGroup):
    """A limitlab command group (`typer.Typer(cls=Group)`); its deferred commands (see
    `defer_commands`) are built when first used."""

    #: The commands `defer_commands` took from Typer: (how Typer builds it, its
    #: pretty_exceptions_short), by name, in the order they were registered.
    deferred: ClassVar[dict[str, tuple[Any, bool]]] = {}

    def list_commands(self, ctx: Context) -> list[str]:
        """Typer's order: the commands as registered, then the groups."""
        built = super().list_commands(ctx)
        return [*self.deferred, *(n for n in built if n not in self.deferred)]

    def get_command(self, ctx: Context, cmd_name: str) -> ClickCommand | None:
        if cmd_name not in self.commands and cmd_name in self.deferred:
            info, short = self.deferred[cmd_name]
            self.add_command(
                typer.main.get_command_from_info(
                    info, pretty_exceptions_short=short, rich_markup_mode=self.rich_markup_mode
                ),
                cmd_name,
            )
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, ClickCommand | None, list[str]]:
        if args and args[0] not in self.commands:
            if args[0] in self.deferred:
                self.get_command(ctx, args[0])
            else:  # a typo: build them all, so "Did you mean …?" knows every name
                for name in self.deferred:
                    self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def help_entries(self, ctx: Context) -> list[tuple[str, str]]:
        """(name, help) of each visible command, in order, without building deferred ones."""
        entries = []
        for name in self.list_commands(ctx):
            if name in self.commands:
                sub = self.commands[name]
                if not sub.hidden:
                    entries.append((name, sub.help or ""))
            else:
                info, _ = self.deferred[name]
                if not info.hidden:
                    entries.append((name, info.help or inspect.getdoc(info.callback) or ""))
        return entries

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Typer's main loop, with usage errors worded in the user's language. Run embedded
        (`standalone_mode=False`, as scenarios do), errors propagate exactly as Typer's do."""
        if not standalone_mode:
            return super().main(
                args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra
            )
        words = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except NoArgsIsHelpError:  # the help is on the screen already
            sys.exit(2)
        except ClickException as exc:
            _usage_error(exc, words)
        except Abort as exc:  # a prompt met Ctrl-C (interrupted, 130) or the end of input (1)
            from limitlab.core.messages import text

            interrupted = isinstance(exc.__context__, KeyboardInterrupt)
            key = "interrupted" if interrupted else "usage.aborted"
            sys.stderr.write(f"limitlab: {text(key, lang_from_argv(words))}\n")
            sys.exit(EXIT_INTERRUPTED if interrupted else 1)
        # Typer returns an Exit's code; our commands themselves return None (exit 0).
        sys.exit(code if type(code) is int else 0)
