"""The commands a person can give: the inputs the engine applies and the log records, in order."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from .model import METHODS, Method, Profile, from_jsonable, to_jsonable
from .money import Fen
from .records import record


@record(frozen=True)
class Open:
    """授信: open the account with a profile; the first review grants the limit."""

    profile: Profile
    wallet_fen: Fen
    start: date
    policy: dict[str, Any] | None = None


@record(frozen=True)
class Borrow:
    """支用: draw `amount_fen` over `term` months, repaid by `method`."""

    amount_fen: Fen
    term: int
    method: Method


@record(frozen=True)
class Repay:
    """Repay an amount (`mode="amount"`), everything (`"all"`), or what is overdue."""

    mode: Literal["amount", "all", "overdue"]
    amount_fen: Fen | None = None
    loan_id: int | None = None


@record(frozen=True)
class Wallet:
    """Move the person's own cash in or out of the wallet."""

    direction: Literal["deposit", "withdraw"]
    amount_fen: Fen


@record(frozen=True)
class Advance:
    """Let simulated time pass up to and including `until`."""

    until: date


@record(frozen=True)
class SetProfile:
    """Change what the person declares; unset fields stay as they are."""

    monthly_income_fen: Fen | None = None
    monthly_expenses_fen: Fen | None = None
    employment_months: int | None = None
    verified: bool | None = None
    social_insurance: bool | None = None
    trust: int | None = None
    payday: int | None = None


@record(frozen=True)
class ExternalAdd:
    """A loan at another lender, with its balance and monthly payment."""

    lender: str
    balance_fen: Fen
    monthly_fen: Fen
    #: Its simple annual rate (None: the policy's external_apr) and payment day (None: payday).
    apr: Decimal | None = None
    due_day: int | None = None


@record(frozen=True)
class ExternalRepay:
    """Repay another lender, in full (`amount_fen=None`) or in part, from the wallet; with
    `arrears`, exactly the payments it is owed that are late."""

    lender: str
    amount_fen: Fen | None = None
    arrears: bool = False


@record(frozen=True)
class Tighten:
    """A platform risk-policy tightening: limits × `factor` for `days` for a cohort."""

    factor: Decimal
    days: int
    cohort: str | None = None


@record(frozen=True)
class Maintenance:
    """A platform maintenance window: borrowing paused for everyone for `days`."""

    days: int


@record(frozen=True)
class SetPolicy:
    """Replace the account's policy (overrides laid over the defaults)."""

    policy: dict[str, Any]


Command = (
    Open
    | Borrow
    | Repay
    | Wallet
    | Advance
    | SetProfile
    | ExternalAdd
    | ExternalRepay
    | Tighten
    | Maintenance
    | SetPolicy
)

__all__ = ["METHODS"]

KINDS: dict[str, type[Any]] = {
    "open": Open,
    "borrow": Borrow,
    "repay": Repay,
    "wallet": Wallet,
    "advance": Advance,
    "profile": SetProfile,
    "external_add": ExternalAdd,
    "external_repay": ExternalRepay,
    "tighten": Tighten,
    "maintenance": Maintenance,
    "policy": SetPolicy,
}
_NAMES = {cls: name for name, cls in KINDS.items()}


def command_kind(command: Command) -> str:
    return _NAMES[type(command)]


def encode(command: Command) -> dict[str, Any]:
    return to_jsonable(command)  # type: ignore[no-any-return]


def decode(kind: str, data: dict[str, Any]) -> Command:
    return from_jsonable(KINDS[kind], data)  # type: ignore[no-any-return]
