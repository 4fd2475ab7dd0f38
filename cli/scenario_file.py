"""Scenario files: a scripted lesson (TOML) of the CLI's own commands, with narration and
expectations, validated with pydantic so an error points at the step and key.

A step either does something (`do = "borrow 30000 --term 12 --yes"`: the words after
`limitlab`) or shows something (`show = "why"`), with an optional narration (`say`,
`say_zh`), the exit code it must end with (`exit`, default 0; 3 for a refusal) and
expectations checked after it (`expect = { state = "suspended", top_reason = "OVERDUE" }`).
"""

from __future__ import annotations

import shlex
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .edge import amount, edge_rule, parse_date, scenario_text

if TYPE_CHECKING:
    from limitlab.core.model import AccountState
    from limitlab.core.policy import Policy

#: The figures a narration may name (`{limit_change}`): filled from the account after the
#: step, so the words say what the screen shows (`figures`).
FIGURES = (
    "limit",
    "limit_before",
    "limit_change",
    "limit_cut",
    "available",
    "used",
    "wallet",
    "score",
    "score_before",
    "binding_cap",
    "days_past_due",
    "assessed",
    "review_on",
    "review_before",
    "review_change",
)

ACTIONS = ("borrow", "repay", "advance", "wallet", "profile", "external", "platform")
SHOWS = ("status", "why", "score", "limits", "schedule", "history", "notice", "chart")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: What the lesson shows as written (title, description, narration): printable, one line.
Shown = Annotated[str, AfterValidator(scenario_text)]


def _placeholders(text: str) -> str:
    """A narration names only known figures (`{limit}`), each plainly (no format spec)."""
    import string

    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text)]
    except ValueError:
        raise PydanticCustomError(
            "bad_placeholder", "a brace is left open (write two braces for one)"
        ) from None
    for name, spec, conv in fields:
        if name is not None and (name not in FIGURES or spec or conv):
            raise PydanticCustomError(
                "unknown_placeholder",
                "unknown figure '{word}'; use one of {choices}",
                {"word": name, "choices": ", ".join(FIGURES)},
            )
    return text


#: A narration: shown text whose `{figure}` placeholders are filled from the run.
Narration = Annotated[str, AfterValidator(scenario_text), AfterValidator(_placeholders)]
#: A whole number as TOML writes one: no float (1.5, 1e300) and no boolean taken for it.
Whole = Annotated[int, Strict()]


def _yuan(text: str) -> str:
    amount(text, allow_zero=True)
    return text


def _day(value: object) -> object:
    """A start written as text is read as `init --start` reads it; a TOML date is held to the
    same calendar; anything else is left to pydantic's strict date to refuse (no number is
    taken for a Unix time)."""
    if isinstance(value, str):
        return parse_date(value)
    if type(value) is date:
        return parse_date(value.isoformat())
    return value


#: An amount in yuan as `init` takes it (zero allowed), checked by the CLI's own rule.
Amount = Annotated[str, AfterValidator(edge_rule(_yuan))]
#: The day a lesson starts, by the CLI's own rule (YYYY-MM-DD within the simulated calendar).
Day = Annotated[date, Strict(), BeforeValidator(edge_rule(_day))]


class ProfileSpec(_Strict):
    """The `init` flags of the person the scenario starts with (amounts in yuan, as typed)."""

    income: Amount = "8000"
    expenses: Amount = "5000"
    wallet: Amount = "1000"
    payday: int = Field(default=10, ge=1, le=28, strict=True)
    employment_months: int = Field(default=36, ge=0, le=720, strict=True)
    verified: bool = Field(default=True, strict=True)
    social_insurance: bool = Field(default=True, strict=True)
    trust: int = Field(default=60, ge=0, le=100, strict=True)

    def init_args(self, start: date) -> list[str]:
        return [
            "init",
            "--start",
            start.isoformat(),
            "--income",
            self.income,
            "--expenses",
            self.expenses,
            "--wallet",
            self.wallet,
            "--payday",
            str(self.payday),
            "--employment-months",
            str(self.employment_months),
            "--trust",
            str(self.trust),
            "--verified" if self.verified else "--not-verified",
            "--social-insurance" if self.social_insurance else "--no-social-insurance",
        ]


