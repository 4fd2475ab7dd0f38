"""The `limitlab` command: every command and group registered here, in the order the help
lists them, and the console-script entry point."""

import sys


def _ctrl_c_again(unraisable: "sys.UnraisableHookArgs") -> None:
    """Python drops an exception raised in a callback it runs for itself (a weakref's, in the
    import system): a Ctrl-C that lands there would be lost, and the command run on to its
    end. Send it again from a thread, to land once that callback is over."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        import _thread
        import os
        import signal

        _thread.start_new_thread(os.kill, (os.getpid(), signal.SIGINT))
        return
    sys.__unraisablehook__(unraisable)


if sys.unraisablehook is sys.__unraisablehook__:  # the program's own (not a test runner's)
    sys.unraisablehook = _ctrl_c_again


def _stop_loading(exc: BaseException) -> None:
    """Ctrl-C while the command loads (~50 ms): one line and 130, never a traceback. Any other
    error is the caller's to raise again."""
    try:
        from .exits import by_ctrl_c

        ctrl_c = by_ctrl_c(exc)
    except BaseException:
        ctrl_c = isinstance(exc, KeyboardInterrupt)
    if not ctrl_c:
        return
    try:  # in the user's language when the two small modules that say it can load
        from limitlab.cli.i18n import text

        from .language import lang_for_words

        said = text("interrupted", lang_for_words(sys.argv[1:]))
    except BaseException:
        said = "Interrupted; nothing was half-written."
    sys.stderr.write(f"limitlab: {said}\n")
    raise SystemExit(130) from None


try:
    from collections.abc import Callable
    from typing import Any

    import typer

    from .apps import (
        HELP_OPTIONS,
        app,
        external_app,
        main_options,
        platform_app,
        policy_app,
        profile_app,
        scenario_app,
        wallet_app,
    )
    from .commands import (
        account,
        borrowing,
        explanation,
        lesson,
        platform,
        scenarios,
        teaching,
        time,
    )
    from .typer_classes import Command
except BaseException as exc:
    _stop_loading(exc)
    raise

__all__ = ["COMMANDS", "GROUPS", "app", "main"]

#: Commands that take an AMOUNT read "-1" as that amount (and refuse it as negative) instead of
#: reporting an unknown option "-1".
AMOUNT_ARGS: dict[str, Any] = {"ignore_unknown_options": True}

#: (group, name, function, context settings): the whole command line, in help order.
COMMANDS: list[tuple[typer.Typer, str, Callable[..., None], dict[str, Any] | None]] = [
    (app, "init", account.init, None),
    (app, "status", account.status, None),
    (app, "borrow", borrowing.borrow, AMOUNT_ARGS),
    (app, "repay", borrowing.repay, AMOUNT_ARGS),
    (wallet_app, "deposit", borrowing.wallet_deposit, AMOUNT_ARGS),
    (wallet_app, "withdraw", borrowing.wallet_withdraw, AMOUNT_ARGS),
    (app, "advance", time.advance, None),
    (app, "schedule", explanation.schedule, None),
    (app, "history", explanation.history, None),
    (app, "limits", explanation.limits, None),
    (app, "score", explanation.score, None),
    (app, "verify", account.verify, None),
    (profile_app, "set", account.profile_set, None),
    (external_app, "add", account.external_add, None),
    (external_app, "repay", account.external_repay, AMOUNT_ARGS),
    (external_app, "list", account.external_list, None),
    (platform_app, "tighten", platform.platform_tighten, None),
    (platform_app, "maintenance", platform.platform_maintenance, None),
    (platform_app, "list", platform.platform_list, None),
    (policy_app, "show", account.policy_show, None),
    (app, "why", explanation.why, None),
    (app, "notice", explanation.notice, None),
    (app, "what-if", teaching.what_if, None),
    (app, "plan", teaching.plan, None),
    (scenario_app, "list", scenarios.scenario_list, None),
    (scenario_app, "run", scenarios.scenario_run, None),
    (scenario_app, "check", scenarios.scenario_check, None),
    (app, "demo", scenarios.demo, None),
    (app, "lesson", lesson.lesson, None),
    (app, "glossary", teaching.glossary, None),
    (app, "chart", teaching.chart, None),
]

GROUPS: list[tuple[typer.Typer, str]] = [
    (wallet_app, "wallet"),
    (profile_app, "profile"),
    (external_app, "external"),
    (platform_app, "platform"),
    (policy_app, "policy"),
    (scenario_app, "scenario"),
]


def _register() -> None:
    app.callback()(main_options)
    for group, name, function, context_settings in COMMANDS:
        group.command(name, cls=Command, context_settings=context_settings)(function)
    for group, name in GROUPS:
        app.add_typer(group, name=name, context_settings=HELP_OPTIONS)


try:  # registering is loading too (typer builds its command models)
    _register()
except BaseException as exc:
    _stop_loading(exc)
    raise


def main() -> None:
    """Console-script entry point.

    Exit codes beyond the commands' own: Ctrl-C anywhere is 130 with one line (saying the
    change was saved when it came after the command's write committed). A reader that
    stops reading (`limitlab history | head`, a closed pipe) is not a failure: the command
    runs to its end (a write is saved) and exits 0, as if its output had been read. Any other
    failure to write standard output (`> /dev/full`) is said on stderr and exits 1, after the
    command has run to its end (a write is saved: the message says so)."""
    try:
        code = _run()
    except KeyboardInterrupt:
        code = _interrupted()
    sys.exit(code)


def _run() -> int:
    import errno

    from .exits import EXIT_INTERNAL, EXIT_INTERRUPTED
    from .output import guard_streams
    from .pager import flush

    streams = guard_streams()
    code: Any = 0
    try:
        try:
            app()
        finally:
            flush()  # what the pager holds, shown once the command is done
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"): as Python would
        sys.stderr.write(f"{code}\n")
        code = 1
    if code == EXIT_INTERRUPTED:
        code = _interrupted()
    streams.flush()
    failure = streams.stdout_failure
    if failure is not None and failure.errno != errno.EPIPE:
        from limitlab.cli.i18n import text

        from .language import lang_for_words

        detail = failure.strerror or str(failure)
        said = text("output.failed", lang_for_words(sys.argv[1:]), detail=detail)
        sys.stderr.write(f"limitlab: {said}\n")
        streams.flush()
        if code == 0:
            code = EXIT_INTERNAL
    return int(code)


def _interrupted() -> int:
    """Exit 130, saying so once (a command may have said it already)."""
    import contextlib

    from limitlab.cli.i18n import text

    from .errors import interrupt_reported, interrupted_key, note_interrupt_reported
    from .language import lang_for_words

    if not interrupt_reported():
        note_interrupt_reported()
        said = text(interrupted_key(), lang_for_words(sys.argv[1:]))
        sys.stderr.write(f"limitlab: {said}\n")
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    return 130
