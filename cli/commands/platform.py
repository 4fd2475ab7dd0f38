"""The platform: risk-policy tightening for a cohort, maintenance, and the list of measures."""

from typing import TYPE_CHECKING, Annotated

import typer

from ..apps import DbOpt, ExportForceOpt, ExportOpt, JsonOpt, LangOpt
from ..edge import COHORT_MAX, export_path, free_text
from ..errors import handle_errors
from ..exits import UserError
from ..output import print_json, say, show_data
from ..session import account, execute
from ..settings import Settings, settings

if TYPE_CHECKING:
    from limitlab.core.service import Executed


@handle_errors
def platform_tighten(
    ctx: typer.Context,
    factor: Annotated[
        str, typer.Option(metavar="FACTOR", help="Limits are multiplied by this, e.g. 0.5.")
    ],
    days: Annotated[int, typer.Option(help="How long the measure lasts.")],
    cohort: Annotated[
        str | None,
        typer.Option(
            metavar="EXPR", help='Who it applies to, e.g. "score<650" or "lenders>=3 and dti>0.5".'
        ),
    ] = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """A platform risk-policy tightening for a cohort; it ends by itself.

    Example: limitlab platform tighten --factor 0.5 --days 30 --cohort "score<700"
    """
    s = settings(ctx, json_out, lang, db)
    from decimal import Decimal, InvalidOperation

    from limitlab.core import commands as c

    try:
        value = Decimal(factor)
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise UserError("error.bad_factor", factor=factor) from None
    if cohort is not None:
        cohort = free_text(cohort, what="--cohort", max_length=COHORT_MAX)
    done = execute(s, c.Tighten(value, days, cohort))
    _platform_done(s, done)


@handle_errors
def platform_maintenance(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help="How long borrowing is paused.")],
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """A system upgrade: borrowing paused for everyone; it ends by itself.

    Example: limitlab platform maintenance --days 2
    """
    s = settings(ctx, json_out, lang, db)
    from limitlab.core import commands as c

    done = execute(s, c.Maintenance(days))
    _platform_done(s, done)


def _platform_done(s: Settings, done: "Executed") -> None:
    if s.json:
        print_json({**done.outcome.result, "limit_fen": done.state.limit_fen})
    else:
        say(s, "ok.platform", **done.outcome.result)


@handle_errors
def platform_list(
    ctx: typer.Context,
    export: ExportOpt = None,
    force: ExportForceOpt = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """Every platform measure, active or ended.

    Example: limitlab platform list
    """
    s = settings(ctx, json_out, lang, db)
    target = export_path(export, s, force=force)
    from limitlab.core.model import to_jsonable

    from ..render import platform_view

    with account(s) as store:
        today = store.load().state.today
        measures = store.platform_measures()
    rows = [{**to_jsonable(m), "active": m.starts_on <= today < m.ends_on} for m in measures]
    show_data(s, rows, lambda: platform_view(rows, s.lang), target)
