"""The Explanation on the pure engine: the waterfall adds up, reasons rank by their share (the
blocking ones first) and carry evidence, `why --amount` agrees with `borrow`, and the notice
takes its reasons from the decision's own attribution (DESIGN §4, issues 4 and 12)."""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from limitlab.cli.i18n import has, text
from limitlab.cli.views.explanation import explanation_json, raw_json
from limitlab.cli.views.notice import notice_json
from limitlab.cli.views.report import status_report
from limitlab.core import commands as c
from limitlab.core.advice import HORIZON_DAYS, Timeline
from limitlab.core.engine import DomainError, apply, check_borrow
from limitlab.core.explain import CATEGORY, Explanation, adverse_notice, explain, is_adverse
from limitlab.core.model import METHODS, to_jsonable
from limitlab.core.standing import available_fen

from .conftest import CATALOGUE, OUTSIDE_WALLET
from .lives import live, lives

CJK = re.compile(r"[\u4e00-\u9fff]")


def assert_adds_up(e: Explanation, state: Any, policy: Any) -> None:
    """The waterfall's contract: it starts at the base limit, its non-subtotal lines sum to the
    available amount, and each subtotal restates the running total."""
    assert e.waterfall[0].code == "BASE_LIMIT" and not e.waterfall[0].subtotal
    running = 0
    for line in e.waterfall:
        if line.subtotal:
            assert line.amount_fen == running, (line.code, e.waterfall)
        else:
            running += line.amount_fen
    assert running == e.available_fen == available_fen(state)
    assert e.available_fen == status_report(state, policy)["available_fen"]
    subtotals = {ln.code: ln.amount_fen for ln in e.waterfall if ln.subtotal}
    assert subtotals == {"CREDIT_LIMIT": state.limit_fen, "AVAILABLE": e.available_fen}
    limit_at = [ln.code for ln in e.waterfall].index("CREDIT_LIMIT")
    assert all(ln.amount_fen <= 0 for ln in e.waterfall[1:limit_at]), e.waterfall


def assert_reasons_hold(e: Explanation) -> None:
    """Blocking causes first, each group by share; the shares sum exactly to what is missing;
    every reason has evidence and its category."""
    blocking = [r.blocking for r in e.reasons]
    assert blocking == sorted(blocking, reverse=True)
    for group in (True, False):
        amounts = [r.amount_fen for r in e.reasons if r.blocking is group]
        assert amounts == sorted(amounts, reverse=True)
    assert sum(r.amount_fen for r in e.reasons) == e.reference_fen - e.available_fen
    for r in e.reasons:
        assert r.evidence, f"{r.code} has no evidence"
        assert r.category == CATEGORY[r.code]


