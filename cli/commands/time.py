"""Time: let simulated days pass (paydays, autopay, overdue, reviews)."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..apps import DbOpt, JsonOpt, LangOpt
from ..edge import parse_date
from ..errors import handle_errors
from ..exits import UserError
from ..output import print_json, say, show, words
from ..screens import show_status
from ..session import execute
from ..settings import Settings, settings

if TYPE_CHECKING:
    from limitlab.core.model import AccountState

#: The longest `advance --months`: 50 years (always within the engine's MAX_ADVANCE_DAYS).
MAX_ADVANCE_MONTHS = 12 * 50


@handle_errors
def advance(
    ctx: typer.Context,
    days: Annotated[int | None, typer.Option(help="Days to let pass.")] = None,
    months: Annotated[int | None, typer.Option(help="Calendar months to let pass.")] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", metavar="DATE", help="Let time pass up to this date (YYYY-MM-DD)."),
    ] = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """Let simulated time pass day by day: paydays, autopay, overdue, reviews.

    Example: limitlab advance --months 1   ·   limitlab advance --to 2026-06-30
    """
    s = settings(ctx, json_out, lang, db)
    from datetime import timedelta

    from limitlab.core import commands as c
    from limitlab.core.engine import MAX_ADVANCE_DAYS, DomainError
    from limitlab.core.loans import add_months

    if sum(x is not None for x in (days, months, to)) != 1:
        raise UserError("advance.which")
    for option, value in (("--days", days), ("--months", months)):
        if value is not None and value <= 0:
            raise UserError("advance.positive", option=option, value=value)
    if days is not None and days > MAX_ADVANCE_DAYS:
        raise DomainError("advance_too_far", days=days, max_days=MAX_ADVANCE_DAYS)
    if months is not None and months > MAX_ADVANCE_MONTHS:
        raise UserError("advance.too_many_months", months=months, most=MAX_ADVANCE_MONTHS)
    until = parse_date(to) if to is not None else None

    def command(state: "AccountState") -> c.Command:
        """The target date, worked out from the account's date inside the write lock."""
        if days is not None:
            return c.Advance(state.today + timedelta(days=days))
        if months is not None:
            return c.Advance(add_months(state.today, months))
        assert until is not None
        return c.Advance(until)

    from ..progress import progress_bar

    with progress_bar(words(s, "progress.advance")) as progress:
        done = execute(s, command, progress)
    if s.json:
        from limitlab.cli.views.report import status_report
        from limitlab.core.model import to_jsonable

        print_json(
            {
                **done.outcome.result,
                "events": [
                    to_jsonable(e) for e in done.outcome.events if e.kind not in ("limit_review",)
                ],
                "status": status_report(done.state, done.policy),
            }
        )
        return
    _show_events(s, done.outcome.events)
    say(s, "ok.advanced", today=done.outcome.result["today"], days=done.outcome.result["days"])
    show_status(s, done.state, done.policy, detail=False)


def _show_events(s: Settings, events: list[Any]) -> None:
    from ..render import history_view

    rows = [
        {"date": e.on.isoformat(), "kind": e.kind, "data": e.data}
        for e in events
        if e.kind not in ("score_changed",)
        and not (e.kind == "limit_review" and e.data["limit_fen"] == e.data["previous_fen"])
    ]
    if rows:
        show(history_view(rows, s.lang))
