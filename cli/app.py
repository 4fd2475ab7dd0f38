"""The `limitlab` command: parse, call the core, render. Heavy imports wait until a command runs."""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import typer

from .context import (
    EXIT_REFUSED,
    Settings,
    UserError,
    amount,
    export_path,
    handle_errors,
    interactive,
    load_policy_file,
    open_store,
    parse_date,
    print_json,
    resolve_lang,
    say,
    settings,
)
from .typer_ext import Command, Group

HELP = """Simulate one person's 借呗-style revolving credit line and see why the limit is used up.

[b]Examples[/b]

  limitlab init --income 8000 --start 2026-01-05
  limitlab borrow 20000 --term 12 --method equal-installment --yes
  limitlab advance --months 1
  limitlab status --detail
  limitlab why --lang zh

Exit codes: 0 ok · 1 internal error · 2 bad input · 3 refused by the credit rules ·
4 database missing, damaged or newer · 130 interrupted.
"""

app = typer.Typer(
    name="limitlab",
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=False,
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"]},
)
wallet_app = typer.Typer(
    cls=Group,
    help="Move the person's own cash in or out of the wallet.\n\n"
    "Example: limitlab wallet deposit 3000",
    no_args_is_help=True,
)
profile_app = typer.Typer(
    cls=Group,
    help="Change what the person declares (income, job, …).\n\n"
    "Example: limitlab profile set --income 5000",
    no_args_is_help=True,
)
external_app = typer.Typer(
    cls=Group,
    help="Loans at other lenders (多头借贷).\n\n"
    "Example: limitlab external add --lender Huabei --balance 6000 --monthly 600",
    no_args_is_help=True,
)
platform_app = typer.Typer(
    cls=Group,
    help="Platform events: risk-policy tightening, maintenance.\n\n"
    "Example: limitlab platform maintenance --days 2",
    no_args_is_help=True,
)
policy_app = typer.Typer(
    cls=Group,
    help="The credit policy: every number of the rules.\n\nExample: limitlab policy show",
    no_args_is_help=True,
)
for sub, name in (
    (wallet_app, "wallet"),
    (profile_app, "profile"),
    (external_app, "external"),
    (platform_app, "platform"),
    (policy_app, "policy"),
):
    app.add_typer(sub, name=name, context_settings={"help_option_names": ["-h", "--help"]})

#: Commands that take an AMOUNT read "-1" as that amount (and refuse it as negative) instead of
#: reporting an unknown option "-1".
AMOUNT_ARGS = {"ignore_unknown_options": True}

JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print JSON (money as integer *_fen fields).")
]
LangOpt = Annotated[
    str | None, typer.Option("--lang", metavar="LANG", help="en or zh (or set LIMITLAB_LANG).")
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
ExportOpt = Annotated[
    str | None,
    typer.Option(
        "--export", metavar="FILE", help="Also save the screen for slides: FILE.svg, .html or .txt."
    ),
]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"limitlab {version('limitlab')}")
        raise typer.Exit()


