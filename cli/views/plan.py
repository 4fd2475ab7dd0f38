"""A plan (core/plan.py) as the JSON `plan --json` prints and the screens read."""

from __future__ import annotations

from limitlab.core.plan import Plan, merged_steps


def plan_json(plan: Plan) -> dict[str, object]:
    return {
        "need_fen": plan.need_fen,
        "term": plan.term,
        "method": plan.method,
        "found": plan.found,
        "steps": [
            {
                "action": s.action,
                "amount_fen": s.amount_fen,
                "date": s.on.isoformat(),
                **({"lender": s.detail} if s.detail else {}),
                **({"due_date": s.due_on.isoformat()} if s.due_on else {}),
            }
            for s in merged_steps(plan.steps)
        ],
        "cash_fen": plan.cash_fen,
        "ready_on": plan.ready_on.isoformat() if plan.ready_on else None,
        "blocked_by": plan.blocked_by,
        **(
            {
                "until": plan.until.isoformat() if plan.until else None,
                "most_fen": plan.most_fen,
                "most_on": plan.most_on.isoformat() if plan.most_on else None,
            }
            if not plan.found
            else {}
        ),
    }
