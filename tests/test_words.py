"""Words on screens (issue 14 item 5): every attribute, event kind, state, reason code,
yes/no and policy field has a label in English and Chinese; no bundled scenario's screen
shows a code name; Chinese text keeps no space after full-width punctuation."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from limitlab.cli.i18n import catalogue
from limitlab.cli.views.policy import GROUPS, policy_groups
from limitlab.core.policy import DEFAULT_POLICY, Policy, policy_to_dict

CORE = Path(__file__).resolve().parents[1] / "core"
LANGS = ("en", "zh")


def event_kinds() -> set[str]:
    """Every kind core writes (Event(day, "kind", …)) and every kind the catalogue words."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in CORE.glob("*.py"))
    found = set(re.findall(r'Event\(\s*[^,()]+(?:\([^()]*\))?[^,()]*,\s*"([a-z_]+)"', source))
    found |= {k.removeprefix("event.") for k in catalogue("en").MESSAGES if k.startswith("event.")}
    return found


def reason_codes() -> set[str]:
    source = "\n".join(p.read_text(encoding="utf-8") for p in CORE.glob("*.py"))
    return set(re.findall(r'\bReason\(\s*"([A-Z_]+)"', source)) | set(
        re.findall(r'codes?\.append\(\s*"([A-Z_]+)"', source)
    )


def attributes() -> set[str]:
    """Every scorecard line: the binned attributes and the delinquency ceiling's."""
    from limitlab.core.scoring import CEILING

    return {name for _, name, _ in DEFAULT_POLICY.scorecard.attributes()} | {CEILING}


@pytest.mark.parametrize("lang", LANGS)
def test_every_code_has_a_label_in_both_languages(lang: str) -> None:
    words = catalogue(lang).MESSAGES
    wanted = (
        {f"kind.{k}" for k in event_kinds()}
        | {f"attribute.{a}" for a in attributes()}
        | {f"reason.{c}.title" for c in reason_codes()}
        | {"value.yes", "value.no", "value.none", "value.closed"}
        | {f"factor.{a}" for a in attributes()}
        | {f"state.{s}" for s in ("active", "exhausted", "suspended", "reduced", "closed")}
    )
    assert sorted(k for k in wanted if k not in words) == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_policy_field_has_a_line_in_words(lang: str) -> None:
    """A new policy field fails here until it has a `policy.<field>` line and a group."""
    words = catalogue(lang).MESSAGES
    grouped = {f for _, fields in GROUPS for f in fields}
    fields = [f.name for f in dataclasses.fields(Policy)]
    assert [f for f in fields if f not in grouped] == []
    assert [f for f in fields if f"policy.{f}" not in words] == []


def test_an_unknown_policy_field_still_shows_as_a_generic_row() -> None:
    data: dict[str, Any] = {**policy_to_dict(DEFAULT_POLICY), "new_switch": True}
    lines = [line for _, group in policy_groups(data, "en") for line in group]
    assert "new_switch: true" in lines


def test_policy_show_says_each_rule_in_words(cli: Any) -> None:
    en = cli("policy", "show").stdout
    assert "Overdue more than 3 days → reported to the credit bureau" in en
    zh = cli("policy", "show", "--lang", "zh").stdout
    assert "逾期超过 3 天 → 上报征信" in zh
    assert "grace_days" not in en + zh
    assert cli.json("policy", "show")["grace_days"] == 3
    assert "Interest counted on actual days" in en and "按实际天数计息" in zh


def test_each_regulatory_cap_line_ends_with_its_source(cli: Any) -> None:
    for lang, rule, source in (
        ("en", "(regulatory cap); source:", "(商业银行互联网贷款管理暂行办法, 2020;"),
        ("zh", "（监管上限）；依据：", "（《商业银行互联网贷款管理暂行办法》，2020 年；"),
    ):
        lines = dict(policy_groups(policy_to_dict(DEFAULT_POLICY), lang))
        caps = [line for group in lines.values() for line in group if rule in line]
        assert len(caps) == 2 and source in caps[0], caps


