"""Weekly reminders across daylight saving, downtime and catch-up."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs.rules.goals.schedule import (
    advance,
    catch_up,
    deadline_soon,
    monthly_nudge_due,
    next_due,
)

AMS = ZoneInfo("Europe/Amsterdam")
NINE = time(9, 0)
MONDAY = 0


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("after", "expected_utc"),
    [
        # Spring forward on Sunday 29 March 2026.
        (datetime(2026, 3, 22, 12, tzinfo=AMS), utc(2026, 3, 23, 8)),  # winter: UTC+1
        (datetime(2026, 3, 23, 12, tzinfo=AMS), utc(2026, 3, 30, 7)),  # summer: UTC+2
        # Fall back on Sunday 25 October 2026.
        (datetime(2026, 10, 18, 12, tzinfo=AMS), utc(2026, 10, 19, 7)),
        (datetime(2026, 10, 19, 12, tzinfo=AMS), utc(2026, 10, 26, 8)),
    ],
)
def test_monday_nine_oclock_stays_nine_oclock_across_dst(
    after: datetime, expected_utc: datetime
) -> None:
    due = next_due(MONDAY, NINE, AMS, after)
    assert due == expected_utc
    assert due.tzinfo is UTC
    local = due.astimezone(AMS)
    assert (local.weekday(), local.time()) == (MONDAY, NINE)


def test_due_is_strictly_after() -> None:
    due = utc(2026, 11, 23, 8)  # Monday 09:00 in Amsterdam
    assert next_due(MONDAY, NINE, AMS, due - timedelta(seconds=1)) == due
    assert next_due(MONDAY, NINE, AMS, due) == due + timedelta(days=7)


def test_non_existent_time_is_shifted_forward() -> None:
    # 02:30 does not exist on 29 March 2026 in Amsterdam: it becomes 03:30 summer time.
    due = next_due(6, time(2, 30), AMS, datetime(2026, 3, 28, tzinfo=AMS))
    assert due == utc(2026, 3, 29, 1, 30)
    assert due.astimezone(AMS).time() == time(3, 30)


def test_ambiguous_time_uses_the_first_occurrence() -> None:
    # 02:30 happens twice on 25 October 2026: the first one (summer time) is used, once.
    due = next_due(6, time(2, 30), AMS, datetime(2026, 10, 24, tzinfo=AMS))
    assert due == utc(2026, 10, 25, 0, 30)
    assert next_due(6, time(2, 30), AMS, due) == utc(2026, 11, 1, 1, 30)


def test_catch_up_after_two_days_sends_once_and_schedules_next_week() -> None:
    due = utc(2026, 11, 23, 8)
    now = due + timedelta(days=2)
    assert catch_up(due, now) == "send"
    following = advance(MONDAY, NINE, AMS, due, now)
    assert following == utc(2026, 11, 30, 8)
    assert catch_up(following, now) == "wait"


def test_catch_up_after_five_weeks_skips_and_schedules_next_future_slot() -> None:
    due = utc(2026, 11, 23, 8)
    now = due + timedelta(weeks=5, hours=3)  # Monday 28 December, 12:00 local
    assert catch_up(due, now) == "skip"
    assert advance(MONDAY, NINE, AMS, due, now) == utc(2027, 1, 4, 8)


def test_future_reminder_waits() -> None:
    assert catch_up(utc(2026, 11, 30, 8), utc(2026, 11, 29, 8)) == "wait"
    assert catch_up(utc(2026, 11, 30, 8), utc(2026, 11, 30, 8)) == "send"


def simulate(due: datetime, start: datetime, end: datetime) -> list[datetime]:
    """Hourly ticks from `start` to `end`, as the bot would run them; returns send times."""
    sent = []
    now = start
    while now <= end:
        action = catch_up(due, now)
        if action != "wait":
            if action == "send":
                sent.append(now)
            due = advance(MONDAY, NINE, AMS, due, now)
        now += timedelta(hours=1)
    return sent


def test_bot_down_five_weeks_sends_no_backlog() -> None:
    due = utc(2026, 11, 23, 8)
    restart = due + timedelta(weeks=5, hours=3)
    sent = simulate(due, restart, restart + timedelta(days=8))
    assert sent == [utc(2027, 1, 4, 8)]  # only the next regular Monday


def test_bot_down_two_days_sends_one_late_reminder_then_weekly() -> None:
    due = utc(2026, 11, 23, 8)
    restart = due + timedelta(days=2)
    sent = simulate(due, restart, restart + timedelta(days=8))
    assert sent == [restart, utc(2026, 11, 30, 8)]


def test_deadline_soon() -> None:
    today = date(2027, 5, 20)
    assert deadline_soon(date(2027, 6, 1), today)
    assert deadline_soon(today, today)
    assert not deadline_soon(date(2027, 6, 10), today)
    assert not deadline_soon(date(2027, 5, 19), today)  # passed: overdue, not "soon"
    assert deadline_soon(date(2027, 6, 10), today, days=30)


def test_monthly_nudge() -> None:
    now = utc(2027, 3, 1, 10)
    assert monthly_nudge_due(None, now)
    assert not monthly_nudge_due(now - timedelta(days=29), now)
    assert monthly_nudge_due(now - timedelta(days=30), now)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        next_due(MONDAY, NINE, AMS, datetime(2026, 1, 1))


ZONES = [ZoneInfo(name) for name in (
    "Europe/Amsterdam", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe",
    "Asia/Kolkata", "Pacific/Chatham", "America/Sao_Paulo", "UTC",
)]
afters = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31),
    timezones=st.sampled_from(ZONES),
)
# fold=0 like every parsed reminder time; next_due applies fold=0 by design (module docstring).
clock = st.times().map(lambda t: t.replace(second=0, microsecond=0, fold=0))


def slot(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 6), clock, st.sampled_from(ZONES), afters)
def test_next_due_is_the_first_matching_slot(
    weekday: int, at: time, tz: ZoneInfo, after: datetime
) -> None:
    due = next_due(weekday, at, tz, after)
    start = after.astimezone(tz).date()
    days = [start + timedelta(days=i) for i in range(-2, 10)]
    slots = [slot(day, at, tz) for day in days if day.weekday() == weekday]
    assert due == min(s for s in slots if s > after)  # brute-force oracle
    local = due.astimezone(tz)
    if local.time() == at:
        assert local.weekday() == weekday
    else:  # only when `at` does not exist that day (spring forward): shifted by the gap
        wall = datetime.combine(local.date(), at, tzinfo=tz)
        assert wall.astimezone(UTC).astimezone(tz).time() != at
        assert local.time() > at


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 6), clock, st.sampled_from(ZONES), afters,
       st.timedeltas(min_value=timedelta(0), max_value=timedelta(weeks=10)))
def test_advance_never_lands_in_the_past(
    weekday: int, at: time, tz: ZoneInfo, due: datetime, downtime: timedelta
) -> None:
    now = due + downtime
    first = advance(weekday, at, tz, due, now)
    second = advance(weekday, at, tz, first, now)
    assert now < first < second
    assert catch_up(first, now) == "wait"
