"""The account: open it, see it, change what the person declares, other lenders, verify,
the policy."""

from datetime import date
from typing import Annotated

import typer

from ..apps import DbOpt, ExportForceOpt, ExportOpt, JsonOpt, LangOpt, SlideOpt
from ..edge import amount, export_path, free_text, parse_date
from ..errors import handle_errors
from ..exits import UserError
from ..output import exporting, money, print_json, saved, say, show_data
from ..screens import refused, show_status
from ..session import create, execute, load, policy_file
from ..session import verify as verify_account
from ..settings import settings


@handle_errors
def init(
    ctx: typer.Context,
    income: Annotated[str, typer.Option(metavar="AMOUNT", help="Monthly income, yuan.")] = "8000",
    expenses: Annotated[
        str, typer.Option(metavar="AMOUNT", help="Monthly expenses, yuan.")
    ] = "5000",
    employment_months: Annotated[int, typer.Option(help="Months in the current job.")] = 36,
    verified: Annotated[
        bool, typer.Option("--verified/--not-verified", help="Real-name verified.")
    ] = True,
    social_insurance: Annotated[
        bool,
        typer.Option(
            "--social-insurance/--no-social-insurance",
            help="Pays social insurance / housing fund (社保/公积金).",
        ),
    ] = True,
    trust: Annotated[int, typer.Option(help="Social-trust figure, 0–100.")] = 60,
    wallet: Annotated[
        str, typer.Option(metavar="AMOUNT", help="Cash in the wallet at the start, yuan.")
    ] = "1000",
    payday: Annotated[int, typer.Option(help="Payday, day of month 1–28.")] = 10,
    start: Annotated[
        str | None,
        typer.Option(
            metavar="DATE", help="The simulation's first day (YYYY-MM-DD); default: today."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing account.")] = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """Open an account (授信): the first review grants a limit from the score.

    Example: limitlab init --income 8000 --expenses 5000 --start 2026-01-05
    """
    s = settings(ctx, json_out, lang, db)
    from limitlab.core import commands as c
    from limitlab.core.model import Profile
    from limitlab.core.money import format_percent
    from limitlab.core.policy import DEFAULT_POLICY, policy_to_dict

    profile = Profile(
        monthly_income_fen=amount(income, allow_zero=True),
        monthly_expenses_fen=amount(expenses, allow_zero=True),
        employment_months=employment_months,
        verified=verified,
        social_insurance=social_insurance,
        trust=trust,
        payday=payday,
    )
    policy = policy_file(s) or DEFAULT_POLICY
    command = c.Open(
        profile=profile,
        wallet_fen=amount(wallet, allow_zero=True),
        start=parse_date(start) if start else date.today(),
        policy=policy_to_dict(policy),
    )
    outcome = create(s, command, force=force)
    show_status(s, outcome.state, policy, detail=False)
    st = outcome.state
    if st.limit_fen:
        say(
            s,
            "ok.opened",
            today=st.today.isoformat(),
            score=st.score,
            limit=money(st.limit_fen),
            rate=format_percent(st.daily_rate, 3),
        )
    elif "NOT_VERIFIED" in st.decision.codes:
        say(s, "ok.not_verified", today=st.today.isoformat(), score=st.score)
    elif "NO_INCOME" in st.decision.codes:
        say(s, "ok.no_income", today=st.today.isoformat(), score=st.score)
    else:
        say(
            s,
            "ok.not_eligible",
            today=st.today.isoformat(),
            score=st.score,
            min_score=policy.eligibility_min_score,
        )


@handle_errors
def status(
    ctx: typer.Context,
    detail: Annotated[
        bool, typer.Option("--detail", help="Show the waterfall from base limit to available.")
    ] = False,
    export: ExportOpt = None,
    slide: SlideOpt = False,
    force: ExportForceOpt = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """The account now: state, score, limit, used, available, wallet, what is due.

    Example: limitlab status --detail
    """
    s = settings(ctx, json_out, lang, db)
    target = export_path(export, s, force=force)
    loaded = load(s)
    with exporting(target):
        show_status(s, loaded.state, loaded.policy, detail=detail, app=True)
    saved(s, target)


@handle_errors
def verify(
    ctx: typer.Context, json_out: JsonOpt = False, lang: LangOpt = None, db: DbOpt = None
) -> None:
    """Replay the command log from an empty account and compare state and events.

    Exit 0 when they match, 1 with the first difference otherwise.
    Example: limitlab verify
    """
    s = settings(ctx, json_out, lang, db)
    checked = verify_account(s)
    difference, count = checked.difference, checked.commands
    if s.json:
        print_json({"ok": difference is None, "commands": count, "difference": difference})
    elif difference is None:
        say(s, "ok.verified", commands=count)
    else:  # an error-like message: one line, prefixed, as the error funnel writes them
        import sys

        from ..errors import message_line
        from ..safe_text import OwnWords

        sys.stderr.write(message_line("fail.verify", s.lang, difference=OwnWords(difference)))
    if difference is not None:
        raise typer.Exit(1)


@handle_errors
def profile_set(
    ctx: typer.Context,
    income: Annotated[
        str | None, typer.Option(metavar="AMOUNT", help="Monthly income, yuan.")
    ] = None,
    expenses: Annotated[
        str | None, typer.Option(metavar="AMOUNT", help="Monthly expenses, yuan.")
    ] = None,
    employment_months: Annotated[
        int | None, typer.Option(help="Months in the current job.")
    ] = None,
    verified: Annotated[
        bool | None, typer.Option("--verified/--not-verified", help="Real-name verified.")
    ] = None,
    social_insurance: Annotated[
        bool | None,
        typer.Option(
            "--social-insurance/--no-social-insurance",
            help="Pays social insurance / housing fund (社保/公积金).",
        ),
    ] = None,
    trust: Annotated[int | None, typer.Option(help="Social-trust figure, 0–100.")] = None,
    payday: Annotated[int | None, typer.Option(help="Payday, 1–28.")] = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """Change the declared profile; the limit is reviewed at once.

    An income drop of 30 % or more is recorded as INCOME_DROP.
    Example: limitlab profile set --income 5000
    """
    s = settings(ctx, json_out, lang, db)
    from limitlab.core import commands as c

    command = c.SetProfile(
        monthly_income_fen=amount(income, allow_zero=True) if income is not None else None,
        monthly_expenses_fen=amount(expenses, allow_zero=True) if expenses is not None else None,
        employment_months=employment_months,
        verified=verified,
        social_insurance=social_insurance,
        trust=trust,
        payday=payday,
    )
    done = execute(s, command)
    if s.json:
        from limitlab.cli.views.report import status_report

        print_json(status_report(done.state, done.policy))
    else:
        say(s, "ok.profile", limit=money(done.state.limit_fen))


@handle_errors
def external_add(
    ctx: typer.Context,
    lender: Annotated[
        str, typer.Option("--lender", metavar="NAME", help="The other lender's name.")
    ],
    balance: Annotated[
        str, typer.Option("--balance", metavar="AMOUNT", help="What is owed there, yuan.")
    ],
    monthly: Annotated[
        str, typer.Option("--monthly", metavar="AMOUNT", help="Its monthly payment, yuan.")
    ],
    apr: Annotated[
        str | None,
        typer.Option(
            "--apr",
            metavar="PERCENT",
            help="Its simple annual rate in %, e.g. 18 (default: the policy's).",
        ),
    ] = None,
    day: Annotated[
        int | None,
        typer.Option(
            "--day", metavar="1-28", help="The day of the month it is paid (default: payday)."
        ),
    ] = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """Record a loan at another lender; the limit is reviewed at once. Its monthly payment
    leaves the wallet on payday (or --day): the month's interest (balance × APR ÷ 12) first,
    the rest lowers the balance; a payment the wallet cannot make is late: its days past due
    count in the score, and after the grace days the lender reports it to the credit bureau.
    (Policy external_payments = "outside": paid outside the wallet.)

    Example: limitlab external add --lender Huabei --balance 6000 --monthly 600 --apr 18
    """
    s = settings(ctx, json_out, lang, db)
    from decimal import Decimal, InvalidOperation

    from limitlab.core import commands as c

    lender = free_text(lender, what="--lender")
    rate = None
    if apr is not None:
        try:
            rate = Decimal(apr.strip().removesuffix("%")) / 100
            if not rate.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise UserError("error.bad_external_apr", apr=apr) from None
    command = c.ExternalAdd(lender, amount(balance), amount(monthly, allow_zero=True), rate, day)
    done = execute(s, command)
    if s.json:
        print_json({"lender": lender.strip(), "limit_fen": done.state.limit_fen})
    else:
        say(s, "ok.external_added", lender=lender.strip(), limit=money(done.state.limit_fen))


@handle_errors
def external_repay(
    ctx: typer.Context,
    lender: Annotated[str, typer.Argument(metavar="NAME", help="The other lender's name.")],
    amount_text: Annotated[
        str | None, typer.Argument(metavar="AMOUNT", help="Default: all of it.")
    ] = None,
    arrears: Annotated[
        bool,
        typer.Option(
            "--arrears",
            help="Pay exactly its late payments (what autopay could not collect); this ends"
            " the delinquency.",
        ),
    ] = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """Repay another lender from the wallet (all of it unless AMOUNT or --arrears is given).
    A repayment goes to its late payments first; once they are paid the delinquency ends (a
    bureau record of it stays 5 years).

    Example: limitlab external repay Huabei --arrears
    """
    s = settings(ctx, json_out, lang, db)
    from limitlab.core import commands as c

    lender = free_text(lender, what="NAME")
    if arrears and amount_text:
        raise UserError("error.arrears_and_amount")
    paid = amount(amount_text) if amount_text else None
    done = execute(s, c.ExternalRepay(lender, paid, arrears=arrears))
    if done.outcome.refusal:
        refused(s, done)
    ev = next(e for e in done.outcome.events if e.kind == "external_repaid")
    if s.json:
        print_json({**ev.data, "limit_fen": done.state.limit_fen})
    else:
        say(
            s,
            "ok.external_repaid",
            amount=money(ev.data["amount_fen"]),
            lender=lender,
            balance=money(ev.data["balance_fen"]),
        )


@handle_errors
def external_list(
    ctx: typer.Context,
    export: ExportOpt = None,
    force: ExportForceOpt = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """Loans at other lenders with a balance.

    Example: limitlab external list
    """
    s = settings(ctx, json_out, lang, db)
    target = export_path(export, s, force=force)
    from ..render import external_view

    state = load(s).state
    rows = [
        {
            "lender": e.lender,
            "balance_fen": e.balance_fen,
            "monthly_fen": e.monthly_fen,
            "added_on": e.added_on.isoformat(),
            "apr": str(e.apr),
            "due_day": e.due_day or state.profile.payday,
            "arrears_fen": e.arrears_fen,
            "late_since": e.late_since.isoformat() if e.late_since else None,
        }
        for e in state.external
        if e.balance_fen > 0
    ]
    show_data(s, rows, lambda: external_view(rows, s.lang), target)


@handle_errors
def policy_show(
    ctx: typer.Context,
    export: ExportOpt = None,
    force: ExportForceOpt = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """The policy in force: the account's, or --policy FILE's, or the defaults.

    Example: limitlab --policy strict.toml policy show
    """
    s = settings(ctx, json_out, lang, db)
    target = export_path(export, s, force=force)
    import os

    from limitlab.core.policy import DEFAULT_POLICY, policy_to_dict

    from ..views.policy import policy_view

    if s.policy:
        policy = policy_file(s) or DEFAULT_POLICY
    elif os.path.exists(s.db_path):
        policy = load(s).policy
    else:
        policy = DEFAULT_POLICY
    data = policy_to_dict(policy)
    show_data(s, data, lambda: policy_view(data, s.lang), target)
