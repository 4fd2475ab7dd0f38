"""Labels a class reads (issue 14 item 5): states in words that agree with the app's own
message, the APR labels in the screen's language, the scorecard's bands and yes/no attributes
in words on `policy show` and `score`, the key-factor mark explained, and help screens'
defaults in the reader's language."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
import typer.main
from limitlab.cli.i18n import text
from limitlab.cli.main import app
from limitlab.cli.render import band_words, state_text
from limitlab.cli.views.policy import policy_groups
from limitlab.core import standing
from limitlab.core.policy import DEFAULT_POLICY, policy_to_dict
from typer.testing import CliRunner

LANGS = ("en", "zh")

#: The states the app has a message of its own for: the label says the same words.
SAME_AS_THE_APP = {
    "exhausted": "LIMIT_USED_UP",
    "suspended": "BORROWING_PAUSED",
    "frozen": "LIMIT_FROZEN",
    "not_eligible": "NO_LIMIT",
}


def states() -> set[str]:
    """Every state core names (the returns of standing.state_name)."""
    found = set(re.findall(r'return "([a-z_]+)"', inspect.getsource(standing.state_name)))
    assert {"active", "exhausted", "reduced", "not_eligible"} <= found
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_every_state_is_said_in_words_not_its_code(lang: str) -> None:
    for state in states():
        label = state_text(state, lang).plain
        assert label != state and "_" not in label, (state, label)
        if lang == "zh":
            assert not re.search(r"[A-Za-z]", label), (state, label)


@pytest.mark.parametrize("lang", LANGS)
def test_a_state_the_app_has_a_message_for_reads_as_that_message(lang: str) -> None:
    for state, code in SAME_AS_THE_APP.items():
        app_words = text(f"app.{code}", lang)
        assert state_text(state, lang).plain.casefold() == app_words.casefold(), state


def test_the_status_screen_says_limit_used_up_not_exhausted(cli: Any) -> None:
    cli.init()
    assert cli("borrow", "32000", "--yes").exit_code == 0
    assert cli.json("status")["state"] == "exhausted"  # JSON keeps the code
    en = cli("status", "--detail").stdout
    assert re.search(r"State +limit used up", en), en
    assert "exhausted" not in en
    zh = cli("status", "--lang", "zh").stdout
    assert re.search(r"状态 +额度已用完", zh), zh


def test_english_apr_labels_carry_no_chinese_and_chinese_ones_full_width_parentheses(
    cli: Any,
) -> None:
    cli.init()
    for args in (("status",), ("borrow", "5000", "--quote")):
        en = cli(*args).stdout
        assert re.search(r"APR \(simple\) +\d", en), en
        assert re.search(r"APR \(effective\) +\d", en), en
        apr_lines = [line for line in en.splitlines() if "APR" in line]
        assert len(apr_lines) == 2 and not re.search(r"[\u4e00-\u9fff]", "".join(apr_lines))
        zh = cli(*args, "--lang", "zh").stdout
        assert "年化利率（单利）" in zh and "实际年化利率（复利）" in zh
        assert "年化利率(" not in zh
    # the Chinese term has its place in the glossary entry
    assert "年化利率（单利）" in cli("glossary", "APR").stdout


@pytest.mark.parametrize(
    ("band", "en", "zh"),
    [
        ("<1", "0", "0"),
        ("<6", "0–5", "0–5"),
        ("90+", "90 or more", "90 及以上"),
        ("50–89", "50–89", "50–89"),
        ("2", "2", "2"),
        ("<2.5", "below 2.5", "低于 2.5"),
        ("2.5–<5", "2.5 to below 5", "2.5 至低于 5"),
        ("any", "any value", "任意取值"),
        ("yes", "yes", "是"),
        ("no", "no", "否"),
    ],
)
def test_a_scorecard_band_reads_in_words(band: str, en: str, zh: str) -> None:
    assert (band_words(band, "en"), band_words(band, "zh")) == (en, zh)


def test_policy_show_says_each_attribute_band_by_band_and_yes_no_in_words(cli: Any) -> None:
    en = cli("policy", "show").stdout
    zh = cli("policy", "show", "--lang", "zh").stdout
    flat_en, flat_zh = (" ".join(s.split()) for s in (en, zh))
    assert "real-name verified: no 0 points, yes 20 points" in flat_en
    assert "social insurance / housing fund: no 0 points, yes 20 points" in flat_en
    assert "实名认证：否 0 分，是 20 分" in flat_zh
    assert "社保/公积金：否 0 分，是 20 分" in flat_zh
    # the default worst-days-past-due bins: edges 1, 4, 30, 90; points 90, 40, 25, 18, 0
    assert (
        "worst days past due (24 months): 0 → 90 points, 1–3 → 40 points, 4–29 → 25 points, "
        "30–89 → 18 points, 90 or more → 0 points"
    ) in flat_en
    assert "额度使用率（%）：0–9 → 90 分，10–29 → 80 分" in flat_zh
    for screen in (flat_en, flat_zh):
        assert not re.search(r"<\d|\d\+|from \d+ /|分界|\.off\b", screen), screen
    assert "utilisation (%) with no history yet → 45 points" in flat_en
    # English rules in English: Chinese only in a source's title (a law is named as it is)
    groups = policy_groups(policy_to_dict(DEFAULT_POLICY), "en")
    lines = [line for _, group in groups for line in group]
    rules = [line.split("; source:")[0] for line in lines]
    assert [r for r in rules if re.search(r"[\u4e00-\u9fff]", r)] == []


def test_a_policy_scoring_a_yes_no_attribute_in_bands_still_shows_every_band(
    cli: Any, tmp_path: Any
) -> None:
    policy = tmp_path / "p.toml"
    policy.write_text(
        "[scorecard.identity]\nverified = { edges = [0.5], points = [0, 7] }\n", encoding="utf-8"
    )
    flat = " ".join(cli("--policy", str(policy), "policy", "show").stdout.split())
    assert "real-name verified: no 0 points, yes 7 points" in flat
    # a single bin (no edges): every value scores the same, said so
    single = "[scorecard.identity]\nverified = { edges = [], points = [20] }\n"
    policy.write_text(single, encoding="utf-8")
    flat = " ".join(cli("--policy", str(policy), "policy", "show").stdout.split())
    assert "real-name verified: any value → 20 points" in flat


@pytest.mark.parametrize(("lang", "mark"), [("en", "← key factor"), ("zh", "← 主要因素")])
def test_the_score_screen_explains_its_key_factor_mark(cli: Any, lang: str, mark: str) -> None:
    cli.init()
    screen = cli("score", "--lang", lang).stdout
    assert mark in screen
    note = [line for line in screen.splitlines() if line.startswith(mark.split()[0] + " ")]
    assert note, screen
    said = " ".join(screen[screen.index(note[0]) :].split())
    assert "limitlab why" in said
    assert ("furthest below its maximum" if lang == "en" else "距满分差距最大") in said
    # units in parentheses, as 月收入（元）: the value column is a bare figure
    assert ("utilisation (%)" if lang == "en" else "额度使用率（%）") in screen
    assert "utilisation %" not in screen and "额度使用率 %" not in screen


def test_no_chinese_help_screen_shows_an_english_default() -> None:
    runner = CliRunner()
    root = typer.main.get_command(app)

    def walk(command: Any, words: tuple[str, ...] = ()) -> Any:
        yield words
        if hasattr(command, "list_commands"):
            ctx = command.make_context("limitlab", [], resilient_parsing=True)
            for name in command.list_commands(ctx):
                yield from walk(command.get_command(ctx, name), (*words, name))

    seen = said = 0
    for words in walk(root):
        result = runner.invoke(app, ["--lang", "zh", *words, "-h"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        for default in re.findall(r"\[默认：([^\]]*)\]", result.output):
            seen += 1
            # a value one types (12, equal-installment, --verified) or a path; never words
            assert re.fullmatch(r"[\w./\-]+|[\u4e00-\u9fff]+/limitlab/[\w.]+", default), (
                words,
                default,
            )
            assert "user data" not in default
        said += "[默认：用户数据目录/limitlab/account.db]" in result.output
    assert seen > 20 and said > 20
