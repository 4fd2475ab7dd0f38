"""A policy that passes validation cannot break a command (issue 11 §3), and no data, however
hostile, gets anything out of validation but a Policy or a one-line PolicyError (§8)."""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, event, given, reject, settings
from hypothesis import strategies as st
from limitlab.cli.i18n import has, text
from limitlab.cli.views.explanation import explanation_json
from limitlab.cli.views.glossary import glossary_entries
from limitlab.cli.views.report import score_report, status_report
from limitlab.core import commands as c
from limitlab.core.engine import DomainError, apply, open_account
from limitlab.core.explain import explain
from limitlab.core.glossary import TERMS
from limitlab.core.invariants import check
from limitlab.core.limits import review
from limitlab.core.model import METHODS, AccountState, Profile
from limitlab.core.money import MAX_AMOUNT_FEN
from limitlab.core.policy import (
    DEFAULT_POLICY,
    MAX_EDGE,
    MAX_SCORE,
    MAX_TEXT_LENGTH,
    Policy,
    PolicyError,
    is_plain_text,
    policy_from_dict,
    policy_to_dict,
)

LONG = os.environ.get("LIMITLAB_LONG_TESTS") == "1"
START = date(2026, 1, 5)

ATTRIBUTES = {
    dimension: [name for d, name, _ in DEFAULT_POLICY.scorecard.attributes() if d == dimension]
    for dimension in ("history", "behaviour", "capacity", "identity", "social")
}


def decimals(low: str, high: str, places: int = 6) -> st.SearchStrategy[str]:
    return st.decimals(min_value=low, max_value=high, places=places).map(str)


def days(low: int = 1) -> st.SearchStrategy[int]:
    return st.integers(low, 36500) | st.sampled_from([low, low + 1, 30, 36500])


fen = st.integers(1, MAX_AMOUNT_FEN) | st.sampled_from([1, 100, 10_000, MAX_AMOUNT_FEN])


@st.composite
def bins(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(0, 6) | st.just(32))
    edge = st.integers(0, MAX_EDGE) | decimals("0", "1000", 2)
    edges = sorted({Decimal(e) for e in draw(st.lists(edge, max_size=count))})
    points = draw(st.lists(st.integers(0, 600), min_size=len(edges) + 1, max_size=len(edges) + 1))
    return {"edges": [str(e) for e in edges], "points": points}


@st.composite
def policies(draw: st.DrawFn) -> dict[str, Any]:
    """Overrides a student might write, every value within its documented range, most of them
    consistent (the few that are not are refused and skipped)."""
    out: dict[str, Any] = {}
    scorecard: dict[str, Any] = {}
    for dimension, names in ATTRIBUTES.items():
        for name in names:
            if draw(st.booleans()):
                scorecard.setdefault(dimension, {})[name] = draw(bins())
    if scorecard:
        out["scorecard"] = scorecard
    points = sum(
        max(scorecard[d][name]["points"]) if name in scorecard.get(d, {}) else b.max_points
        for d, name, b in DEFAULT_POLICY.scorecard.attributes()
    )
    base = draw(st.integers(0, MAX_SCORE - points) | st.sampled_from([0, 350]))
    base = min(base, MAX_SCORE - points)
    out["score_base"] = base
    out["score_max"] = draw(st.integers(base + points, MAX_SCORE))

    lows = sorted(draw(st.sets(st.integers(0, MAX_SCORE), min_size=1, max_size=5)))
    plain = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
    band_names = st.text(plain, min_size=1, max_size=MAX_TEXT_LENGTH) | st.sampled_from(
        ["[/x]", "[bold red]X[/]", "很好", "poor"]
    )
    out["score_bands"] = [[low, draw(band_names)] for low in lows]

    step = draw(st.integers(1, 1_000_000) | st.just(10_000))
    out["limit_step_fen"] = step
    cap = st.integers(step, MAX_AMOUNT_FEN) | st.just(max(step, 500_000))
    scores = sorted(draw(st.sets(st.integers(350, 950), min_size=1, max_size=5)))
    out["tiers"] = [
        {
            "min_score": low,
            "cap_fen": draw(cap),
            "income_multiple": draw(decimals("0.01", "24", 2)),
            "daily_rate": draw(decimals("0.00001", "0.00086", 6)),
        }
        for low in scores
    ]
    out["regulatory_cap_fen"] = draw(cap)

    def cuts() -> list[dict[str, str]]:
        return [
            {"threshold": draw(decimals("0", "10", 2)), "factor": draw(decimals("0.01", "1", 2))}
            for _ in range(draw(st.integers(0, 3)))
        ]

    optional: dict[str, Any] = {
        "applications_window_days": lambda: draw(days()),
        "regulatory_income_months": lambda: draw(st.integers(1, 120)),
        "multi_lender_cuts": cuts,
        "high_dti_cuts": cuts,
        "credit_record_factor": lambda: draw(decimals("0.01", "1", 2)),
        "credit_record_scored_months": lambda: draw(st.integers(1, 120)),
        "credit_record_kept_years": lambda: draw(st.integers(1, 20)),
        "raise_max_fraction": lambda: draw(decimals("0", "10", 2)),
        "raise_clean_months": lambda: draw(st.integers(0, 120)),
        "review_interval_days": lambda: draw(days()),
        "income_drop_fraction": lambda: draw(decimals("0.01", "0.99", 2)),
        "terms": lambda: draw(st.lists(st.integers(1, 60), min_size=1, max_size=4, unique=True)),
        "min_borrow_fen": lambda: draw(fen),
        "drawdown_max_dti": lambda: draw(decimals("0", "10", 2)),
        "frequent_applications": lambda: draw(st.integers(1, 1000)),
        "frequent_window_days": lambda: draw(days()),
        "cooloff_days": lambda: draw(days()),
        "penalty_multiplier": lambda: draw(decimals("1", "10", 2)),
        "grace_days": lambda: draw(st.integers(0, 365)),
        "apr_warn": lambda: draw(decimals("0", "10", 2)),
    }
    for key, value in optional.items():
        if draw(st.booleans()):
            out[key] = value()
    if draw(st.booleans()):
        cut = draw(st.integers(1, 36499))
        out["cut_to_outstanding_dpd"] = cut
        out["close_dpd"] = draw(st.integers(cut + 1, 36500))
    return out