CODE_NAME = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b[A-Z]{3,}(?:_[A-Z]+)+\b")
#: A file path on screen (the account a command names: `--db /tmp/x_y/a.db`), not a code name.
PATH = re.compile(r"(?:~|\.{0,2})/[^\s）)，。\"]+")


def code_names(screen: str) -> list[str]:
    """The code names a screen shows, paths aside (a wrapped path continues at line start)."""
    return CODE_NAME.findall(PATH.sub(" ", screen))


FULL_WIDTH_THEN_SPACE = re.compile(r"[，。：；！？、] (?=[^\s│|])")


@pytest.mark.parametrize("lang", LANGS)
def test_no_screen_of_a_bundled_scenario_shows_a_code_name(cli: Any, lang: str) -> None:
    cli.init("--expenses", "8000", "--wallet", "0")
    for args in (
        ("borrow", "5000", "--yes"),
        ("external", "add", "--lender", "Huabei", "--balance", "6000", "--monthly", "600"),
        ("advance", "--to", "2026-02-20"),
        ("profile", "set", "--income", "4000", "--verified"),
    ):
        cli(*args)
    for screen in (("status",), ("score",), ("history",), ("limits",), ("why",)):
        out = cli(*screen, "--lang", lang).stdout
        assert code_names(out) == [], (screen, out)
        if lang == "zh":
            assert FULL_WIDTH_THEN_SPACE.findall(out) == [], (screen, out)


# --- every screen of every bundled scenario (issue 14 item 5) ------------------------------------

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.toml"))
SCREENS = (
    ("status",),
    ("status", "--detail"),
    ("why",),
    ("score",),
    ("limits",),
    ("history",),
    ("notice",),
    ("schedule",),
    ("plan", "--need", "1000"),
    ("plan", "--need", "5000"),
    ("what-if", "advance --months 1"),
    ("glossary",),
    ("policy", "show"),
    ("external", "list"),
    ("platform", "list"),
)
WIDTHS = (80, 100, 120)
#: Closing punctuation no Chinese line starts with (避头尾).
CLOSING = "。，、：；！？）」』】%"
#: The commands a screen may name (`limitlab why`, never "limitlab to open it").
COMMANDS = (
    "init|status|borrow|repay|advance|schedule|history|limits|score|verify|why|notice|what-if|"
    "plan|demo|lesson|glossary|chart|wallet|profile|external|platform|policy|scenario"
)
#: The words of a command after its name: a subcommand, an option, a figure, a lender.
COMMAND_WORDS = r"(?: (?:set|add|repay|list|deposit|withdraw|tighten|maintenance|show|run|check"
COMMAND_WORDS += r"|--?[a-z][\w-]*(?:=\S+)?|\d[\d.,]*|Huabei|Weilidai|JD|…))*"
#: Runs a line never splits: a figure (an amount, a date, a rate), and a command.
FIGURE = r"[-+−]?¥[\d,]+(?:\.\d\d)?|\d{4}-\d\d-\d\d|\d+(?:\.\d+)?%"
WHOLE = re.compile(rf"limitlab (?:{COMMANDS})\b{COMMAND_WORDS}|{FIGURE}")
FIGURES_WHOLE = re.compile(FIGURE)
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
#: ASCII punctuation beside a Chinese character (full-width ，：；（） belong there).
ASCII_BY_CJK = re.compile(f"[{_CJK}][,:;()]|[,:;()][{_CJK}]")
#: Text cut short: an ellipsis right after a word (ours stand alone: `limitlab repay …`).
CUT = re.compile(r"[^\s(（…]…")


