"""Screens more than one command ends with: the status figures and a refusal."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

import typer

from .exits import EXIT_REFUSED
from .output import print_json, show
from .settings import Settings

if TYPE_CHECKING:
    from limitlab.core.model import AccountState
    from limitlab.core.policy import Policy
    from limitlab.core.service import Executed


def show_status(s: Settings, state: AccountState, policy: Policy, *, detail: bool) -> None:
    """The status figures; with `detail` the waterfall, and a one-line cause when nothing is
    available (the explanation is built only when one of those needs it)."""
    from limitlab.core.report import status_report

    from .render import status_view

    report = status_report(state, policy)
    if not detail and (s.json or report["available_fen"] > 0):
        print_json(report) if s.json else show(status_view(report, s.lang))
        return
    from limitlab.core.explain import explain, waterfall

    if s.json:
        from .views.explanation import waterfall_json

        report["waterfall"] = waterfall_json(waterfall(state), s.lang)
        print_json(report)
        return
    from .views.explanation_screen import one_line_cause, waterfall_view

    show(status_view(report, s.lang))
    if detail:
        show(waterfall_view(waterfall(state), s.lang))
    else:
        show(one_line_cause(explain(state, policy), s.lang))


def refused(s: Settings, done: Executed) -> NoReturn:
    """Print a refusal (short form) and exit 3."""
    from .views.refusal import refusal_report, render_refusal

    assert done.outcome.refusal is not None
    report = refusal_report(done.state, done.policy, done.outcome.refusal, s.lang)
    if s.json:
        print_json(report)
    else:
        render_refusal(report, s.lang)
    raise typer.Exit(EXIT_REFUSED)
