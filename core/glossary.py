"""The glossary: the credit terms a student meets, each with an example from their own account.

The words live in the message catalogue (`glossary.<key>.name|definition|<example>`) and are
put together in cli/views/glossary.py; this module holds which terms there are, how a typed
name finds one, and which figures of the account illustrate each: an example is a catalogue
suffix with raw parameters (`*_fen` integers, dates, counts, rates as `Decimal`). Pure: no
database, no terminal, no words.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from .limits import active_measures, cohort_values, in_cohort
from .loans import REFERENCE_LOAN_FEN, DayCount, quote
from .model import AccountState, Installment, Loan
from .payments import overdue_fen
from .policy import Policy
from .records import record
from .scoring import debt_to_income, key_factors, monthly_debt_service_fen, utilisation_pct
from .standing import available_fen, overdue_installments

#: The daily rate and day of the examples shown when there is no account (the default 600–649
#: tier, the date the tests and the README open their accounts on).
GENERIC_DAILY_RATE = Decimal("0.0005")
GENERIC_DAY = date(2026, 1, 5)


@record(frozen=True)
class Term:
    """A glossary entry: its catalogue key, its pinyin, and other names it is looked up by."""

    key: str
    pinyin: str
    aliases: tuple[str, ...] = ()


TERMS: tuple[Term, ...] = (
    Term("credit_grant", "shòuxìn", ("credit line approval",)),
    Term("drawdown", "zhīyòng", ("draw down",)),
    Term("credit_limit", "édù", ("limit",)),
    Term("multi_lender", "duōtóu jièdài", ("multiple lenders", "other lenders")),
    Term("overdue", "yúqī", ("late", "past due")),
    Term("penalty_interest", "fáxī", ("penalty",)),
    Term("credit_bureau", "zhēngxìn", ("credit bureau", "bureau", "credit record")),
    Term("apr", "niánhuà lìlǜ", ("annual rate", "年化")),
    Term("equal_installment", "děng'é běnxī", ("等额本息", "按月等额", "equal installment")),
    Term("equal_principal", "děng'é běnjīn", ("等额本金", "按月等本", "equal principal")),
    Term("interest_first", "xiān xī hòu běn", ("interest only",)),
    Term("score", "zhīmafēn", ("芝麻分", "credit score", "zhima score")),
    Term("dti", "fùzhài shōurù bǐ", ("debt to income", "debt-to-income ratio")),
    Term("utilisation", "édù shǐyònglǜ", ("utilization", "使用率")),
    Term("limit_cut", "jiàng'é", ("降额", "limit cut", "cut")),
    Term("limit_raise", "tí'é", ("提额", "limit raise", "raise")),
    Term("cooloff", "lěngjìngqī", ("冷静期", "cool-off", "cooling-off")),
    Term("grace_period", "kuānxiànqī", ("宽限期", "grace")),
    Term("frozen_line", "édù dòngjié", ("额度冻结", "frozen", "freeze")),
    Term("maintenance", "xìtǒng wéihù", ("系统维护", "system maintenance")),
    Term("cohort", "kèqún", ("人群",)),
)


def _folded(name: str) -> str:
    """Case, tone marks, spaces and punctuation do not matter when looking a term up."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


def find_term(query: str, names: Callable[[Term], Iterable[str]]) -> Term | None:
    """The term whose key, pinyin, alias or one of its `names` (the catalogue's, in every
    language) is `query`."""
    wanted = _folded(query)
    for term in TERMS:
        spellings = (term.key, *names(term), term.pinyin, *term.aliases)
        if wanted and any(_folded(s) == wanted for s in spellings):
            return term
    return None


# --- examples: (catalogue suffix, raw params) from the account --------------------------------

Example = tuple[str, dict[str, Any]]


def _latest_loan(state: AccountState, method: str) -> Loan | None:
    found = [loan for loan in state.loans if loan.method == method and loan.unpaid()]
    return found[-1] if found else None


