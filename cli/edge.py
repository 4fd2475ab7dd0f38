"""Input parsing at the edge: amounts, dates, free text, command words, policy files, export
targets. Each bad value becomes a UserError (exit 2) naming what was typed."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from .errors import Problem
from .exits import UserError

if TYPE_CHECKING:
    from limitlab.core.policy import Policy

    from .settings import Settings

T = TypeVar("T")
R = TypeVar("R")


def amount(text: str, *, allow_zero: bool = False) -> int:
    from limitlab.core.money import AmountError, parse_amount

    try:
        return parse_amount(text, allow_zero=allow_zero)
    except AmountError as exc:
        raise UserError(f"amount.{exc.code}", text=text) from None


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def parse_date(text: str) -> date:
    """YYYY-MM-DD within the simulated calendar (core/engine.py FIRST_DAY…LAST_DAY, 1970 to
    2199): room for any lesson, far from Python's calendar's ends. A real date outside it is
    refused as outside the calendar, not as "not a date"."""
    from limitlab.core.engine import FIRST_DAY, LAST_DAY

    if _DATE.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if FIRST_DAY <= day <= LAST_DAY:
                return day
            raise UserError(
                "date.outside", text=text, first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat()
            )
    raise UserError("date.bad", text=text)


#: The longest free text each input takes: a lender's name (the engine's own rule), a cohort
#: expression, a what-if action, and a scenario's title or narration.
NAME_MAX = 40
COHORT_MAX = 500
ACTION_MAX = 500
SCENARIO_TEXT_MAX = 1000


def text_problem(text: str, *, max_length: int) -> Problem | None:
    """Why `text` cannot be taken as a name or a line to show as written (a control or
    invisible character such as ESC, a newline or a bidi override; too long), or None.
    An empty value is for each command to word (an empty name, an empty expression)."""
    from .safe_text import first_hidden, visible

    hidden = first_hidden(text)
    if hidden is not None:
        char = visible(hidden)
        return Problem(
            "text_hidden",
            f"holds a control or invisible character ({char}); write printable text on one line",
            {"char": char},
        )
    if len(text) > max_length:
        return Problem(
            "text_too_long",
            f"is {len(text)} characters long; at most {max_length} are allowed",
            {"length": len(text), "max_length": max_length},
        )
    return None


def free_text(text: str, *, what: str, max_length: int = NAME_MAX) -> str:
    """A name or expression typed as `what` (`--lender`, `NAME`): `text` itself when it is
    printable text on one line of at most `max_length` characters, else bad input."""
    problem = text_problem(text, max_length=max_length)
    if problem is not None:
        raise UserError("option.bad", option=what, problem=problem)
    return text


def scenario_text(value: str) -> str:
    """A scenario file's title, description or narration as its loader takes it
    (`Annotated[str, AfterValidator(scenario_text)]`): a pydantic error of the same kinds
    otherwise, so the message names the file and the key."""
    problem = text_problem(value, max_length=SCENARIO_TEXT_MAX)
    if problem is not None:
        from pydantic_core import PydanticCustomError

        raise PydanticCustomError(problem.kind, problem.fallback, problem.params)
    return value


def edge_rule(parse: Callable[[T], R]) -> Callable[[T], R]:
    """An edge parser (`amount`, `parse_date`) as a pydantic validator of a file's value (a
    scenario's start and profile): what `parse` returns when it takes the value; otherwise
    its UserError becomes a pydantic error whose kind is its own catalogue key
    (`amount.format`, `date.outside`), so the file's key is named in the very words the
    option would get."""

    def check(value: T) -> R:
        try:
            return parse(value)
        except UserError as exc:
            from pydantic_core import PydanticCustomError

            from .i18n import text

            english = text(exc.key, "en", **exc.params)
            raise PydanticCustomError(exc.key, english, exc.params) from None

    return check


def split_words(text: str) -> list[str]:
    """A command line as words (shell quoting rules); bad quoting is bad input."""
    import shlex

    try:
        return shlex.split(text)
    except ValueError as exc:
        raise UserError("words.bad", text=text, problem=str(exc)) from None


def load_policy_file(path: str) -> Policy:
    from limitlab.core.policy import PolicyError, load_policy_file

    if os.path.isdir(path):
        raise UserError("policy.folder", path=path)
    if not os.path.isfile(path):
        raise UserError("policy.missing", path=path)
    try:
        return load_policy_file(path)
    except PolicyError as exc:
        problem = Problem(exc.kind, exc.problem, exc.params)
        if exc.key in ("file", "toml"):  # the file itself, not one of its settings
            raise UserError("policy.file_error", path=path, problem=problem) from None
        raise UserError("policy.error", path=path, setting=exc.key, problem=problem) from None


def export_path(
    path: str | None, s: Settings, *, force: bool = False, protect: tuple[str, ...] = ()
) -> str | None:
    """Check an --export target before any work is done (cli/exports.py says what is
    allowed): never with --json, never the account (`s.db_path`) or a file in `protect`, an
    existing file only when limitlab wrote it or with `force`. The path to write to."""
    if path is None:
        return None
    if s.json:
        raise UserError("export.with_json", path=path)
    from .exports import check_target

    return check_target(path, protect=(s.db_path, *protect), force=force)
