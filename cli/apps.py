"""The Typer apps (limitlab and its command groups) and the options many commands share.

A leaf: it registers nothing. Every command is registered in one place, cli/main.py.
"""

from typing import Annotated

import typer

from .errors import handle_errors
from .language import resolve_lang
from .settings import Settings
from .typer_classes import Group

HELP = """Simulate one person's 借呗-style revolving credit line and see why the limit is used up.

[b]Examples[/b]

  limitlab init --income 8000 --start 2026-01-05
  limitlab borrow 20000 --term 12 --method equal-installment --yes
  limitlab advance --months 1
  limitlab status --detail
  limitlab why --lang zh

Exit codes: 0 ok (also when the reader of a pipe stops early, or a borrow's question is
answered no or not at all) · 1 internal error, or a file
or the output could not be written · 2 bad input · 3 refused by the credit rules ·
4 database missing, damaged or newer · 130 interrupted.
"""

app = typer.Typer(
    name="limitlab",
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=True,
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
scenario_app = typer.Typer(
    cls=Group,
    help="Scripted lessons: bundled scenarios or your own TOML files.\n\n"
    "Example: limitlab scenario list",
    no_args_is_help=True,
)

#: Every option a group and a command take for help.
HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}

#: Commands that take an AMOUNT read "-1" as that amount (and refuse it as negative) instead of
#: reporting an unknown option "-1".
AMOUNT_ARGS = {"ignore_unknown_options": True}

JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print JSON (money as integer *_fen fields).")
]
LangOpt = Annotated[
    str | None, typer.Option("--lang", metavar="LANG", help="en or zh (or set LIMITLAB_LANG).")
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="FILE",
        help="The account's database file (or LIMITLAB_DB).",
        show_default="user data dir/limitlab/account.db",
    ),
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
#: A drawdown's term and method, as `borrow`, `why --amount` and `plan` take them.
TermOpt = Annotated[int, typer.Option(help="Months: 3, 6 or 12.")]
MethodOpt = Annotated[
    str,
    typer.Option(
        metavar="METHOD",
        help="equal-installment (按月等额), equal-principal (按月等本) "
        "or interest-first (先息后本).",
    ),
]
ExportOpt = Annotated[
    str | None,
    typer.Option(
        "--export",
        metavar="FILE",
        help="Save the screen for slides in FILE (.svg, .png, .html or .txt) instead of "
        "printing it; one line says where.",
    ),
]
SlideOpt = Annotated[
    bool,
    typer.Option(
        "--slide", help="For a slide: 16:9, the command as its title, the top reasons only."
    ),
]
ExportForceOpt = Annotated[
    bool,
    typer.Option(
        "--force", help="With --export: replace FILE even if it is not an export limitlab wrote."
    ),
]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"limitlab {version('limitlab')}")
        raise typer.Exit()


@handle_errors
def main_options(
    ctx: typer.Context,
    db: DbOpt = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
    policy: Annotated[
        str | None,
        typer.Option("--policy", metavar="FILE", help="A TOML policy file laid over the defaults."),
    ] = None,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            help="Never page long screens (also after the command name). Else a screen of "
            "40 lines or more on a terminal goes through $LIMITLAB_PAGER, $PAGER or less -FRX.",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    ctx.obj = Settings(db=db, json=json_out, lang=resolve_lang(lang), policy=policy)
    from .i18n import set_screen_language

    set_screen_language(ctx.obj.lang)
