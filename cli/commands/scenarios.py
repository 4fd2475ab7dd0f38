"""Scripted lessons: `scenario list|run|check` and `demo`, played through the very same
commands a person types (the Typer app, in-process), on a database of their own."""

import os
import sys
from collections.abc import Callable
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from limitlab.core.records import record

from ..apps import DbOpt, LangOpt
from ..edge import export_path
from ..errors import Problem, handle_errors
from ..exits import EXIT_DATABASE, EXIT_INTERNAL, UserError
from ..nested import run_nested
from ..output import kept_output, print_json, say
from ..pager import streaming
from ..session import load_file
from ..settings import Settings, lesson_exports, settings

if TYPE_CHECKING:
    from ..scenario_file import Scenario

#: The scenario `limitlab demo` plays.
LESSON = "full-lesson"

#: The most steps a scenario may have (the longest bundled lesson has 19): a lesson is for
#: people to follow, and each step is a whole command.
MAX_SCENARIO_STEPS = 500
#: The largest scenario file read (a 500-step lesson with narration in both languages fits
#: several times over); a larger one is refused before it is read.
MAX_SCENARIO_BYTES = 256 * 1024


def bundled() -> dict[str, Path]:
    """The scenarios shipped in examples/, by name (file name without .toml)."""
    from ..bundled import bundled_scenarios

    return bundled_scenarios()