def typesetting_faults(screen: str, lang: str, whole: re.Pattern[str] = WHOLE) -> list[str]:
    """What a reader would trip on: a split command or figure (both languages); in Chinese a
    line starting with closing punctuation, a space after full-width punctuation, ASCII
    punctuation beside Chinese."""
    faults = []
    lines = screen.splitlines()
    for line in lines:
        body = line.strip(" │┃|")
        if CUT.search(line):
            faults.append(f"cut short: {line!r}")
        if lang != "zh":
            continue
        if body[:1] and body[0] in CLOSING:
            faults.append(f"starts with closing punctuation: {line!r}")
        if FULL_WIDTH_THEN_SPACE.search(line):
            faults.append(f"space after full-width punctuation: {line!r}")
        if ASCII_BY_CJK.search(line):
            faults.append(f"ASCII punctuation beside Chinese: {line!r}")
    for above, below in itertools.pairwise(lines):
        tail, head = above.rstrip(), below.lstrip()
        for gap in ("", " "):
            for run in whole.finditer(tail + gap + head):
                if run.start() < len(tail) < run.end() - len(gap):
                    faults.append(f"split across lines: {tail[-40:]!r} / {head[:40]!r}")
    return faults


def test_the_sweep_sees_each_fault_it_looks_for() -> None:
    """Each check fails on the fault it names (a sweep that sees nothing proves nothing)."""
    for screen, lang in (
        ("go on with lim\nitlab repay --all", "en"),
        ("then limitlab\nrepay --all", "en"),
        ("repay ¥1,2\n00.00 now", "en"),
        ("on 2026-03-\n05", "zh"),
        ("额度使用率\n%", "zh"),
        ("还款\n。然后", "zh"),
        ("额度: ¥1.00", "zh"),
        ("已用 (本金)", "zh"),
        ("Drawn down by your own lo…", "en"),
    ):
        assert typesetting_faults(screen, lang), screen
    assert typesetting_faults("limitlab repay … or wait", "en") == []
    assert typesetting_faults("limitlab is not\nrepaid", "en") == []


