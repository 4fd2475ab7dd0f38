"""A missed payment to another lender is on the credit record as the bureau shows it (issue 13,
item 4): a delinquency naming the lender whose worst days past due count in the score, reported
after the grace days (a bureau record naming it, which the credit-record cut reads), ended the
day the late payments are paid and kept 5 years from then (item 7). `why` files it under that
lender, with the payments missed, and `plan` pays the late payments where that is what frees
the limit; every figure printed about it is checked by doing what it says on a copy."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from limitlab.core import commands as c
from limitlab.core.explain import explain
from limitlab.core.model import BureauRecord
from limitlab.core.policy import DEFAULT_POLICY

from .conftest import START, Cli

#: ¥3,000 owed at 18 % a year, ¥600 a month, on the payday (the 10th).
BALANCE, MONTHLY, APR = 300_000, 60_000, Decimal("0.18")


def half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2))


def broke(sim: Any) -> Any:
    """An account on the default policy whose paydays add nothing and whose wallet is empty,
    owing Huabei: every payment to Huabei is missed."""
    s = sim(DEFAULT_POLICY, wallet_fen=0, monthly_expenses_fen=800_000)
    s.do(c.ExternalAdd("Huabei", BALANCE, MONTHLY, APR))
    return s


def worst_dpd(s: Any) -> str:
    return str(next(a.value for a in s.state.attributes if a.attribute == "worst_dpd_24m"))


def test_a_missed_payment_is_reported_after_the_grace_days_naming_the_lender(sim: Any) -> None:
    s = broke(sim)
    s.to(date(2026, 1, 13))  # missed on the 10th: 3 days past due, within the 3 days of grace
    assert s.state.bureau == []
    assert worst_dpd(s) == "3"
    s.to(date(2026, 1, 14))
    assert s.state.bureau == [
        BureauRecord(0, 1, date(2026, 1, 10), date(2026, 1, 14), 4, lender="Huabei")
    ]
    (reported,) = [e for e in s.events if e.kind == "external_reported"]
    interest = half_up(Fraction(BALANCE) * Fraction(APR) / 12)  # ¥45.00 added on the 10th
    assert reported.data == {
        "lender": "Huabei",
        "due_date": "2026-01-10",
        "days_past_due": 4,
        "arrears_fen": MONTHLY,
    }
    assert s.state.external[0].balance_fen == BALANCE + interest
    assert worst_dpd(s) == "4"  # the score reads it as the bureau shows it


def test_the_credit_record_cut_reads_the_other_lenders_report_at_the_next_review(
    sim: Any,
) -> None:
    s = broke(sim)
    s.to(date(2026, 2, 3))
    assert "CREDIT_RECORD" not in s.state.decision.codes  # the limit waits for a review
    s.to(date(2026, 2, 4))  # the scheduled review, 30 days after the opening
    d = s.state.decision
    (cut,) = [step for step in d.steps if step.code == "CREDIT_RECORD"]
    assert cut.detail["factor"] == "0.5"
    assert [r["lender"] for r in cut.detail["records"]] == ["Huabei"]
    # × 0.5, rounded down to the ¥100 step
    assert d.limit_fen == d.base_fen // 2 // 10_000 * 10_000


def test_paying_the_late_payments_ends_the_delinquency_and_the_record_ages_from_then(
    sim: Any,
) -> None:
    s = broke(sim)
    s.to(date(2026, 2, 12))  # missed on 10 January and 10 February: 33 days past due
    loan = s.state.external[0]
    assert loan.arrears_fen == 2 * MONTHLY
    assert [(m.on, m.amount_fen) for m in loan.missed] == [
        (date(2026, 1, 10), MONTHLY),
        (date(2026, 2, 10), MONTHLY),
    ]
    s.do(c.Wallet("deposit", 2 * MONTHLY))
    out = s.do(c.ExternalRepay("Huabei", arrears=True))
    assert [e.kind for e in out.events][:2] == ["external_repaid", "external_cleared"]
    assert out.events[0].data["amount_fen"] == out.events[0].data["arrears_fen"] == 2 * MONTHLY
    (record,) = s.state.bureau
    assert record.ended_on == date(2026, 2, 12)
    assert s.state.external[0].late_since is None and s.state.external[0].missed == []
    s.to(date(2026, 2, 20))
    assert worst_dpd(s) == "33"  # it stops growing; the worst stays in the score
    # Paid off, nothing more can be missed; the record is kept 5 years from the day it ended.
    s.do(c.Wallet("deposit", s.state.external[0].balance_fen))
    s.do(c.ExternalRepay("Huabei"))
    s.to(date(2031, 2, 11))
    assert [r.ended_on for r in s.state.bureau] == [date(2026, 2, 12)]
    s.to(date(2031, 2, 12))
    assert s.state.bureau == []


def test_an_unpaid_late_payment_never_ages_out(sim: Any) -> None:
    s = broke(sim)
    s.to(date(2026, 1, 20))
    (record,) = s.state.bureau
    assert record.ended_on is None  # still late: the delinquency has not ended


def test_why_files_it_under_the_other_lender_with_the_payments_missed(sim: Any) -> None:
    s = broke(sim)
    s.to(date(2026, 2, 12))
    e = explain(s.state, s.policy)
    assert [r.code for r in e.reasons] == ["CREDIT_RECORD"]  # never our own overdue
    (r,) = e.reasons
    assert (r.key, r.category, r.blocking) == ("lender:1", "user", False)
    assert r.amount_fen == e.reference_fen - e.available_fen
    facts = [(ev.on, ev.kind, ev.params) for ev in r.evidence if ev.on is not None]
    assert facts == [
        (date(2026, 1, 10), "external_missed", {"lender": "Huabei", "amount_fen": MONTHLY}),
        (date(2026, 2, 10), "external_missed", {"lender": "Huabei", "amount_fen": MONTHLY}),
        (
            date(2026, 1, 10),
            "external_arrears",
            {"lender": "Huabei", "arrears_fen": 2 * MONTHLY, "days_past_due": 33},
        ),
        (
            date(2026, 1, 14),
            "bureau_external",
            {"lender": "Huabei", "days_past_due": 4, "until": "2028-01-14"},
        ),
    ]
    assert r.advice == ("EXTERNAL_ARREARS", {"lenders": "Huabei", "amount_fen": 2 * MONTHLY})
    (path,) = r.paths
    assert [(st.action, st.amount_fen, st.lender) for st in path.steps][-1] == (
        "external_arrears",
        2 * MONTHLY,
        "Huabei",
    )


def test_once_paid_the_other_lenders_record_is_a_past_record(sim: Any) -> None:
    s = broke(sim)
    s.to(date(2026, 2, 12))
    s.do(c.Wallet("deposit", BALANCE * 2))
    s.do(c.ExternalRepay("Huabei"))
    e = explain(s.state, s.policy)
    (r,) = [r for r in e.reasons if r.code == "CREDIT_RECORD"]
    assert r.key == ""
    kinds = {ev.kind: ev.params for ev in r.evidence if ev.on is not None}
    assert kinds["bureau_external"]["lender"] == "Huabei"
    assert r.advice[0] == "CREDIT_RECORD"  # time alone, from here


# --- through the command line, checked on a copy -------------------------------------------------


def broke_cli(cli: Cli, until: str) -> None:
    init = cli("init", "--start", START.isoformat(), "--income", "8000", "--expenses", "8000",
               "--wallet", "0")  # fmt: skip
    assert init.exit_code == 0, init.output
    added = cli("external", "add", "--lender", "Huabei", "--balance", "3000", "--monthly", "600",
                "--apr", "18")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert cli("advance", "--to", until).exit_code == 0


def copy_of(cli: Cli, tmp_path: Path, name: str) -> Cli:
    target = tmp_path / name
    shutil.copy(cli.db, target)
    return Cli(target)


def typed(step: dict[str, Any]) -> list[str]:
    """A printed step as the command a person types."""
    yuan = f"{step['amount_fen'] / 100:.2f}"
    return {
        "deposit": ["wallet", "deposit", yuan],
        "fund_installments": ["wallet", "deposit", yuan],
        "external_arrears": ["external", "repay", step.get("lender", ""), "--arrears"],
        "wait": ["advance", "--to", step["date"]],
        "borrow": ["borrow", yuan, "--yes"],
    }[step["action"]]


def test_why_s_advice_about_it_holds_on_a_copy(cli: Cli, tmp_path: Path) -> None:
    broke_cli(cli, "2026-02-12")
    why = cli.json("why")
    (r,) = [r for r in why["reasons"] if r["key"].startswith("lender:")]
    assert r["title"] == "A missed payment at another lender, on your credit record"
    assert "limitlab external repay Huabei --arrears" in r["advice"]
    zh = json.loads(cli("why", "--json", "--lang", "zh").stdout)
    assert zh["reasons"][0]["title"] == "他行月供逾期（已上报征信）"
    (path,) = r["advice_paths"]
    copy = copy_of(cli, tmp_path, "why.db")
    marks = iter(path["leads_to"])
    mark = next(marks)
    for step in path["steps"]:
        if step["date"] > mark["date"]:
            assert copy.json("status")["available_fen"] == mark["available_fen"]
            mark = next(marks)
        done = copy(*typed(step))
        assert done.exit_code == 0, (step, done.output)
    status = copy.json("status")
    assert (status["today"], status["available_fen"]) == (mark["date"], mark["available_fen"])
    (row,) = copy.json("external", "list")
    assert row["arrears_fen"] == 0


def test_plan_pays_the_late_payments_where_that_frees_the_limit(cli: Cli, tmp_path: Path) -> None:
    broke_cli(cli, "2026-01-12")  # missed on the 10th, not reported yet (2 days past due)
    assert cli("platform", "maintenance", "--days", "30").exit_code == 0  # until 11 February
    plan = cli.json("plan", "--need", "16000")
    assert plan["found"] and plan["ready_on"] == "2026-02-11"
    pay = [s for s in plan["steps"] if s["action"] == "external_arrears"]
    assert pay == [
        {
            "action": "external_arrears",
            "amount_fen": 60_000,
            "date": "2026-01-12",
            "lender": "Huabei",
        }
    ]
    shown = cli("plan", "--need", "16000")
    assert "Pay Huabei the late payments: ¥600.00" in shown.stdout
    assert (
        "补还 Huabei 逾期的月供：¥600.00" in cli("plan", "--need", "16000", "--lang", "zh").stdout
    )
    # The plan, done on a copy: granted on its date, and nothing missed or reported on the way.
    copy = copy_of(cli, tmp_path, "plan.db")
    for step in plan["steps"]:
        done = copy(*typed(step))
        assert done.exit_code == 0, (step, done.output)
    assert copy.json("status")["today"] == "2026-02-11"
    kinds = [e["kind"] for e in copy.json("history") if e["date"] >= "2026-01-12"]
    assert "external_reported" not in kinds and "external_missed" not in kinds
    # Left unpaid, Huabei reports it on the 14th and the review of 4 February halves the line.
    idle = copy_of(cli, tmp_path, "idle.db")
    assert idle("advance", "--to", "2026-02-11").exit_code == 0
    assert idle.json("status")["available_fen"] < 1_600_000
    assert idle("borrow", "16000", "--yes").exit_code == 3


def test_external_repay_arrears_is_reachable_and_refused_when_nothing_is_late(cli: Cli) -> None:
    broke_cli(cli, "2026-01-09")
    nothing = cli("external", "repay", "Huabei", "--arrears")
    assert nothing.exit_code == 2
    assert "Nothing is late at Huabei" in nothing.output
    assert "Huabei 没有逾期未还的月供" in cli("external", "repay", "Huabei", "--arrears",
                                               "--lang", "zh").output  # fmt: skip
    both = cli("external", "repay", "Huabei", "100", "--arrears")
    assert both.exit_code == 2
    assert cli("advance", "--to", "2026-01-11").exit_code == 0
    listed = cli("external", "list")
    assert "¥600.00" in listed.stdout and "2026-01-10" in listed.stdout  # late, and since when
    assert cli("wallet", "deposit", "600").exit_code == 0
    paid = cli.json("external", "repay", "Huabei", "--arrears")
    assert (paid["amount_fen"], paid["arrears_fen"]) == (60_000, 60_000)
