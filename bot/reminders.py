"""The weekly reminder tick: send what is due, once, and move each row to its next slot.

One repeating JobQueue job calls `ReminderTick.run_once`. Each due row is claimed with a
conditional UPDATE (so a second bot process running the same tick skips it), the reminder is
composed and sent, and the row is advanced in the same transaction as recording the send.
Late by less than 3 days: sent once; later than that: skipped, the next one is scheduled.
Network trouble or flood control leaves the row due for the next tick; a user who blocked the
bot (403) gets their reminders paused.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from enum import StrEnum
from functools import partial
from typing import Any

from bot import goals_view as view
from bot.goals import chart_job, ensure_reminder
from bot.service import Service
from dialogs.replies import Attachment, Button, Reply
from dialogs.schedule import advance, catch_up, monthly_nudge_due
from storage.goals import GoalRepo, Reminder
from storage.store import User

log = logging.getLogger("veldgids.reminders")

MAX_CHARTS = 3
PER_TICK = 50  # rows handled per tick; the rest wait for the next one


class Delivery(StrEnum):
    SENT = "sent"  # the reminder's text arrived
    RETRY = "retry"  # nothing arrived: network trouble or flood control
    BLOCKED = "blocked"  # the user blocked the bot
    FAILED = "failed"  # Telegram refused for another reason


Sender = Callable[[int, list[Reply]], Awaitable[Delivery]]


class ReminderTick:
    def __init__(self, service: Service, send: Sender, token: str | None = None) -> None:
        self.service = service
        self.repo = GoalRepo(service.store)
        self.send = send
        self.token = token or uuid.uuid4().hex  # who holds a claim: this process
        self._busy = asyncio.Lock()

    async def run_once(self) -> int:
        """Handle every due row once; returns how many reminders or nudges were sent."""
        if self._busy.locked():  # the previous tick is still sending
            return 0
        async with self._busy:
            now = self.service.clock().astimezone(UTC)
            for user_id, tz in self.repo.without_reminder():
                ensure_reminder(self.repo, user_id, tz, now)
            sent = 0
            for row in self.repo.due(now, PER_TICK):
                if self.repo.claim(row, self.token, now):
                    sent += await self._handle(row, now)
            return sent

    async def _handle(self, row: Reminder, now: datetime) -> int:
        tz = view.zone(row.tz)
        following = advance(row.weekday, row.local_time, tz, row.next_due, now)
        user = self.service.store.user(row.user_id)
        if user is None or user.telegram_id is None or catch_up(row.next_due, now) == "skip":
            self.repo.finish(row, self.token, outcome="skipped", next_due=following, now=now)
            return 0
        try:
            replies, kind, charts = self.compose(user, row, now)
            for render in charts:  # CPU work off the event loop, one chart at a time
                replies.append(Reply(text="", attachments=[await asyncio.to_thread(render)]))
        except Exception:  # one broken reminder must not stop the others or repeat every tick
            log.exception("composing the reminder of user %s failed", user.id)
            self.repo.finish(row, self.token, outcome="failed", next_due=following, now=now)
            return 0
        if not replies:
            self.repo.finish(row, self.token, outcome="quiet", next_due=following, now=now)
            return 0
        result = await self.send(user.telegram_id, replies)
        if result == Delivery.RETRY:
            self.repo.release(row, self.token)
            return 0
        if result == Delivery.BLOCKED:
            log.info("user %s blocked the bot; their reminders are paused", user.id)
            self.repo.release(row, self.token, pause=True)
            return 0
        outcome = kind if result == Delivery.SENT else "failed"
        self.repo.finish(row, self.token, outcome=outcome, next_due=following, now=now)
        if result == Delivery.SENT:
            log.info("weekly %s sent to user %s", kind, user.id)
        return int(result == Delivery.SENT)

    def compose(self, user: User, row: Reminder, now: datetime) -> tuple[list[Reply], str, list[
            Callable[[], Attachment]]]:
        """The reminder (goals, phase, reflections; charts to render) or a nudge, or nothing."""
        t = partial(self.service.t, user)
        goals = [g for g in self.repo.goals(user.id) if g.status == "active"]
        if not goals:
            if not monthly_nudge_due(row.last_nudge, now):
                return [], "quiet", []
            return [Reply(text=t("reminder_nudge", name=user.name or "👋"))], "nudge", []
        tz, lang = view.zone(user.timezone), user.language
        today = now.astimezone(tz).date()
        names = {c.id: c.name for c in self.service.store.communities(user.id)}
        lines = [t("reminder_header", name=user.name or "👋")]
        for community_id in dict.fromkeys(g.community_id for g in goals):
            lines += ["", "🎯 " + names.get(community_id, "—")]
            for goal in (g for g in goals if g.community_id == community_id):
                lines += view.goal_block(goal, today, tz, t, lang)
        lines += self._phase_lines(user, t, lang) + self._reflection_lines(user, t)
        lines += ["", t("reminder_log_hint")]
        buttons = [[Button(label="📈 " + view.short(g.specific, 40), data=f"goal:log:{g.id}")]
                   for g in goals]
        charts = [chart_job(self.repo, user, g) for g in goals[:MAX_CHARTS]]
        return [Reply(text="\n".join(lines), buttons=buttons)], "sent", charts

    def _phase_lines(self, user: User, t: view.T, lang: str) -> list[str]:
        if not user.active_community:
            return []
        community = self.service.store.community(user.id, user.active_community)
        found = view.phase_items(self.service.catalog,
                                 self.service.store.ticks(user.active_community), lang)
        if community is None or found is None or not found[2]:
            return []
        title, done, labels = found
        return ["", t("reminder_phase", phase=title, done=done, community=community.name),
                *(f"• {label}" for label in labels)]

    def _reflection_lines(self, user: User, t: view.T) -> list[str]:
        names = open_reflections(self.service, user.id)
        if not names:
            return []
        key = "reminder_reflections_one" if len(names) == 1 else "reminder_reflections"
        return ["", t(key, count=len(names), names=", ".join(names[:3]))]


def open_reflections(service: Service, user_id: int) -> list[str]:
    """Conversations (issue 3's table, when present) that still wait for a reflection."""
    columns = {row[1] for row in service.store.db.execute("PRAGMA table_info(conversations)")}
    if not {"user_id", "reflection"} <= columns:
        return []
    where = "c.user_id = ? AND (c.reflection IS NULL OR trim(c.reflection) IN ('', '{}', 'null'))"
    people = "person_id" in columns and bool(service.store._one(
        "SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'people'"))
    label = "p.name" if people else "NULL"
    join = " LEFT JOIN people p ON p.id = c.person_id" if people else ""
    started = "c.started_at" if "started_at" in columns else "NULL"
    rows = service.store._all(f"SELECT {label} AS who, {started} AS started FROM conversations c"
                              f"{join} WHERE {where} ORDER BY c.id", (user_id,))
    return [str(r["who"] or (r["started"] or "")[:10] or "?") for r in rows]


class TelegramSender:
    """Sends a reminder through the Bot API and says how it went."""

    def __init__(self, bot: Any) -> None:
        self.bot = bot

    async def __call__(self, chat_id: int, replies: list[Reply]) -> Delivery:
        from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

        from bot.telegram_app import send_reply

        for index, reply in enumerate(replies):
            try:
                await send_reply(self.bot, chat_id, reply)
            except Forbidden:
                return Delivery.BLOCKED
            except BadRequest as exc:  # a NetworkError subclass in PTB, but it will not pass later
                log.warning("Telegram refused a reminder: %s", exc)
                return Delivery.FAILED if index == 0 else Delivery.SENT
            except (RetryAfter, NetworkError) as exc:
                if index == 0:
                    log.warning("reminder for chat not sent (%s); trying again next tick",
                                type(exc).__name__)
                    return Delivery.RETRY
                log.warning("a chart of a reminder was not sent (%s)", type(exc).__name__)
                return Delivery.SENT  # the text arrived; sending it again would repeat it
            except TelegramError as exc:
                log.warning("Telegram refused a reminder: %s", exc)
                return Delivery.FAILED if index == 0 else Delivery.SENT
        return Delivery.SENT


def schedule(app: Any, service: Service) -> None:
    """Add the repeating tick to the Telegram Application's JobQueue."""
    if app.job_queue is None:
        log.warning("no JobQueue (python-telegram-bot[job-queue]); weekly reminders are off")
        return
    tick = ReminderTick(service, TelegramSender(app.bot))
    interval = float(getattr(service.defaults, "reminder_tick", 30.0))

    async def job(_context: Any) -> None:
        await tick.run_once()

    # Two instances may overlap; the tick's own lock makes the second return at once.
    app.job_queue.run_repeating(job, interval=interval, first=min(interval, 2.0),
                                name="weekly-reminders", job_kwargs={"max_instances": 2})