@pytest.fixture(scope="session")
def played(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every bundled scenario played once (its account, by name), for the screen sweeps."""
    from limitlab.cli.main import app
    from typer.testing import CliRunner

    folder = tmp_path_factory.mktemp("played")
    accounts = {}
    for path in EXAMPLES:
        db = folder / f"{path.stem}.db"
        done = CliRunner().invoke(app, ["scenario", "run", str(path), "--db", str(db)])
        assert done.exit_code == 0, done.output
        accounts[path.stem] = db
    return accounts


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_every_screen_of_every_bundled_scenario_is_typeset(
    played: dict[str, Path], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each bundled scenario's account, every screen in both languages at 80, 100 and 120
    columns: no sentence cut short, no code name, no command or figure split across lines;
    in Chinese no line starting with closing punctuation, no space after full-width
    punctuation, no ASCII punctuation beside Chinese. (The account is the default one here,
    so commands carry no --db: a path as long as the line would have to break.)"""
    from limitlab.cli.main import app
    from typer.testing import CliRunner

    runner = CliRunner()
    monkeypatch.setenv("LIMITLAB_DB", str(played[name]))
    faults: list[str] = []
    for screen in SCREENS:
        for lang in LANGS:
            for width in WIDTHS:
                monkeypatch.setenv("COLUMNS", str(width))
                result = runner.invoke(app, [*screen, "--lang", lang])
                assert result.exit_code == 0, (screen, result.output)
                out = result.stdout
                where = f"{' '.join(screen)} --lang {lang} at {width}"
                faults += [f"{where}: code name {c!r}" for c in set(code_names(out))]
                faults += [f"{where}: {f}" for f in typesetting_faults(out, lang)]
                assert max(map(len, out.splitlines()), default=0) <= width, (where, out)
    assert faults == [], "\n".join(sorted(set(faults)))


@pytest.mark.parametrize("lang", LANGS)
def test_every_bundled_scenario_plays_typeset_at_every_width(
    tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `scenario run` prints (narration, the steps' screens, the commands to go on
    with), at 80 and 120 columns (the screens themselves are swept at 100 too, above; a play
    is the slow part): the same faults looked for as on the screens; each printed command on
    one line, naming the lesson's --db."""
    from limitlab.cli.main import app
    from typer.testing import CliRunner

    runner = CliRunner()
    faults: list[str] = []
    for path in EXAMPLES:
        for width in (80, 120):
            monkeypatch.setenv("COLUMNS", str(width))
            db = tmp_path / f"{path.stem}-{width}.db"
            done = runner.invoke(
                app, ["scenario", "run", str(path), "--db", str(db), "--lang", lang]
            )
            assert done.exit_code == 0, done.output
            where = f"scenario run {path.stem} --lang {lang} at {width}"
            # Figures only: a command naming the lesson's long path may be wider than the line
            # (the screen sweep above checks commands; the step lines are checked whole here).
            out = done.stdout
            faults += [f"{where}: code name {c!r}" for c in set(code_names(out))]
            faults += [f"{where}: {f}" for f in typesetting_faults(out, lang, FIGURES_WHOLE)]
            for line in (done.stdout + done.stderr).splitlines():
                if line.startswith(("$ limitlab", "  limitlab")) and " init " not in line:
                    assert f" --db {db}" in line, (where, line)
    assert faults == [], "\n".join(sorted(set(faults)))


@pytest.mark.parametrize("width", [80, 100, 139])
def test_why_lists_its_reasons_below_140_columns_with_hanging_indents(
    cli: Any, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    cli.init("--expenses", "8000", "--wallet", "0")
    assert cli("borrow", "32000", "--yes").exit_code == 0
    assert cli("advance", "--to", "2026-02-07").exit_code == 0
    monkeypatch.setenv("COLUMNS", str(width))
    for lang in LANGS:
        lines = cli("why", "--lang", lang).stdout.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("1. "))
        block = lines[start + 1 : lines.index("", start)]
        assert block and all(line.startswith("   ") for line in block), block  # no column 0
        for above, line in itertools.pairwise(block):
            if not line.startswith(("   • ", "   → ", "   ↺ ")):  # a wrapped line hangs
                assert line.startswith("     ") and line[5] != " ", (above, line)
        assert max(len(line.rstrip()) for line in lines) <= width


def test_why_is_a_table_from_140_columns(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    cli.init("--expenses", "8000", "--wallet", "0")
    assert cli("borrow", "32000", "--yes").exit_code == 0
    monkeypatch.setenv("COLUMNS", "140")
    assert not any(line.startswith("1. ") for line in cli("why").stdout.splitlines())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_policy_show_fills_every_figure_whichever_way_a_switch_is_set(
    cli: Any, tmp_path: Path, lang: str
) -> None:
    from limitlab.core.policy import DEFAULT_POLICY, policy_to_dict

    flipped = {k: not v for k, v in policy_to_dict(DEFAULT_POLICY).items() if isinstance(v, bool)}
    assert "freeze_on_serious_delinquency" in flipped
    policy = tmp_path / "flipped.toml"
    policy.write_text("".join(f"{k} = {str(v).lower()}\n" for k, v in flipped.items()))
    for args in ([], ["--policy", str(policy)]):
        result = cli(*args, "policy", "show", "--lang", lang)
        assert result.exit_code == 0, result.output
        assert "{" not in result.stdout and "}" not in result.stdout, result.stdout


@pytest.mark.parametrize("lang", LANGS)
def test_a_line_never_breaks_inside_a_command_or_a_figure_nor_before_closing_punctuation(
    lang: str,
) -> None:
    """The typesetting rule itself (cli/render.py Typeset, Typesetting.breaks), on sentences
    that put every command, figure and closing mark at every place of a line, at 80, 100 and
    120 columns. Without the rule rich breaks at spaces (`limitlab` / `repay --all`) and in
    Chinese before `，` and `）`, and this fails."""
    import io

    from limitlab.cli.i18n import (
        restore_screen_state,
        screen_state,
        set_screen_account,
        set_screen_language,
    )
    from limitlab.cli.render import TextConsole
    from rich.text import Text

    from tests.conftest import _command

    if lang == "zh":
        sentence = (
            "然后还清全部欠款 ¥12,345.67（limitlab repay --all），再看 limitlab why，"
            "日期是 2026-03-05，额度使用率 1396%。还有 limitlab external repay Huabei。"
        )
        filler = "说"
    else:
        sentence = (
            "then repay everything, ¥12,345.67 (limitlab repay --all), and see limitlab why; "
            "on 2026-03-05 the limit rose by at most +50 %: limitlab external repay Huabei."
        )
        filler = "a "
    outer = screen_state()
    try:
        set_screen_language(lang)
        set_screen_account(None, _command())
        faults = []
        for width in WIDTHS:
            out = io.StringIO()
            console = TextConsole(file=out, width=width, color_system=None)
            for k in range(0, width // len(filler) + 1):
                console.print(Text(filler * k + sentence))
            faults += typesetting_faults(out.getvalue(), lang)
    finally:
        restore_screen_state(outer)
    assert faults == [], "\n".join(sorted(set(faults))[:20])


# --- the commands a lesson prints can be typed as they are (issue 14 item 1) ---------------------

#: A command a screen names, up to where its sentence goes on (a closing mark or the line end).
NAMED_COMMAND = re.compile(rf"limitlab (?:{COMMANDS})\b[^()（）\"，。；\n]*")


def test_every_command_a_lesson_prints_names_its_account_and_runs_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`scenario run` on the lesson's own file: each step's command, each command inside a
    step's screens and each command to go on with carries `--db` that file, and the ones to
    go on with run there as printed (exit 0). On the default account no --db is added."""
    import shlex

    from limitlab.cli.main import app
    from typer.testing import CliRunner

    monkeypatch.setenv("COLUMNS", "400")  # no line is wrapped: each command read whole
    runner = CliRunner()
    done = runner.invoke(app, ["scenario", "run", "overdue-spiral"])
    assert done.exit_code == 0, done.output
    said = done.stdout + done.stderr
    db = re.search(r"--db (\S+overdue-spiral\.db)", said)
    assert db, said
    path = db.group(1)
    assert str(Path(path).parent).endswith("lessons") and Path(path).exists()
    named = NAMED_COMMAND.findall(said)
    assert len(named) > 15, named
    assert [c for c in named if f"--db {path}" not in c and not c.startswith("limitlab init")] == []
    inside = [c for c in named if not c.startswith(("limitlab init", "limitlab status"))]
    assert any(c.startswith("limitlab repay --overdue") for c in inside), inside  # a why screen's
    go_on = [line.strip() for line in done.stderr.splitlines() if line.startswith("  limitlab ")]
    assert len(go_on) >= 5
    for line in go_on:
        words = shlex.split(line)
        assert words[0] == "limitlab"
        if words[1] == "chart":
            continue  # plotext, and covered in tests/test_teach.py
        result = runner.invoke(app, words[1:])
        assert result.exit_code == 0, (line, result.output)
    monkeypatch.setenv("LIMITLAB_DB", path)  # now the default: commands name no --db
    why = runner.invoke(app, ["why"]).stdout
    assert "(limitlab repay --all)" in why and "--db" not in why


def test_an_error_names_the_account_in_the_command_it_suggests(tmp_path: Path) -> None:
    from limitlab.cli.main import app
    from typer.testing import CliRunner

    missing = tmp_path / "nowhere.db"
    result = CliRunner().invoke(app, ["status", "--db", str(missing)])
    assert result.exit_code == 4
    assert f"Create one with: limitlab init --db {missing}" in result.stderr


@pytest.mark.parametrize("lang", LANGS)
def test_a_utilisation_above_the_limit_reads_as_a_share_and_says_why(
    cli: Any, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """¥16,855.60 owed under a ¥1,200.00 limit (cut below the debt) is 1404%: the value after
    its label, the unit in the label as the scorecard writes every unit (月收入（元）), and a
    sentence saying how it can be above 100%."""
    monkeypatch.setenv("COLUMNS", "120")
    cli.init("--expenses", "8000", "--wallet", "0")
    assert cli("borrow", "32000", "--yes").exit_code == 0
    assert cli("profile", "set", "--income", "1500").exit_code == 0  # the limit is cut
    data = cli.json("status")
    used, limit = data["used_fen"], data["limit_fen"]
    assert 0 < limit < used, data
    pct = 100 * used // limit  # floor, as a share of the limit
    out = cli("score", "--lang", lang).stdout
    label = re.escape("utilisation (%)" if lang == "en" else "额度使用率（%）")
    assert re.search(rf"{label}\s+{pct}\s", out), out
    assert "% " + str(pct) not in out
    over = "you owe more than your limit" if lang == "en" else "欠款已超过额度"
    assert f"{pct}%" in out.split(over)[0].splitlines()[-1] and over in out
    term = "utilisation" if lang == "en" else "使用率"
    glossary = " ".join(cli("glossary", term, "--lang", lang).stdout.split())
    said = "more than your" if lang == "en" else "超过额度"
    assert said in glossary and f"{pct}%" in glossary, glossary


# --- a plan out of reach says why and what would help (issue 14, plan on overdue-spiral) ---------


def test_a_plan_out_of_reach_says_the_most_reachable_and_that_amount_is_reachable(
    tmp_path: Path,
) -> None:
    """overdue-spiral ends frozen (limit ¥0, ¥16,855.60 owed). Repaying everything today and
    waiting for the review after three clean months (2026-07-04) brings the line back at
    ¥1,500.00 (the score held at 599 by the delinquency ceiling; a what-if shows it, apart from
    the plan search); a plan used to find nothing for such an amount because it repaid only on
    the day of borrowing, after that review had seen the debt. ¥5,000 is out of reach within
    the 180 days: the plan says so, names the most it reaches and the command to ask for it,
    and that command finds a plan."""
    from limitlab.cli.main import app
    from typer.testing import CliRunner

    runner = CliRunner()
    db = str(tmp_path / "spiral.db")
    assert runner.invoke(app, ["scenario", "run", "overdue-spiral", "--db", db]).exit_code == 0
    whatif = runner.invoke(
        app,
        ["what-if", "wallet deposit 20000", "repay --all", "advance --to 2026-07-04", "--db", db],
    )
    row = next(line for line in whatif.stdout.splitlines() if line.strip().startswith("Available"))
    assert row.split()[-1] == "¥1,500.00", whatif.stdout
    found = json.loads(runner.invoke(app, ["plan", "--need", "1500", "--db", db, "--json"]).stdout)
    assert (found["found"], found["ready_on"]) == (True, "2026-07-04"), found
    missed = json.loads(runner.invoke(app, ["plan", "--need", "5000", "--db", db, "--json"]).stdout)
    assert (missed["found"], missed["most_fen"], missed["most_on"]) == (
        False,
        150_000,
        "2026-07-04",
    )
    assert missed["until"] == "2026-09-04"  # 180 days after 2026-03-08
    for lang, words in (
        ("en", ("No plan by 2026-09-04 makes ¥5,000.00 available", "¥1,500.00, on 2026-07-04")),
        ("zh", ("到 2026-09-04 为止，没有方案能使 ¥5,000.00 可用", "最多能使 ¥1,500.00 可用")),
    ):
        out = " ".join(
            runner.invoke(
                app, ["plan", "--need", "5000", "--db", db, "--lang", lang]
            ).stdout.split()
        )
        assert all(w in out for w in words), out
        assert f"limitlab plan --need 1500.00 --db {db}" in out
    over = json.loads(
        runner.invoke(app, ["plan", "--need", "4500.01", "--db", db, "--json"]).stdout
    )
    assert over["found"] is False
