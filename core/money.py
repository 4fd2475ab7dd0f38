"""Money in integer fen (1/100 yuan), rates as Decimal: one parser, one formatter, one rounding."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

Fen = int

FEN_PER_YUAN = 100
#: The largest amount anyone can type: ¥1,000,000,000.00. Beyond it is a typo, not a loan.
MAX_AMOUNT_FEN: Fen = 100_000_000_000

_AMOUNT = re.compile(
    r"""
    [¥￥]?                              # an optional yuan sign (half or full width)
    (?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)   # 5000 or 5,000 (commas only in groups of three)
    (?:\.(?P<frac>[0-9]{1,2}))?         # up to two decimals
    """,
    re.VERBOSE | re.ASCII,
)


class AmountError(ValueError):
    """A user-typed amount that is not a valid sum of money; `code` names the problem."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(f"{code}: {text!r}")
        self.code = code
        self.text = text


def parse_amount(text: str, *, allow_zero: bool = False) -> Fen:
    """Parse `5000`, `5000.5`, `5,000.50` or `¥5,000.50` to fen; refuse anything else.

    Refused with an AmountError whose code is one of: `format` (not a number we accept,
    including full-width digits, exponents, NaN, spaces), `decimals` (more than two),
    `negative`, `zero`, `too_large`.
    """
    if text.startswith("-"):
        raise AmountError("negative", text)
    match = _AMOUNT.fullmatch(text)
    if match is None:
        if re.fullmatch(r"[¥￥]?[0-9,]*\.[0-9]{3,}", text, re.ASCII):
            raise AmountError("decimals", text)
        raise AmountError("format", text)
    digits = match["int"].replace(",", "")
    if len(digits) > 15:  # long before int() would choke on thousands of digits
        raise AmountError("too_large", text)
    whole = int(digits)
    frac = (match["frac"] or "").ljust(2, "0")
    if whole > MAX_AMOUNT_FEN // FEN_PER_YUAN:
        raise AmountError("too_large", text)
    fen = whole * FEN_PER_YUAN + int(frac or "0")
    if fen > MAX_AMOUNT_FEN:
        raise AmountError("too_large", text)
    if fen == 0 and not allow_zero:
        raise AmountError("zero", text)
    return fen


def format_fen(fen: Fen, *, sign: bool = False) -> str:
    """`¥5,000.50`; negative amounts as `-¥5,000.50`; `sign=True` adds `+` to positives."""
    prefix = "-" if fen < 0 else ("+" if sign and fen > 0 else "")
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{prefix}¥{whole:,}.{cents:02d}"


def plain_yuan(fen: Fen) -> str:
    """`1100.03` — an amount as a person would type it back in (no sign, no commas)."""
    whole, cents = divmod(fen, FEN_PER_YUAN)
    return f"{whole}.{cents:02d}"


def round_fen(value: Decimal) -> Fen:
    """Round a computed amount in fen half-up to a whole fen (done once per computed amount)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def floor_to(fen: Fen, step: Fen) -> Fen:
    """Round an amount down to a multiple of `step` (limits are whole hundreds of yuan)."""
    return (fen // step) * step


def scale(fen: Fen, factor: Decimal, step: Fen) -> Fen:
    """`fen × factor`, rounded down to a multiple of `step`."""
    return floor_to(int((Decimal(fen) * factor).to_integral_value(rounding="ROUND_FLOOR")), step)


def format_percent(rate: Decimal, places: int = 2) -> str:
    """`Decimal('0.1440')` → `14.40%`."""
    quantum = Decimal(1).scaleb(-places)
    return f"{(rate * 100).quantize(quantum, rounding=ROUND_HALF_UP)}%"


def rate_str(rate: Decimal, places: int = 4) -> str:
    """A rate as the decimal string JSON carries: `Decimal('0.144')` → `"0.1440"`."""
    return str(rate.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
