"""A cohort in words, from its parsed form, for every field and comparison, in both
languages; screens show no cohort expression."""

from __future__ import annotations

import json
from typing import Any

import pytest
from limitlab.cli.render import cohort_text

W = [
    ("score<800", "accounts with a score below 800", "信用分低于 800 的客群"),
    ("score<=800", "accounts with a score of 800 or below", "信用分不高于 800 的客群"),
    ("score>700", "accounts with a score above 700", "信用分高于 700 的客群"),
    ("score>=700", "accounts with a score of 700 or above", "信用分不低于 700 的客群"),
    ("score==695", "accounts with a score of exactly 695", "信用分为 695 的客群"),
    ("score!=695", "accounts with a score other than 695", "信用分不为 695 的客群"),
    ("dti<0.3", "accounts with debt-to-income below 30%", "负债收入比低于 30% 的客群"),
    ("dti<=0.3", "accounts with debt-to-income of 30% or below", "负债收入比不高于 30% 的客群"),
    ("dti>0.5", "accounts with debt-to-income above 50%", "负债收入比高于 50% 的客群"),
    ("dti>=0.55", "accounts with debt-to-income of 55% or above", "负债收入比不低于 55% 的客群"),
    ("dti==1", "accounts with debt-to-income of exactly 100%", "负债收入比为 100% 的客群"),
    ("dti!=0", "accounts with debt-to-income other than 0%", "负债收入比不为 0% 的客群"),
    (
        "lenders<2",
        "accounts with loans at fewer than 2 other lenders",
        "在少于 2 家其他机构有借款的客群",
    ),
    (
        "lenders<=2",
        "accounts with loans at 2 or fewer other lenders",
        "在 2 家及以下其他机构有借款的客群",
    ),
    (
        "lenders>2",
        "accounts with loans at more than 2 other lenders",
        "在超过 2 家其他机构有借款的客群",
    ),
    (
        "lenders>=3",
        "accounts with loans at 3 or more other lenders",
        "在 3 家及以上其他机构有借款的客群",
    ),
    (
        "lenders==1",
        "accounts with loans at exactly 1 other lender",
        "恰好在 1 家其他机构有借款的客群",
    ),
    (
        "lenders!=1",
        "accounts with loans at a number of other lenders other than 1",
        "有借款的其他机构不是 1 家的客群",
    ),
    ("income<5000", "accounts with a monthly income below ¥5,000", "月收入低于 ¥5,000 的客群"),
    (
        "income<=5000",
        "accounts with a monthly income of ¥5,000 or below",
        "月收入不高于 ¥5,000 的客群",
    ),
    (
        "income>12000.5",
        "accounts with a monthly income above ¥12,000.50",
        "月收入高于 ¥12,000.50 的客群",
    ),
    (
        "income>=8000",
        "accounts with a monthly income of ¥8,000 or above",
        "月收入不低于 ¥8,000 的客群",
    ),
    ("income==8000", "accounts with a monthly income of exactly ¥8,000", "月收入为 ¥8,000 的客群"),
    (
        "income!=8000",
        "accounts with a monthly income other than ¥8,000",
        "月收入不为 ¥8,000 的客群",
    ),
    (
        "lenders>=3 and dti>0.5",
        "accounts with loans at 3 or more other lenders and debt-to-income above 50%",
        "在 3 家及以上其他机构有借款且负债收入比高于 50% 的客群",
    ),
    (
        "score<600 or lenders>=3 and dti>0.5",
        "accounts with a score below 600 or (loans at 3 or more other lenders and"
        " debt-to-income above 50%)",
        "信用分低于 600 或（在 3 家及以上其他机构有借款且负债收入比高于 50%）的客群",
    ),
    # `not` is pushed down to the comparisons: not (a and b) = not a or not b.
    (
        "not (score<600 and income>=8000)",
        "accounts with a score of 600 or above or a monthly income below ¥8,000",
        "信用分不低于 600 或月收入低于 ¥8,000 的客群",
    ),
    ("not not score<650", "accounts with a score below 650", "信用分低于 650 的客群"),
    (None, "every account", "所有账户"),
]


@pytest.mark.parametrize(("expr", "en", "zh"), W, ids=[str(w[0]) for w in W])
def test_a_cohort_in_words(expr: str | None, en: str, zh: str) -> None:
    assert cohort_text(expr, "en") == en
    assert cohort_text(expr, "zh") == zh


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "accounts with loans at 3 or more other lenders and debt-to-income above 50%"),
        ("zh", "在 3 家及以上其他机构有借款且负债收入比高于 50% 的客群"),
    ],
)
def test_the_screens_word_the_cohort(
    cli: Any, lang: str, words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """why, notice, limits and platform list: no expression on screen (a table wraps the
    words across its lines, so the words themselves are asserted in the --json texts)."""
    monkeypatch.setenv("COLUMNS", "300")
    cli.init("--income", "10000")
    for lender, monthly in (("Huabei", "1800"), ("JD", "1800"), ("WeLoan", "1800")):
        ok = cli("external", "add", "--lender", lender, "--balance", "20000", "--monthly", monthly)
        assert ok.exit_code == 0, ok.output
    expr = "lenders>=3 and dti>0.5"
    ok = cli("platform", "tighten", "--factor", "0.8", "--days", "10", "--cohort", expr)
    assert ok.exit_code == 0, ok.output
    for args in (("why",), ("notice",), ("limits",), ("platform", "list")):
        shown = cli(*args, "--lang", lang)
        assert shown.exit_code == 0, shown.output
        flat = " ".join(shown.stdout.split())
        assert not any(code in flat for code in ("lenders>=", "dti>", ">=3", " and dti")), args
    texts = json.dumps(cli.json("why", "--lang", lang), ensure_ascii=False)
    assert words in texts
    notice = cli.json("notice", "--lang", lang)
    assert any(words in line for line in notice["cohort_wide"]), notice["cohort_wide"]
    cut = cli.json("limits", "--lang", lang)[-1]
    assert [e["code"] for e in cut["attribution"]] == ["PLATFORM_POLICY"]
    assert words in cut["attribution"][0]["evidence"][0]["text"]