profiles = st.builds(
    Profile,
    monthly_income_fen=st.integers(0, MAX_AMOUNT_FEN) | st.sampled_from([0, 100, 800_000]),
    monthly_expenses_fen=st.integers(0, MAX_AMOUNT_FEN),
    employment_months=st.integers(0, 720),
    verified=st.booleans(),
    social_insurance=st.booleans(),
    trust=st.integers(0, 100),
    payday=st.integers(1, 28),
)


def attempt(state: AccountState, policy: Policy, command: c.Command) -> AccountState:
    """The state after `command`; a DomainError (a request that does not apply) changes
    nothing. Anything else raised fails the test."""
    try:
        return apply(state, policy, command).state
    except DomainError:
        return state


@settings(
    max_examples=200 if LONG else 40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(overrides=policies(), person=profiles, wallet=fen, data=st.data())
def test_a_valid_policy_breaks_no_command(
    overrides: dict[str, Any], person: Profile, wallet: int, data: st.DataObject
) -> None:
    try:
        policy = policy_from_dict(overrides)
    except PolicyError as exc:
        event(f"refused: {exc.kind}")
        reject()
    # Opening, a borrow, 400 days of missed payments, reviews: only DomainError may come out.
    state = open_account(c.Open(person, wallet, START), policy).state
    amount = data.draw(st.sampled_from([policy.min_borrow_fen, max(1, state.limit_fen)]) | fen)
    term = data.draw(st.sampled_from(policy.terms))
    method = data.draw(st.sampled_from(METHODS))
    state = attempt(state, policy, c.Borrow(amount, term, method))
    if state.wallet_fen:
        state = attempt(state, policy, c.Wallet("withdraw", state.wallet_fen))
    state = attempt(state, policy, c.SetProfile(monthly_expenses_fen=MAX_AMOUNT_FEN))
    state = attempt(state, policy, c.Advance(state.today + timedelta(days=400)))
    state = attempt(state, policy, c.SetProfile(monthly_income_fen=data.draw(fen)))
    state = attempt(state, policy, c.Tighten(Decimal("0.5"), 30, "score<650 or lenders>=1"))
    state = attempt(state, policy, c.Borrow(policy.min_borrow_fen, term, method))
    review(state, policy, "scheduled", scheduled=True)
    state = attempt(state, policy, c.Wallet("deposit", MAX_AMOUNT_FEN))
    state = attempt(state, policy, c.Repay("all"))
    state = attempt(state, policy, c.Advance(state.today + timedelta(days=45)))
    # What the reading commands compute from it, in both languages.
    status_report(state, policy)
    score_report(state, policy)
    for lang in ("en", "zh"):
        explanation_json(explain(state, policy, amount_fen=policy.min_borrow_fen), lang)
        glossary_entries(TERMS, lang, state, policy)
    assert check(state, policy) == []


# --- hostile data ----------------------------------------------------------------------------

KEYS = [*policy_to_dict(DEFAULT_POLICY), "edges", "points", "min_score", "daily_rate", "x\n\x1b"]
leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(-(2**70), 2**70)
    | st.floats()
    | st.decimals()
    | st.text(max_size=50)
    | st.sampled_from([date(2026, 1, 1), datetime(2026, 1, 1, 8), time(7, 32), b"bytes"])
)
hostile = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=40,
)


def merged_with_defaults(value: Any) -> Any:
    """Most of the hostile data laid over a real policy's keys, so it reaches deep checks."""
    return value if not isinstance(value, dict) else {**policy_to_dict(DEFAULT_POLICY), **value}


@settings(max_examples=1000 if LONG else 300, deadline=None)
@given(data=hostile | st.dictionaries(st.sampled_from(KEYS), hostile).map(merged_with_defaults))
def test_any_data_is_a_policy_or_a_one_line_policy_error(data: Any) -> None:
    try:
        policy = policy_from_dict(data, "lesson.toml")
    except PolicyError as exc:
        assert str(exc).startswith("lesson.toml: ")
        assert is_plain_text(str(exc)), str(exc)
        assert has(f"validation.{exc.kind}"), (exc.kind, str(exc))
        for lang in ("en", "zh"):
            assert "\n" not in text(f"validation.{exc.kind}", lang, **exc.params)
    else:
        assert isinstance(policy, Policy)
