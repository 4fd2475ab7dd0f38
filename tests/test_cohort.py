"""Cohort expressions for platform measures: parsed, never eval'd; bad ones are exit 2."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from limitlab.cli.i18n import has
from limitlab.core import commands as c
from limitlab.core.cohort import MAX_DEPTH, MAX_LENGTH, CohortError, parse_cohort
from limitlab.core.engine import DomainError
from limitlab.core.limits import cohort_values

TIGHTEN = ("platform", "tighten", "--factor", "0.5", "--days", "30", "--cohort")


def values(score: int = 700, dti: str = "0", lenders: int = 0, income: int = 10_000) -> Any:
    return {
        "score": Decimal(score),
        "dti": Decimal(dti),
        "lenders": Decimal(lenders),
        "income": Decimal(income),
    }


@pytest.mark.parametrize(
    ("expr", "account", "expected"),
    [
        ("score<650", values(score=649), True),
        ("score<650", values(score=650), False),
        ("score <= 650", values(score=650), True),
        ("score==695", values(score=695), True),
        ("score!=695", values(score=695), False),
        ("income>12000.5", values(income=12_001), True),
        ("lenders>=3 and dti>0.5", values(lenders=3, dti="0.51"), True),
        ("lenders>=3 and dti>0.5", values(lenders=3, dti="0.5"), False),
        ("lenders>=3 and dti>0.5", values(lenders=2, dti="0.9"), False),
        ("not (income>=20000) or score<600", values(income=19_999, score=700), True),
        ("not (income>=20000) or score<600", values(income=20_000, score=700), False),
        ("not (income>=20000) or score<600", values(income=20_000, score=599), True),
        # `and` binds tighter than `or`; `not` tighter than both.
        ("score<600 or lenders>=3 and dti>0.5", values(score=599, lenders=0), True),
        ("score<600 or lenders>=3 and dti>0.5", values(score=700, lenders=3, dti="0.2"), False),
        ("not score<600 and lenders<1", values(score=700, lenders=0), True),
        ("  (score<650)  ", values(score=600), True),
    ],
)
def test_valid_expressions_evaluate(expr: str, account: Any, expected: bool) -> None:
    assert parse_cohort(expr)(account) is expected


@pytest.mark.parametrize(
    "expr",
    [
        "score <",
        "foo>1",
        "__import__('os')",
        "score<650;",
        "",
        "   ",
        "score<650 and",
        "(score<650",
        "score<650)",
        "score<<650",
        "score<abc",
        "650>score",
        "score 650",
        "score<650 AND dti>0.5",
        "score<1e3",
    ],
)
def test_bad_expressions_raise_cohort_error(expr: str) -> None:
    with pytest.raises(CohortError):
        parse_cohort(expr)


@pytest.mark.parametrize("expr", ["score<NaN", "score<Infinity"])
def test_special_decimal_words_are_not_numbers(expr: str) -> None:
    with pytest.raises(CohortError):
        parse_cohort(expr)


def test_cohort_values_are_score_dti_lenders_and_income_in_yuan(sim: Any) -> None:
    s = sim(monthly_income_fen=1_000_000, social_insurance=False, employment_months=6, trust=40)
    s.do(c.ExternalAdd("Huabei", 600_000, 300_000))
    assert cohort_values(s.state) == {
        "score": Decimal(655),
        "dti": Decimal("0.3"),
        "lenders": Decimal(1),
        "income": Decimal(10_000),
    }


def test_a_tightening_applies_only_to_accounts_in_its_cohort(sim: Any) -> None:
    stretched = sim(monthly_income_fen=1_000_000)
    relaxed = sim(monthly_income_fen=1_000_000)
    for lender in ("A", "B", "C"):
        stretched.do(c.ExternalAdd(lender, 1_000_000, 200_000))  # DTI 60 %
        relaxed.do(c.ExternalAdd(lender, 1_000_000, 20_000))  # DTI 6 %
    tighten = c.Tighten(Decimal("0.5"), 30, "lenders>=3 and dti>0.5")

    assert stretched.state.limit_fen == 1_470_000  # ¥30,000 × 0.7 (lenders) × 0.7 (DTI)
    stretched.do(tighten)
    cut = [x for x in stretched.state.decision.steps if x.code == "PLATFORM_POLICY"]
    assert [x.detail["cohort"] for x in cut] == ["lenders>=3 and dti>0.5"]
    assert stretched.state.limit_fen == 730_000  # halved, rounded down to ¥100

    before = relaxed.state.limit_fen
    relaxed.do(tighten)
    assert "PLATFORM_POLICY" not in relaxed.state.decision.codes
    assert relaxed.state.limit_fen == before


def test_the_engine_refuses_a_bad_cohort_and_records_nothing(sim: Any) -> None:
    s = sim()
    with pytest.raises(DomainError) as caught:
        s.do(c.Tighten(Decimal("0.5"), 30, "score<650;"))
    assert caught.value.code == "bad_cohort"
    assert s.state.measures == []


@pytest.mark.parametrize("expr", ["score <", "foo>1", "__import__('os')", "score<650;", ""])
def test_a_bad_cohort_via_cli_exits_2_with_a_clear_message_and_changes_nothing(
    cli: Any, expr: str
) -> None:
    cli.init(
        "--income", "10000", "--no-social-insurance", "--employment-months", "6", "--trust", "40"
    )
    before = (cli.json("status"), cli.json("limits"), cli.json("history"))

    result = cli(*TIGHTEN, expr)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"Cannot read the cohort '{expr}'" in result.stderr
    assert "score<650" in result.stderr  # it shows a valid example

    assert cli.json("platform", "list") == []
    assert (cli.json("status"), cli.json("limits"), cli.json("history")) == before


def test_a_valid_cohort_via_cli_is_listed_with_its_expression(cli: Any) -> None:
    cli.init(
        "--income", "10000", "--no-social-insurance", "--employment-months", "6", "--trust", "40"
    )
    assert cli(*TIGHTEN, "lenders>=3 and dti>0.5").exit_code == 0
    (measure,) = cli.json("platform", "list")
    assert (measure["cohort"], measure["factor"], measure["active"]) == (
        "lenders>=3 and dti>0.5",
        "0.5",
        True,
    )
    assert cli.json("status")["limit_fen"] == 3_000_000  # nobody in it: no lenders


def test_a_nan_cohort_via_cli_exits_2(cli: Any) -> None:
    cli.init(
        "--income", "10000", "--no-social-insurance", "--employment-months", "6", "--trust", "40"
    )
    result = cli(*TIGHTEN, "score<NaN")
    assert result.exit_code == 2, result.output
    assert cli.json("platform", "list") == []


# --- limits (issue 11 §12, §13) ---------------------------------------------------------------


def test_flat_comparisons_do_not_count_as_nesting() -> None:
    """The depth counter never went down: 61 comparisons side by side read as 61 levels."""
    flat = " and ".join(["score>1"] * 61)
    assert parse_cohort(flat)(values(score=2)) is True
    assert parse_cohort(flat)(values(score=1)) is False
    assert parse_cohort(" or ".join(["score<1"] * 60 + ["lenders>=3"]))(values(lenders=3))
    nested_then_flat = "(" * 40 + "score>1" + ")" * 40 + " and score>1" * 60
    assert parse_cohort(nested_then_flat)(values(score=2)) is True


@pytest.mark.parametrize(("opening", "closing"), [("not ", ""), ("(", ")")])
def test_nesting_deeper_than_max_depth_is_refused(opening: str, closing: str) -> None:
    def nested(levels: int) -> str:
        """Each `not` or parenthesis is a level, and so is the comparison inside them."""
        return opening * (levels - 1) + "score<1" + closing * (levels - 1)

    parse_cohort(nested(MAX_DEPTH))
    with pytest.raises(CohortError) as caught:
        parse_cohort(nested(MAX_DEPTH + 1))
    assert (caught.value.code, caught.value.params) == ("too_deep", {"depth": MAX_DEPTH})


def test_an_expression_longer_than_the_limit_is_refused_at_once() -> None:
    assert len(" " * (MAX_LENGTH - 9) + "score<650") == MAX_LENGTH
    assert parse_cohort(" " * (MAX_LENGTH - 9) + "score<650")(values(score=600)) is True
    with pytest.raises(CohortError) as caught:
        parse_cohort(" " * (MAX_LENGTH - 8) + "score<650")
    assert (caught.value.code, caught.value.params) == (
        "too_long",
        {"length": MAX_LENGTH + 1, "max_length": MAX_LENGTH},
    )
    assert has("cohort.too_long")
    with pytest.raises(CohortError) as caught:
        parse_cohort("x" * 100_000)  # not read at all: refused for its length
    assert caught.value.code == "too_long"


def test_the_engine_refuses_a_cohort_too_long(sim: Any) -> None:
    s = sim()
    with pytest.raises(DomainError) as caught:
        s.do(c.Tighten(Decimal("0.5"), 30, "score<650 and " * 1000 + "score<650"))
    assert caught.value.params["problem_key"] == "cohort.too_long"
    assert s.state.measures == []


@pytest.mark.parametrize("expr", ["score<650\nand lenders>3", "score<650\r", "score<650\x0b"])
def test_a_cohort_is_one_line(expr: str) -> None:
    with pytest.raises(CohortError):
        parse_cohort(expr)
    assert parse_cohort("score<650\tand\tlenders>=0")(values(score=600)) is True
