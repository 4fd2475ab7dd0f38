"""Hostile text (issue 11, items 1 and 2, and the echo of item 12): whatever is typed into a
free-text input — rich markup, terminal escapes, newlines, bidi overrides, a 100 KB cohort —
is refused with one clear line (exit 2) or shown as the text it is. Never exit 1, never a raw
control character on the terminal, never a changed account after bad input.

In-process through CliRunner (fast); a few cases through the installed `limitlab`.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from limitlab.cli.main import app
from typer.testing import CliRunner

LIMITLAB = str(Path(sys.executable).parent / "limitlab")
START = "2026-01-05"
ENV = {"NO_COLOR": "1", "COLUMNS": "100", "LIMITLAB_LANG": None}

#: What a terminal obeys or hides instead of showing: controls, format characters (bidi,
#: zero-width), surrogates, line and paragraph separators.
HIDDEN = {"Cc", "Cf", "Cs", "Zl", "Zp"}

MARKUP = ["[/x]", "[bold red]X[/]", "[link=https://e.invalid]here[/link]", "[/]", "[[x]]"]
ESCAPES = [
    "\x1b[2J",  # clear the screen
    "\x1b]0;owned\x07",  # retitle the window
    "\x1b]8;;https://e.invalid\x1b\\hidden link\x1b]8;;\x1b\\",  # a hidden hyperlink
    "\x9b31m",  # C1 CSI
    "\r",
    "\n",
    "\x00",
    "\x07",
    "\x7f",
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u200b",  # zero-width space
    "\ufeff",
    "\u2028",  # line separator
]
OTHER = ["'", '"', "\\", "{text}", "{0}", "%s", "--", "-x", " ", "；", "花呗", "e\u0301", "😀"]

hostile = st.one_of(
    st.text(),  # any text without surrogates, control characters included
    st.lists(
        st.one_of(st.sampled_from(MARKUP + ESCAPES + OTHER), st.text(max_size=3)), max_size=6
    ).map("".join),
    st.sampled_from(["", " ", "x" * 5000, "[/x]" * 300, "1" * 100_000]),
)


def hidden(shown: str) -> list[str]:
    """The characters a terminal would obey or hide, other than line breaks."""
    return [ch for ch in shown if ch != "\n" and unicodedata.category(ch) in HIDDEN]


def files(db: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(db.parent.glob(db.name + "*"))}


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), env=ENV)


def add_lender(name: str, balance: str = "600") -> tuple[str, ...]:
    return ("external", "add", "--lender", name, "--balance", balance, "--monthly", "10")


def assert_shown_as_text(result: Any) -> None:
    """Never an internal error; nothing a terminal would obey; an error is one line."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code != 1, result.stderr
    assert hidden(result.stdout) == [], result.stdout
    assert hidden(result.stderr) == [], result.stderr
    if result.exit_code in (2, 4):
        err = result.stderr
        assert err.startswith("limitlab: ") and err.count("\n") == 1 and err.endswith("\n"), err
        assert len(err) < 1500, f"{len(err)} characters of error"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An account with a loan and two other lenders (Huabei, Jd), made by the CLI."""
    db = tmp_path_factory.mktemp("hostile") / "account.db"
    for args in (
        ("init", "--start", START),
        ("borrow", "3000", "--yes"),
        add_lender("Huabei"),
        add_lender("Jd"),
    ):
        result = invoke("--db", str(db), *args)
        assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def account(template: Path, tmp_path: Path) -> Callable[[], Path]:
    """A fresh copy of the template account for each example."""

    def fresh() -> Path:
        db = tmp_path / "account.db"
        for old in tmp_path.glob("account.db*"):
            old.unlink()
        shutil.copyfile(template, db)
        return db

    return fresh


# --- every free-text input, with arbitrary text -------------------------------------------------

#: Each input as typed in a shell, `{}` where the text goes (after `--` or as `--option=`,
#: so that text starting with a dash is still the value); `{quoted}`: shell-quoted.
INPUTS = {
    "external add --lender": "external add --lender={} --balance 1 --monthly 1",
    "external add --balance": "external add --lender Bank --balance={} --monthly 1",
    "external repay NAME": "external repay -- {}",
    "platform tighten --cohort": "platform tighten --factor 0.5 --days 3 --cohort={}",
    "what-if ACTION": "what-if -- {}",
    "what-if borrow AMOUNT": "what-if -- 'borrow {quoted}'",
    "what-if payoff NAME": "what-if -- 'payoff {quoted}' 'wait 3'",
    "borrow AMOUNT": "borrow --yes -- {}",
    "repay AMOUNT": "repay -- {}",
    "advance --to DATE": "advance --to={}",
    "plan --by DATE": "plan --need 100 --by={}",
    "status --lang": "status --lang={}",
    "glossary TERM": "glossary -- {}",
}


def typed_into(where: str, typed: str) -> list[str]:
    words = shlex.split(INPUTS[where])
    quoted = shlex.quote(typed)
    return [
        w.replace("{quoted}", quoted) if "{quoted}" in w else w.replace("{}", typed) for w in words
    ]


@pytest.mark.parametrize("where", sorted(INPUTS))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(typed=hostile)
def test_any_text_in_a_free_text_input_is_refused_in_one_line_or_shown_as_text(
    account: Callable[[], Path], where: str, typed: str
) -> None:
    db = account()
    before = files(db)
    args = typed_into(where, typed)
    result = invoke("--db", str(db), *args)
    assert_shown_as_text(result)
    if result.exit_code == 2 or args[0] == "what-if":
        assert files(db) == before, "bad input changed the account"


def _toml_string(value: str) -> str:
    """A TOML basic string holding exactly `value` (control characters escaped)."""
    escaped = "".join(
        f"\\u{ord(ch):04x}" if ch in '"\\' or ord(ch) < 0x20 or ord(ch) == 0x7F else ch
        for ch in value
    )
    return f'"{escaped}"'


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(typed=hostile)
def test_any_text_as_a_scenario_title_or_narration_is_refused_or_shown_as_text(
    tmp_path: Path, typed: str
) -> None:
    lesson = tmp_path / "lesson.toml"
    quoted = _toml_string(typed)
    lesson.write_text(
        f"title = {quoted}\ntitle_zh = {quoted}\ndescription = {quoted}\n"
        f'start = "{START}"\n\n[[steps]]\nshow = "status"\nsay = {quoted}\n',
        encoding="utf-8",
    )
    result = invoke("scenario", "run", str(lesson), "--db", str(tmp_path / "l.db"), "--force")
    assert_shown_as_text(result)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(typed=hostile)
def test_any_text_as_a_policy_band_name_is_refused_or_shown_as_text(
    tmp_path: Path, typed: str
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        f'score_bands = [[350, "poor"], [700, {_toml_string(typed)}]]\n', encoding="utf-8"
    )
    db = tmp_path / "banded.db"
    for old in tmp_path.glob("banded.db*"):
        old.unlink()
    result = invoke("--policy", str(policy), "policy", "show")
    assert_shown_as_text(result)
    opened = invoke("--db", str(db), "--policy", str(policy), "init", "--start", START)
    assert_shown_as_text(opened)
    if opened.exit_code == 0:
        assert_shown_as_text(invoke("--db", str(db), "score"))


# --- item 1: a name is never markup ---------------------------------------------------------


@pytest.mark.parametrize("name", MARKUP[:3])
def test_a_lender_named_like_markup_is_shown_as_written_everywhere(
    account: Callable[[], Path], name: str
) -> None:
    db = str(account())
    added = invoke("--db", db, *add_lender(name, balance="100"))
    assert added.exit_code == 0, added.output
    assert f"Added {name};" in added.stderr
    for args in (
        ("external", "list"),
        ("history",),
        ("plan", "--need", "30000"),  # pays off the smallest of three lenders: this one
        ("what-if", f"payoff {shlex.quote(name)}"),
    ):
        result = invoke("--db", db, *args)
        assert result.exit_code == 0, (args, result.output)
        assert name in result.stdout, (args, result.stdout)
    assert invoke("--db", db, "why").exit_code == 0


def test_what_if_with_markup_in_an_action_is_one_failed_action(
    account: Callable[[], Path],
) -> None:
    result = invoke("--db", str(account()), "what-if", "borrow [/x]")
    assert result.exit_code == 2, result.output  # the action's own exit code: bad input
    assert "action 1 of 1, borrow '[/x]' (exit code 2)" in result.stderr


# --- item 2: names are checked at the edge, echoes are escaped ------------------------------


@pytest.mark.parametrize("bad", ESCAPES, ids=[repr(e) for e in ESCAPES])
def test_a_name_with_a_control_or_invisible_character_is_refused_in_one_line(
    account: Callable[[], Path], bad: str
) -> None:
    db = account()
    before = files(db)
    for args in (
        add_lender(f"Hua{bad}bei"),
        ("external", "repay", f"Hua{bad}bei"),
    ):
        result = invoke("--db", str(db), *args)
        assert_shown_as_text(result)
        assert result.exit_code == 2
        first = next(ch for ch in bad if unicodedata.category(ch) in HIDDEN)
        assert f"control or invisible character ({repr(first)[1:-1]})" in result.stderr
    assert files(db) == before


def test_the_refusal_of_a_name_is_in_chinese_with_chinese_punctuation(
    account: Callable[[], Path],
) -> None:
    result = invoke("--db", str(account()), "--lang", "zh", "external", "repay", "\u202eiebauH")
    assert (
        result.stderr
        == "limitlab: NAME：含有控制字符或不可见字符（\\u202e）；请只写一行可打印的文字。\n"
    )


def test_a_name_longer_than_the_engine_keeps_is_refused_at_the_edge(
    account: Callable[[], Path],
) -> None:
    result = invoke("--db", str(account()), *add_lender("L" * 41))
    assert result.exit_code == 2
    assert result.stderr == "limitlab: --lender: is 41 characters long; at most 40 are allowed.\n"


def test_bad_input_is_echoed_with_its_control_characters_written_out(
    account: Callable[[], Path],
) -> None:
    result = invoke("--db", str(account()), "borrow", "--", "12\x1b[2J\r\n")
    assert result.exit_code == 2
    assert "'12\\x1b[2J\\r\\n'" in result.stderr


def test_a_100_kb_cohort_is_not_echoed_back(account: Callable[[], Path]) -> None:
    db = str(account())
    tighten = ("--db", db, "platform", "tighten", "--factor", "0.5", "--days", "3", "--cohort")
    huge = invoke(*tighten, "score<650 and " * 8000)
    assert huge.stderr.endswith("--cohort: is 112000 characters long; at most 500 are allowed.\n")
    long = invoke(*tighten, "score<" + "6" * 400 + "?")
    assert long.exit_code == 2
    assert "… (407 characters)" in long.stderr and len(long.stderr) < 600, long.stderr
    amount = invoke("--db", db, "--lang", "zh", "borrow", "--", "9" * 100_000 + "x")
    assert "…（共 100001 个字符）" in amount.stderr and len(amount.stderr) < 400


def test_our_own_lists_in_a_message_are_never_cut(account: Callable[[], Path]) -> None:
    """The terms, kinds and actions a message offers are ours: shown whole, however long."""
    db = str(account())
    glossary = invoke("--db", db, "glossary", "nonsense")
    assert glossary.exit_code == 2 and "…" not in glossary.stderr
    assert len(glossary.stderr) > 300 and "客群 / cohort." in glossary.stderr, glossary.stderr
    kinds = invoke("--db", db, "history", "--kind", "nonsense")
    assert kinds.exit_code == 2 and "…" not in kinds.stderr and "wallet_withdraw" in kinds.stderr


def test_a_usage_error_shows_what_was_typed_as_text(account: Callable[[], Path]) -> None:
    result = invoke("--db", str(account()), "status", "--x\x1b[2J")
    assert result.exit_code == 2
    assert hidden(result.stderr) == [] and "No such option: --x\\x1b[2J" in result.stderr


# --- an account from before the check: its names are still shown as text --------------------


def test_an_older_account_with_a_hostile_name_still_opens_and_shows_it_as_text(
    account: Callable[[], Path],
) -> None:
    from limitlab.core import commands as c
    from limitlab.core.service import execute
    from limitlab.core.store import Store

    db = account()
    with Store.open(str(db)) as store:  # as an older limitlab (or a hand-edited file) kept it
        execute(store, c.ExternalAdd("[/x]\x1b[2J\x1b]0;owned\x07\u202e", 10_000, 1_000))
    for args in (("external", "list"), ("history",), ("why",), ("what-if", "wait 1")):
        result = invoke("--db", str(db), *args)
        assert_shown_as_text(result)
        assert result.exit_code == 0, (args, result.output)
    listed = invoke("--db", str(db), "external", "list").stdout
    assert "[/x]\\x1b[2J\\x1b]0;owned\\x07\\u202e" in listed


# --- the character rule itself -----------------------------------------------------------------


def test_printable_text_holds_no_hidden_character() -> None:
    """`str.isprintable()` is the fast path of the check: it must never pass a character the
    rule hides (every code point, once)."""
    from limitlab.cli.safe_text import HIDDEN_CATEGORIES, first_hidden, visible

    assert HIDDEN_CATEGORIES == HIDDEN
    leaks = [
        hex(i)
        for i in range(sys.maxunicode + 1)
        if chr(i).isprintable() and unicodedata.category(chr(i)) in HIDDEN
    ]
    assert leaks == []
    assert first_hidden("招商银行\u3000信用卡") is None  # a full-width space is a space
    assert visible("a\x1bb\u202ec\n") == "a\\x1bb\\u202ec\\n"
    assert visible("a\nb", keep="\n") == "a\nb"


def test_a_scenario_title_or_narration_with_an_escape_is_refused_naming_the_key(
    tmp_path: Path,
) -> None:
    lesson = tmp_path / "lesson.toml"
    lesson.write_text(
        f'title = "Lesson"\ntitle_zh = "课"\nstart = "{START}"\n\n'
        '[[steps]]\nshow = "status"\nsay = "Look \\u001b]0;owned\\u0007"\n',
        encoding="utf-8",
    )
    result = invoke("scenario", "run", str(lesson), "--db", str(tmp_path / "l.db"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"limitlab: {lesson}: steps[1].say: holds a control or invisible character (\\x1b);"
        " write printable text on one line\n"
    )
    assert not (tmp_path / "l.db").exists()


def test_a_scenario_text_with_a_control_character_is_a_validation_problem() -> None:
    """`scenario_text` is the check a scenario file's loader runs on its titles and
    narration: a pydantic error of our own kind, worded from the catalogue."""
    from typing import Annotated

    from limitlab.cli.edge import scenario_text
    from limitlab.cli.i18n import text
    from pydantic import AfterValidator, BaseModel, ValidationError

    class Lesson(BaseModel):
        title: Annotated[str, AfterValidator(scenario_text)]

    assert Lesson(title="Overdue spiral").title == "Overdue spiral"
    with pytest.raises(ValidationError) as caught:
        Lesson(title="Overdue\x1b]0;owned\x07")
    error = caught.value.errors()[0]
    assert error["type"] == "text_hidden"
    assert text("validation.text_hidden", "en", **error["ctx"]).startswith(
        "holds a control or invisible character (\\x1b)"
    )


# --- through the installed program -------------------------------------------------------------


def limitlab(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "LIMITLAB_LANG"}
    return subprocess.run(
        [LIMITLAB, "--db", str(db), *args],
        capture_output=True,
        text=True,
        env={**env, "NO_COLOR": "1"},
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_through_the_installed_program_hostile_names_never_reach_the_terminal(
    account: Callable[[], Path],
) -> None:
    db = account()
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    for bad in ("\x1b]0;owned\x07Huabei", "Hua\nbei", "\u202eiebauH", "\x1b[2J"):
        result = limitlab(db, *add_lender(bad))
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and hidden(result.stderr) == [], result.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest
    added = limitlab(db, *add_lender("[/x]"))
    assert added.returncode == 0, added.stderr
    for args in (("external", "list"), ("history",), ("what-if", "payoff [/x]")):
        result = limitlab(db, *args)
        assert result.returncode == 0, result.stderr
        assert "[/x]" in result.stdout and hidden(result.stdout) == []
    cut = limitlab(db, "borrow", "--", "1" * 100_000 + "x")
    assert cut.returncode == 2 and len(cut.stderr) < 400, len(cut.stderr)