def resolve(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if path.is_file():
        return path
    found = bundled().get(name_or_path.removesuffix(".toml"))
    if found is None:
        raise UserError("scenario.unknown", text=name_or_path, names=", ".join(sorted(bundled())))
    return found


def load(name_or_path: str) -> "Scenario":
    """A scenario, by file or bundled name, within the documented limits (MAX_SCENARIO_BYTES
    checked before reading, MAX_SCENARIO_STEPS on the parsed steps): exit 2 naming it."""
    from ..scenario_file import ScenarioError, load_scenario

    path = resolve(name_or_path)
    check_size(path)
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        problem = Problem(exc.kind, exc.problem, exc.params)
        raise UserError(
            "scenario.invalid", name=exc.name, where=exc.where, problem=problem
        ) from None
    check_steps(path, len(scenario.steps))
    if scenario.policy:
        from limitlab.core.policy import PolicyError, policy_from_dict

        try:  # its [policy] is checked as a policy file is, before any step runs
            policy_from_dict(scenario.policy, f"{path} [policy]")
        except PolicyError as exc:
            problem = Problem(exc.kind, exc.problem, exc.params)
            raise UserError(
                "scenario.invalid", name=str(path), where=f"policy.{exc.key}", problem=problem
            ) from None
    return scenario


def check_size(path: Path) -> None:
    """A scenario file larger than MAX_SCENARIO_BYTES is refused before it is read."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # reading it says what is wrong
    if size > MAX_SCENARIO_BYTES:
        raise UserError("scenario.too_large", name=str(path), size=size, most=MAX_SCENARIO_BYTES)


def check_steps(path: Path, steps: int) -> None:
    if steps > MAX_SCENARIO_STEPS:
        raise UserError(
            "scenario.too_many_steps", name=str(path), steps=steps, most=MAX_SCENARIO_STEPS
        )


def _toml(data: dict[str, Any], prefix: tuple[str, ...] = ()) -> str:
    """A (validated) policy-override dict as TOML: scalars, lists, tables and arrays of
    tables, every key quoted, so no key can be read as anything but a key."""
    import json

    def key(*parts: str) -> str:
        return ".".join(json.dumps(part, ensure_ascii=False) for part in parts)

    lines, tables = [], []
    for name, value in data.items():
        if isinstance(value, dict):
            tables.append(f"\n[{key(*prefix, name)}]\n" + _toml(value, (*prefix, name)))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            tables += [f"\n[[{key(*prefix, name)}]]\n" + _toml(v, (*prefix, name)) for v in value]
        else:
            lines.append(f"{key(name)} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "".join(tables) + "\n"


@record
class Played:
    failures: list[str] = field(default_factory=list)


def play(
    ctx: typer.Context,
    scenario: "Scenario",
    db: str,
    s: Settings,
    *,
    folder: Path,
    quiet: bool = False,
    pause: bool = False,
) -> Played:
    """Play every step into `db` (replaced), checking exit codes and expectations. A step's
    --export stays inside `folder` (the lesson file's) and off `db` and the user's account.
    Ctrl-C in any step stops the whole lesson (KeyboardInterrupt: exit 130)."""
    import tempfile

    with (
        tempfile.TemporaryDirectory(prefix="limitlab-scenario-") as workdir,
        lesson_exports(str(folder), protect=(db, _account_of(s))),
        streaming(),
    ):
        return _play(ctx, scenario, db, s, workdir, quiet=quiet, pause=pause)


def _play(
    ctx: typer.Context,
    scenario: "Scenario",
    db: str,
    s: Settings,
    workdir: str,
    *,
    quiet: bool,
    pause: bool,
) -> Played:
    import contextlib
    import io

    from limitlab.cli.i18n import text
    from rich.text import Text

    from ..render import show
    from ..scenario_file import SHOWS, figures, unmet

    played = Played()
    replay: Callable[[], None] = lambda: None  # noqa: E731
    # What each step is printed with: the lesson's --db (its own file, never the default
    # account), so the command can be typed again on that account as it is.
    typed_tail = ["--db", db] + (["--lang", s.lang] if s.lang != "en" else [])
    prefix: list[str] = []
    if scenario.policy:
        policy_path = os.path.join(workdir, "policy.toml")
        Path(policy_path).write_text(_toml(scenario.policy), encoding="utf-8")
        prefix = ["--policy", policy_path]
    title, description = scenario.heading(s.lang)
    if not quiet:
        show(Text(title, style="bold"))
        if description:
            show(Text(description, style="dim"))
        show()
    steps: list[tuple[list[str], str | None, int, Any, bool]] = [
        ([*prefix, *scenario.profile.init_args(scenario.start), "--force"], None, 0, None, False)
    ]
    steps += [
        (st.words, st.narration(s.lang), st.exit, st.expect, st.tells_result())
        for st in scenario.steps
    ]
    said = 0  # only narrated steps are numbered, 1, 2, 3 …
    for n, (words, narration, expected_exit, expect, tells) in enumerate(steps):
        typed = "limitlab " + shell_line([w for w in words if w != "--force"] + typed_tail)
        before = load_file(db) if tells else None
        after_it = tells and words[0] not in SHOWS  # an action's figures are known after it
        if narration:
            said += 1
            if before is not None and not after_it:
                narration = narration.format_map(
                    figures(before.state, before.state, before.policy, s.lang)
                )
        # Always in this order: narration, `$ command`, (Enter), the command's screen. An
        # action whose narration names its own figures runs first with its output kept.
        with contextlib.ExitStack() as stack:
            if quiet:
                sink = io.StringIO()
                stack.enter_context(contextlib.redirect_stdout(sink))
                stack.enter_context(contextlib.redirect_stderr(sink))
            elif after_it:
                replay = stack.enter_context(kept_output())
            else:
                _introduce(s, said, narration, typed, pause=pause and n > 0)
            code = run_nested(ctx, ["--db", db, *words, "--lang", s.lang])
        if narration and before is not None and after_it:
            loaded = load_file(db)
            narration = narration.format_map(
                figures(before.state, loaded.state, loaded.policy, s.lang)
            )
        if after_it and not quiet:
            _introduce(s, said, narration, typed, pause=pause and n > 0)
            replay()
        if code != expected_exit:
            problem = text("scenario.unmet.exit", s.lang, got=code, wanted=expected_exit)
            played.failures.append(
                text("scenario.step", s.lang, n=n, command=typed, problem=problem)
            )
            if code not in (0, 3):
                break
        if expect is not None:
            loaded = load_file(db)
            played.failures += [
                text("scenario.step", s.lang, n=n, command=typed, problem=text(key, s.lang, **p))
                for key, p in unmet(expect, loaded.state, loaded.policy)
            ]
        if not quiet:
            show()
    return played


def _introduce(s: Settings, said: int, narration: str | None, typed: str, *, pause: bool) -> None:
    """A step's narration (numbered) and its `$ command` line; with --step on a terminal,
    then the wait for Enter, before the command's screen."""
    from limitlab.cli.i18n import text

    from ..render import show, show_command

    if narration:
        show(narration_view(said, narration))
    show_command(typed)
    if pause and sys.stdin.isatty():
        try:
            input(text("scenario.press_enter", s.lang))
        except EOFError:  # end of input at the pause: stop, as at any prompt
            raise typer.Abort() from None


def narration_view(number: int, narration: str) -> Any:
    """A numbered narration, wrapped at the screen's width with a hanging indent (never cut)."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(Text(f"{number}.", style="bold cyan"), Text(narration, style="bold cyan"))
    return grid


def shell_line(words: list[str]) -> str:
    """Words as a shell reads them back: quoted only where the shell needs it (a Chinese
    word as it is, a path with a space quoted)."""
    import re
    import shlex

    return " ".join(w if re.fullmatch(r"[\w@%+=:,./-]+", w) else shlex.quote(w) for w in words)


def lesson_db(name: str) -> str:
    """Where a scenario plays without --db: the user data directory's
    `limitlab/lessons/NAME.db`, replaced at each run of that scenario (it is the lesson's own
    file, never the account), so the commands printed after it find it."""
    from platformdirs import user_data_dir

    folder = os.path.join(user_data_dir("limitlab", appauthor=False), "lessons")
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, f"{Path(name).stem}.db")


#: What to look at after a lesson, on its account (each works on any account).
NEXT_COMMANDS = ("status --detail", "why", "score", "limits", "history", "chart")


def say_next(s: Settings, path: str) -> None:
    """The exact commands to go on with the lesson's account, its --db quoted for the shell."""
    from limitlab.cli.i18n import text

    tail = ["--db", path] + (["--lang", s.lang] if s.lang != "en" else [])
    lines = [text("lesson.next", s.lang, path=path)]
    lines += [f"  limitlab {command} {shell_line(tail)}" for command in NEXT_COMMANDS]
    sys.stderr.write("\n".join(lines) + "\n")


@handle_errors
def scenario_list(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """The bundled scenarios with their titles.

    Example: limitlab scenario list
    """
    s = settings(ctx, json_out, lang, db)
    from limitlab.cli.i18n import text

    from ..render import key_value_view, show

    rows: list[dict[str, Any]] = []
    for name, path in sorted(bundled().items()):
        sc = load(str(path))
        rows.append({"name": name, "title": sc.heading(s.lang)[0], "steps": len(sc.steps)})
    if s.json:
        print_json(rows)
    else:
        show(
            key_value_view(
                text("title.scenarios", s.lang),
                [(r["name"], r["title"]) for r in rows],
                s.lang,
                headers=("label.name", "label.title"),
            )
        )


@handle_errors
def scenario_run(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(metavar="FILE|NAME", help="A scenario file or a bundled name.")
    ],
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="FILE",
            help="Where to keep its database (a new file); default: NAME.db in the user data "
            "dir's limitlab/lessons, replaced at each run.",
        ),
    ] = None,
    step: Annotated[
        bool, typer.Option("--step", help="Wait for Enter between steps (on a terminal).")
    ] = False,
    export: Annotated[
        str | None,
        typer.Option(
            "--export",
            metavar="FILE",
            help="Also save what the lesson prints, as it plays: FILE.svg, .png, .html or .txt.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace the --db file, and an --export FILE limitlab did not write, if they "
            "exist.",
        ),
    ] = False,
    lang: LangOpt = None,
) -> None:
    """Play a scenario into a fresh database, printing each step's command and narration.

    Example: limitlab scenario run multi-lender --step
    """
    s = settings(ctx, False, lang)
    _check_db_option(db)
    target = export_path(export, s, force=force, protect=(db,) if db else ())
    scenario = load(name)
    folder = resolve(name).parent
    path = _fresh_db(db, force, lesson_db(name), _global_db(ctx))
    from ..render import exporting

    with exporting(target, echo=True):  # the lesson plays on screen as it is saved
        played = play(ctx, scenario, path, s, folder=folder, pause=step)
    say_next(s, path)
    if target:
        say(s, "export.saved", path=target)
    _report(s, played)


