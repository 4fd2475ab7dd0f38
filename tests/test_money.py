"""Money: one parser for what users type, one formatter, half-up rounding."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from limitlab.core.money import (
    MAX_AMOUNT_FEN,
    AmountError,
    format_fen,
    parse_amount,
    round_fen,
    scale,
)


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("5000", 500_000),
        ("5000.5", 500_050),
        ("5000.50", 500_050),
        ("5,000", 500_000),
        ("¥5,000.50", 500_050),
        ("￥12", 1_200),
        ("0.01", 1),
        ("1,234,567.89", 123_456_789),
    ],
)
def test_parse_accepts_the_forms_users_type(text: str, fen: int) -> None:
    assert parse_amount(text) == fen


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("-1", "negative"),
        ("0", "zero"),
        ("0.00", "zero"),
        ("0.001", "decimals"),
        ("12.345", "decimals"),
        ("1e9999", "format"),
        ("NaN", "format"),
        ("inf", "format"),
        ("１２３", "format"),
        (" 12 ", "format"),
        ("12,34,5", "format"),
        ("abc", "format"),
        ("", "format"),
        ("1000000001", "too_large"),
    ],
)
def test_parse_refuses_bad_amounts_with_a_code(text: str, code: str) -> None:
    with pytest.raises(AmountError) as err:
        parse_amount(text)
    assert err.value.code == code


def test_zero_is_allowed_where_it_means_something() -> None:
    assert parse_amount("0", allow_zero=True) == 0


@pytest.mark.parametrize(
    ("fen", "text"),
    [(0, "¥0.00"), (1, "¥0.01"), (500_050, "¥5,000.50"), (-89_975, "-¥899.75")],
)
def test_format(fen: int, text: str) -> None:
    assert format_fen(fen) == text


@given(st.integers(min_value=1, max_value=MAX_AMOUNT_FEN))
def test_format_then_parse_is_the_identity(fen: int) -> None:
    assert parse_amount(format_fen(fen)) == fen


def test_rounding_is_half_up_to_the_fen() -> None:
    assert round_fen(Decimal("0.5")) == 1
    assert round_fen(Decimal("1.49")) == 1
    assert round_fen(Decimal("2.5")) == 3


def test_scale_rounds_limits_down_to_the_step() -> None:
    assert scale(3_000_000, Decimal("0.7"), 10_000) == 2_100_000
    assert scale(3_330_000, Decimal("0.7"), 10_000) == 2_330_000