@app.callback()
@handle_errors
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="FILE",
            help="The account's database file (or LIMITLAB_DB).",
            show_default="user data dir/limitlab/account.db",
        ),
    ] = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    policy: Annotated[
        str | None,
        typer.Option("--policy", metavar="FILE", help="A TOML policy file laid over the defaults."),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    ctx.obj = Settings(db=db, json=json_out, lang=resolve_lang(lang), policy=policy)


# --- helpers ---------------------------------------------------------------------------------


def _execute(s: Settings, command: Any, progress: Any = None) -> Any:
    """Run a write command on the account. A --policy change is applied first, in the same
    transaction: if the command is bad input, the policy does not change either."""
    store = open_store(s)
    try:
        with store.transaction():
            set_policy = _policy_change(s, store.load().policy)
            if set_policy is not None:
                store.execute(*set_policy)
            outcome = store.execute(command, progress=progress)
        return outcome, store.load()
    finally:
        store.close()


def _policy_change(s: Settings, current: Any) -> tuple[Any, Any] | None:
    """(SetPolicy, the new policy) when --policy names one that differs from the account's."""
    if not s.policy:
        return None
    from limitlab.core import commands as c
    from limitlab.core.policy import policy_to_dict

    new_policy = load_policy_file(s.policy)
    if policy_to_dict(new_policy) == policy_to_dict(current):
        return None
    return c.SetPolicy(policy_to_dict(new_policy)), new_policy


def _load(s: Settings) -> Any:
    """The account as stored. A --policy file is checked here too (a bad one is bad input);
    a read changes nothing, so a new policy is said to wait for the next write."""
    store = open_store(s)
    try:
        loaded = store.load()
    finally:
        store.close()
    if s.policy and _policy_change(s, loaded.policy) is not None:
        say(s, "policy.read_only", path=s.policy)
    return loaded


def exporting(target: str | None) -> Any:
    from .render import exporting as recorder

    return recorder(target)


def _saved(s: Settings, target: str | None) -> None:
    if target is not None:
        say(s, "export.saved", path=target)


def show_data(s: Settings, data: Any, view: Callable[[], Any], target: str | None) -> None:
    """A read command's ending: its data as JSON, or its screen (also saved with --export)."""
    if s.json:
        print_json(data)
        return
    with exporting(target):
        _render(view())
    _saved(s, target)


def _render(renderable: Any) -> None:
    from .render import show

    show(renderable)


def _refused(s: Settings, outcome: Any, loaded: Any) -> None:
    """Print a refusal (short form) and exit 3."""
    from .explain_view import refusal_report, render_refusal

    report = refusal_report(loaded.state, loaded.policy, outcome.refusal, s.lang)
    if s.json:
        print_json(report)
    else:
        render_refusal(report, s.lang)
    raise typer.Exit(EXIT_REFUSED)


# --- init / status ---------------------------------------------------------------------------


@app.command(cls=Command)
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
) -> None:
    """Open an account (授信): the first review grants a limit from the score.

    Example: limitlab init --income 8000 --expenses 5000 --start 2026-01-05
    """
    s = settings(ctx, json_out, lang)
    from limitlab.core import commands as c
    from limitlab.core.model import Profile
    from limitlab.core.money import format_percent
    from limitlab.core.policy import DEFAULT_POLICY, policy_to_dict
    from limitlab.core.store import Store

    profile = Profile(
        monthly_income_fen=amount(income, allow_zero=True),
        monthly_expenses_fen=amount(expenses, allow_zero=True),
        employment_months=employment_months,
        verified=verified,
        social_insurance=social_insurance,
        trust=trust,
        payday=payday,
    )
    policy = load_policy_file(s.policy) if s.policy else DEFAULT_POLICY
    command = c.Open(
        profile=profile,
        wallet_fen=amount(wallet, allow_zero=True),
        start=parse_date(start) if start else date.today(),
        policy=policy_to_dict(policy),
    )
    store, outcome = Store.create(s.db_path, command, policy, force=force)
    store.close()
    _show_status(s, outcome.state, policy, detail=False)
    st = outcome.state
    if st.limit_fen:
        say(
            s,
            "ok.opened",
            today=st.today.isoformat(),
            score=st.score,
            limit=_money(st.limit_fen),
            rate=format_percent(st.daily_rate, 3),
        )
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


def _money(fen: int) -> str:
    from limitlab.core.money import format_fen

    return format_fen(fen)


def _show_status(s: Settings, state: Any, policy: Any, *, detail: bool) -> None:
    """The status figures; with `detail` the waterfall, and a one-line cause when nothing is
    available (the explanation is built only when one of those needs it)."""
    from limitlab.core.report import status_report

    report = status_report(state, policy)
    if not detail and (s.json or report["available_fen"] > 0):
        print_json(report) if s.json else _render(_status_view(report, s.lang))
        return
    from limitlab.core.explain import explain, explanation_json

    explanation = explain(state, policy)
    if s.json:
        report["waterfall"] = explanation_json(explanation, s.lang)["waterfall"]
        print_json(report)
        return
    from .explain_view import one_line_cause, waterfall_view

    _render(_status_view(report, s.lang))
    _render(waterfall_view(explanation, s.lang) if detail else one_line_cause(explanation, s.lang))


def _status_view(report: dict[str, Any], lang: str) -> Any:
    from .render import status_view

    return status_view(report, lang)


