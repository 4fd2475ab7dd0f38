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
from dataclasses import dataclass
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

#: Each comparison's opposite: `not` pushed down to the comparisons (De Morgan).
NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


@dataclass(frozen=True)
class Compare:
    """`name op number`: a field of the account against a number."""

    name: str
    op: str
    number: Decimal


@dataclass(frozen=True)
class Not:
    inner: Node


@dataclass(frozen=True)
class All:
    """Every item holds (`and`)."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Any_:
    """At least one item holds (`or`)."""

    items: tuple[Node, ...]


Node = Compare | Not | All | Any_


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


def parse_tree(text: str) -> Node:
    """Parse an expression into its parsed form (comparisons under `not`, `and`, `or`)."""
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

    def expr() -> Node:
        items = [term()]
        while peek() == "or":
            take()
            items.append(term())
        return items[0] if len(items) == 1 else Any_(tuple(items))

    def term() -> Node:
        items = [factor()]
        while peek() == "and":
            take()
            items.append(factor())
        return items[0] if len(items) == 1 else All(tuple(items))

    depth = 0

    def factor() -> Node:
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

    def nested_factor() -> Node:
        token = take()
        if token == "not":
            return Not(factor())
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
        return Compare(token, op, Decimal(literal))

    tree = expr()
    if pos != len(tokens):
        raise CohortError("trailing", text=tokens[pos])
    return tree


def holds(node: Node, values: Mapping[str, Decimal]) -> bool:
    """Whether an account with these values is in the cohort."""
    if isinstance(node, Compare):
        return _OPS[node.op](values[node.name], node.number)
    if isinstance(node, Not):
        return not holds(node.inner, values)
    if isinstance(node, All):
        return all(holds(i, values) for i in node.items)
    return any(holds(i, values) for i in node.items)


def without_not(node: Node, negate: bool = False) -> Compare | All | Any_:
    """The same cohort with no `not`: pushed down to the comparisons, each turned into its
    opposite (`not (a and b)` is `not a or not b`), the form a cohort is worded from."""
    if isinstance(node, Compare):
        return Compare(node.name, NEGATED[node.op], node.number) if negate else node
    if isinstance(node, Not):
        return without_not(node.inner, not negate)
    items = tuple(without_not(i, negate) for i in node.items)
    both = All if isinstance(node, All) != negate else Any_
    flat: list[Node] = []
    for item in items:  # `a and (b and c)` is `a and b and c`
        flat += item.items if isinstance(item, both) else (item,)
    return both(tuple(flat))


def parse_cohort(text: str) -> Predicate:
    """Parse an expression into a predicate over `{score, dti, lenders, income}`."""
    tree = parse_tree(text)
    return lambda values: holds(tree, values)
