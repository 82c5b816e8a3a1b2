"""The weekly reminder tick: send what is due, once, and move each row to its next slot.

One repeating JobQueue job calls `ReminderTick.run_once`, which keeps taking batches of due
rows until none is left; the messenger's rate limiter sets the pace. Each batch is
claimed with one conditional UPDATE (so a second bot process running the same tick takes
other rows), what its reminders need is read with a few queries, and the reminders are sent
one at a time, so replies to librarians interleave with them.
Late by less than 3 days: sent once; later than that: skipped, the next one is scheduled.
Network trouble or flood control leaves the row due for the next tick (and ends this one); a
user who blocked the bot (403) gets their reminders paused.

Outcomes are written in groups: each row's record and its move to the next slot share a
transaction, and a group is committed once 50 ms (`FLUSH_EVERY`) have passed since the last
commit, when the batch ends, or when the tick stops on an error or is cancelled. At Telegram's
pace (about 30 messages a second) every send is committed right after it returns. The crash
window: if the process is killed outright, reminders sent in the last 50 ms whose outcome was
not yet committed stay claimed, and are sent again when their claim expires (`CLAIM_LEASE`).
Rows claimed but not yet tried are given back when the tick stops on an error or is cancelled.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable
from datetime import UTC, datetime
from datetime import time as dt_time
from typing import TypeVar

from bot.app.feature import Feature, job
from bot.app.host import Host
from bot.app.messenger import Delivery, Messenger, Sender
from bot.app.users import zone_named
from bot.features.goals import view as view
from bot.features.goals.chart_jobs import ChartJob
from bot.features.goals.feature import ensure_reminder
from bot.features.goals.weekly import WeeklyOverview
from dialogs.replies import Reply
from dialogs.rules.goals.schedule import advance, catch_up
from storage.charts import ChartCache
from storage.goals import GoalRepo, ReminderBatch
from storage.reminder_rows import Finished, Reminder
from storage.store import User

log = logging.getLogger("veldgids.reminders")

BATCH = 50  # rows claimed and read at once; run_once takes batches until none is due
FLUSH_EVERY = 0.05  # seconds: how long finished rows may wait for their commit


T = TypeVar("T")


class Outcomes:
    """Finished rows waiting for their commit; committed when FLUSH_EVERY has passed."""

    def __init__(self, repo: GoalRepo, token: str, every: float = FLUSH_EVERY) -> None:
        self.repo, self.token, self.every = repo, token, every
        self.pending: list[Finished] = []
        self.flushed = time.monotonic()

    def add(self, row: Reminder, outcome: str, next_due: datetime, now: datetime) -> None:
        self.pending.append(Finished(row, outcome, next_due, now))
        if time.monotonic() - self.flushed >= self.every:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.repo.finish_all(self.pending, self.token)
            self.pending = []
        self.flushed = time.monotonic()


class ReminderTick:
    def __init__(self, service: Host, send: Sender, token: str | None = None) -> None:
        self.service = service
        self.repo = GoalRepo(service.store)
        self.chart_cache = ChartCache(service.store)
        self.overview = WeeklyOverview(service, self.repo)
        self.send = send
        self.token = token or uuid.uuid4().hex  # who holds a claim: this process
        self.flush_every = FLUSH_EVERY
        self._busy = asyncio.Lock()
        # Next slots of this batch: most rows share a weekday, time, zone and due moment.
        self._slots: dict[tuple[int, dt_time, str, datetime, datetime], datetime] = {}
        self._others_wrote = False  # since this batch was claimed, while we awaited

    def now(self) -> datetime:
        return self.service.clock().astimezone(UTC)

    async def run_once(self) -> int:
        """Handle every due row once; returns how many reminders or nudges were sent."""
        if self._busy.locked():  # the previous tick is still sending
            return 0
        async with self._busy:
            now = self.now()
            for user_id, tz in self.repo.without_reminder():
                ensure_reminder(self.repo, user_id, tz, now)
            sent = 0
            retry = False
            while not retry:  # a row given back for a retry would be due again at once
                now = self.now()
                rows = self.repo.claim_due(self.token, now, BATCH)
                if not rows:
                    break
                batch = self.repo.batch([row.user_id for row in rows])
                self._slots.clear()
                self._others_wrote = False
                outcomes = Outcomes(self.repo, self.token, self.flush_every)
                tried = 0
                try:
                    for row in rows:
                        tried += 1
                        result = await self._handle(row, batch, now, outcomes)
                        sent += result == Delivery.SENT
                        retry = retry or result == Delivery.RETRY
                finally:  # also on errors and cancellation: record what was done
                    outcomes.flush()
                    self.repo.release_all(rows[tried:], self.token)
            return sent

    async def _handle(self, row: Reminder, batch: ReminderBatch, now: datetime,
                      outcomes: Outcomes) -> Delivery | None:
        """Compose, send and record one claimed row; the delivery, None if nothing was sent."""
        following = self._following(row, now)
        if self._others_wrote and catch_up(row.next_due, now) != "skip":
            # Replies to librarians ran while we awaited: one may have erased this user
            # (/forget) or changed their settings, which drops our claim, or changed their
            # goals. Read them again, as fresh as before batches.
            if not self.repo.holds(row.user_id, self.token):
                return None
            batch = self.repo.batch([row.user_id])
        user = batch.users.get(row.user_id)
        if user is None or user.telegram_id is None or catch_up(row.next_due, now) == "skip":
            outcomes.add(row, "skipped", following, now)
            return None
        try:
            replies, kind, charts = self.compose(user, row, now, batch)
            for job in charts:  # progress is read here; drawing is CPU work off the event loop
                try:
                    draw = job.prepare()  # unchanged since it was last drawn: that drawing
                    drawn = draw() if draw.cached is not None else \
                        await self._meanwhile(asyncio.to_thread(draw))
                except Exception:  # the overview goes out without this one chart
                    log.exception("the chart of goal %s of user %s failed; the weekly overview"
                                  " is sent without it", job.goal.id, user.id)
                    continue
                draw.remember(self.chart_cache, drawn)
                replies.append(Reply(text="", attachments=[drawn]))
        except Exception:  # one broken reminder must not stop the others or repeat every tick
            log.exception("composing the reminder of user %s failed", user.id)
            outcomes.add(row, "failed", following, now)
            return None
        if not replies:
            outcomes.add(row, "quiet", following, now)
            return None
        result = await self._meanwhile(self.send(user.telegram_id, replies))
        if result == Delivery.RETRY:
            self.repo.release(row, self.token)
            return result
        if result == Delivery.BLOCKED:
            log.info("user %s blocked the bot; their reminders are paused", user.id)
            self.repo.release(row, self.token, pause=True)
            return result
        outcomes.add(row, kind if result == Delivery.SENT else "failed", following, now)
        if result == Delivery.SENT:
            log.info("weekly %s sent to user %s", kind, user.id)
        return result

    async def _meanwhile(self, pending: Awaitable[T]) -> T:
        """Await, noting whether anything else wrote through our connection meanwhile (no
        need to re-check a claim when nothing did)."""
        before = self.repo.db.conn.total_changes
        try:
            return await pending
        finally:
            self._others_wrote |= self.repo.db.conn.total_changes != before

    def _following(self, row: Reminder, now: datetime) -> datetime:
        key = (row.weekday, row.local_time, row.tz, row.next_due, now)
        if key not in self._slots:
            self._slots[key] = advance(row.weekday, row.local_time, zone_named(row.tz),
                                       row.next_due, now)
        return self._slots[key]

    def compose(self, user: User, row: Reminder, now: datetime,
                batch: ReminderBatch) -> tuple[list[Reply], str, list[ChartJob]]:
        """The reminder (goals, phase, reflections; charts to render) or a nudge, or nothing."""
        return self.overview.compose(user, row, now, batch)


class Reminders(Feature):
    """The weekly overview's tick, as a repeating job of the bot."""

    name = "reminders"

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.ticks: dict[int, ReminderTick] = {}  # one per messenger (tests build several)

    # Two runs may overlap; the tick's own lock makes the second return at once.
    @job("weekly-reminders", "reminder_tick", first=2.0, overlap=2)
    async def tick(self, messenger: Messenger) -> None:
        tick = self.ticks.get(id(messenger))
        if tick is None:
            tick = self.ticks[id(messenger)] = ReminderTick(self.service, messenger.send)
        await tick.run_once()
