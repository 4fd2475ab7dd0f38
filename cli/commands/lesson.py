"""`limitlab lesson`: the README's 45-minute lesson as a guided session — each section's title
and minutes, its scenarios played, then the follow-up screens on that section's account."""

import shlex
import sys
from typing import Annotated

import typer
from limitlab.core.records import record

from ..apps import LangOpt
from ..errors import handle_errors
from ..exits import EXIT_INTERNAL, UserError
from ..nested import run_nested
from ..pager import streaming
from ..settings import Settings, settings
from .scenarios import Played, lesson_db, load, play, resolve, say_next, shell_line


@record(frozen=True)
class Section:
    """One part of the lesson: `name` is what `limitlab lesson NAME` takes; its title is the
    catalogue's `lesson.section.NAME`."""

    name: str
    minutes: str
    scenarios: tuple[str, ...] = ()
    #: The scenario whose account the follow-up screens read (None: no account needed).
    account: str | None = None
    follow_ups: tuple[str, ...] = ()


#: The README's lesson plan, in order (tests/test_readme.py runs the README's commands).
PLAN = (
    Section("credit-line", "0–5", follow_ups=("glossary 授信", "glossary 支用")),
    Section("the-limit", "5–12", ("drawn-down",), "drawn-down", ("score",)),
    Section("used-up", "12–20", (), "drawn-down", ("why", "borrow 5000 --quote")),
    Section("going-wrong", "20–30", ("overdue-spiral",), "overdue-spiral", ("notice",)),
    Section("not-the-borrower", "30–37", ("multi-lender", "platform-tightening", "maintenance")),
    Section(
        "way-back",
        "37–43",
        ("full-lesson",),
        "full-lesson",
        (
            'what-if "wallet deposit 6000" "external repay Huabei" "advance --months 1"',
            "plan --need 5000",
        ),
    ),
    Section("wrap-up", "43–45", (), "full-lesson", ("chart", "policy show")),
)


def sections(name: str | None) -> tuple[Section, ...]:
    if name is None:
        return PLAN
    found = tuple(section for section in PLAN if section.name == name)
    if not found:
        names = ", ".join(section.name for section in PLAN)
        raise UserError("lesson.unknown", text=name, names=names)
    return found


@handle_errors
def lesson(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(metavar="[NAME]", help="One section of the lesson; default: all of them."),
    ] = None,
    step: Annotated[
        bool, typer.Option("--step", help="Wait for Enter between sections (on a terminal).")
    ] = False,
    lang: LangOpt = None,
) -> None:
    """Play the 45-minute lesson: each section's title and minutes, its scenarios, then the
    screens to look at on that account.

    Each scenario plays into its own file in the user data dir's limitlab/lessons (as
    `scenario run` does), and every command is printed so it can be typed again.

    Sections: credit-line, the-limit, used-up, going-wrong, not-the-borrower, way-back,
    wrap-up.

    Example: limitlab lesson --step (one section: limitlab lesson going-wrong --lang zh)
    """
    s = settings(ctx, False, lang)
    chosen = sections(name)
    with streaming():  # each line in order with the screens of the commands it runs
        _sections(ctx, s, chosen, step=step)


def _sections(ctx: typer.Context, s: Settings, chosen: tuple[Section, ...], *, step: bool) -> None:
    from limitlab.cli.i18n import text
    from rich.text import Text

    from ..render import show

    failures: list[str] = []
    last: str | None = None
    for n, section in enumerate(chosen):
        if step and n and sys.stdin.isatty():
            try:
                input(text("lesson.press_enter", s.lang))
            except EOFError:  # end of input at the pause: stop, as at any prompt
                raise typer.Abort() from None
        title = text(f"lesson.section.{section.name}", s.lang)
        show(Text(text("lesson.heading", s.lang, minutes=section.minutes, title=title), "bold"))
        show()
        for scenario in section.scenarios:
            folder = resolve(scenario).parent
            played: Played = play(ctx, load(scenario), lesson_db(scenario), s, folder=folder)
            failures += played.failures
        account = lesson_db(section.account) if section.account else None
        for command in section.follow_ups:
            failures += _follow_up(ctx, s, command, account)
        last = account or last
    if last is not None:
        say_next(s, last)
    if failures:
        for line in failures:
            sys.stderr.write(f"limitlab: {line}\n")
        raise typer.Exit(EXIT_INTERNAL)


def _follow_up(ctx: typer.Context, s: Settings, command: str, path: str | None) -> list[str]:
    """Show one follow-up command as typed, run it on the section's account; its failure."""
    from limitlab.cli.i18n import text

    from ..render import show, show_command

    words = shlex.split(command)
    tail = (["--db", path] if path else []) + (["--lang", s.lang] if s.lang != "en" else [])
    typed = "limitlab " + shell_line([*words, *tail])
    show_command(typed)
    code = run_nested(ctx, [*(["--db", path] if path else []), *words, "--lang", s.lang])
    show()
    if code == 0:
        return []
    problem = text("scenario.unmet.exit", s.lang, got=code, wanted=0)
    return [text("lesson.failed", s.lang, command=typed, problem=problem)]