@handle_errors
def scenario_check(
    ctx: typer.Context,
    names: Annotated[
        list[str], typer.Argument(metavar="FILE…", help="Scenario files or bundled names.")
    ],
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """Play scenarios quietly and check every expectation; exit 1 when one does not hold.

    Example: limitlab scenario check examples/*.toml
    """
    import tempfile

    s = settings(ctx, False, lang, db)
    from limitlab.cli.i18n import text

    from ..progress import progress_bar

    failed = 0
    with progress_bar(text("progress.check", s.lang), minimum=2) as progress:
        results = []
        for done, name in enumerate(names, start=1):
            scenario = load(name)
            folder = resolve(name).parent
            with tempfile.TemporaryDirectory(prefix="limitlab-check-") as tmp:
                db = os.path.join(tmp, "check.db")
                results.append(
                    (name, scenario, play(ctx, scenario, db, s, folder=folder, quiet=True))
                )
            if progress is not None:
                progress(done, len(names))
    for name, scenario, played in results:
        if played.failures:
            failed += 1
            say(s, "scenario.failed", name=name, count=len(played.failures))
            for line in played.failures:
                sys.stderr.write(f"  {line}\n")
        else:
            say(s, "scenario.passed", name=name, steps=len(scenario.steps))
    if failed:
        raise typer.Exit(EXIT_INTERNAL)


def _account_of(s: Settings) -> str:
    """The user's account file, or "" when --db or LIMITLAB_DB names none (a lesson needs none)."""
    try:
        return s.db_path
    except UserError:
        return ""


def _global_db(ctx: typer.Context) -> str | None:
    """The account the global --db names (None: LIMITLAB_DB or the default file)."""
    root = ctx.find_root().obj
    return root.db if isinstance(root, Settings) else None


def _check_db_option(db: str | None) -> None:
    """A lesson's own --db that names no file is bad input, not "a temporary folder"."""
    if db is not None and not db:
        raise UserError("db.empty", where="--db")


def _fresh_db(db: str | None, force: bool, default: str, own_db: str | None = None) -> str:
    """Where a lesson plays: `default` (the lesson's own file, replaced), or --db when it is
    new (or --force). Never the account the global --db or LIMITLAB_DB names: a lesson must
    not replace it."""
    _check_db_option(db)
    if db is None:
        db, force = default, True
    if os.path.realpath(db) == os.path.realpath(Settings(db=own_db).db_path):
        raise UserError("scenario.own_account", EXIT_DATABASE, path=db)
    if os.path.exists(db) and not force:
        raise UserError("store.exists", EXIT_DATABASE, path=db, detail="")
    return db


def _report(s: Settings, played: Played) -> None:
    if played.failures:
        for line in played.failures:
            sys.stderr.write(f"limitlab: {line}\n")
        raise typer.Exit(EXIT_INTERNAL)


@handle_errors
def demo(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="FILE",
            help="Where to keep the demo's database (a new file); default: full-lesson.db in "
            "the user data dir's limitlab/lessons, replaced at each run.",
        ),
    ] = None,
    step: Annotated[
        bool, typer.Option("--step", help="Wait for Enter between steps (on a terminal).")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the --db file if it exists.")
    ] = False,
    lang: LangOpt = None,
) -> None:
    """Play the full lesson: open, borrow, refused, lenders, overdue, why, repay, recover.

    Each step prints the command it runs, so it can be typed again.
    Example: limitlab demo --lang zh
    """
    s = settings(ctx, False, lang)
    path = _fresh_db(db, force, lesson_db(LESSON), _global_db(ctx))
    played = play(ctx, load(LESSON), path, s, folder=resolve(LESSON).parent, pause=step)
    say_next(s, path)
    _report(s, played)