def _credit_grant(state: AccountState, policy: Policy) -> Example:
    d = state.decision
    if state.limit_fen == 0 and "NOT_ELIGIBLE" in d.codes:
        return "refused", {
            "opened": state.opened_on,
            "score": d.score,
            "min_score": policy.eligibility_min_score,
        }
    return "yours", {
        "opened": state.opened_on,
        "reviewed": d.on,
        "limit_fen": state.limit_fen,
        "score": d.score,
    }


def _drawdown(state: AccountState, policy: Policy) -> Example:
    if state.loans:
        loan = state.loans[-1]
        return "yours", {
            "loan_id": loan.id,
            "principal_fen": loan.principal_fen,
            "drawn_on": loan.drawn_on,
            "term": loan.term,
            "outstanding_fen": loan.outstanding_principal_fen,
        }
    if state.borrowed_fen:
        return "repaid", {"borrowed_fen": state.borrowed_fen}
    return "none", {"available_fen": available_fen(state)}


def _credit_limit(state: AccountState, policy: Policy) -> Example:
    return "yours", {"limit_fen": state.limit_fen, "available_fen": available_fen(state)}


def _multi_lender(state: AccountState, policy: Policy) -> Example:
    owing = [e for e in state.external if e.balance_fen > 0]
    if not owing:
        return "none", {}
    return "yours", {
        "balance_fen": sum(e.balance_fen for e in owing),
        "lenders": [e.lender for e in owing],
    }


def _overdue(state: AccountState, policy: Policy) -> Example:
    late = overdue_installments(state)
    if not late:
        return "none", {}
    oldest = late[0]
    return "yours", {
        "loan_id": oldest["loan_id"],
        "seq": oldest["seq"],
        "days": oldest["days_past_due"],
        "owed_fen": oldest["owed_fen"],
    }


def _penalty_interest(state: AccountState, policy: Policy) -> Example:
    """The penalty runs at a multiple of the overdue loan's own rate, not the new-loan rate."""
    multiplier = policy.penalty_multiplier
    late = [
        loan
        for loan in state.loans
        if any(not i.is_paid and i.due_date < state.today for i in loan.installments)
    ]
    if late and overdue_fen(state.loans, state.today):
        loan = late[0]
        penalty = sum(
            inst.penalty_due_fen
            for inst in loan.installments
            if not inst.is_paid and inst.due_date < state.today
        )
        return "yours", {
            "loan_id": loan.id,
            "daily": loan.daily_rate,
            "rate": loan.daily_rate * multiplier,
            "multiplier": multiplier,
            "penalty_fen": penalty,
        }
    live = [loan for loan in state.loans if loan.unpaid()]
    if live:
        loan = live[-1]
        return "none_loan", {
            "loan_id": loan.id,
            "daily": loan.daily_rate,
            "rate": loan.daily_rate * multiplier,
            "multiplier": multiplier,
        }
    return "none", {"rate": state.daily_rate * multiplier, "multiplier": multiplier}


def _credit_bureau(state: AccountState, policy: Policy) -> Example:
    if not state.bureau:
        return "none", {"grace": policy.grace_days}
    latest = max(state.bureau, key=lambda r: r.reported_on)
    if latest.lender:
        return "yours_external", {
            "reported_on": latest.reported_on,
            "lender": latest.lender,
            "days": latest.days_past_due,
        }
    return "yours", {
        "reported_on": latest.reported_on,
        "loan_id": latest.loan_id,
        "seq": latest.seq,
        "days": latest.days_past_due,
    }


def _apr_params(daily_rate: Decimal, day: date, day_count: DayCount = "actual") -> dict[str, Any]:
    q = quote(REFERENCE_LOAN_FEN, daily_rate, 12, "equal-installment", day, day_count)
    return {"daily": daily_rate, "simple": q.apr_simple, "effective": q.apr_effective}


