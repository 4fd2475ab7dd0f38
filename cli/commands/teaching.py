"""Teaching aids: try actions on a copy (what-if), the cheapest way to an amount (plan), the
words of the lesson (glossary) and the account's story as a chart."""

import os
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..apps import DbOpt, ExportForceOpt, ExportOpt, JsonOpt, LangOpt, MethodOpt, SlideOpt, TermOpt
from ..edge import ACTION_MAX, amount, export_path, free_text, parse_date, split_words
from ..errors import handle_errors
from ..exits import UserError
from ..nested import run_nested
from ..output import say, show_data
from ..safe_text import OwnWords, echo
from ..session import account, load_file, scratch_copy
from ..settings import settings

if TYPE_CHECKING:
    from limitlab.core.model import AccountState
    from limitlab.core.policy import Policy

    from ..settings import Settings


ALIASES = {
    "wait": ["advance", "--days"],  # wait 30
    "payoff": ["external", "repay"],  # payoff Huabei
    "income": ["profile", "set", "--income"],  # income 5000
}


def _expand(words: list[str]) -> list[str]:
    """A short form with its one argument as the real command (a wrong count is bad input)."""
    if words and words[0] in ALIASES:
        if len(words) != 2:
            raise UserError("whatif.short_form", action=" ".join(words), form=words[0])
        return [*ALIASES[words[0]], words[1]]
    return words


def _progress_label(s: "Settings") -> str:
    from limitlab.cli.i18n import text

    return text("progress.plan", s.lang)


def _snapshot(state: "AccountState", policy: "Policy") -> dict[str, Any]:
    from limitlab.core.explain import explain

    e = explain(state, policy, advise=False)  # the top reason only
    return {
        "today": e.today.isoformat(),
        "state": e.state,
        "score": e.score,
        "limit_fen": e.limit_fen,
        "used_fen": e.used_fen,
        "available_fen": e.available_fen,
        "wallet_fen": state.wallet_fen,
        "top_reason": e.reasons[0].code if e.reasons else None,
    }


@handle_errors
def what_if(
    ctx: typer.Context,
    actions: Annotated[
        list[str],
        typer.Argument(
            metavar="ACTION…",
            help='Commands as you would type them after "limitlab", each in quotes: '
            '"repay 5000", "advance --days 30", "external repay Huabei", '
            '"profile set --income 9000", "borrow 3000"; or the short forms '
            '"wait 30", "payoff Huabei", "income 9000".',
        ),
    ],
    export: ExportOpt = None,
    force: ExportForceOpt = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """Try actions on a copy of the account and compare before → after; nothing is written.

    The actions run in order. The first that fails (a refused borrow, a lender you owe
    nothing) stops the what-if: the actions after it are not tried, the comparison (if an
    action before it ran) is titled "stopped at action N" and shows the state before it, one
    line names the failed action and why, and the exit code is that action's own (3 refused
    by the credit rules, 2 bad input). 0: every action ran.

    Example: limitlab what-if "payoff Huabei" "wait 30" "borrow 5000"
    """
    import contextlib
    import io
    import shlex

    s = settings(ctx, json_out, lang, db)
    target = export_path(export, s, force=force)
    allowed = ("repay", "advance", "external", "profile", "borrow", "wallet", *ALIASES)
    parsed = [
        _expand(split_words(free_text(a, what="ACTION", max_length=ACTION_MAX))) for a in actions
    ]
    for words in parsed:
        if not words or words[0] not in allowed:
            raise UserError(
                "whatif.action", action=" ".join(words), allowed=OwnWords(", ".join(allowed))
            )
    with scratch_copy(s) as (before, copy):
        results: list[dict[str, Any]] = []
        for words in parsed:
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = run_nested(ctx, ["--db", copy, *words, "--lang", s.lang])
            results.append(
                {
                    "action": shlex.join(words),
                    "exit_code": code,
                    "message": _said(err) if code else "",
                }
            )
            if code:  # the later actions assumed this one: they are not tried
                break
        after = load_file(copy)
    failed = results[-1] if results[-1]["exit_code"] else None
    data: dict[str, Any] = {
        "before": _snapshot(before.state, before.policy),
        "after": _snapshot(after.state, after.policy),
        "actions": results,
        "stopped_at": len(results) if failed else None,
    }
    not_tried = [shlex.join(words) for words in parsed[len(results) :]]
    data["not_tried"] = not_tried
    from ..render import whatif_view

    if failed is None or len(results) > 1 or s.json:  # else no action took effect: no table
        show_data(s, data, lambda: whatif_view(data, s.lang), target)
    if failed is not None:
        rest = ", ".join(echo(a, s.lang) for a in not_tried)
        raise UserError(
            "whatif.stopped_rest" if rest else "whatif.stopped",
            failed["exit_code"],
            n=len(results),
            total=len(parsed),
            action=failed["action"],
            code=failed["exit_code"],
            message=OwnWords(failed["message"].rstrip("。.")),  # the message ends the sentence
            rest=OwnWords(rest),
        )


def _said(err: Any) -> str:
    """What a failed action said, as one line: its first (a refusal's headline, an error)."""
    lines = [line.strip() for line in err.getvalue().splitlines() if line.strip()]
    return lines[0].removeprefix("limitlab: ") if lines else ""


@handle_errors
def plan(
    ctx: typer.Context,
    need: Annotated[
        str, typer.Option("--need", metavar="AMOUNT", help="How much you want available.")
    ],
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="DATE", help="Ready by this date (default: within 180 days)."),
    ] = None,
    term: TermOpt = 12,
    method: MethodOpt = "equal-installment",
    export: ExportOpt = None,
    force: ExportForceOpt = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """The cheapest way to have AMOUNT available: repay overdue, pay off other lenders,
    wait for a date, repay principal — with the cash each step costs and the day it works.
    The cash includes what the installments on the way need, so that none falls overdue.

    Example: limitlab plan --need 5000   ·   limitlab plan --need 5000 --term 6
    """
    s = settings(ctx, json_out, lang, db)
    target = export_path(export, s, force=force)
    from limitlab.cli.views.plan import plan_json
    from limitlab.core.plan import find_plan

    wanted = amount(need)
    with account(s) as store:
        loaded = store.load()
    until = parse_date(by) if by else None
    if until is not None and until < loaded.state.today:
        raise UserError("plan.past", by=by, today=loaded.state.today.isoformat())
    from ..progress import progress_bar

    with progress_bar(_progress_label(s), minimum=3) as progress:
        result = find_plan(
            loaded.state,
            loaded.policy,
            wanted,
            until,
            progress,
            term=term,
            method=method,  # type: ignore[arg-type]
        )
    data = plan_json(result)
    from ..render import plan_view

    show_data(s, data, lambda: plan_view(data, s.lang), target)


