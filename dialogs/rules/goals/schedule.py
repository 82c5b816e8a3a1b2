"""Weekly reminder times, catch-up after downtime, deadline and nudge checks.

All datetimes are timezone-aware; results are in UTC. Pure: "now" is passed in.

Daylight saving: the reminder keeps its local wall-clock time, so 09:00
Europe/Amsterdam is 08:00 UTC in winter and 07:00 UTC in summer. A local time
that does not exist (02:30 on the spring-forward night) is shifted forward by the
gap (03:30 summer time); an ambiguous one (02:30 on the fall-back night) is the
first occurrence (fold=0, still summer time). Both follow PEP 495 with fold=0.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

GRACE = timedelta(days=3)
NUDGE_INTERVAL = timedelta(days=30)


def _require_aware(*values: datetime) -> None:
    for value in values:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("datetimes must be timezone-aware")


def _slot(day: date, at: time, tz: ZoneInfo) -> datetime:
    """Local wall-clock `at` on `day` in `tz` as UTC (fold=0, see module docstring)."""
    return datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=tz).astimezone(UTC)


def next_due(weekday: int, at: time, tz: ZoneInfo, after: datetime) -> datetime:
    """First moment strictly after `after` that is `weekday` (0 = Monday) at `at` in `tz`."""
    if not 0 <= weekday <= 6:
        raise ValueError("weekday must be 0 (Monday) .. 6 (Sunday)")
    _require_aware(after)
    start = after.astimezone(tz).date() - timedelta(days=1)  # a shifted slot may straddle
    day = start + timedelta(days=(weekday - start.weekday()) % 7)
    while (due := _slot(day, at, tz)) <= after:
        day += timedelta(days=7)
    return due


def catch_up(
    due: datetime, now: datetime, grace: timedelta = GRACE
) -> Literal["send", "skip", "wait"]:
    """What to do with a reminder due at `due`: wait if future, send if late < grace, else skip."""
    _require_aware(due, now)
    if due > now:
        return "wait"
    return "send" if now - due < grace else "skip"


def advance(weekday: int, at: time, tz: ZoneInfo, due: datetime, now: datetime) -> datetime:
    """The next slot after both `due` and `now`, so missed weeks collapse into one.

    Use after handling a due reminder (sent or skipped): a bot that was down for five
    weeks sends at most one reminder and then waits for the next future slot.
    """
    _require_aware(due, now)
    return next_due(weekday, at, tz, max(due, now))


def deadline_soon(deadline: date, today: date, days: int = 14) -> bool:
    """True if the deadline is today or within `days` days; False once it has passed."""
    return 0 <= (deadline - today).days <= days


def monthly_nudge_due(last_nudge: datetime | None, now: datetime) -> bool:
    """At most one nudge per 30 days; the first one is always due."""
    if last_nudge is None:
        return True
    _require_aware(last_nudge, now)
    return now - last_nudge >= NUDGE_INTERVAL
