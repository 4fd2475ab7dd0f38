"""Words on screens (issue 14 item 5): every attribute, event kind, state, reason code,
yes/no and policy field has a label in English and Chinese; no bundled scenario's screen
shows a code name; Chinese text keeps no space after full-width punctuation."""

from __future__ import annotations

import dataclasses
import itertools
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
    return {name for _, name, _ in DEFAULT_POLICY.scorecard.attributes()}


@pytest.mark.parametrize("lang", LANGS)
def test_every_code_has_a_label_in_both_languages(lang: str) -> None:
    words = catalogue(lang).MESSAGES
    wanted = (
        {f"kind.{k}" for k in event_kinds()}
        | {f"attribute.{a}" for a in attributes()}
        | {f"reason.{c}.title" for c in reason_codes()}
        | {"value.yes", "value.no"}
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

SCREENS = (
    ("status", "--detail"),
    ("why",),
    ("score",),
    ("limits",),
    ("history",),
    ("notice",),
    ("schedule",),
    ("plan", "--need", "1000"),
    ("glossary",),
)
WIDTHS = (80, 100, 120)
#: Closing punctuation no Chinese line starts with (避头尾).
CLOSING = "。，、：；！？）」』】%"
#: Runs a line never splits: a command, an amount, a date, a rate.
WHOLE = re.compile(r"limitlab(?: [a-z][a-z-]*)+|[-+−]?¥[\d,]+\.\d\d|\d{4}-\d\d-\d\d|\d+(?:\.\d+)?%")


def typesetting_faults(screen: str) -> list[str]:
    faults = []
    lines = screen.splitlines()
    for line in lines:
        body = line.strip(" │┃|")
        if body[:1] and body[0] in CLOSING:
            faults.append(f"starts with closing punctuation: {line!r}")
        if FULL_WIDTH_THEN_SPACE.search(line):
            faults.append(f"space after full-width punctuation: {line!r}")
    for above, below in itertools.pairwise(lines):
        tail, head = above.rstrip()[-40:], below.lstrip()[:40]
        for gap in ("", " "):
            for run in WHOLE.finditer(tail + gap + head):
                if run.start() < len(tail) < run.end() - len(gap):
                    faults.append(f"split across lines: {tail!r} / {head!r}")
    return faults


@pytest.mark.parametrize("path", sorted((Path(__file__).parents[1] / "examples").glob("*.toml")))
def test_every_screen_of_every_bundled_scenario_is_typeset(
    tmp_path: Path, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each bundled scenario played once, then its screens in Chinese at 80, 100 and 120
    columns: no line starts with closing punctuation, no command or figure split across
    lines, no space after full-width punctuation, no code name; English: no code name."""
    from limitlab.cli.main import app
    from typer.testing import CliRunner

    db = tmp_path / "played.db"
    runner = CliRunner()
    played = runner.invoke(app, ["scenario", "run", str(path), "--db", str(db)])
    assert played.exit_code == 0, played.output
    faults: list[str] = []
    for screen in SCREENS:
        for lang, widths in (("zh", WIDTHS), ("en", (100,))):
            for width in widths:
                monkeypatch.setenv("COLUMNS", str(width))
                result = runner.invoke(app, ["--db", str(db), *screen, "--lang", lang])
                out = result.stdout
                where = f"{' '.join(screen)} --lang {lang} at {width}"
                faults += [f"{where}: code name {c!r}" for c in set(code_names(out))]
                if lang == "zh":
                    faults += [f"{where}: {f}" for f in typesetting_faults(out)]
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
