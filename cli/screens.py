"""Screens more than one command ends with: the status figures and a refusal."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

import typer

from .exits import EXIT_REFUSED
from .output import print_json, show
from .settings import Settings

if TYPE_CHECKING:
    from limitlab.core.commands import Borrow
    from limitlab.core.model import AccountState
    from limitlab.core.policy import Policy
    from limitlab.core.service import Executed


def show_status(
    s: Settings, state: AccountState, policy: Policy, *, detail: bool, app: bool = False
) -> None:
    """The status figures; with `detail` the waterfall, and a one-line cause when nothing is
    available (the explanation is built only when one of those needs it). With `app`, the
    line of what a 借呗-style app would show, above that cause (JSON: always `app_message`)."""
    from limitlab.cli.views.report import status_report
    from limitlab.core.app_message import app_message

    from .render import status_view
    from .views.app_message import app_message_json, app_message_line

    report = status_report(state, policy)
    report["app_message"] = app_message_json(app_message(state, policy), s.lang)
    if not detail and (s.json or report["available_fen"] > 0):
        if s.json:
            print_json(report)
            return
        show(status_view(report, s.lang))
        if app:
            show(app_message_line(report["app_message"], s.lang, None))
        return
    from limitlab.core.explain import explain, waterfall

    if s.json:
        from .views.explanation import waterfall_json

        report["waterfall"] = waterfall_json(waterfall(state), s.lang)
        print_json(report)
        return
    from .views.explanation_screen import one_line_cause, waterfall_view

    show(status_view(report, s.lang))
    if app:
        show(app_message_line(report["app_message"], s.lang, None))
    if detail:
        show(waterfall_view(waterfall(state), s.lang))
    else:
        show(one_line_cause(explain(state, policy), s.lang))


def refused(s: Settings, done: Executed, asked: Borrow | None = None) -> NoReturn:
    """Print a refusal (short form) and exit 3; `asked`: the drawdown refused, whose amount
    the hint unlocks."""
    from .views.refusal import refusal_report, render_refusal

    outcome = done.outcome
    assert outcome.refusal is not None
    report = refusal_report(
        done.state, done.policy, outcome.refusal, s.lang, outcome.events, asked=asked
    )
    if s.json:
        print_json(report)
    else:
        render_refusal(report, s.lang)
    raise typer.Exit(EXIT_REFUSED)