class Expect(_Strict):
    """What must hold after a step (every field optional)."""

    state: str | None = None
    top_reason: str | None = None
    reasons: list[str] | None = None
    available_fen: Whole | None = None
    limit_fen: Whole | None = None
    used_fen: Whole | None = None
    wallet_fen: Whole | None = None
    score: Whole | None = None
    score_at_least: Whole | None = None
    score_at_most: Whole | None = None
    days_past_due: Whole | None = None
    #: Cuts in the limit in force (HIGH_DTI is one, though never a cause: its yuan go to what
    #: raised the debt-to-income).
    cuts: list[str] | None = None
    #: Reasons `why` must not show.
    no_reasons: list[str] | None = None
    #: The borrow requests recorded as applications (the cool-off and the score count them).
    applications: Whole | None = None
    #: What set off the last review of the limit (scheduled, platform, overdue, …).
    review_trigger: str | None = None


class Step(_Strict):
    do: str | None = None
    show: str | None = None
    say: Narration | None = None
    say_zh: Narration | None = None
    exit: int = Field(default=0, ge=0, le=4, strict=True)
    expect: Expect | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Step:
        if (self.do is None) == (self.show is None):
            raise PydanticCustomError("one_kind", "a step needs exactly one of 'do' or 'show'")
        return self

    @field_validator("do")
    @classmethod
    def _known_action(cls, value: str | None) -> str | None:
        if value is not None:
            words = _split(value)
            if not words or words[0] not in ACTIONS:
                raise PydanticCustomError(
                    "unknown_action",
                    "unknown action '{word}'; use one of {choices}",
                    {"word": words[0] if words else "", "choices": ", ".join(ACTIONS)},
                )
        return value

    @field_validator("show")
    @classmethod
    def _known_show(cls, value: str | None) -> str | None:
        if value is not None:
            words = _split(value)
            if not words or words[0] not in SHOWS:
                raise PydanticCustomError(
                    "unknown_screen",
                    "unknown screen '{word}'; use one of {choices}",
                    {"word": words[0] if words else "", "choices": ", ".join(SHOWS)},
                )
        return value

    @property
    def words(self) -> list[str]:
        return _split(self.do or self.show or "")

    def narration(self, lang: str) -> str | None:
        return (self.say_zh or self.say) if lang == "zh" else self.say

    def tells_result(self) -> bool:
        """Does its narration name a figure of the run? Then an action's narration is said
        after it ran, when the figures are known."""
        return any("{" in (t or "").replace("{{", "") for t in (self.say, self.say_zh))


class Scenario(_Strict):
    title: Shown
    title_zh: Shown
    description: Shown = ""
    description_zh: Shown = ""
    start: Day
    profile: ProfileSpec = ProfileSpec()
    policy: dict[str, Any] | None = None
    steps: list[Step] = Field(min_length=1)

    def heading(self, lang: str) -> tuple[str, str]:
        if lang == "zh":
            return self.title_zh, self.description_zh or self.description
        return self.title, self.description


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # shlex's own words are English: say it in the catalogue's
        raise PydanticCustomError(
            "unsplittable", "cannot be split into words (a quote or a backslash is left open)"
        ) from None


class ScenarioError(ValueError):
    """A scenario file that cannot be used: the file, where in it (step and key), and the
    problem (a `validation.` catalogue kind with its params, and the validator's own words)."""

    def __init__(
        self, name: str, where: str, kind: str, problem: str, params: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{name}: {where}: {problem}")
        self.name = name
        self.where = where
        self.kind = kind
        self.problem = problem
        self.params = params or {}


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "scenario"


def parse_scenario(text: str, name: str) -> Scenario:
    """Validate a scenario's TOML text; ScenarioError says where the first problem is."""
    from limitlab.core.policy import PolicyError, toml_table

    try:  # read as a policy file is: too deep a nesting is refused, not a RecursionError
        data = toml_table(text, name)
    except PolicyError as exc:
        raise ScenarioError(name, exc.key, exc.kind, exc.problem, exc.params) from None
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        message = err["msg"].removeprefix("Value error, ")
        params = dict(err.get("ctx") or {})
        raise ScenarioError(name, _where(err["loc"]), err["type"], message, params) from None


def load_scenario(path: Path) -> Scenario:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ScenarioError(
            str(path), "file", "unreadable", f"cannot read: {reason}", {"reason": reason}
        ) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            str(path), "file", "not_utf8", "is not UTF-8 text", {"position": exc.start}
        ) from None
    return parse_scenario(text, str(path))


