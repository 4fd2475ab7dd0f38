"""The Policy: every number of the credit rules in one validated object, overridable from TOML.

The classes are plain frozen dataclasses so that reading them costs nothing; pydantic
validates them (through a TypeAdapter) only when a policy comes from outside: a user's TOML
file or a database. Amounts are in fen, rates and factors are Decimal.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

if TYPE_CHECKING:
    import annotated_types as at

    Points = Annotated[int, at.Ge(0), at.Le(600)]
    Factor = Annotated[Decimal, at.Gt(0), at.Le(1)]
    Share = Annotated[Decimal, at.Ge(0), at.Le(10)]
    Count = Annotated[int, at.Ge(0)]
    Days = Annotated[int, at.Ge(1), at.Le(36500)]


def _constraint_names() -> None:
    """Define the names the field annotations use (`at`, `Points`, …) when pydantic is about to
    read them. The annotations are strings (postponed), so a run that never validates a policy
    never imports annotated_types."""
    if "at" in globals():
        return
    import annotated_types as at

    globals().update(
        at=at,
        Points=Annotated[int, at.Ge(0), at.Le(600)],
        Factor=Annotated[Decimal, at.Gt(0), at.Le(1)],
        Share=Annotated[Decimal, at.Ge(0), at.Le(10)],
        Count=Annotated[int, at.Ge(0)],
        Days=Annotated[int, at.Ge(1), at.Le(36500)],
    )


_FORBID = {"extra": "forbid"}


@dataclass(frozen=True)
class Bins:
    """A scorecard attribute: `points[i]` for values below `edges[i]`; the last for the rest."""

    __pydantic_config__ = _FORBID
    edges: tuple[Decimal, ...]
    points: tuple[Points, ...]

    def __post_init__(self) -> None:
        if len(self.points) != len(self.edges) + 1:
            raise ValueError("points must have exactly one more entry than edges")
        if any(b <= a for a, b in zip(self.edges, self.edges[1:], strict=False)):
            raise ValueError("edges must increase")

    def index(self, value: Decimal) -> int:
        """The bin a value falls in."""
        for i, edge in enumerate(self.edges):
            if value < edge:
                return i
        return len(self.edges)

    @property
    def max_points(self) -> int:
        return max(self.points)


def _bins(edges: list[int | str], points: list[int]) -> Bins:
    return Bins(tuple(Decimal(e) for e in edges), tuple(points))


@dataclass(frozen=True)
class HistoryCard:
    __pydantic_config__ = _FORBID
    worst_dpd_24m: Bins = field(default_factory=lambda: _bins([1, 4, 30, 90], [70, 45, 20, 5, 0]))
    on_time_installments: Bins = field(
        default_factory=lambda: _bins([1, 6, 12, 24], [0, 20, 40, 60, 80])
    )
    account_age_months: Bins = field(
        default_factory=lambda: _bins([6, 12, 24, 48], [0, 15, 30, 45, 60])
    )


@dataclass(frozen=True)
class BehaviourCard:
    __pydantic_config__ = _FORBID
    utilisation_pct: Bins = field(
        default_factory=lambda: _bins([10, 30, 50, 90], [50, 47, 44, 40, 35])
    )
    applications_30d: Bins = field(default_factory=lambda: _bins([2, 3, 5], [40, 25, 10, 0]))
    other_lenders: Bins = field(default_factory=lambda: _bins([1, 2, 3, 5], [60, 45, 30, 10, 0]))


@dataclass(frozen=True)
class CapacityCard:
    __pydantic_config__ = _FORBID
    monthly_income_yuan: Bins = field(
        default_factory=lambda: _bins(
            [3000, 5000, 8000, 12000, 20000, 50000], [0, 10, 20, 30, 45, 60, 70]
        )
    )
    dti_pct: Bins = field(default_factory=lambda: _bins([10, 30, 50, 70], [50, 40, 25, 10, 0]))


@dataclass(frozen=True)
class IdentityCard:
    __pydantic_config__ = _FORBID
    verified: Bins = field(default_factory=lambda: _bins([1], [0, 30]))
    employment_months: Bins = field(
        default_factory=lambda: _bins([6, 12, 36, 60], [0, 5, 15, 25, 35])
    )
    social_insurance: Bins = field(default_factory=lambda: _bins([1], [0, 25]))


@dataclass(frozen=True)
class SocialCard:
    __pydantic_config__ = _FORBID
    trust: Bins = field(default_factory=lambda: _bins([20, 40, 60, 80], [0, 5, 10, 20, 30]))


@dataclass(frozen=True)
class Scorecard:
    """Five dimensions; their maximum points are the teaching weights (35/25/20/15/5 % of 600)."""

    __pydantic_config__ = _FORBID
    history: HistoryCard = field(default_factory=HistoryCard)
    behaviour: BehaviourCard = field(default_factory=BehaviourCard)
    capacity: CapacityCard = field(default_factory=CapacityCard)
    identity: IdentityCard = field(default_factory=IdentityCard)
    social: SocialCard = field(default_factory=SocialCard)

    def attributes(self) -> list[tuple[str, str, Bins]]:
        """(dimension, attribute, bins) in display order."""
        out: list[tuple[str, str, Bins]] = []
        for dim in ("history", "behaviour", "capacity", "identity", "social"):
            card = getattr(self, dim)
            for name in card.__dataclass_fields__:
                if not name.startswith("__"):
                    out.append((dim, name, getattr(card, name)))
        return out

    def dimension_max(self, dimension: str) -> int:
        return sum(b.max_points for d, _, b in self.attributes() if d == dimension)


@dataclass(frozen=True)
class Tier:
    """A score tier: from `min_score` up, its cap, its income multiple and its daily rate."""

    __pydantic_config__ = _FORBID
    min_score: Annotated[int, at.Ge(350), at.Le(950)]
    cap_fen: Annotated[int, at.Ge(0)]
    income_multiple: Annotated[Decimal, at.Ge(0), at.Le(24)]
    daily_rate: Annotated[Decimal, at.Gt(0), at.Lt(Decimal("0.01"))]


@dataclass(frozen=True)
class Step:
    """A risk cut that applies from a threshold on: `factor` when value ≥ (or >) `threshold`."""

    __pydantic_config__ = _FORBID
    threshold: Share
    factor: Factor


def _default_tiers() -> tuple[Tier, ...]:
    return (
        Tier(550, 500_000, Decimal(1), Decimal("0.0006")),
        Tier(600, 2_000_000, Decimal(2), Decimal("0.0005")),
        Tier(650, 5_000_000, Decimal(3), Decimal("0.0004")),
        Tier(700, 10_000_000, Decimal(4), Decimal("0.0003")),
        Tier(750, 20_000_000, Decimal(4), Decimal("0.0002")),
    )


@dataclass(frozen=True)
class Policy:
    """Every default number of DESIGN §3. Fields are grouped by the rule they drive."""

    __pydantic_config__ = _FORBID
    # Score
    score_base: Annotated[int, at.Ge(0)] = 350
    score_max: Annotated[int, at.Ge(1)] = 950
    scorecard: Scorecard = field(default_factory=Scorecard)
    score_bands: tuple[tuple[int, str], ...] = (
        (350, "poor"),
        (550, "fair"),
        (600, "good"),
        (650, "very_good"),
        (700, "excellent"),
    )
    applications_window_days: Days = 30
    # Limit
    tiers: tuple[Tier, ...] = field(default_factory=_default_tiers)
    regulatory_cap_fen: Annotated[int, at.Ge(0)] = 20_000_000
    regulatory_income_months: Annotated[int, at.Ge(1), at.Le(120)] = 4  # ⅓ of annual income
    limit_step_fen: Annotated[int, at.Ge(1)] = 10_000
    multi_lender_cuts: tuple[Step, ...] = (
        Step(Decimal(3), Decimal("0.7")),
        Step(Decimal(5), Decimal("0.4")),
    )
    high_dti_cuts: tuple[Step, ...] = (
        Step(Decimal("0.5"), Decimal("0.7")),
        Step(Decimal("0.7"), Decimal("0.4")),
    )
    credit_record_factor: Factor = Decimal("0.5")
    credit_record_scored_months: Annotated[int, at.Ge(1), at.Le(120)] = 24
    credit_record_kept_years: Annotated[int, at.Ge(1), at.Le(20)] = 5
    raise_max_fraction: Annotated[Decimal, at.Ge(0), at.Le(10)] = Decimal("0.5")
    raise_clean_months: Annotated[int, at.Ge(0), at.Le(120)] = 3
    review_interval_days: Days = 30
    income_drop_fraction: Annotated[Decimal, at.Gt(0), at.Lt(1)] = Decimal("0.3")
    # Borrowing
    terms: tuple[Annotated[int, at.Ge(1), at.Le(60)], ...] = (3, 6, 12)
    min_borrow_fen: Annotated[int, at.Ge(1)] = 10_000
    drawdown_max_dti: Share = Decimal("0.7")
    frequent_applications: Annotated[int, at.Ge(1)] = 3
    frequent_window_days: Days = 7
    cooloff_days: Days = 14
    # Overdue
    penalty_multiplier: Annotated[Decimal, at.Ge(1), at.Le(10)] = Decimal("1.5")
    grace_days: Annotated[int, at.Ge(0), at.Le(365)] = 3
    cut_to_outstanding_dpd: Days = 30
    close_dpd: Days = 90
    # Disclosure
    apr_warn: Share = Decimal("0.24")

    def tier_for(self, score: int) -> Tier | None:
        """The highest tier whose minimum the score reaches; None below eligibility."""
        found: Tier | None = None
        for tier in self.tiers:
            if score >= tier.min_score:
                found = tier
        return found

    @property
    def eligibility_min_score(self) -> int:
        return self.tiers[0].min_score

    def band_for(self, score: int) -> str:
        name = self.score_bands[0][1]
        for low, band in self.score_bands:
            if score >= low:
                name = band
        return name


#: No policy may price above this APR (the 36 % line of Chinese consumer-lending rules); it is
#: not a policy setting, so a policy file cannot lift it.
APR_CEILING = Decimal("0.36")


class PolicyError(ValueError):
    """A policy that cannot be used; `key` is the dotted path of the offending setting."""

    def __init__(
        self, key: str, problem: str, kind: str = "", params: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem
        #: A catalogue key under `validation.` when the problem has one (else only `problem`).
        self.kind = kind
        self.params = params or {}


DEFAULT_POLICY = Policy()


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    """A JSON/TOML-friendly dict (Decimals as strings) that `policy_from_dict` reads back."""
    return json.loads(json.dumps(asdict(policy), default=str))  # type: ignore[no-any-return]


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def policy_from_dict(overrides: dict[str, Any]) -> Policy:
    """Validate `overrides` laid over the defaults; PolicyError names the first bad key."""
    from pydantic import TypeAdapter, ValidationError

    _constraint_names()
    data = _deep_merge(policy_to_dict(DEFAULT_POLICY), overrides)
    try:
        policy = TypeAdapter(Policy).validate_python(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "policy"
        raise PolicyError(key, err["msg"], err["type"], dict(err.get("ctx") or {})) from None
    _check_consistency(policy)
    return policy


def policy_from_stored(data: dict[str, Any]) -> Policy:
    """A policy limitlab stored itself (validated when it came in): decoded without pydantic,
    so an account keeps its own numbers even when a later limitlab changes the defaults."""
    if data == policy_to_dict(DEFAULT_POLICY):
        return DEFAULT_POLICY
    from .model import from_jsonable

    _constraint_names()  # the decoder reads the field annotations, which name them
    try:
        policy: Policy = from_jsonable(Policy, data)
    except (TypeError, ValueError, KeyError, ArithmeticError):
        return policy_from_dict(data)
    return policy


def _check_consistency(policy: Policy) -> None:
    if not policy.tiers:
        raise PolicyError("tiers", "at least one tier is needed", "no_tiers")
    mins = [t.min_score for t in policy.tiers]
    if mins != sorted(set(mins)):
        raise PolicyError("tiers", "min_score must increase from tier to tier", "tiers_order")
    for i, tier in enumerate(policy.tiers):
        apr = tier.daily_rate * 360
        if apr > APR_CEILING:
            raise PolicyError(
                f"tiers.{i}.daily_rate",
                f"APR {apr * 100:.2f}% is above the {APR_CEILING * 100:.0f}% ceiling",
                "apr_ceiling",
                {"apr": f"{apr * 100:.2f}%", "ceiling": f"{APR_CEILING * 100:.0f}%"},
            )
    total = sum(b.max_points for _, _, b in policy.scorecard.attributes())
    if policy.score_base + total > policy.score_max:
        raise PolicyError(
            "scorecard",
            f"the points add up to {total}, more than score_max − score_base",
            "points_sum",
            {"total": total},
        )
    if policy.close_dpd <= policy.cut_to_outstanding_dpd:
        raise PolicyError(
            "close_dpd", "must be greater than cut_to_outstanding_dpd", "close_after_cut"
        )


def load_policy_file(path: str) -> Policy:
    """Read a TOML policy file laid over the defaults."""
    import tomllib

    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError("toml", str(exc)) from None
    return policy_from_dict(data)
