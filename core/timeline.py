"""The account over time: limit, used, available and score at each date, rebuilt from the
stored events (the read model behind `limitlab chart`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from .loans import add_months
from .model import Event

#: The events the series is rebuilt from.
SERIES_KINDS = (
    "limit_review",
    "score_changed",
    "borrowed",
    "repaid",
    "autopay",
    "overdue",
    "overdue_cleared",
    "account_closed",
    "platform_started",
    "cooloff_started",
)


def row_dates(start: date, today: date) -> tuple[str, list[date]]:
    """The step (day, week or month) and the dates of the rows: from `start`, ending on today."""
    span = (today - start).days
    if span <= 14:
        step, dates = "day", [start + timedelta(days=n) for n in range(span + 1)]
    elif span <= 26 * 7:
        step, dates = "week", [start + timedelta(days=n) for n in range(0, span, 7)]
    else:
        step, dates, n = "month", [], 0
        while (day := add_months(start, n)) < today:
            dates.append(day)
            n += 1
    if dates[-1] != today:
        dates.append(today)
    return step, dates


class _Replay:
    """The running figures of the account while its events are replayed in order."""

    def __init__(self) -> None:
        self.limit = self.used = self.score = 0
        self.overdue = self.closed = False
        self.maintenance: list[tuple[str, str]] = []
        self.cooloff_until = ""
        self.limit_changed = self.was_overdue = False

    def apply(self, e: Event) -> None:
        d = e.data
        if e.kind == "limit_review":
            if d["limit_fen"] != d["previous_fen"] and d["trigger"] != "opening":
                self.limit_changed = True
            self.limit, self.score = d["limit_fen"], d["score"]
        elif e.kind == "score_changed":
            self.score = d["to"]
        elif e.kind == "borrowed":
            self.used += d["principal_fen"]
        elif e.kind in ("repaid", "autopay"):
            self.used -= d["principal_fen"]
        elif e.kind == "overdue":
            self.overdue = self.was_overdue = True
        elif e.kind == "overdue_cleared":
            self.overdue = False
        elif e.kind == "account_closed":
            self.closed = True
        elif e.kind == "platform_started" and d["kind"] == "maintenance":
            self.maintenance.append((d["starts_on"], d["ends_on"]))
        elif e.kind == "cooloff_started":
            self.cooloff_until = d["until"]

    def start_interval(self) -> None:
        """A new row: nothing changed yet, and still overdue from the day before means this
        interval has an overdue day."""
        self.limit_changed, self.was_overdue = False, self.overdue

    def suspended(self, day: str) -> bool:
        return (
            self.overdue
            or self.closed
            or day < self.cooloff_until
            or any(since <= day < until for since, until in self.maintenance)
        )


def credit_series(
    events: Iterable[Event], start: date, today: date, *, daily: bool = False
) -> tuple[str, list[dict[str, Any]]]:
    """Limit, used, available and score at the end of each row date, rebuilt from the events
    (in the order they happened), and the step between the regular rows.

    used = Σ borrowed − Σ principal repaid; available is 0 on a day borrowing is suspended
    (overdue, closed, maintenance, cool-off), as `status` counts it. A row's marker says what
    happened since the row before: "limit_change", "overdue" (a day with something overdue),
    both as "limit_change+overdue", or None. With `daily`, one row a day whatever the span
    (the chart's picture: a two-day suspension shows).

    Daily resolution where events are, whatever the step: besides the regular rows there is
    a row on every day the limit changed, and on the first day of every overdue or suspended
    span and the first day after it. Each change of the limit is a row of its own, as the
    account stood right after it: when one day has several (a cut for an overdue, then one for
    a new lender), each is a row of that date, then the day's end when it differs.
    """
    last_day = (today - start).days
    if daily:
        step, regular = "day", set(range(last_day + 1))
    else:
        step, dates = row_dates(start, today)
        regular = {(d - start).days for d in dates}
    replay = _Replay()
    pending = iter(events)
    e = next(pending, None)
    while e is not None and e.on < start:  # before the window: history, not news
        replay.apply(e)
        e = next(pending, None)
    points: list[dict[str, Any]] = []

    def row(iso: str) -> dict[str, Any]:
        markers = [
            name
            for name, on in (
                ("limit_change", replay.limit_changed),
                ("overdue", replay.was_overdue),
            )
            if on
        ]
        return {
            "date": iso,
            "limit_fen": replay.limit,
            "used_fen": replay.used,
            "available_fen": 0 if replay.suspended(iso) else max(0, replay.limit - replay.used),
            "score": replay.score,
            "marker": "+".join(markers) or None,
        }

    before = (replay.overdue, replay.suspended((start - timedelta(days=1)).isoformat()))
    replay.start_interval()
    for n in range(last_day + 1):
        day = start + timedelta(days=n)
        iso = day.isoformat()
        changes: list[dict[str, Any]] = []  # the rows right after each change of the limit
        while e is not None and e.on <= day:
            limit = replay.limit
            replay.apply(e)
            if (
                e.kind == "limit_review"
                and replay.limit != limit
                and e.data["trigger"] != "opening"
            ):
                changes.append(row(iso))
            e = next(pending, None)
        now = (replay.overdue, replay.suspended(iso))
        if n in regular or changes or now != before:
            points += changes
            own = row(iso)
            if not changes or {**own, "marker": None} != {**changes[-1], "marker": None}:
                points.append(own)  # the day's end, unless it is as its last change left it
            replay.start_interval()
        before = now
    return step, points