def documented_evidence() -> dict[str, set[str]]:
    """The README's table of evidence kinds and their figures."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("| `kind` | figures |", 1)[1].split("\n\n", 1)[0]
    out: dict[str, set[str]] = {}
    for row in table.splitlines()[2:]:
        kinds, figures = row.strip("|").split("|")
        fields = {f for group in re.findall(r"`([^`]+)`", figures) for f in group.split(", ")}
        out.update({kind: fields for kind in re.findall(r"`([^`]+)`", kinds)})
    return out


DOCUMENTED = documented_evidence()


def test_the_readme_documents_every_kind_of_evidence() -> None:
    assert set(DOCUMENTED) == {k.removeprefix("ev.") for k in CATALOGUE if k.startswith("ev.")}


def assert_worded_with_its_figures(e: Explanation) -> None:
    """Every piece of evidence has words in both languages and, beside them, exactly the raw
    figures the README documents for its kind, as JSON can carry them."""
    for lang in ("en", "zh"):
        data = json.loads(json.dumps(explanation_json(e, lang)))
        for r, shown in zip(e.reasons, data["reasons"], strict=True):
            for ev, item in zip(r.evidence, shown["evidence"], strict=True):
                assert (item["on"], item["kind"]) == (ev.on.isoformat() if ev.on else None, ev.kind)
                assert item["text"]
                figures = {k: v for k, v in item.items() if k not in ("on", "kind", "text")}
                assert figures == raw_json(ev.params), ev
                assert set(figures) == DOCUMENTED[ev.kind], ev


# --- the property --------------------------------------------------------------------------------

yuan = st.integers(min_value=100, max_value=40_000).map(lambda y: y * 100)
LENDERS = ("Huabei", "JD", "WeLoan", "Duxiaoman")
borrow = st.builds(c.Borrow, yuan, st.sampled_from([3, 6, 12]), st.sampled_from(METHODS))
commands = st.one_of(
    *[borrow] * 3,  # weighted: enough loans go 30 and 90 days late
    st.builds(c.Repay, st.just("amount"), yuan),
    st.builds(c.Repay, st.sampled_from(["all", "overdue"])),
    st.builds(c.SetProfile, monthly_income_fen=st.integers(0, 30_000).map(lambda y: y * 100)),
    st.builds(c.ExternalAdd, st.sampled_from(LENDERS), yuan, yuan.map(lambda f: f // 10)),
    st.builds(c.ExternalRepay, st.sampled_from(LENDERS)),
    st.builds(
        c.Tighten,
        st.sampled_from([Decimal("0.5"), Decimal("0.8")]),
        st.integers(1, 60),
        st.sampled_from([None, "score<700", "lenders>=2"]),
    ),
    st.builds(c.Maintenance, st.integers(1, 5)),
    st.builds(c.Wallet, st.sampled_from(["deposit", "withdraw"]), yuan),
)


@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    broke=st.sampled_from([True, True, False]),
    steps=st.lists(st.tuples(commands, st.integers(0, 90)), min_size=4, max_size=15),
    wanted=yuan,
)
def test_waterfall_always_sums_to_available_and_every_reason_has_evidence(
    sim: Any, broke: bool, steps: list[Any], wanted: int
) -> None:
    # a broke account (no wallet, expenses = income) reaches overdue, 30 and 90 days
    s = sim(wallet_fen=0, monthly_expenses_fen=800_000) if broke else sim()
    for command, days in steps:  # each command, then `days` of simulated time
        then = [c.Advance(s.state.today + timedelta(days=days))] if days else []
        for each in [command, *then]:
            # a request that does not apply to this account changes nothing
            with contextlib.suppress(DomainError):
                s.state = apply(s.state, s.policy, each).state
        e = explain(s.state, s.policy, wanted)
        assert_adds_up(e, s.state, s.policy)
        assert_reasons_hold(e)
        assert_worded_with_its_figures(e)
        # why --amount agrees with borrow: granted exactly when borrow would be, and the rule
        # borrow refuses with is among those `why --amount` lists
        assert e.amount is not None
        refusal = check_borrow(s.state, s.policy, c.Borrow(wanted, 12, "equal-installment"))
        assert e.amount.granted is (refusal is None)
        if refusal is not None:
            assert refusal.code in [code for code, _ in e.amount.refusing]


# --- ranking -------------------------------------------------------------------------------------


def test_an_overdue_shares_the_principal_owed_and_takes_what_only_it_blocks(sim: Any) -> None:
    """¥16,000 owed, 2 days late: nothing is available until the overdue is repaid, so it
    takes the ¥16,000 of room outright and half of what both hold back together."""
    s = sim(wallet_fen=0, monthly_expenses_fen=800_000)
    s.do(c.Borrow(1_600_000, 12, "equal-installment"))
    s.to(date(2026, 2, 7))  # installment 1 (due 2026-02-05) is 2 days late
    e = explain(s.state, s.policy)
    assert [(r.code, r.amount_fen, r.alone_fen) for r in e.reasons] == [
        ("OVERDUE", 2_464_335, 1_728_670),
        ("USED_BY_LOANS", 735_665, 0),
    ]
    assert [(ln.code, ln.amount_fen) for ln in e.waterfall] == [
        ("BASE_LIMIT", 3_200_000),
        ("CREDIT_LIMIT", 3_200_000),
        ("USED_BY_LOANS", -1_600_000),
        ("OVERDUE", -1_600_000),
        ("AVAILABLE", 0),
    ]


def test_overlapping_cuts_share_what_they_take_together(sim: Any) -> None:
    """× 0.7 for three lenders then × 0.5 for a tightening: the waterfall subtracts the cut
    made first in full; the reasons split the overlap (the tightening alone frees ¥11,200,
    the lenders alone ¥4,800)."""
    s = sim()
    for lender in ("Huabei", "JD", "WeLoan"):
        s.do(c.ExternalAdd(lender, 300_000, 10_000))
    s.do(c.Tighten(Decimal("0.5"), 30, None))
    s.do(c.Borrow(500_000, 12, "equal-installment"))
    e = explain(s.state, s.policy)
    assert_adds_up(e, s.state, s.policy)
    assert [(ln.code, ln.amount_fen) for ln in e.waterfall] == [
        ("BASE_LIMIT", 3_200_000),
        ("MULTI_LENDER", -960_000),
        ("PLATFORM_POLICY", -1_120_000),
        ("CREDIT_LIMIT", 1_120_000),
        ("USED_BY_LOANS", -500_000),
        ("AVAILABLE", 620_000),
    ]
    assert [(r.code, r.category, r.amount_fen, r.alone_fen) for r in e.reasons] == [
        ("PLATFORM_POLICY", "platform", 1_360_000, 1_120_000),
        ("MULTI_LENDER", "user", 720_000, 480_000),
        ("USED_BY_LOANS", "user", 500_000, 500_000),
    ]


def test_nothing_holds_back_a_fresh_account(sim: Any) -> None:
    s = sim()
    e = explain(s.state, s.policy, 500_000)
    assert (e.state, e.limit_fen, e.available_fen) == ("active", 3_200_000, 3_200_000)
    assert e.reasons == []
    assert e.amount is not None and e.amount.granted and e.amount.refusing == []
    assert len(e.score_factors) == 4
    gaps = [f.max_points - f.points for f in e.score_factors]
    assert gaps == sorted(gaps, reverse=True) and min(gaps) > 0


# --- the top reason alone (status) ---------------------------------------------------------------


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(life=lives)
def test_the_top_reason_alone_is_the_full_explanations_first(sim: Any, life: Any) -> None:
    """`status` simulates the advice of its one cause only: that reason is exactly the full
    explanation's first (its paths and recovery too), the others keep their share, evidence
    and unsimulated advice, and everything else is the same."""
    s = live(sim, life)
    full = explain(s.state, s.policy)
    top = explain(s.state, s.policy, top_only=True)
    plain = explain(s.state, s.policy, advise=False)
    assert top.reasons[:1] == full.reasons[:1]
    assert top.reasons[1:] == plain.reasons[1:]
    assert replace(top, reasons=[]) == replace(full, reasons=[])


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(life=lives, offsets=st.lists(st.integers(-5, 120), min_size=1, max_size=5))
def test_a_timeline_gives_the_same_wait_whatever_was_asked_before(
    sim: Any, life: Any, offsets: list[int]
) -> None:
    """The shared timeline of the recoveries only moves forward as far as it is asked: the wait
    to some days is the same asked first, last, or after a day beyond the horizon (None)."""
    s = live(sim, life)
    days = [s.state.today + timedelta(days=n) for n in offsets]
    asked = [[d] for d in days] + [sorted(days)]
    forward, backward = Timeline(s.state, s.policy, days), Timeline(s.state, s.policy, days)
    ahead = [forward.path(one) for one in asked]
    behind = [backward.path(one) for one in reversed(asked)][::-1]
    assert ahead == behind
    beyond = s.state.today + timedelta(days=HORIZON_DAYS + 1)
    for one, path in zip(asked, ahead, strict=True):
        within = all(s.state.today < d <= s.state.today + timedelta(days=HORIZON_DAYS) for d in one)
        assert (path is not None) is within
        assert Timeline(s.state, s.policy, days).path(one) == path  # asked alone
    assert forward.path([beyond]) is None


# --- the catalogue -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(CATEGORY))
def test_every_reason_code_has_a_title_and_advice_in_both_languages(code: str) -> None:
    for key in (f"reason.{code}.title", f"advice.{code}"):
        assert has(key), key
    en, zh = text(f"reason.{code}.title", "en"), text(f"reason.{code}.title", "zh")
    assert en and not CJK.search(en)
    assert CJK.search(zh) and zh != en


# --- the notice ----------------------------------------------------------------------------------


def tightened_broke_account(sim: Any) -> Any:
    """Three lenders, debt-to-income over 50 %, a tightening for everyone, then an overdue."""
    s = sim(OUTSIDE_WALLET, wallet_fen=0, monthly_expenses_fen=800_000)
    for lender in ("Huabei", "JD", "WeLoan"):
        s.do(c.ExternalAdd(lender, 300_000, 150_000))
    s.do(c.Tighten(Decimal("0.8"), 120, None))
    s.do(c.Borrow(200_000, 12, "equal-installment"))
    s.to(date(2026, 3, 10))
    return s


def reviews(s: Any) -> dict[str, dict[str, Any]]:
    """The last limit review of each day, as the event log keeps it."""
    return {e.on.isoformat(): e.data for e in s.events if e.kind == "limit_review"}


def test_every_review_splits_its_own_change_exactly(sim: Any) -> None:
    """Each limit review's attribution sums to its own change, and names only what changed
    in it: the third lender, the tightening, then the overdue (never again the lenders)."""
    s = tightened_broke_account(sim)
    changes = [
        (e.on.isoformat(), [(a["code"], a["amount_fen"]) for a in e.data["attribution"]])
        for e in s.events
        if e.kind == "limit_review" and e.data["trigger"] != "opening"
        and e.data["limit_fen"] != e.data["previous_fen"]
    ]  # fmt: skip
    assert changes == [
        ("2026-01-05", [("MULTI_LENDER", -800_000)]),
        ("2026-01-05", [("MULTI_LENDER", -1_230_000)]),
        ("2026-01-05", [("PLATFORM_POLICY", -240_000)]),
        ("2026-02-09", [("OVERDUE", -620_000)]),
        ("2026-03-07", [("OVERDUE", -220_000)]),
    ]
    for e in s.events:
        if e.kind == "limit_review" and e.data["attribution"] is not None:
            total = sum(a["amount_fen"] for a in e.data["attribution"])
            assert total == e.data["limit_fen"] - e.data["previous_fen"]


def test_notice_names_what_changed_in_the_decision_largest_first(sim: Any) -> None:
    """Three applications (−30 points) and then an income drop: the review the income drop
    triggers cuts for both, the income first; the notice names exactly those two."""
    s = sim(trust=0)
    for _ in range(3):
        s.do(c.Borrow(100_000, 12, "equal-installment"))
    s.do(c.SetProfile(monthly_income_fen=500_000))
    decision = to_jsonable(s.state.decision)
    assert is_adverse(decision)
    assert [(a["code"], a["amount_fen"]) for a in decision["attribution"]] == [
        ("INCOME_DROP", -1_450_000),
        ("FREQUENT_APPLICATIONS", -250_000),
    ]
    notice = notice_json(adverse_notice(decision), "en")
    assert (notice["old_limit_fen"], notice["new_limit_fen"]) == (3_200_000, 1_500_000)
    assert [r["code"] for r in notice["reasons"]] == ["INCOME_DROP", "FREQUENT_APPLICATIONS"]
    assert notice["cohort_wide"] == []


def test_a_notice_of_a_platform_cut_names_the_measure_and_its_cohort(sim: Any) -> None:
    """Never "a raise is waiting": the tightening is what changed in that review."""
    s = sim()
    for lender in ("Huabei", "JD", "WeLoan"):
        s.do(c.ExternalAdd(lender, 300_000, 10_000))
    s.do(c.ExternalRepay("JD"))  # a raise now waits for the scheduled review
    s.do(c.Tighten(Decimal("0.8"), 30, None))
    notice = notice_json(adverse_notice(to_jsonable(s.state.decision)), "en")
    assert [r["code"] for r in notice["reasons"]] == ["PLATFORM_POLICY"]
    assert notice["cohort_wide"] == [
        "This change applied to every account on the platform, not only to you."
    ]


def test_a_decision_made_before_attributions_still_reads(sim: Any) -> None:
    """Old accounts' limit_review events have no attribution: the notice reads their steps."""
    decision = reviews(tightened_broke_account(sim))["2026-03-07"]
    del decision["attribution"]
    notice = notice_json(adverse_notice(decision), "en")
    assert (notice["old_limit_fen"], notice["new_limit_fen"]) == (310_000, 90_000)
    assert notice["reasons"][0]["code"] == "SCORE_DROP"


def test_notice_of_a_closure(sim: Any) -> None:
    s = sim(wallet_fen=0, monthly_expenses_fen=800_000)
    s.do(c.Borrow(500_000, 12, "equal-installment"))
    s.to(date(2026, 5, 10))
    assert s.state.closed_on == date(2026, 5, 6)
    decision = to_jsonable(s.state.decision)
    assert is_adverse(decision)
    notice = notice_json(adverse_notice(decision), "zh")
    assert (notice["action"], notice["date"]) == ("closed", "2026-05-06")
    assert notice["reasons"][0]["code"] == "ACCOUNT_CLOSED"
    assert CJK.search(notice["text"]) and notice["text"].startswith("2026-05-06")


def test_a_review_that_keeps_or_raises_the_limit_is_not_adverse(sim: Any) -> None:
    s = sim()
    s.days(31)  # the first scheduled review
    assert not is_adverse(to_jsonable(s.state.decision))
