"""`why --amount`: the decision `borrow` would make now, and what would change it.

Nothing here is a rule of its own. The verdict is the engine's (`borrow_refusals`, every rule
that refuses, in the order a refusal names them: the first is what `borrow` says); when
debt-to-income refuses, the largest amount granted for each term is searched through the same
rules; and what unlocks a refused amount is the recourse plan (`find_plan`), the very
computation `plan --need` prints. Codes with raw parameters; the CLI words them.
"""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from typing import Any

from .commands import Borrow
from .engine import Refusal, borrow_refusals, check_borrow, is_application, validate_borrow
from .model import AccountState, Method
from .plan import Plan, find_plan
from .policy import Policy
from .records import record


@record(frozen=True)
class AmountCheck:
    """Would `borrow amount_fen --term --method` be granted now, and which rules refuse it."""

    amount_fen: int
    granted: bool
    #: Every refusing rule as (code, raw parameters), in borrow's order.
    refusing: list[tuple[str, dict[str, Any]]]
    term: int = 12
    method: Method = "equal-installment"
    #: When debt-to-income refuses: (term, the largest amount granted now, or None) per term.
    largest: list[tuple[int, int | None]] = field(default_factory=list)
    #: When refused and asked for: the cheapest way to it, as `plan --need` finds it.
    unlock: Plan | None = None
    #: Whether trying it now would be an application (counted toward the cool-off).
    application: bool = True


def check_amount(
    state: AccountState,
    policy: Policy,
    amount_fen: int,
    term: int | None = None,
    method: Method = "equal-installment",
    *,
    plan: bool = False,
) -> AmountCheck:
    """The decision on `borrow amount_fen --term term --method method` now (`term` None: the
    longest the policy offers). DomainError, as `borrow` raises it, for a drawdown that cannot
    be asked for (term, method, the minimum). With `plan`, a refused amount also gets what
    unlocks it (a search: seconds at most)."""
    term = max(policy.terms) if term is None else term
    command = Borrow(amount_fen, term, method)
    validate_borrow(policy, command)
    refusals = borrow_refusals(state, policy, command)
    largest: list[tuple[int, int | None]] = []
    if any(r.code == "HIGH_DTI" for r in refusals):
        largest = [(t, largest_granted(state, policy, t, method)) for t in policy.terms]
    unlock = None
    if plan and refusals:
        unlock = find_plan(state, policy, amount_fen, term=term, method=method)
    return AmountCheck(
        amount_fen,
        not refusals,
        [(r.code, _params(r, amount_fen)) for r in refusals],
        term,
        method,
        largest,
        unlock,
        is_application(state, command),
    )


def largest_granted(state: AccountState, policy: Policy, term: int, method: Method) -> int | None:
    """The largest amount `borrow --term term --method method` grants now (None when none),
    by bisection over the engine's own check: granting only gets harder as the amount grows
    (the room it needs and the first installment both grow with it)."""

    def granted(amount: int) -> bool:
        return check_borrow(state, policy, Borrow(amount, term, method)) is None

    low, high = policy.min_borrow_fen, state.limit_fen - state.used_fen
    if high < low or not granted(low):
        return None
    if granted(high):
        return high
    while high - low > 1:  # granted(low), refused(high)
        middle = (low + high) // 2
        if granted(middle):
            low = middle
        else:
            high = middle
    return low


def _params(r: Refusal, amount_fen: int) -> dict[str, Any]:
    """The figures a person needs beside each refusing rule."""
    p = r.params
    if r.code == "LIMIT_EXCEEDED":
        return {"room_fen": p["room_fen"], "missing_fen": amount_fen - p["room_fen"]}
    if r.code == "HIGH_DTI":
        return {
            "dti_ratio": Decimal(p["dti_after"]),
            "max_ratio": Decimal(p["max_dti"]),
            "installment_fen": p["installment_fen"],
        }
    if r.code == "NOT_ELIGIBLE":
        return {"min_score": p["min_score"]}
    return {"until": p.get("until")}