# --- glossary ----------------------------------------------------------------------------------


@handle_errors
def glossary(
    ctx: typer.Context,
    term: Annotated[
        str | None,
        typer.Argument(
            metavar="TERM", help="One term, by its Chinese or English name (e.g. 额度, DTI)."
        ),
    ] = None,
    export: ExportOpt = None,
    force: ExportForceOpt = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """The words of the lesson (授信, 额度, 逾期, 征信, …) in both languages, each with a line
    from your account (or a generic one when there is no account yet).

    Example: limitlab glossary   ·   limitlab glossary 逾期   ·   limitlab glossary dti --json
    """
    s = settings(ctx, json_out, lang, db)
    target = export_path(export, s, force=force)
    from limitlab.core.glossary import TERMS, find_term

    from ..views.glossary import glossary_entries, glossary_view, names

    terms = TERMS
    if term is not None:
        found = find_term(term, names)
        if found is None:
            listed = "; ".join(" / ".join(reversed(names(t))) for t in TERMS)
            raise UserError("glossary.unknown", text=term, terms=OwnWords(listed))
        terms = (found,)
    loaded = None
    if os.path.exists(s.db_path):  # never create a database just to explain a word
        with account(s) as store:
            loaded = store.load()
    entries = glossary_entries(
        terms, s.lang, loaded.state if loaded else None, loaded.policy if loaded else None
    )
    if loaded is None and not s.json:
        say(s, "glossary.no_account", path=s.db_path)
    view = lambda: glossary_view(entries, s.lang, from_account=loaded is not None)  # noqa: E731
    show_data(s, entries, view, target)


# --- chart: the series -------------------------------------------------------------------------

# --- chart: the command and its picture --------------------------------------------------------


@handle_errors
def chart(
    ctx: typer.Context,
    months: Annotated[
        int | None, typer.Option("--months", min=1, help="Only the last N months.")
    ] = None,
    export: ExportOpt = None,
    slide: SlideOpt = False,
    force: ExportForceOpt = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """Limit, used and available over time, and the score, rebuilt from the account's events.

    The limit as a step line over used and available, cuts ▼ and raises ▲, overdue and
    suspended days (day by day), the score on its own panel. --export chart.png or .svg
    draws it as a 16:9 picture for slides. With --json: the rows (one a day, week or month,
    and one for each change of the limit and each day an overdue or a suspension starts or
    ends) as {date, limit_fen, used_fen, available_fen, score, marker}.

    Example: limitlab chart   ·   limitlab chart --months 3   ·   limitlab chart --export chart.png
    """
    s = settings(ctx, json_out, lang, db)
    target = export_path(export, s, force=force)
    from limitlab.core.loans import add_months
    from limitlab.core.timeline import SERIES_KINDS

    with account(s) as store:
        loaded = store.load()
        events = store.events(list(SERIES_KINDS))
    state = loaded.state
    start = state.opened_on
    age_months = (state.today.year - start.year) * 12 + state.today.month - start.month + 1
    if months is not None and months < age_months:  # more than the account's age: all of it
        start = max(start, add_months(state.today, -months))
    from limitlab.core.timeline import credit_series

    _, points = credit_series(events, start, state.today)
    _, days = credit_series(events, start, state.today, daily=True)
    policy = loaded.policy
    score_range = (policy.score_base, policy.score_max)
    from ..views.chart import chart_picture, chart_view

    def picture(suffix: str, title: str, slide: bool) -> str | bytes:
        return chart_picture(days, score_range, s.lang, suffix, title, slide)

    show_data(s, points, lambda: chart_view(days, score_range, s.lang), target, picture)