def _apr(state: AccountState, policy: Policy) -> Example:
    """The latest live loan's own rates where there is one, else a new loan's."""
    live = [loan for loan in state.loans if loan.unpaid()]
    if live:
        loan = live[-1]
        q = quote(
            loan.principal_fen,
            loan.daily_rate,
            loan.term,
            loan.method,
            loan.drawn_on,
            policy.day_count,
        )
        return "loan", {
            "loan_id": loan.id,
            "term": loan.term,
            "daily": loan.daily_rate,
            "simple": q.apr_simple,
            "effective": q.apr_effective,
        }
    return "yours", _apr_params(state.daily_rate, state.today, policy.day_count)


def _payment(inst: Installment) -> int:
    return inst.principal_fen + inst.interest_fen


def _equal_principal_quote(daily_rate: Decimal, day: date) -> Example:
    q = quote(REFERENCE_LOAN_FEN, daily_rate, 12, "equal-principal", day)
    return "quote", {
        "daily": daily_rate,
        "principal_fen": REFERENCE_LOAN_FEN,
        "first_fen": _payment(q.installments[0]),
        "last_fen": _payment(q.installments[-1]),
    }


def _equal_principal(state: AccountState, policy: Policy) -> Example:
    loan = _latest_loan(state, "equal-principal")
    if loan is None:
        return _equal_principal_quote(state.daily_rate or GENERIC_DAILY_RATE, state.today)
    return "yours", {
        "loan_id": loan.id,
        "term": loan.term,
        "first_fen": _payment(loan.installments[0]),
        "last_fen": _payment(loan.installments[-1]),
    }


def _limit_cut(state: AccountState, policy: Policy) -> Example:
    return "yours", {
        "dpd": policy.cut_to_outstanding_dpd,
        "threshold": policy.multi_lender_cuts[0].threshold
        if policy.multi_lender_cuts
        else Decimal(0),
        "multiplier": policy.multi_lender_cuts[0].factor
        if policy.multi_lender_cuts
        else Decimal(1),
    }


def _limit_raise(state: AccountState, policy: Policy) -> Example:
    return "yours", {
        "days": policy.review_interval_days,
        "months": policy.raise_clean_months,
        "share": policy.raise_max_fraction,
    }


def _cooloff(state: AccountState, policy: Policy) -> Example:
    return "yours", {
        "count": policy.frequent_applications,
        "window": policy.frequent_window_days,
        "days": policy.cooloff_days,
    }


def _grace_period(state: AccountState, policy: Policy) -> Example:
    return "yours", {"grace": policy.grace_days}


def _frozen_line(state: AccountState, policy: Policy) -> Example:
    if state.frozen_on is None or state.closed_on is not None:
        return "generic", {}
    return "yours", {
        "since": state.frozen_on,
        "limit_fen": state.limit_fen,
        "available_fen": available_fen(state),
        "months": policy.raise_clean_months,
    }


def _maintenance(state: AccountState, policy: Policy) -> Example:
    for m in state.measures:
        if m.kind == "maintenance" and m.starts_on <= state.today < m.ends_on:
            return "yours", {"id": m.id, "until": m.ends_on}
    return "none", {}


def _equal_installment_quote(daily_rate: Decimal, day: date) -> Example:
    q = quote(REFERENCE_LOAN_FEN, daily_rate, 12, "equal-installment", day)
    return "quote", {
        "daily": daily_rate,
        "principal_fen": REFERENCE_LOAN_FEN,
        "payment_fen": q.first_payment_fen,
    }


def _equal_installment(state: AccountState, policy: Policy) -> Example:
    loan = _latest_loan(state, "equal-installment")
    if loan is None:
        return _equal_installment_quote(state.daily_rate or GENERIC_DAILY_RATE, state.today)
    nxt = loan.unpaid()[0]
    return "yours", {
        "loan_id": loan.id,
        "payment_fen": nxt.principal_fen + nxt.interest_fen,
        "term": loan.term,
    }


