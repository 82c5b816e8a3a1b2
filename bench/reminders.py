"""The weekly reminder tick with 10,000 librarians due at the same minute (section 4).

In process: `bot.features.goals.reminders.ReminderTick` claims, composes and hands every due
reminder to a
sender that returns at once (no Telegram, so no rate limiter); its `run_once` is called back
to back until it finds nothing due (one call takes batches until none is left), so the tick
interval is left out. Charts are timed on their own: each is a matplotlib render.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app.messenger import Delivery
from bot.app.registry import Service
from bot.features.goals.chart_jobs import ChartJob
from bot.features.goals.reminders import ReminderTick
from dialogs.replies import Reply
from storage.goals import GoalRepo, ReminderBatch
from storage.reminder_rows import Reminder
from storage.store import Store, User

ZONE = ZoneInfo("Europe/Amsterdam")
# A Monday morning; every reminder is due at 09:00 local time.
DUE = datetime(2026, 3, 2, 9, 0, tzinfo=ZONE).astimezone(UTC)
NOW = DUE + timedelta(seconds=30)
FIRST_ID = 800_001


def seed(db: Path, count: int, first_id: int = FIRST_ID, due: datetime = DUE) -> list[int]:
    """`count` librarians, each with a community, one active SMART goal with three progress
    points, and a weekly reminder due at `due`. Returns their Telegram ids."""
    store = Store(db, clock=lambda: due - timedelta(days=60))
    repo = GoalRepo(store)
    ids = list(range(first_id, first_id + count))
    try:
        with store.atomic():
            for n, telegram_id in enumerate(ids):
                user = store.create_user(name=f"Bibliothecaris {n}", language="nl",
                                         timezone="Europe/Amsterdam", telegram_id=telegram_id)
                community = store.create_community(user.id, f"Voorleesclub {n}", "lezen")
                goal = repo.add_goal(
                    user.id, community, specific="Tien ouders doen mee aan het voorleesuur",
                    metric="ouders per maand", baseline=2, target=10,
                    achievable="Met de school en het buurthuis samen",
                    relevant="Past bij onze kapstok: leesplezier in de wijk",
                    relevant_part=None, deadline=(due + timedelta(days=120)).date())
                for value in (3, 5, 6):
                    repo.log_progress(user.id, goal, value, None)
                local = due.astimezone(ZONE)
                repo.create_reminder(user.id, weekday=local.weekday(),
                                     local_time=local.time().replace(second=0, microsecond=0),
                                     tz="Europe/Amsterdam", next_due=due)
    finally:
        store.close()
    return ids


class TextOnlyTick(ReminderTick):
    """The real tick without chart jobs, which are timed separately."""

    def compose(self, user: User, row: Reminder, now: datetime,
                batch: ReminderBatch) -> tuple[list[Reply], str, list[ChartJob]]:
        replies, kind, charts = super().compose(user, row, now, batch)
        self.charts += len(charts)
        return replies, kind, []

    charts = 0


@dataclass(frozen=True)
class TickFigures:
    seconds: float  # select, compose (text) and hand over every due reminder
    sent: int
    charts: int  # chart jobs the reminders asked for
    chart_ms: float  # median time to render one chart
    ticks: int  # run_once calls that sent something


def tick(db: Path, chart_samples: int = 5) -> TickFigures:
    """Run the tick until nothing is due; then time a few chart renders."""
    from bench.handle_timing import service_for

    service = service_for(db, clock=lambda: NOW)
    handed: list[int] = []

    async def sender(chat_id: int, replies: list[Reply]) -> Delivery:
        handed.append(chat_id)
        return Delivery.SENT

    runner = TextOnlyTick(service, sender)

    async def drain() -> int:
        calls = 0
        while await runner.run_once():
            calls += 1
        return calls

    began = time.perf_counter()
    calls = asyncio.run(drain())
    seconds = time.perf_counter() - began
    chart_ms = _chart_ms(service, chart_samples)
    service.store.close()
    return TickFigures(seconds, len(handed), runner.charts, chart_ms, calls)


def _chart_ms(service: Service, samples: int) -> float:
    from bot.features.goals.chart_jobs import chart_job

    repo = GoalRepo(service.store)
    user = service.store.user(1)
    assert user is not None
    goal = repo.goals(user.id)[0]
    job = chart_job(repo, user, goal)
    job()  # matplotlib's first import and font cache are not part of a reminder
    times = []
    for _ in range(samples):
        began = time.perf_counter()
        job()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def select_seconds(db: Path) -> float:
    """The baseline: the one query that selects every due row."""
    store = Store(db)
    try:
        began = time.perf_counter()
        rows = GoalRepo(store).due(NOW, 1_000_000)
        seconds = time.perf_counter() - began
    finally:
        store.close()
    assert rows
    return seconds