@app.command(cls=Command)
@handle_errors
def status(
    ctx: typer.Context,
    detail: Annotated[
        bool, typer.Option("--detail", help="Show the waterfall from base limit to available.")
    ] = False,
    export: ExportOpt = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """The account now: state, score, limit, used, available, wallet, what is due.

    Example: limitlab status --detail
    """
    s = settings(ctx, json_out, lang)
    target = export_path(export)
    loaded = _load(s)
    with exporting(target):
        _show_status(s, loaded.state, loaded.policy, detail=detail)
    _saved(s, target)


# --- borrow / repay / wallet -----------------------------------------------------------------


@app.command(context_settings=AMOUNT_ARGS, cls=Command)
@handle_errors
def borrow(
    ctx: typer.Context,
    amount_text: Annotated[str, typer.Argument(metavar="AMOUNT", help="How much to borrow, yuan.")],
    term: Annotated[int, typer.Option(help="Months: 3, 6 or 12.")] = 12,
    method: Annotated[
        str,
        typer.Option(
            metavar="METHOD",
            help="equal-installment (按月等额), equal-principal (按月等本) "
            "or interest-first (先息后本).",
        ),
    ] = "equal-installment",
    quote_only: Annotated[
        bool, typer.Option("--quote", help="Show the quote; borrow nothing.")
    ] = False,
    yes: YesOpt = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """Draw down (支用) part of the limit: prints the quote, then borrows.

    Example: limitlab borrow 5000 --term 6 --method equal-principal --yes
    """
    s = settings(ctx, json_out, lang)
    from limitlab.core import commands as c
    from limitlab.core.engine import quote_for
    from limitlab.core.report import quote_report

    from .render import quote_view

    command = c.Borrow(amount(amount_text), term, method)  # type: ignore[arg-type]
    loaded = _load(s)
    state, policy = loaded.state, loaded.policy
    set_policy = _policy_change(s, policy)
    if set_policy is not None:  # quote at the rate the new policy gives, as it will be booked
        from limitlab.core.engine import apply

        policy = set_policy[1]
        state = apply(state, policy, set_policy[0]).state
    q = quote_for(state, policy, command)
    report = quote_report(q, None, state.today, policy.apr_warn)
    if quote_only:
        print_json(report) if s.json else _render(quote_view(report, s.lang))
        return
    if not s.json:
        _render(quote_view(report, s.lang))
        if (
            not yes
            and interactive()
            and not typer.confirm(
                _t(s, "confirm.borrow", amount=_money(command.amount_fen)), default=True
            )
        ):
            say(s, "ok.cancelled")
            return
    outcome, after = _execute(s, command)
    if outcome.refusal:
        _refused(s, outcome, after)
    report["loan_id"] = outcome.result["loan_id"]
    if s.json:
        print_json(report)
        return
    from limitlab.core.standing import available_fen

    say(
        s,
        "ok.borrowed",
        amount=_money(command.amount_fen),
        loan_id=report["loan_id"],
        available=_money(available_fen(after.state)),
    )


def _t(s: Settings, key: str, **params: Any) -> str:
    from limitlab.core.messages import text

    return text(key, s.lang, **params)


@app.command(context_settings=AMOUNT_ARGS, cls=Command)
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
) -> None:
    """Repay from the wallet: penalty, overdue interest and principal first, then the rest.

    Without --loan, overdue amounts go first, then the oldest loan. Early repayment
    charges interest only for the days elapsed in the current period.

    Example: limitlab repay 2000   ·   limitlab repay --overdue   ·   limitlab repay --all
    """
    s = settings(ctx, json_out, lang)
    from limitlab.core import commands as c

    chosen = sum([amount_text is not None, all_, overdue])
    if chosen != 1:
        raise UserError("repay.which")
    if amount_text is not None:
        command = c.Repay("amount", amount(amount_text), loan)
    else:
        command = c.Repay("all" if all_ else "overdue", None, loan)
    outcome, after = _execute(s, command)
    if outcome.refusal:
        _refused(s, outcome, after)
    from limitlab.core.standing import available_fen

    r = outcome.result
    if s.json:
        print_json(
            {**r, "available_fen": available_fen(after.state), "wallet_fen": after.state.wallet_fen}
        )
        return
    say(
        s,
        "ok.repaid",
        paid=_money(r["paid_fen"]),
        penalty=_money(r["penalty_fen"]),
        interest=_money(r["interest_fen"]),
        principal=_money(r["principal_fen"]),
        available=_money(available_fen(after.state)),
    )
    if any(e.kind == "overdue_cleared" for e in outcome.events):
        say(s, "ok.overdue_cleared")


def _wallet(
    ctx: typer.Context, direction: str, amount_text: str, json_out: bool, lang: str | None
) -> None:
    s = settings(ctx, json_out, lang)
    from limitlab.core import commands as c

    outcome, after = _execute(s, c.Wallet(direction, amount(amount_text)))  # type: ignore[arg-type]
    if outcome.refusal:
        _refused(s, outcome, after)
    if s.json:
        print_json({"wallet_fen": after.state.wallet_fen})
    else:
        say(s, "ok.wallet", wallet=_money(after.state.wallet_fen))


@wallet_app.command("deposit", context_settings=AMOUNT_ARGS, cls=Command)
@handle_errors
def wallet_deposit(
    ctx: typer.Context,
    amount_text: Annotated[str, typer.Argument(metavar="AMOUNT", help="How much, yuan.")],
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """Put cash into the wallet.

    Example: limitlab wallet deposit 3000
    """
    _wallet(ctx, "deposit", amount_text, json_out, lang)


@wallet_app.command("withdraw", context_settings=AMOUNT_ARGS, cls=Command)
@handle_errors
def wallet_withdraw(
    ctx: typer.Context,
    amount_text: Annotated[str, typer.Argument(metavar="AMOUNT", help="How much, yuan.")],
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """Take cash out of the wallet (spend it).

    Example: limitlab wallet withdraw 2500
    """
    _wallet(ctx, "withdraw", amount_text, json_out, lang)


# --- time ------------------------------------------------------------------------------------


@app.command(cls=Command)
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
) -> None:
    """Let simulated time pass day by day: paydays, autopay, overdue, reviews.

    Example: limitlab advance --months 1   ·   limitlab advance --to 2026-06-30
    """
    s = settings(ctx, json_out, lang)
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
    if months is not None and months > 12 * 50:
        raise DomainError("advance_too_far", days=months * 30, max_days=MAX_ADVANCE_DAYS)
    until = parse_date(to) if to is not None else None

    def command(state: Any) -> Any:
        """The target date, worked out from the account's date inside the write lock."""
        if days is not None:
            return c.Advance(state.today + timedelta(days=days))
        if months is not None:
            return c.Advance(add_months(state.today, months))
        assert until is not None
        return c.Advance(until)

    from .progress import progress_bar

    with progress_bar(_t(s, "progress.advance")) as progress:
        outcome, after = _execute(s, command, progress)
    if s.json:
        from limitlab.core.model import to_jsonable
        from limitlab.core.report import status_report

        print_json(
            {
                **outcome.result,
                "events": [
                    to_jsonable(e) for e in outcome.events if e.kind not in ("limit_review",)
                ],
                "status": status_report(after.state, after.policy),
            }
        )
        return
    _show_events(s, outcome.events)
    say(s, "ok.advanced", today=outcome.result["today"], days=outcome.result["days"])
    _show_status(s, after.state, after.policy, detail=False)


def _show_events(s: Settings, events: list[Any]) -> None:
    from .render import history_view

    rows = [
        {"date": e.on.isoformat(), "kind": e.kind, "data": e.data}
        for e in events
        if e.kind not in ("score_changed",)
        and not (e.kind == "limit_review" and e.data["limit_fen"] == e.data["previous_fen"])
    ]
    if rows:
        _render(history_view(rows, s.lang))


# --- reading ---------------------------------------------------------------------------------


@app.command(cls=Command)
@handle_errors
def schedule(
    ctx: typer.Context,
    loan: Annotated[
        int | None, typer.Argument(metavar="LOAN", help="A loan id; default: every live loan.")
    ] = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """The repayment schedule of a loan (or of every live loan).

    Example: limitlab schedule 1 --json
    """
    s = settings(ctx, json_out, lang)
    from limitlab.core.engine import DomainError
    from limitlab.core.report import schedule_report

    from .render import schedule_view

    store = open_store(s)
    try:
        state = store.load().state
        if loan is None:
            loans = state.loans
        else:
            found = store.loan(loan)
            if found is None:
                raise DomainError("no_such_loan", loan_id=loan)
            loans = [found]
    finally:
        store.close()
    reports = [schedule_report(ln, state.today) for ln in loans]
    if s.json:
        print_json(reports[0] if loan is not None else reports)
        return
    for r in reports:
        _render(schedule_view(r, s.lang))
    if not reports:
        say(s, "error.nothing_owed")


@app.command(cls=Command)
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
        int | None, typer.Option("--last", min=1, help="Only the last N events.")
    ] = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """What happened, in order: applications, loans, payments, paydays, overdue, reviews.

    Example: limitlab history --kind application_refused --kind borrowed
    """
    s = settings(ctx, json_out, lang)
    from limitlab.core.messages import CATALOGUE

    from .render import history_view

    known = sorted(k.removeprefix("event.") for k in CATALOGUE if k.startswith("event."))
    for k in kind or []:
        if k not in known:
            raise UserError("history.kind", kind=k, kinds=", ".join(known))
    store = open_store(s)
    try:
        events = store.events(
            kind,
            parse_date(since).isoformat() if since else None,
            parse_date(until).isoformat() if until else None,
            last,
        )
    finally:
        store.close()
    rows = [{"date": e.on.isoformat(), "kind": e.kind, "data": e.data} for e in events]
    if s.json:
        print_json(rows)
    else:
        _render(history_view(rows, s.lang))


@app.command(cls=Command)
@handle_errors
def limits(
    ctx: typer.Context, export: ExportOpt = None, json_out: JsonOpt = False, lang: LangOpt = None
) -> None:
    """Every change of the credit limit, with its trigger and reason codes.

    Example: limitlab limits --json
    """
    s = settings(ctx, json_out, lang)
    target = export_path(export)
    from .render import limits_view

    store = open_store(s)
    try:
        rows = store.rows("SELECT * FROM limit_changes ORDER BY event_id")
    finally:
        store.close()
    out = [
        {
            "date": r["on_date"],
            "trigger": r["trigger"],
            "old_limit_fen": r["old_limit_fen"],
            "new_limit_fen": r["new_limit_fen"],
            "score": r["score"],
            "base_fen": r["base_fen"],
            "binding": r["binding"],
            "codes": [c for c in r["codes"].split(",") if c],
            "daily_rate": r["daily_rate"],
        }
        for r in rows
    ]
    show_data(s, out, lambda: limits_view(out, s.lang), target)


@app.command(cls=Command)
@handle_errors
def score(
    ctx: typer.Context, export: ExportOpt = None, json_out: JsonOpt = False, lang: LangOpt = None
) -> None:
    """The score's breakdown: five dimensions, every attribute's value, band, points and gap.

    Example: limitlab score --json
    """
    s = settings(ctx, json_out, lang)
    from limitlab.core.report import score_report

    from .render import score_view

    target = export_path(export)
    loaded = _load(s)
    report = score_report(loaded.state, loaded.policy)
    show_data(s, report, lambda: score_view(report, s.lang), target)


@app.command(cls=Command)
@handle_errors
def verify(ctx: typer.Context, json_out: JsonOpt = False, lang: LangOpt = None) -> None:
    """Replay the command log from an empty account and compare state and events.

    Exit 0 when they match, 1 with the first difference otherwise.
    Example: limitlab verify
    """
    s = settings(ctx, json_out, lang)
    store = open_store(s)
    try:
        difference = store.verify()
        count = store.conn.execute("SELECT count(*) FROM commands").fetchone()[0]
    finally:
        store.close()
    if s.json:
        print_json({"ok": difference is None, "commands": count, "difference": difference})
    elif difference is None:
        say(s, "ok.verified", commands=count)
    else:
        say(s, "fail.verify", difference=difference)
    if difference is not None:
        raise typer.Exit(1)


# --- profile, other lenders, platform, policy --------------------------------------------------


@profile_app.command("set", cls=Command)
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
) -> None:
    """Change the declared profile; the limit is reviewed at once.

    An income drop of 30 % or more is recorded as INCOME_DROP.
    Example: limitlab profile set --income 5000
    """
    s = settings(ctx, json_out, lang)
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
    _outcome, after = _execute(s, command)
    if s.json:
        from limitlab.core.report import status_report

        print_json(status_report(after.state, after.policy))
    else:
        say(s, "ok.profile", limit=_money(after.state.limit_fen))


@external_app.command("add", cls=Command)
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
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """Record a loan at another lender; the limit is reviewed at once.

    Example: limitlab external add --lender Huabei --balance 6000 --monthly 600
    """
    s = settings(ctx, json_out, lang)
    from limitlab.core import commands as c

    _outcome, after = _execute(
        s, c.ExternalAdd(lender, amount(balance), amount(monthly, allow_zero=True))
    )
    if s.json:
        print_json({"lender": lender.strip(), "limit_fen": after.state.limit_fen})
    else:
        say(s, "ok.external_added", lender=lender.strip(), limit=_money(after.state.limit_fen))


@external_app.command("repay", context_settings=AMOUNT_ARGS, cls=Command)
@handle_errors
def external_repay(
    ctx: typer.Context,
    lender: Annotated[str, typer.Argument(metavar="NAME", help="The other lender's name.")],
    amount_text: Annotated[
        str | None, typer.Argument(metavar="AMOUNT", help="Default: all of it.")
    ] = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """Repay another lender from the wallet (all of it unless AMOUNT is given).

    Example: limitlab external repay Huabei
    """
    s = settings(ctx, json_out, lang)
    from limitlab.core import commands as c

    outcome, after = _execute(
        s, c.ExternalRepay(lender, amount(amount_text) if amount_text else None)
    )
    if outcome.refusal:
        _refused(s, outcome, after)
    ev = next(e for e in outcome.events if e.kind == "external_repaid")
    if s.json:
        print_json({**ev.data, "limit_fen": after.state.limit_fen})
    else:
        say(
            s,
            "ok.external_repaid",
            amount=_money(ev.data["amount_fen"]),
            lender=lender,
            balance=_money(ev.data["balance_fen"]),
        )


@external_app.command("list", cls=Command)
@handle_errors
def external_list(ctx: typer.Context, json_out: JsonOpt = False, lang: LangOpt = None) -> None:
    """Loans at other lenders with a balance.

    Example: limitlab external list
    """
    s = settings(ctx, json_out, lang)
    from .render import external_view

    state = _load(s).state
    rows = [
        {
            "lender": e.lender,
            "balance_fen": e.balance_fen,
            "monthly_fen": e.monthly_fen,
            "added_on": e.added_on.isoformat(),
        }
        for e in state.external
        if e.balance_fen > 0
    ]
    print_json(rows) if s.json else _render(external_view(rows, s.lang))


@platform_app.command("tighten", cls=Command)
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
) -> None:
    """A platform risk-policy tightening for a cohort; it ends by itself.

    Example: limitlab platform tighten --factor 0.5 --days 30 --cohort "score<700"
    """
    s = settings(ctx, json_out, lang)
    from decimal import Decimal, InvalidOperation

    from limitlab.core import commands as c

    try:
        value = Decimal(factor)
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise UserError("error.bad_factor", factor=factor) from None
    outcome, after = _execute(s, c.Tighten(value, days, cohort))
    _platform_done(s, outcome, after)


@platform_app.command("maintenance", cls=Command)
@handle_errors
def platform_maintenance(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help="How long borrowing is paused.")],
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """A system upgrade: borrowing paused for everyone; it ends by itself.

    Example: limitlab platform maintenance --days 2
    """
    s = settings(ctx, json_out, lang)
    from limitlab.core import commands as c

    outcome, after = _execute(s, c.Maintenance(days))
    _platform_done(s, outcome, after)


