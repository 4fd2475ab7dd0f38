"""Borrowing and repayment: draw down, repay, and the person's own cash."""

from typing import Annotated

import typer

from ..apps import DbOpt, JsonOpt, LangOpt, MethodOpt, TermOpt, YesOpt
from ..edge import amount
from ..errors import handle_errors
from ..exits import UserError
from ..output import money, print_json, say, show, words
from ..screens import refused
from ..session import execute, preview
from ..settings import interactive, settings


@handle_errors
def borrow(
    ctx: typer.Context,
    amount_text: Annotated[str, typer.Argument(metavar="AMOUNT", help="How much to borrow, yuan.")],
    term: TermOpt = 12,
    method: MethodOpt = "equal-installment",
    quote_only: Annotated[
        bool, typer.Option("--quote", help="Show the quote; borrow nothing.")
    ] = False,
    yes: YesOpt = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """Draw down (支用) part of the limit: prints the quote, asks (default No), then borrows.

    A drawdown the credit rules refuse prints the refusal only (exit 3); --quote still
    shows its quote.

    Example: limitlab borrow 5000 --term 6 --method equal-principal --yes
    """
    s = settings(ctx, json_out, lang, db)
    from limitlab.cli.views.report import quote_report
    from limitlab.core import commands as c

    from ..render import quote_view

    command = c.Borrow(amount(amount_text), term, method)  # type: ignore[arg-type]
    # The quote at the rate it will be booked at (a --policy file laid first); the booking
    # below is refused, naming the difference, if another shell changed it in between.
    found = preview(s, command)
    report = quote_report(found.quote, None, found.state.today, found.policy.apr_warn)
    if quote_only:
        print_json(report) if s.json else show(quote_view(report, s.lang))
        return
    # A drawdown the rules already refuse shows no quote and asks nothing: booking it below
    # records the refusal (an application, when it is one) and prints the refusal only.
    if not s.json and not found.refusals:
        show(quote_view(report, s.lang))
        if not yes and interactive():
            from ..prompt import confirm

            said = confirm(s, words(s, "confirm.borrow", amount=money(command.amount_fen)))
            if not said:  # no, Enter, or the end of input (Ctrl-D): nothing borrowed, exit 0
                say(s, "ok.cancelled" if said is False else "ok.no_answer")
                return
    done = execute(s, command, expected_quote=found.quote)
    if done.outcome.refusal:
        refused(s, done, command)
    report["loan_id"] = done.outcome.result["loan_id"]
    started = next((e.data for e in done.outcome.events if e.kind == "cooloff_started"), None)
    if s.json:
        print_json({**report, "cooloff_until": started["until"] if started else None})
        return
    from limitlab.core.standing import available_fen

    say(
        s,
        "ok.borrowed",
        amount=money(command.amount_fen),
        loan_id=report["loan_id"],
        available=money(available_fen(done.state)),
    )
    if started is not None:
        say(
            s,
            "ok.cooloff_started",
            count=started["applications"],
            days=started["window_days"],
            until=started["until"],
        )


@handle_errors
def repay(
    ctx: typer.Context,
    amount_text: Annotated[
        str | None, typer.Argument(metavar="AMOUNT", help="How much to repay, yuan.")
    ] = None,
    loan: Annotated[
        int | None, typer.Option("--loan", metavar="ID", help="Repay this loan only.")
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Repay everything owed (early repayment is free).")
    ] = False,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Repay exactly what is overdue.")
    ] = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """Repay from the wallet: penalty, overdue interest and principal first, then the rest.

    Without --loan, overdue amounts go first, then the oldest loan. Early repayment
    charges interest only for the days elapsed in the current period. A partial early
    repayment keeps the term: the later installments fall, and the current one becomes
    irregular (the principal repaid, plus interest for the days before and after it).

    Example: limitlab repay 2000   ·   limitlab repay --overdue   ·   limitlab repay --all
    """
    s = settings(ctx, json_out, lang, db)
    from limitlab.core import commands as c

    chosen = sum([amount_text is not None, all_, overdue])
    if chosen != 1:
        raise UserError("repay.which")
    if amount_text is not None:
        command = c.Repay("amount", amount(amount_text), loan)
    else:
        command = c.Repay("all" if all_ else "overdue", None, loan)
    done = execute(s, command)
    if done.outcome.refusal:
        refused(s, done)
    from limitlab.core.standing import available_fen

    r = done.outcome.result
    if s.json:
        print_json(
            {**r, "available_fen": available_fen(done.state), "wallet_fen": done.state.wallet_fen}
        )
        return
    say(
        s,
        "ok.repaid",
        paid=money(r["paid_fen"]),
        penalty=money(r["penalty_fen"]),
        interest=money(r["interest_fen"]),
        principal=money(r["principal_fen"]),
        available=money(available_fen(done.state)),
    )
    if any(e.kind == "overdue_cleared" for e in done.outcome.events):
        frozen = done.state.frozen_on is not None
        say(s, "ok.overdue_cleared_frozen" if frozen else "ok.overdue_cleared")


def _wallet(
    ctx: typer.Context,
    direction: str,
    amount_text: str,
    json_out: bool,
    lang: str | None,
    db: str | None,
) -> None:
    s = settings(ctx, json_out, lang, db)
    from limitlab.core import commands as c

    done = execute(s, c.Wallet(direction, amount(amount_text)))  # type: ignore[arg-type]
    if done.outcome.refusal:
        refused(s, done)
    if s.json:
        print_json({"wallet_fen": done.state.wallet_fen})
    else:
        say(s, "ok.wallet", wallet=money(done.state.wallet_fen))


@handle_errors
def wallet_deposit(
    ctx: typer.Context,
    amount_text: Annotated[str, typer.Argument(metavar="AMOUNT", help="How much, yuan.")],
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """Put cash into the wallet.

    Example: limitlab wallet deposit 3000
    """
    _wallet(ctx, "deposit", amount_text, json_out, lang, db)


@handle_errors
def wallet_withdraw(
    ctx: typer.Context,
    amount_text: Annotated[str, typer.Argument(metavar="AMOUNT", help="How much, yuan.")],
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """Take cash out of the wallet (spend it).

    Example: limitlab wallet withdraw 2500
    """
    _wallet(ctx, "withdraw", amount_text, json_out, lang, db)