def unmet(expect: Expect, state: AccountState, policy: Policy) -> list[tuple[str, dict[str, Any]]]:
    """The expectations that do not hold for this account now, as catalogue keys and the
    figures their messages need."""
    from limitlab.core.explain import explain
    from limitlab.core.limits import current_dpd

    e = explain(state, policy, advise=False)  # the codes only: no advice to simulate
    actual: dict[str, Any] = {
        "state": e.state,
        "top_reason": e.reasons[0].code if e.reasons else None,
        "reasons": [r.code for r in e.reasons],
        "available_fen": e.available_fen,
        "limit_fen": e.limit_fen,
        "used_fen": e.used_fen,
        "wallet_fen": state.wallet_fen,
        "score": state.score,
        "days_past_due": current_dpd(state),
        "cuts": [step.code for step in state.decision.steps if step.amount_fen < 0],
        "applications": len(state.applications),
        "review_trigger": state.decision.trigger,
    }
    problems: list[tuple[str, dict[str, Any]]] = []
    for key, wanted in expect.model_dump(exclude_none=True).items():
        if key in ("reasons", "cuts"):
            missing = [code for code in wanted if code not in actual[key]]
            if missing:
                problems.append(
                    (
                        f"scenario.unmet.{key}",
                        {"wanted": ", ".join(missing), "got": ", ".join(actual[key]) or "—"},
                    )
                )
        elif key == "no_reasons":
            present = [code for code in wanted if code in actual["reasons"]]
            if present:
                problems.append(
                    (
                        "scenario.unmet.no_reasons",
                        {"wanted": ", ".join(present), "got": ", ".join(actual["reasons"])},
                    )
                )
        elif key in ("score_at_least", "score_at_most"):
            low = key == "score_at_least"
            if (state.score < wanted) if low else (state.score > wanted):
                problems.append((f"scenario.unmet.{key}", {"wanted": wanted, "got": state.score}))
        elif actual[key] != wanted:
            problems.append(
                ("scenario.unmet.value", {"field": key, "wanted": wanted, "got": actual[key]})
            )
    return problems


def figures(before: AccountState, after: AccountState, policy: Policy, lang: str) -> dict[str, str]:
    """The figures a narration may name, as the screens write them in `lang`."""
    from decimal import ROUND_HALF_UP, Decimal

    from limitlab.cli.i18n import text
    from limitlab.core.explain import explain
    from limitlab.core.limits import current_dpd
    from limitlab.core.money import format_fen

    e = explain(after, policy, advise=False)

    def percent(old: int, new: int) -> Decimal:
        change = Decimal(new - old) / old * 100 if old else Decimal(0)
        return change.quantize(Decimal(1), rounding=ROUND_HALF_UP)

    def signed(whole: Decimal) -> str:  # as the screens write a percentage
        return f"{'+' if whole > 0 else ('−' if whole < 0 else '')}{abs(whole)}%"

    old, new = before.decision.limit_fen, after.decision.limit_fen
    whole = percent(old, new)
    last = after.decision
    return {
        "limit": format_fen(e.limit_fen),
        "limit_before": format_fen(old),
        "limit_change": signed(whole),
        "limit_cut": f"{max(-whole, Decimal(0))}%",
        "available": format_fen(e.available_fen),
        "used": format_fen(e.used_fen),
        "wallet": format_fen(after.wallet_fen),
        "score": str(after.score),
        "score_before": str(before.score),
        "binding_cap": text(f"binding.{after.decision.binding}", lang),
        "days_past_due": str(current_dpd(after)),
        # what a review today gives before the raise rules hold it back
        "assessed": format_fen(last.assessed_fen),
        # the last review of the limit (a step can hold several): its date, old limit, change
        "review_on": last.on.isoformat(),
        "review_before": format_fen(last.previous_fen),
        "review_change": signed(percent(last.previous_fen, last.limit_fen)),
    }