def _platform_done(s: Settings, outcome: Any, after: Any) -> None:
    if s.json:
        print_json({**outcome.result, "limit_fen": after.state.limit_fen})
    else:
        say(s, "ok.platform", **outcome.result)


@platform_app.command("list", cls=Command)
@handle_errors
def platform_list(ctx: typer.Context, json_out: JsonOpt = False, lang: LangOpt = None) -> None:
    """Every platform measure, active or ended.

    Example: limitlab platform list
    """
    s = settings(ctx, json_out, lang)
    from .render import platform_view

    store = open_store(s)
    try:
        today = store.load().state.today.isoformat()
        rows = store.rows("SELECT * FROM platform_measures ORDER BY id")
    finally:
        store.close()
    for r in rows:
        r["active"] = r["starts_on"] <= today < r["ends_on"]
    print_json(rows) if s.json else _render(platform_view(rows, s.lang))


@policy_app.command("show", cls=Command)
@handle_errors
def policy_show(ctx: typer.Context, json_out: JsonOpt = False, lang: LangOpt = None) -> None:
    """The policy in force: the account's, or --policy FILE's, or the defaults.

    Example: limitlab --policy strict.toml policy show
    """
    s = settings(ctx, json_out, lang)
    import os

    from limitlab.core.policy import DEFAULT_POLICY, policy_to_dict

    from .render import key_value_view

    if s.policy:
        policy = load_policy_file(s.policy)
    elif os.path.exists(s.db_path):
        policy = _load(s).policy
    else:
        policy = DEFAULT_POLICY
    data = policy_to_dict(policy)
    if s.json:
        print_json(data)
        return
    rows = [(k, _compact(v)) for k, v in _flatten(data)]
    _render(key_value_view(_t(s, "title.policy"), rows, s.lang))


