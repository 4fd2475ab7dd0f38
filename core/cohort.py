"""Cohort expressions for platform measures (`score<650`, `lenders>=3 and dti>0.5`), never eval'd.

Grammar:  expr := term ("or" term)* ;  term := factor ("and" factor)* ;
          factor := "not" factor | "(" expr ")" | NAME OP NUMBER
NAME is one of score, dti (a ratio), lenders, income (yuan a month); OP one of < <= > >= == !=.
One line: words apart by spaces or tabs, at most MAX_LENGTH characters, MAX_DEPTH levels deep.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from decimal import Decimal

NAMES = ("score", "dti", "lenders", "income")
_OPS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
#: Words are apart by spaces or tabs: a cohort is one line.
_TOKEN = re.compile(
    r"[ \t]*(?:(<=|>=|==|!=|<|>|\(|\))|([A-Za-z_]+)|([0-9]+(?:\.[0-9]+)?))", re.ASCII
)

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?", re.ASCII)

#: How deeply `not` and parentheses may nest (far beyond any real cohort).
MAX_DEPTH = 50
#: The longest expression read, in characters (a real cohort is a few dozen).
MAX_LENGTH = 1000

Predicate = Callable[[Mapping[str, Decimal]], bool]


class CohortError(ValueError):
    """A cohort expression that cannot be parsed: `code` (a catalogue key under `cohort.`)
    and the `params` its message needs."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    text = text.rstrip(" \t")
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise CohortError("unexpected", text=text[pos:].strip(" \t")[:10], position=pos + 1)
        out.append(match.group(match.lastindex or 0))
        pos = match.end()
    if not out:
        raise CohortError("empty")
    return out


def parse_cohort(text: str) -> Predicate:
    """Parse an expression into a predicate over `{score, dti, lenders, income}`."""
    if len(text) > MAX_LENGTH:
        raise CohortError("too_long", length=len(text), max_length=MAX_LENGTH)
    tokens = _tokens(text)
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        if pos >= len(tokens):
            raise CohortError("ends_early")
        pos += 1
        return tokens[pos - 1]

    def expr() -> Predicate:
        left = term()
        while peek() == "or":
            take()
            right = term()
            left = (lambda a, b: lambda v: a(v) or b(v))(left, right)
        return left

    def term() -> Predicate:
        left = factor()
        while peek() == "and":
            take()
            right = factor()
            left = (lambda a, b: lambda v: a(v) and b(v))(left, right)
        return left

    depth = 0

    def factor() -> Predicate:
        """A factor, counted as one level of nesting while it is read: `a and b and c` is
        three factors side by side (depth 1), `not not a` and `((a))` nest."""
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            raise CohortError("too_deep", depth=MAX_DEPTH)
        try:
            return nested_factor()
        finally:
            depth -= 1

    def nested_factor() -> Predicate:
        token = take()
        if token == "not":
            inner = factor()
            return lambda v: not inner(v)
        if token == "(":
            inner = expr()
            if take() != ")":
                raise CohortError("missing_paren")
            return inner
        if token not in NAMES:
            raise CohortError("unknown_name", name=token, names=", ".join(NAMES))
        op = take()
        if op not in _OPS:
            raise CohortError("expected_comparison", name=token, got=op)
        literal = take()
        if not _NUMBER.fullmatch(literal):
            raise CohortError("expected_number", name=token, op=op, got=literal)
        number = Decimal(literal)
        compare, name = _OPS[op], token
        return lambda v: compare(v[name], number)

    predicate = expr()
    if pos != len(tokens):
        raise CohortError("trailing", text=tokens[pos])
    return predicate