def _interest_first_quote(daily_rate: Decimal, day: date) -> Example:
    q = quote(REFERENCE_LOAN_FEN, daily_rate, 12, "interest-first", day)
    last = q.installments[-1]
    return "quote", {
        "daily": daily_rate,
        "principal_fen": REFERENCE_LOAN_FEN,
        "interest_fen": q.installments[0].interest_fen,
        "last_fen": last.principal_fen + last.interest_fen,
    }


def _interest_first(state: AccountState, policy: Policy) -> Example:
    loan = _latest_loan(state, "interest-first")
    if loan is None:
        return _interest_first_quote(state.daily_rate or GENERIC_DAILY_RATE, state.today)
    last = loan.installments[-1]
    return "yours", {
        "loan_id": loan.id,
        "interest_fen": loan.unpaid()[0].interest_fen,
        "last_fen": last.principal_fen + last.interest_fen,
        "term": loan.term,
    }


def _score(state: AccountState, policy: Policy) -> Example:
    params: dict[str, Any] = {"score": state.score, "band": policy.band_for(state.score)}
    factors = key_factors(state.attributes, 1)
    if not factors:
        return "yours_full", params
    worst = factors[0]
    return "yours", {**params, "attribute": worst.attribute, "gap": worst.max_points - worst.points}


def _dti(state: AccountState, policy: Policy) -> Example:
    return "yours", {
        "debt_fen": monthly_debt_service_fen(state, policy.dti_interest_first),
        "income_fen": state.profile.monthly_income_fen,
        "dti": debt_to_income(state, 0, policy.dti_interest_first),
    }


def _utilisation(state: AccountState, policy: Policy) -> Example:
    return "yours", {
        "used_fen": state.used_fen,
        "limit_fen": state.limit_fen,
        "pct": utilisation_pct(state),
    }


def _cohort(state: AccountState, policy: Policy) -> Example:
    mine = [m for m in active_measures(state, "tighten") if in_cohort(state, m)]
    if mine:
        m = mine[-1]
        return "yours", {
            "cohort": m.cohort,  # None: everyone
            "id": m.id,
            "factor": m.factor or Decimal(1),
            "ends_on": m.ends_on,
        }
    values = cohort_values(state)  # the account as a cohort expression reads it
    return "none", {
        "score": state.score,
        "dti": values["dti"],
        "lenders": int(values["lenders"]),
        "income": values["income"],
    }


_EXAMPLES: dict[str, Callable[[AccountState, Policy], Example]] = {
    "credit_grant": _credit_grant,
    "drawdown": _drawdown,
    "credit_limit": _credit_limit,
    "multi_lender": _multi_lender,
    "overdue": _overdue,
    "penalty_interest": _penalty_interest,
    "credit_bureau": _credit_bureau,
    "apr": _apr,
    "equal_installment": _equal_installment,
    "interest_first": _interest_first,
    "equal_principal": _equal_principal,
    "limit_cut": _limit_cut,
    "limit_raise": _limit_raise,
    "cooloff": _cooloff,
    "grace_period": _grace_period,
    "frozen_line": _frozen_line,
    "maintenance": _maintenance,
    "score": _score,
    "dti": _dti,
    "utilisation": _utilisation,
    "cohort": _cohort,
}


def _generic(term: Term) -> Example:
    """An example that needs no account (the rates ones still compute their figures)."""
    if term.key == "apr":
        return "generic", _apr_params(GENERIC_DAILY_RATE, GENERIC_DAY)
    if term.key == "equal_installment":
        return _equal_installment_quote(GENERIC_DAILY_RATE, GENERIC_DAY)
    if term.key == "interest_first":
        return _interest_first_quote(GENERIC_DAILY_RATE, GENERIC_DAY)
    if term.key == "equal_principal":
        return _equal_principal_quote(GENERIC_DAILY_RATE, GENERIC_DAY)
    return "generic", {}


def example(term: Term, state: AccountState | None, policy: Policy | None) -> Example:
    """What illustrates `term`: the account's figures when there is one, else generic ones."""
    if state is None or policy is None:
        return _generic(term)
    return _EXAMPLES[term.key](state, policy)
