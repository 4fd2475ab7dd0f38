"""`limitlab what-if` (try actions on a copy, write nothing) and `limitlab plan` (the cheapest
way to have an amount available)."""

import os
from typing import Annotated, Any

import typer

from .app import JsonOpt, LangOpt, app
from .context import (
    UserError,
    amount,
    handle_errors,
    open_store,
    parse_date,
    print_json,
    run_nested,
    settings,
    split_words,
)
from .typer_ext import Command

#: Short forms a lesson uses, each standing for a real command.
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


def _progress_label(s: Any) -> str:
    from limitlab.core.messages import text

    return text("progress.plan", s.lang)


def _snapshot(state: Any, policy: Any) -> dict[str, Any]:
    from limitlab.core.explain import explain

    e = explain(state, policy)
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


@app.command("what-if", cls=Command)
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
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """Try actions on a copy of the account and compare before → after; nothing is written.

    Example: limitlab what-if "payoff Huabei" "wait 30" "borrow 5000"
    """
    import contextlib
    import io
    import shlex
    import sqlite3
    import tempfile

    s = settings(ctx, json_out, lang)
    from limitlab.core.store import Store

    allowed = ("repay", "advance", "external", "profile", "borrow", "wallet", *ALIASES)
    parsed = [_expand(split_words(a)) for a in actions]
    for words in parsed:
        if not words or words[0] not in allowed:
            raise UserError("whatif.action", action=" ".join(words), allowed=", ".join(allowed))
    store = open_store(s)
    try:
        before = store.load()
        with tempfile.TemporaryDirectory(prefix="limitlab-whatif-") as tmp:
            copy = os.path.join(tmp, "copy.db")
            target = sqlite3.connect(copy)
            try:
                store.conn.backup(target)
            finally:
                target.close()
            results: list[dict[str, Any]] = []
            for words in parsed:
                out, err = io.StringIO(), io.StringIO()
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    code = run_nested(["--db", copy, *words, "--lang", s.lang])
                sink = err  # what the action said (a refusal's lines), not its screens
                results.append(
                    {
                        "action": shlex.join(words),
                        "exit_code": code,
                        "message": " ".join(sink.getvalue().split()).removeprefix("limitlab: ")
                        if code
                        else "",
                    }
                )
            replica = Store.open(copy)
            try:
                after = replica.load()
            finally:
                replica.close()
    finally:
        store.close()
    data = {
        "before": _snapshot(before.state, before.policy),
        "after": _snapshot(after.state, after.policy),
        "actions": results,
    }
    if s.json:
        print_json(data)
        return
    from .render import show, whatif_view

    show(whatif_view(data, s.lang))


@app.command(cls=Command)
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
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """The cheapest way to have AMOUNT available: repay overdue, pay off other lenders,
    wait for a date, repay principal — with the cash each step costs and the day it works.

    Example: limitlab plan --need 5000
    """
    s = settings(ctx, json_out, lang)
    from limitlab.core.plan import find_plan, plan_json

    wanted = amount(need)
    store = open_store(s)
    try:
        loaded = store.load()
    finally:
        store.close()
    until = parse_date(by) if by else None
    if until is not None and until < loaded.state.today:
        raise UserError("plan.past", by=by, today=loaded.state.today.isoformat())
    from .progress import progress_bar

    with progress_bar(_progress_label(s), minimum=3) as progress:
        result = find_plan(loaded.state, loaded.policy, wanted, until, progress)
    data = plan_json(result)
    if s.json:
        print_json(data)
        return
    from .render import plan_view, show

    show(plan_view(data, s.lang))
