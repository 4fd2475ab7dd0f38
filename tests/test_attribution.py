"""Who is responsible for how much (issue 12): the reasons are exact Shapley values of v(S), the
amount available with the causes in S neutralised, computed by the engine's own functions;
every piece of advice and every recovery is a path that, replayed through the engine, gives
exactly what it promises. Properties over random accounts, then the named cases."""

from __future__ import annotations

import contextlib
import os
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import permutations
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from limitlab.core import commands as c
from limitlab.core.advice import Path, commands_for
from limitlab.core.attribution import Cause, Game, attribute, grouped, present_causes
from limitlab.core.engine import DomainError, apply
from limitlab.core.explain import explain
from limitlab.core.standing import available_fen

from .conftest import Sim
from .test_explain import commands

LONG = os.environ.get("LIMITLAB_LONG_TESTS") == "1"
PROPERTY = settings(
    max_examples=100 if LONG else 30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
lives = st.tuples(
    st.sampled_from([True, True, False]),
    st.lists(st.tuples(commands, st.integers(0, 60)), min_size=3, max_size=10),
)


def live(broke: bool, steps: list[Any]) -> list[Sim]:
    """The account after each step of a random life (a broke one reaches 30 and 90 days)."""
    s = Sim(wallet_fen=0, monthly_expenses_fen=800_000) if broke else Sim()
    out = []
    for command, days in steps:
        then = [c.Advance(s.state.today + timedelta(days=days))] if days else []
        for each in [command, *then]:
            with contextlib.suppress(DomainError):
                s.state = apply(s.state, s.policy, each).state
        snapshot = Sim.__new__(Sim)
        snapshot.state, snapshot.policy = s.state, s.policy
        out.append(snapshot)
    return out


def exact_shares(game: Game) -> dict[tuple[str, str], Fraction]:
    return {
        (cause.code, cause.key): v for cause, v in zip(game.causes, game.shapley(), strict=True)
    }


def by_permutations(game: Game) -> list[Fraction]:
    """Shapley by its definition: the average marginal contribution over every order."""
    n = game.n
    totals = [Fraction(0)] * n
    orders = list(permutations(range(n)))
    for order in orders:
        mask = 0
        for i in order:
            totals[i] += game.value(mask | 1 << i) - game.value(mask)
            mask |= 1 << i
    return [t / len(orders) for t in totals]


# --- the attribution's properties ----------------------------------------------------------------


@PROPERTY
@given(life=lives)
def test_shares_are_exact_shapley_values_that_sum_to_the_loss(life: Any) -> None:
    for s in live(*life):
        a = attribute(s.state, s.policy)
        assert a.available_fen == available_fen(s.state)
        # efficiency: the amounts, in whole fen, sum exactly to reference − available
        assert sum(share.amount_fen for share in a.shares) == a.lost_fen
        # each amount is its exact value rounded by largest remainder (off by under one fen)
        for share in a.shares:
            assert abs(share.amount_fen - share.exact) < 1
        # the values are Shapley's: the average marginal contribution over every order
        if a.game.n <= 5:
            assert a.game.shapley() == by_permutations(a.game)
        # "fixing it alone" is v({i}) − v(∅)
        for share in a.shares:
            assert share.alone_fen == a.game.value(1 << share.position) - a.game.value(0)


def identity(world: Any) -> Any:
    return world


@PROPERTY
@given(life=lives)
def test_a_cause_whose_neutralisation_changes_nothing_gets_zero(life: Any) -> None:
    for s in live(*life):
        causes = grouped(present_causes(s.state, s.policy))
        plain = Game(s.state, s.policy, causes)
        with_dummy = Game(s.state, s.policy, [*causes, Cause("MAINTENANCE", "x", False, identity)])
        shares = exact_shares(with_dummy)
        assert shares.pop(("MAINTENANCE", "x")) == 0
        assert shares == exact_shares(plain)  # and nobody else's share moves


@PROPERTY
@given(life=lives)
def test_symmetric_causes_get_equal_shares(life: Any) -> None:
    """A cause and its twin (the same neutralisation under another key) are symmetric: either
    one alone removes the cause, so they share its part equally."""
    for s in live(*life):
        causes = grouped(present_causes(s.state, s.policy))
        for original in [cause for cause in causes if not cause.blocking][:2]:
            twin = original._replace(key=original.key + "'")
            shares = exact_shares(Game(s.state, s.policy, [*causes, twin]))
            assert shares[(original.code, original.key)] == shares[(twin.code, twin.key)]


@PROPERTY
@given(life=lives)
def test_shares_do_not_depend_on_the_order_the_neutralisations_apply_in(life: Any) -> None:
    for s in live(*life):
        causes = grouped(present_causes(s.state, s.policy))
        forward = exact_shares(Game(s.state, s.policy, causes))
        backward = exact_shares(Game(s.state, s.policy, causes[::-1]))
        assert forward == backward


@PROPERTY
@given(life=lives)
def test_nothing_is_available_while_a_blocking_cause_lasts(life: Any) -> None:
    """The game skips the reviews of coalitions that leave a blocking cause in place (nothing
    is available then): reviewing them anyway gives the same 0."""
    for s in live(*life):
        game = attribute(s.state, s.policy).game
        blocking = [i for i, cause in enumerate(game.causes) if cause.blocking]
        for mask in range(1, 1 << game.n):
            if any(not mask >> i & 1 for i in blocking):
                assert game.assessment(mask).available_fen == 0


# --- advice and recovery are true --------------------------------------------------------------


def replay(s: Sim, path: Path) -> list[tuple[date, int, int]]:
    """The path's steps through the engine: (date, available, limit) at each checkpoint, and
    no new overdue on the way."""
    state = s.state
    marks = {m.after for m in path.checkpoints}
    out = []
    for index, step in enumerate(path.steps):
        for command in commands_for(state, step):
            outcome = apply(state, s.policy, command)
            assert outcome.refusal is None, (step, outcome.refusal)
            new = [e for e in outcome.events if e.kind == "overdue"]
            assert not new, f"{step} passes through a new overdue: {new}"
            state = outcome.state
        if index in marks:
            out.append((state.today, available_fen(state), state.limit_fen))
    return out


def promised(path: Path) -> list[tuple[date, int, int]]:
    return [(m.on, m.available_fen, m.limit_fen) for m in path.checkpoints]


@settings(PROPERTY, max_examples=100 if LONG else 25)
@given(life=lives)
def test_every_advice_and_recovery_leads_where_it_says(life: Any) -> None:
    """0 false advice: for every reason, each simulated path (what to do, and the waiting a
    recovery takes) replayed through the engine gives exactly the amounts and dates promised,
    and its cash is what its repayments and wallet top-ups for installments add up to."""
    for s in live(*life):
        e = explain(s.state, s.policy)
        for r in e.reasons:
            for path in [*r.paths, *([r.recovery] if r.recovery else [])]:
                assert path.checkpoints, r.code
                assert replay(s, path) == promised(path), r.code
                if r.recovers_on is not None and r.recovery is path:
                    assert r.recovers_on in [m.on for m in path.checkpoints]


# --- named cases ---------------------------------------------------------------------------------


def shares(s: Sim) -> list[tuple[str, int]]:
    return [(r.code, r.amount_fen) for r in explain(s.state, s.policy).reasons]


def test_five_days_overdue_ranks_the_overdue_first() -> None:
    """`init --income 20000 --expenses 20000 --wallet 0`, `borrow 5000`, 5 days past due: the
    overdue (reported at 4 days, its record halving the limit) takes nearly all of it."""
    s = Sim(wallet_fen=0, monthly_income_fen=2_000_000, monthly_expenses_fen=2_000_000)
    s.do(c.Borrow(500_000, 12, "equal-installment"))
    s.to(date(2026, 2, 10))
    e = explain(s.state, s.policy)
    assert (e.limit_fen, e.available_fen, e.reference_fen) == (4_000_000, 0, 8_000_000)
    assert shares(s) == [("OVERDUE", 7_770_105), ("USED_BY_LOANS", 229_895)]
    overdue = e.reasons[0]
    assert overdue.blocking and overdue.alone_fen == 7_540_209
    kinds = [ev.kind for ev in overdue.evidence]
    assert kinds[:2] == ["overdue_installment", "bureau"] and "cut.CREDIT_RECORD" in kinds


def test_a_tightening_below_what_is_owed_ranks_the_loans_first() -> None:
    """¥30,000 owed when a × 0.5 tightening cuts the line to ¥16,000: the loans take more of
    the ¥32,000 than the measure (the measure alone would free ¥2,000, the loans ¥16,000)."""
    s = Sim()
    s.do(c.Borrow(3_000_000, 12, "equal-installment"))
    s.do(c.Tighten(Decimal("0.5"), 30, None))
    e = explain(s.state, s.policy)
    assert (e.limit_fen, e.available_fen) == (1_600_000, 0)
    assert [(r.code, r.amount_fen, r.alone_fen) for r in e.reasons] == [
        ("USED_BY_LOANS", 2_300_000, 1_600_000),
        ("PLATFORM_POLICY", 900_000, 200_000),
    ]


def test_other_lenders_take_the_score_drop_they_caused() -> None:
    """The multi-lender lesson: three lenders cost 60 points (750 → 690), which lowers the
    tier's income cap (¥40,000 → ¥30,000), then the × 0.7 cut: all of it is theirs, and the
    evidence shows the chain."""
    s = Sim(monthly_income_fen=1_000_000, wallet_fen=800_000)
    for lender, balance in (("Huabei", 600_000), ("Weilidai", 800_000), ("JD", 500_000)):
        s.do(c.ExternalAdd(lender, balance, balance // 10))
    e = explain(s.state, s.policy)
    assert shares(s) == [("MULTI_LENDER", 1_900_000)]
    links = [ev for ev in e.reasons[0].evidence if ev.on is None]
    assert [ev.params for ev in links if ev.kind == "moved"] == [
        {"attribute": "other_lenders", "value": "3", "without": "0", "points": -50},
        {"attribute": "dti_pct", "value": "19", "without": "0", "points": -10},
    ]
    chain = {ev.kind: ev.params for ev in links}
    assert chain["score"] == {"score": 690, "without": 750}
    assert chain["base"] == {
        "base_fen": 3_000_000,
        "without_fen": 4_000_000,
        "binding": "income_cap",
    }
    assert chain["cut.MULTI_LENDER"] == {"factor": "0.7"}


def test_a_raise_held_back_recovers_step_by_step() -> None:
    """Paying off the third lender lifts the cut, but a raise waits for the scheduled review
    and is at most +50 % there: ¥31,500 on 2026-02-04, ¥40,000 on 2026-03-06."""
    s = Sim(monthly_income_fen=1_000_000, wallet_fen=800_000)
    for lender, balance in (("Huabei", 600_000), ("Weilidai", 800_000), ("JD", 500_000)):
        s.do(c.ExternalAdd(lender, balance, balance // 10))
    s.do(c.ExternalRepay("JD"))
    e = explain(s.state, s.policy)
    assert shares(s) == [("REVIEW_PENDING", 1_900_000)]
    recovery = e.reasons[0].recovery
    assert recovery is not None
    assert promised(recovery) == [
        (date(2026, 2, 4), 3_150_000, 3_150_000),
        (date(2026, 3, 6), 4_000_000, 4_000_000),
    ]
    assert e.reasons[0].recovers_on == date(2026, 3, 6)


def test_equal_shares_say_so_and_keep_the_documented_order() -> None:
    """A closed line still overdue: the closure and the overdue each block every yuan, so
    they share equally; the closure comes first (CAUSE_ORDER), never by the alphabet."""
    s = Sim(wallet_fen=0, monthly_expenses_fen=800_000)
    s.do(c.Borrow(500_000, 12, "equal-installment"))
    s.to(date(2026, 5, 10))
    reasons = explain(s.state, s.policy).reasons
    assert [(r.code, r.blocking, r.equal_share) for r in reasons[:2]] == [
        ("ACCOUNT_CLOSED", True, True),
        ("OVERDUE", True, True),
    ]
    assert reasons[0].amount_fen == reasons[1].amount_fen


@pytest.mark.parametrize("code", ["OVERDUE", "FREQUENT_APPLICATIONS", "MAINTENANCE"])
def test_a_blocking_cause_ranks_above_any_that_frees_nothing_while_it_lasts(code: str) -> None:
    s = Sim(wallet_fen=0, monthly_expenses_fen=800_000) if code == "OVERDUE" else Sim()
    s.do(c.Borrow(3_000_000, 12, "equal-installment"))
    if code == "OVERDUE":
        s.to(date(2026, 2, 7))
    elif code == "MAINTENANCE":
        s.do(c.Maintenance(2))
    else:
        s.do(c.Borrow(100_000, 12, "equal-installment"))
        s.do(c.Borrow(100_000, 12, "equal-installment"))
    e = explain(s.state, s.policy)
    assert e.reasons[0].code == code and e.reasons[0].blocking
    assert all(r.alone_fen == 0 for r in e.reasons if not r.blocking)
