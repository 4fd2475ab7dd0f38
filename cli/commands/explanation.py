"""Reading the account's story: why, the notice, limit changes, the score, schedules, history."""

from typing import Annotated

import typer

from ..apps import DbOpt, ExportForceOpt, ExportOpt, JsonOpt, LangOpt, MethodOpt, SlideOpt, TermOpt
from ..edge import amount, export_path, parse_date
from ..errors import handle_errors
from ..exits import UserError
from ..output import exporting, print_json, saved, say, show, show_data
from ..safe_text import OwnWords
from ..session import account, load
from ..settings import settings


@handle_errors
def why(
    ctx: typer.Context,
    amount_text: Annotated[
        str | None,
        typer.Option("--amount", metavar="AMOUNT", help="Why can't I borrow this much now?"),
    ] = None,
    term: TermOpt = 12,
    method: MethodOpt = "equal-installment",
    export: ExportOpt = None,
    slide: SlideOpt = False,
    force: ExportForceOpt = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """Why the limit is used up: the waterfall, every cause with its share of what is missing
    (blocking causes first), what to do and when it comes back (both simulated), and why the
    score is not higher. With --amount: the decision `borrow AMOUNT --term N --method M` would
    make now, and what unlocks it.

    Example: limitlab why   ·   limitlab why --amount 5000 --term 6 --lang zh
    """
    s = settings(ctx, json_out, lang, db)
    from limitlab.core.app_message import app_message
    from limitlab.core.explain import explain

    from ..views.app_message import app_message_json
    from ..views.explanation import explanation_json
    from ..views.explanation_screen import why_slide_view, why_view

    wanted = amount(amount_text) if amount_text is not None else None
    target = export_path(export, s, force=force)
    loaded = load(s)
    state, policy = loaded.state, loaded.policy
    explanation = explain(state, policy)
    if wanted is not None:  # the decision borrow would make, with what unlocks it (the plan)
        import dataclasses

        from limitlab.core.drawdown import check_amount

        check = check_amount(state, policy, wanted, term, method, plan=True)  # type: ignore[arg-type]
        explanation = dataclasses.replace(explanation, amount=check)
    data = explanation_json(explanation, s.lang)
    data["app_message"] = app_message_json(app_message(state, policy), s.lang)
    shown = why_slide_view if slide else why_view  # a slide: the top reasons only
    show_data(s, data, lambda: shown(data, s.lang), target)


@handle_errors
def notice(
    ctx: typer.Context,
    export: ExportOpt = None,
    slide: SlideOpt = False,
    force: ExportForceOpt = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """The formal notice of the latest limit cut or closure: the action, its date, up to four
    principal reasons, and whether a platform change hit a whole cohort; when the limit
    changed after it, those changes (a cut reversed later says so) and the limit now.

    Example: limitlab notice --lang zh
    """
    s = settings(ctx, json_out, lang, db)
    target = export_path(export, s, force=force)
    from limitlab.core.explain import adverse_notice, is_adverse

    from ..views.notice import no_notice_json, notice_json, notice_view

    with account(s) as store:
        reviews = store.events(["limit_review"])
    adverse = [i for i, e in enumerate(reviews) if is_adverse(e.data)]
    if not adverse:
        if s.json:
            print_json(no_notice_json(s.lang))
        else:
            say(s, "notice.none")
        return
    latest = adverse[-1]
    later = [  # what the limit did after the notice: a cut reversed later says so
        (e.on, e.data["previous_fen"], e.data["limit_fen"])
        for e in reviews[latest + 1 :]
        if e.data["limit_fen"] != e.data["previous_fen"]
    ]
    data = notice_json(adverse_notice(reviews[latest].data), s.lang, later)
    show_data(s, data, lambda: notice_view(data, s.lang), target)


@handle_errors
def limits(
    ctx: typer.Context,
    export: ExportOpt = None,
    force: ExportForceOpt = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """Every change of the credit limit: its trigger, and its own change split among what
    changed since the review before (each part with its amount and evidence).

    Example: limitlab limits --json
    """
    s = settings(ctx, json_out, lang, db)
    target = export_path(export, s, force=force)
    from ..render import limits_view
    from ..views.limit_changes import change_json

    with account(s) as store:
        changes = store.limit_changes()
    out = [change_json(r, s.lang) for r in changes]
    show_data(s, out, lambda: limits_view(out, s.lang), target)


@handle_errors
def score(
    ctx: typer.Context,
    export: ExportOpt = None,
    force: ExportForceOpt = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """The score's breakdown: five dimensions, every attribute's value, band, points and gap.

    Example: limitlab score --json
    """
    s = settings(ctx, json_out, lang, db)
    from limitlab.cli.views.report import score_report

    from ..render import score_view

    target = export_path(export, s, force=force)
    loaded = load(s)
    report = score_report(loaded.state, loaded.policy)
    show_data(s, report, lambda: score_view(report, s.lang), target)


@handle_errors
def schedule(
    ctx: typer.Context,
    loan: Annotated[
        int | None, typer.Argument(metavar="LOAN", help="A loan id; default: every live loan.")
    ] = None,
    export: ExportOpt = None,
    force: ExportForceOpt = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """The repayment schedule of a loan (or of every live loan).

    Example: limitlab schedule 1 --json
    """
    s = settings(ctx, json_out, lang, db)
    target = export_path(export, s, force=force)
    from limitlab.cli.views.report import schedule_report
    from limitlab.core.engine import DomainError

    from ..render import schedule_view

    with account(s) as store:
        loaded = store.load()
        state = loaded.state
        if loan is None:
            loans = state.loans
        else:
            found = store.loan(loan)
            if found is None:
                raise DomainError("no_such_loan", loan_id=loan)
            loans = [found]
    reports = [schedule_report(ln, state.today, loaded.policy.day_count) for ln in loans]
    if s.json:
        print_json(reports[0] if loan is not None else reports)
        return
    with exporting(target):
        for r in reports:
            show(schedule_view(r, s.lang))
    saved(s, target)
    if not reports:
        say(s, "error.nothing_owed")


@handle_errors
def history(
    ctx: typer.Context,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="Only these event kinds (repeatable), e.g. borrowed, overdue, limit_review.",
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option(metavar="DATE", help="From this date (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(metavar="DATE", help="Up to this date (YYYY-MM-DD).")
    ] = None,
    last: Annotated[
        int | None,
        typer.Option("--last", min=1, help="Only the newest N events, still oldest first."),
    ] = None,
    export: ExportOpt = None,
    force: ExportForceOpt = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """What happened, in order: applications, loans, payments, paydays, overdue, reviews.

    Example: limitlab history --kind application_refused --kind borrowed
    """
    s = settings(ctx, json_out, lang, db)
    target = export_path(export, s, force=force)
    from limitlab.cli.i18n import keys

    from ..render import history_view

    known = sorted(k.removeprefix("event.") for k in keys() if k.startswith("event."))
    for k in kind or []:
        if k not in known:
            raise UserError("history.kind", kind=k, kinds=OwnWords(", ".join(known)))
    first = parse_date(since) if since else None
    last_day = parse_date(until) if until else None
    with account(s) as store:
        events = store.events(kind, first, last_day, last)
    rows = [{"date": e.on.isoformat(), "kind": e.kind, "data": e.data} for e in events]
    show_data(s, rows, lambda: history_view(rows, s.lang), target)