def _flatten(data: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(data, dict) and not ({"edges", "points"} <= data.keys()):
        out: list[tuple[str, Any]] = []
        for k, v in data.items():
            out += _flatten(v, f"{prefix}{k}.")
        return out
    return [(prefix.rstrip("."), data)]


def _compact(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


# --- the explanation ---------------------------------------------------------------------------


@app.command(cls=Command)
@handle_errors
def why(
    ctx: typer.Context,
    amount_text: Annotated[
        str | None,
        typer.Option("--amount", metavar="AMOUNT", help="Why can't I borrow this much now?"),
    ] = None,
    export: ExportOpt = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """Why the limit is used up: the waterfall, every cause ranked by the yuan it took,
    what to do and when it comes back, and why the score is not higher.

    Example: limitlab why   ·   limitlab why --amount 5000 --lang zh
    """
    s = settings(ctx, json_out, lang)
    from limitlab.core.explain import explain, explanation_json

    from .explain_view import why_view

    wanted = amount(amount_text) if amount_text is not None else None
    target = export_path(export)
    loaded = _load(s)
    data = explanation_json(explain(loaded.state, loaded.policy, wanted), s.lang)
    show_data(s, data, lambda: why_view(data, s.lang), target)


@app.command(cls=Command)
@handle_errors
def notice(ctx: typer.Context, json_out: JsonOpt = False, lang: LangOpt = None) -> None:
    """The formal notice of the latest limit cut or closure: the action, its date, up to four
    principal reasons, and whether a platform change hit a whole cohort.

    Example: limitlab notice --lang zh
    """
    s = settings(ctx, json_out, lang)
    from limitlab.core.explain import is_adverse, notice_json

    from .explain_view import notice_view

    store = open_store(s)
    try:
        reviews = store.events(["limit_review"])
    finally:
        store.close()
    adverse = [e.data for e in reviews if is_adverse(e.data)]
    if not adverse:
        if s.json:
            print_json(None)
        else:
            say(s, "notice.none")
        return
    data = notice_json(adverse[-1], s.lang)
    print_json(data) if s.json else _render(notice_view(data, s.lang))


def main() -> None:
    """Console-script entry point."""
    app()


from . import recourse as _recourse  # noqa: E402,F401  (registers `what-if` and `plan`)
from . import scenario as _scenario  # noqa: E402,F401  (registers `scenario` and `demo`)
from . import teach as _teach  # noqa: E402,F401  (registers glossary and chart)
from .typer_ext import defer_commands  # noqa: E402

# Every command is registered: from here on each is built when it is first used.
for _typer in (app, wallet_app, profile_app, external_app, platform_app, policy_app):
    defer_commands(_typer)
