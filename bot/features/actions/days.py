"""The daily action message: on a day an action is due, one short message at the time of
the weekly overview, with ✅ ⏰ ✏️ under each action.

Durable like the weekly overview (bot/features/goals/reminders.py): one stored row per librarian
(storage/actions.py DailyRepo), claimed before sending so a second process takes other rows,
moved to the next day's slot in the same statement that records it was sent, so a day gets
one message at most. The slot is the overview's local time of day in the librarian's zone
(DST-correct). Nothing is sent on a day without due actions, nor on the overview's own day
(the overview lists them), nor for a day already over (a bot that was down sends no stale
messages). Paused with the weekly overview; a user who blocked the bot has it paused.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime, time, timedelta

from bot.app.feature import Feature, job
from bot.app.host import Host
from bot.app.messenger import Delivery, Messenger, Sender
from bot.app.users import zone_named
from bot.features.actions.pages import buttons
from dialogs.replies import Reply
from dialogs.rules.actions.reading import next_daily
from storage.action_days import Daily, DailyRepo
from storage.actions import Action
from storage.reminder_rows import CLAIM_LEASE
from storage.store import User

log = logging.getLogger("veldgids.actions")

BATCH = 50
SHOWN = 8  # actions with buttons in one message (three buttons each: within 100)


class DailyTick:
    def __init__(self, service: Host, send: Sender, token: str | None = None) -> None:
        self.service = service
        self.repo = DailyRepo(service.store)
        self.send = send
        self.token = token or uuid.uuid4().hex
        self._busy = asyncio.Lock()

    def now(self) -> datetime:
        return self.service.clock().astimezone(UTC)

    async def run_once(self) -> int:
        """Handle every due row once; returns how many messages were sent."""
        if self._busy.locked():
            return 0
        async with self._busy:
            now = self.now()
            for user_id, local, tz in self.repo.unscheduled():
                self.repo.schedule(user_id, next_daily(time.fromisoformat(local),
                                                       zone_named(tz), now))
            sent = 0
            while rows := self.repo.claim(self.token, self.now(), CLAIM_LEASE, BATCH):
                retry = False
                for index, row in enumerate(rows):
                    result = await self._handle(row, self.now())
                    sent += result == Delivery.SENT
                    if result == Delivery.RETRY:  # network trouble: the rest next tick
                        for other in rows[index + 1:]:
                            self.repo.release(other.user_id, self.token)
                        retry = True
                        break
                if retry:
                    break
            return sent

    async def _handle(self, row: Daily, now: datetime) -> Delivery | None:
        zone = zone_named(row.tz)
        day = row.next_at.astimezone(zone).date()
        following = next_daily(row.local_time, zone, max(row.next_at, now))
        today = now.astimezone(zone).date()
        if day < today:  # a day missed while the bot was down or paused: today's slot next
            midnight = datetime.combine(today, time(0), tzinfo=zone)
            following = min(following, next_daily(row.local_time, zone,
                                                  midnight - timedelta(seconds=1)))
        user = self.service.store.user(row.user_id)
        quiet = (user is None or user.telegram_id is None or row.last_day == day.isoformat()
                 or today != day or day.weekday() == row.weekday)
        actions = [] if quiet else self.repo.due_on(row.user_id, day)
        if user is None or user.telegram_id is None or not actions:
            self.repo.finish(row.user_id, self.token, following, None)
            return None
        result = await self.send(user.telegram_id, [self.compose(user, actions)])
        if result == Delivery.RETRY:
            self.repo.release(row.user_id, self.token)
        elif result == Delivery.BLOCKED:
            log.info("user %s blocked the bot; their reminders are paused", user.id)
            self.repo.release(row.user_id, self.token, pause=True)
        else:
            self.repo.finish(row.user_id, self.token, following,
                             day if result == Delivery.SENT else None)
        return result

    def compose(self, user: User, actions: list[Action]) -> Reply:
        t = self.service.t
        names = {c.id: c.name for c in self.service.store.communities(user.id)}
        several = len({a.community_id for a in actions}) > 1
        lines = [self.service.catalog.counted("actions_due_today", user.language, len(actions))]
        for action in actions:
            where = f" ({names.get(action.community_id, '—')})" if several else ""
            lines.append(f"• {action.what}{where}")
        rows = [buttons(a, apart=True) for a in actions[:SHOWN]]
        if len(actions) > SHOWN:
            lines.append(t(user, "actions_more", count=len(actions) - SHOWN))
        return Reply(text="\n".join(lines), buttons=rows)


class ActionDays(Feature):
    """The daily action message's tick, as a repeating job of the bot."""

    name = "action-days"

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.ticks: dict[int, DailyTick] = {}

    @job("daily-actions", "reminder_tick", first=3.0, overlap=2)
    async def tick(self, messenger: Messenger) -> None:
        tick = self.ticks.get(id(messenger))
        if tick is None:
            tick = self.ticks[id(messenger)] = DailyTick(self.service, messenger.send)
        await tick.run_once()
