"""The invariants: one list of checks `(state, policy) -> problems`, used by `verify`, by the
property tests, and after every command when LIMITLAB_DEBUG=1. Adding an invariant is adding
a function to INVARIANTS, with a test that shows it failing (tests/test_invariants.py): a
check that cannot fail (one that restates how a property is computed) checks nothing.

Available ≥ 0 and used = Σ outstanding principal are not here: `available_fen` and `used_fen`
are computed that way, so they cannot fail; the waterfall check covers what they stand for."""

from __future__ import annotations

from collections.abc import Callable

from .explain import waterfall
from .model import AccountState
from .policy import Policy, regulatory_cap_fen
from .scoring import total
from .standing import available_fen

Check = Callable[[AccountState, Policy], list[str]]


def limit_is_not_negative(state: AccountState, policy: Policy) -> list[str]:
    problems = []
    for name in ("limit_fen", "assessed_fen"):
        value = getattr(state, name)
        if value < 0:
            problems.append(f"{name} is negative: {value}")
    return problems


def limit_is_the_last_decisions(state: AccountState, policy: Policy) -> list[str]:
    """The limit in force is the one the last review decided (what `why` explains)."""
    d = state.decision
    problems = []
    if state.limit_fen != d.limit_fen:
        problems.append(f"limit {state.limit_fen} ≠ the last decision's {d.limit_fen}")
    if state.assessed_fen != d.assessed_fen:
        problems.append(f"assessed {state.assessed_fen} ≠ the last decision's {d.assessed_fen}")
    return problems


def waterfall_sums_to_available(state: AccountState, policy: Policy) -> list[str]:
    """The waterfall (DESIGN §4.1) starts at the base limit and adds up to what is available.
    (That every reason has evidence is the explanation's own property test: the reasons are
    an attribution over counterfactual reviews, too costly to run after every command.)"""
    lines = waterfall(state)
    total_fen = sum(line.amount_fen for line in lines if not line.subtotal)
    problems = []
    available = available_fen(state)
    if total_fen != available:
        problems.append(f"waterfall sums to {total_fen}, available is {available}")
    if lines[0].code != "BASE_LIMIT":
        problems.append("the waterfall does not start with the base limit")
    return problems


def principal_is_conserved(state: AccountState, policy: Policy) -> list[str]:
    accounted = state.repaid_principal_fen + state.used_fen
    if state.borrowed_fen != accounted:
        return [
            f"borrowed {state.borrowed_fen} ≠ repaid + owed"
            f" ({state.repaid_principal_fen} + {state.used_fen})"
        ]
    return []


def installments_sum_to_their_loan(state: AccountState, policy: Policy) -> list[str]:
    problems = []
    for loan in state.loans:
        parts = sum(i.principal_fen for i in loan.installments)
        if parts != loan.principal_fen:
            problems.append(
                f"loan #{loan.id}: principal parts {parts} ≠ principal {loan.principal_fen}"
            )
        for i in loan.installments:
            for kind in ("principal", "interest", "penalty"):
                due, paid = getattr(i, f"{kind}_fen"), getattr(i, f"{kind}_paid_fen")
                if not 0 <= paid <= due:
                    problems.append(
                        f"loan #{loan.id} installment {i.seq}: {kind} paid {paid} of {due}"
                    )
    return problems


def limit_within_regulatory_cap(state: AccountState, policy: Policy) -> list[str]:
    cap = regulatory_cap_fen(policy, state.profile.monthly_income_fen)
    return (
        []
        if state.limit_fen <= cap
        else [f"limit {state.limit_fen} above the regulatory cap {cap}"]
    )


def score_adds_up(state: AccountState, policy: Policy) -> list[str]:
    problems = []
    if not policy.score_base <= state.score <= policy.score_max:
        problems.append(f"score {state.score} outside {policy.score_base}–{policy.score_max}")
    if state.score != total(state.attributes, policy):
        problems.append(f"score {state.score} ≠ base + Σ points {total(state.attributes, policy)}")
    return problems


def wallet_is_not_negative(state: AccountState, policy: Policy) -> list[str]:
    return [] if state.wallet_fen >= 0 else [f"wallet is negative: {state.wallet_fen}"]


INVARIANTS: list[Check] = [
    limit_is_not_negative,
    limit_is_the_last_decisions,
    waterfall_sums_to_available,
    principal_is_conserved,
    installments_sum_to_their_loan,
    limit_within_regulatory_cap,
    score_adds_up,
    wallet_is_not_negative,
]


def check(state: AccountState, policy: Policy) -> list[str]:
    """Every problem every invariant finds (empty when all hold)."""
    return [problem for invariant in INVARIANTS for problem in invariant(state, policy)]


class InvariantError(AssertionError):
    """An invariant broke: a bug in limitlab, never the user's fault."""
