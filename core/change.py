"""Why a review moved the limit: its own change (old → new), split among what changed since
the review before it.

Each review keeps a basis: the inputs of the credit assessment as it saw them (the other
lenders, the income, the recent applications, the platform measures, the overdue record, the
closure, the score). The next review compares its inputs with that basis; each input that
changed is a player, and reverting it means putting the basis's value back. w(S) is the limit
`limits.review` decides (with this review's own trigger and raise rules) with the changes in S
kept and the others reverted; each change's amount is its exact Shapley value over
w(all) − w(none), in fen by largest remainder. What the reverted inputs do not explain — the
own loans (utilisation, debt-to-income), time (account age, on-time history), other profile
fields, a new policy — is one more entry, OTHER, so the amounts sum exactly to new − old.
A review that raises the limit at a scheduled review has one more player, the raise rules
(REVIEW_PENDING): reverting it is reviewing as an unscheduled review would.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from fractions import Fraction
from math import factorial
from typing import Any

from .attribution import largest_remainder
from .limits import active_measures, bureau_in_scope, current_dpd, review
from .model import (
    AccountState,
    Application,
    BureauRecord,
    Delinquency,
    ExternalLoan,
    IncomeDrop,
    LimitDecision,
    PlatformMeasure,
    shallow,
    to_jsonable,
)
from .policy import Policy
from .scoring import applications_in, score_attributes, total, worst_dpd

#: The order of a review's changes of equal amount (the order of CAUSE_ORDER).
CHANGE_ORDER = (
    "ACCOUNT_CLOSED",
    "OVERDUE",
    "FROZEN",
    "FREQUENT_APPLICATIONS",
    "CREDIT_RECORD",
    "MULTI_LENDER",
    "INCOME_DROP",
    "PLATFORM_POLICY",
    "REVIEW_PENDING",
    "OTHER",
)
#: The form of the basis kept in the state; a basis of another form is not compared with.
BASIS_VERSION = 1
#: A cut-to-outstanding threshold no account reaches: the 30-day rule reverted.
_NEVER_DPD = 10**9


def _day(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _on(text: str | None) -> date | None:
    return date.fromisoformat(text) if text is not None else None


def review_basis(state: AccountState, policy: Policy) -> dict[str, Any]:
    """The inputs a later review compares with (JSON-ready, kept in the state; plain lists,
    not the records' JSON form, since every review of every simulation builds one). Besides
    the records, what the passing of time alone moves: the applications in the window, the
    bureau records and the worst days past due still scored."""
    drop = state.income_drop
    return {
        "version": BASIS_VERSION,
        "on": state.today.isoformat(),
        "external": [
            [e.lender, e.balance_fen, e.monthly_fen, e.added_on.isoformat()]
            for e in state.external
            if e.balance_fen > 0
        ],
        "income_fen": state.profile.monthly_income_fen,
        "income_drop": [drop.on.isoformat(), drop.from_fen, drop.to_fen] if drop else None,
        "applications": [[a.on.isoformat(), a.amount_fen, a.granted] for a in state.applications],
        "applications_in_window": applications_in(state, policy.applications_window_days),
        "cooloff": [_day(state.cooloff_started_on), _day(state.cooloff_until)],
        "cooloff_on": state.cooloff_until is not None and state.today < state.cooloff_until,
        "measures": [
            [m.id, m.kind, m.starts_on.isoformat(), m.ends_on.isoformat(), str(m.factor), m.cohort]
            for m in active_measures(state, "tighten")
        ],
        "closed_on": _day(state.closed_on),
        "bureau": [
            [r.loan_id, r.seq, r.due_date.isoformat(), r.reported_on.isoformat(), r.days_past_due]
            for r in state.bureau
        ],
        "delinquencies": [
            [d.loan_id, d.seq, d.due_date.isoformat(), d.max_dpd, d.last_overdue_on.isoformat()]
            for d in state.delinquencies
        ],
        "bureau_in_scope": len(bureau_in_scope(state, policy)),
        "worst_dpd": worst_dpd(state, policy.credit_record_scored_months),
        "last_overdue_on": _day(state.last_overdue_on),
        "frozen_on": _day(state.frozen_on),
        "days_past_due": current_dpd(state),
        "score": state.score,
        "attributes": {a.attribute: [a.value, a.points] for a in state.attributes},
    }


def _parts(now: dict[str, Any], before: dict[str, Any]) -> list[str]:
    """The inputs that changed, in CHANGE_ORDER (each platform measure on its own)."""
    out = []
    if now["closed_on"] != before["closed_on"]:
        out.append("closure")
    if any(now[k] != before[k] for k in ("bureau", "delinquencies", "days_past_due")) or (
        now["frozen_on"] != before.get("frozen_on")
    ):
        out.append("record")
    scored = ("bureau_in_scope", "worst_dpd")
    if "record" not in out and any(now[k] != before.get(k, now[k]) for k in scored):
        out.append("record")
    if (
        now["applications"] != before["applications"]
        or now["cooloff"] != before["cooloff"]
        or any(now[k] != before.get(k, now[k]) for k in ("applications_in_window", "cooloff_on"))
    ):
        out.append("applications")
    if now["external"] != before["external"]:
        out.append("external")
    if now["income_fen"] != before["income_fen"] or now["income_drop"] != before["income_drop"]:
        out.append("income")
    ids = {m[0] for m in now["measures"]} ^ {m[0] for m in before["measures"]}
    out += [f"measure:{i}" for i in sorted(ids)]
    return out


def _revert(
    part: str, state: AccountState, policy: Policy, before: dict[str, Any]
) -> tuple[AccountState, Policy]:
    """`state` (a shallow copy the caller owns) with one input put back as the basis had it
    on the day of its review: its dates move on by the days since, so that what time alone
    changes (a platform measure's end, the applications in the window, the bureau records
    still scored) is reverted too. Reverting a measure that has ended keeps it in force."""
    since = state.today - _basis_day(state, before)

    def on(text: str) -> date:
        return date.fromisoformat(text) + since

    def maybe(text: str | None) -> date | None:
        return on(text) if text is not None else None

    if part == "closure":
        state.closed_on = _on(before["closed_on"])
    elif part == "record":
        state.bureau = [
            BureauRecord(loan, seq, on(due), on(reported), dpd)
            for loan, seq, due, reported, dpd in before["bureau"]
        ]
        state.delinquencies = [
            Delinquency(loan, seq, on(due), dpd, on(last))
            for loan, seq, due, dpd, last in before["delinquencies"]
        ]
        state.last_overdue_on = maybe(before["last_overdue_on"])
        state.frozen_on = maybe(before.get("frozen_on"))
        cut = policy.cut_to_outstanding_dpd
        if before["days_past_due"] < cut <= current_dpd(state):
            policy = dataclasses.replace(policy, cut_to_outstanding_dpd=_NEVER_DPD)
    elif part == "applications":
        state.applications = [
            Application(on(day), amount, granted) for day, amount, granted in before["applications"]
        ]
        started, until = before["cooloff"]
        state.cooloff_started_on, state.cooloff_until = maybe(started), maybe(until)
    elif part == "external":
        state.external = [
            ExternalLoan(lender, balance, monthly, date.fromisoformat(added))
            for lender, balance, monthly, added in before["external"]
        ]
    elif part == "income":
        state.profile = dataclasses.replace(state.profile, monthly_income_fen=before["income_fen"])
        drop = before["income_drop"]
        state.income_drop = (
            IncomeDrop(date.fromisoformat(drop[0]), drop[1], drop[2]) if drop else None
        )
    elif part.startswith("measure:"):
        measure_id = int(part.split(":")[1])
        state.measures = [m for m in state.measures if m.id != measure_id] + [
            PlatformMeasure(i, kind, on(starts), on(ends), Decimal(factor), cohort)
            for i, kind, starts, ends, factor, cohort in before["measures"]
            if i == measure_id
        ]
    return state, policy


def _basis_day(state: AccountState, before: dict[str, Any]) -> date:
    """The day of the review the basis is from (a basis kept before it said so: the day of
    the decision before)."""
    return _on(before.get("on")) or state.decision.on


def _code(part: str, state: AccountState) -> str:
    if part == "record":
        overdue = any(
            not i.is_paid and i.due_date < state.today
            for ln in state.loans
            for i in ln.installments
        )
        if overdue:
            return "OVERDUE"
        lifted = state.frozen_on is None and (state.review_basis or {}).get("frozen_on")
        return "FROZEN" if lifted else "CREDIT_RECORD"
    return {
        "closure": "ACCOUNT_CLOSED",
        "applications": "FREQUENT_APPLICATIONS",
        "external": "MULTI_LENDER",
        "income": "INCOME_DROP",
        "raise": "REVIEW_PENDING",
    }.get(part, "PLATFORM_POLICY")


def attribute_review(
    state: AccountState, policy: Policy, decision: LimitDecision, *, scheduled: bool
) -> list[dict[str, Any]] | None:
    """The entries of a review's own change (`code`, `key`, `amount_fen`, `evidence`),
    amounts summing exactly to the new limit − the old; None without a basis to compare
    with (the opening review, or a state from before bases were kept)."""
    before = state.review_basis
    if before is None or before.get("version") != BASIS_VERSION:
        return None
    now = review_basis(state, policy)
    parts = _parts(now, before)
    target = decision.target_fen
    if scheduled and target > state.assessed_fen:
        parts.append("raise")
    trigger = decision.trigger
    n = len(parts)
    values: dict[int, int] = {}
    untouched: list[AccountState] = [state]  # the world with every change reverted

    def w(mask: int) -> int:
        """The limit with the changes in `mask` kept and the others reverted."""
        if mask == (1 << n) - 1:
            return decision.limit_fen  # everything kept: this very review
        if mask not in values:
            world = shallow(state)
            world.profile = shallow(state.profile)
            rules = policy
            keep_schedule = scheduled
            for i, part in enumerate(parts):
                if mask >> i & 1:
                    continue
                if part == "raise":
                    keep_schedule = False
                else:
                    world, rules = _revert(part, world, rules, before)
            world.attributes = score_attributes(world, rules)
            world.score = total(world.attributes, rules)
            values[mask] = review(world, rules, trigger, scheduled=keep_schedule).limit_fen
            if mask == 0:
                untouched[0] = world
        return values[mask]

    everything = (1 << n) - 1
    sums = [0] * n
    if n:
        weights = [factorial(s) * factorial(n - s - 1) for s in range(n)]
        for mask in range(1 << n):
            for i in range(n):
                if not mask >> i & 1:
                    sums[i] += weights[mask.bit_count()] * (w(mask | 1 << i) - w(mask))
    exact = [Fraction(x, factorial(n)) for x in sums]
    order = sorted(
        range(n), key=lambda i: (-abs(exact[i]), CHANGE_ORDER.index(_code(parts[i], state)))
    )
    amounts = largest_remainder(exact, w(everything) - w(0), order) if n else []
    entries = [
        {
            "code": _code(part, state),
            "key": part if part.startswith("measure:") else "",
            "amount_fen": amount,
            "evidence": _evidence(part, state, policy, before, target),
        }
        for part, amount in zip(parts, amounts, strict=True)
        if amount != 0
    ]
    rest = w(0) - state.limit_fen
    if rest:
        entries.append(
            {
                "code": "OTHER",
                "key": "",
                "amount_fen": rest,
                "evidence": _score_moved(untouched[0], before),
            }
        )
    entries.sort(key=lambda e: (e["amount_fen"], CHANGE_ORDER.index(e["code"])))
    return entries


def _evidence(
    part: str, state: AccountState, policy: Policy, before: dict[str, Any], target: int
) -> list[dict[str, Any]]:
    """What changed in this input since the review before, as the `limits` screen words it."""
    if part == "external":
        was = {e[0] for e in before["external"]}
        now = {e.lender for e in state.external if e.balance_fen > 0}
        return [
            {
                "kind": "lenders",
                "before": len(was),
                "after": len(now),
                "added": sorted(now - was),
                "removed": sorted(was - now),
            }
        ]
    if part == "income":
        return [
            {
                "kind": "income",
                "old_fen": before["income_fen"],
                "new_fen": state.profile.monthly_income_fen,
            }
        ]
    if part == "applications":
        count = applications_in(state, policy.applications_window_days)
        return [{"kind": "applications", "count": count, "until": to_jsonable(state.cooloff_until)}]
    if part == "record" and _code(part, state) == "FROZEN":
        return [{"kind": "unfrozen", "frozen_on": before.get("frozen_on")}]
    if part == "record":
        reported = len(state.bureau) - len(before["bureau"])
        late_elsewhere = [
            (state.today - e.late_since).days
            for e in state.external
            if e.arrears_fen > 0 and e.late_since is not None
        ]
        dpd = max([current_dpd(state), *late_elsewhere])  # here or at another lender
        return [{"kind": "record", "reported": reported, "days_past_due": dpd}]
    if part == "closure":
        return [{"kind": "closed", "closed_on": to_jsonable(state.closed_on)}]
    if part == "raise":
        return [{"kind": "raise", "old_fen": state.assessed_fen, "new_fen": target}]
    measure_id = int(part.split(":")[1])
    started = [m for m in state.measures if m.id == measure_id]
    if started:
        m = started[0]
        return [
            {
                "kind": "measure_started",
                "id": m.id,
                "factor": str(m.factor),
                "cohort": m.cohort,
                "starts_on": m.starts_on.isoformat(),
                "ends_on": m.ends_on.isoformat(),
            }
        ]
    i, _, starts, ends, factor, cohort = next(x for x in before["measures"] if x[0] == measure_id)
    return [
        {
            "kind": "measure_ended",
            "id": i,
            "factor": factor,
            "cohort": cohort,
            "starts_on": starts,
            "ends_on": ends,
        }
    ]


def _score_moved(state: AccountState, before: dict[str, Any]) -> list[dict[str, Any]]:
    """What OTHER stands for: in the world with every named change reverted (`state`), the
    score since the review before when it moved, and the scorecard attributes that moved
    (a value that did not move is not cited)."""
    out: list[dict[str, Any]] = []
    if state.score != before["score"]:
        out.append({"kind": "score", "old": before["score"], "new": state.score})
    old = before["attributes"]
    for a in state.attributes:
        if a.attribute in old and old[a.attribute][1] != a.points:
            out.append(
                {
                    "kind": "moved",
                    "attribute": a.attribute,
                    "old": old[a.attribute][0],
                    "new": a.value,
                    "points": a.points - old[a.attribute][1],
                }
            )
    return out
