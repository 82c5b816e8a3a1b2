"""The weekly reminder tick: send what is due, once, and move each row to its next slot.

One repeating JobQueue job calls `ReminderTick.run_once`, which keeps taking batches of due
rows until none is left; the Telegram sender's rate limiter sets the pace. Each batch is
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
import math
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from enum import StrEnum
from functools import partial
from typing import Any, TypeVar

from bot.app.feature import Feature, job
from bot.app.host import Host
from bot.app.offers import phase_one_lead
from bot.app.users import zone_named, zone_of
from bot.features.goals import view as view
from bot.features.goals.feature import ChartJob, chart_job, ensure_reminder
from bot.telegram.pace import BULK
from dialogs import paging
from dialogs.replies import Button, Reply
from dialogs.rules.goals.schedule import advance, catch_up, monthly_nudge_due
from storage.actions import Action, ActionRepo
from storage.charts import ChartCache
from storage.goals import Goal, GoalRepo, ReminderBatch
from storage.reminder_rows import Finished, Reminder
from storage.store import User

log = logging.getLogger("veldgids.reminders")

MAX_CHARTS = 3
SHOWN_ACTIONS = 5  # with three buttons each, beside a page of goal buttons: within 100
BATCH = 50  # rows claimed and read at once; run_once takes batches until none is due
FLUSH_EVERY = 0.05  # seconds: how long finished rows may wait for their commit


class Delivery(StrEnum):
    SENT = "sent"  # the reminder's text arrived
    RETRY = "retry"  # nothing arrived: network trouble or flood control
    BLOCKED = "blocked"  # the user blocked the bot
    FAILED = "failed"  # Telegram refused for another reason


Sender = Callable[[int, list[Reply]], Awaitable[Delivery]]
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
        self.send = send
        self.token = token or uuid.uuid4().hex  # who holds a claim: this process
        self.flush_every = FLUSH_EVERY
        self._busy = asyncio.Lock()
        self._checklists: dict[str, list[view.Checklist]] = {}  # by language
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
        t = partial(self.service.t, user)
        goals = batch.goals.get(user.id, [])
        tz, lang = zone_of(user), user.language
        today = now.astimezone(tz).date()
        due = ActionRepo(self.service.store).due_by(user.id, today)
        team = team_lines(self.service, user, now)
        # Until phase 1 of the active community is done, the overview leads with it.
        first = phase_one_lead(self.service, user, user.active_community)
        phase = self._phase_lines(user, batch, t, lang)
        lead = ["", first, *phase[1:]] if first else []
        if not goals:
            if due or team:  # due actions (with their buttons), colleagues' news
                lines = [t("reminder_header", name=user.name or "👋"), *lead, *team,
                         *(["", *action_lines(due, t)] if due else [])]
                return [Reply(text="\n".join(lines), buttons=action_rows(due))], "sent", []
            if not monthly_nudge_due(row.last_nudge, now):
                return [], "quiet", []
            return [Reply(text=t("reminder_nudge", name=user.name or "👋"))], "nudge", []
        names = batch.communities.get(user.id, {})
        lines = [t("reminder_header", name=user.name or "👋"), *lead]
        sound = {g.id for g in goals if finite(g, user)}
        for community_id in dict.fromkeys(g.community_id for g in goals):
            lines += ["", "🎯 " + names.get(community_id, "—")]
            for goal in (g for g in goals if g.community_id == community_id):
                lines += (view.goal_block(goal, today, tz, t, lang) if goal.id in sound
                          else [f"• {goal.specific}"])
        lines += [] if lead else phase
        lines += self._reflection_lines(batch.reflections.get(user.id, []), t)
        lines += team
        lines += ["", *action_lines(due, t)] if due else []
        lines += ["", t("reminder_log_hint")]
        buttons = goal_buttons(goals, t) + action_rows(due)
        charts = [chart_job(self.repo, user, g) for g in goals[:MAX_CHARTS] if g.id in sound]
        return [Reply(text="\n".join(lines), buttons=buttons)], "sent", charts

    def _phase_lines(self, user: User, batch: ReminderBatch, t: view.T, lang: str) -> list[str]:
        active = user.active_community
        name = batch.communities.get(user.id, {}).get(active) if active else None
        if active is None or name is None:
            return []
        if lang not in self._checklists:
            self._checklists[lang] = view.checklists(self.service.catalog, lang)
        found = view.phase_items(self._checklists[lang], batch.ticks.get(active, {}))
        if found is None or not found[2]:
            return []
        title, done, labels = found
        return ["", t("reminder_phase", phase=title, done=done, community=name),
                *(f"• {label}" for label in labels)]

    @staticmethod
    def _reflection_lines(names: list[str], t: view.T) -> list[str]:
        if not names:
            return []
        key = "reminder_reflections_one" if len(names) == 1 else "reminder_reflections"
        return ["", t(key, count=len(names), names=", ".join(names[:3]))]


def finite(goal: Goal, user: User) -> bool:
    """A goal stored before numbers were checked may hold inf or nan: it cannot be drawn or
    paced, so the overview names it without chart or pace, and the log says why."""
    numbers = {"baseline": goal.baseline, "target": goal.target, "now": goal.current}
    bad = {k: v for k, v in numbers.items() if not math.isfinite(v)}
    if bad:
        log.warning("goal %s of user %s holds what is not a finite number (%s); the weekly"
                    " overview shows it without pace or chart", goal.id, user.id,
                    ", ".join(f"{k} {v!r}" for k, v in bad.items()))
    return not bad


def team_lines(service: Host, user: User, now: datetime) -> list[str]:
    """What colleagues added to shared communities in the past week, in a line each."""
    from storage.team import news

    since = (now - timedelta(days=7)).astimezone(UTC).isoformat(timespec="seconds")
    found = news(service.store, user.id, since)
    if not found:
        return []
    lines = ["", service.t(user, "team_news")]
    for item in found:
        parts = [service.catalog.counted(key, user.language, n) for key, n in (
            ("team_conversations", item.conversations), ("team_outcomes", item.outcomes),
            ("team_assigned", item.assigned)) if n]
        lines.append(f"• {item.community}: " + ", ".join(parts))
    return lines


def action_lines(due: list[Action], t: view.T) -> list[str]:
    """Due and overdue actions in the weekly overview; past SHOWN_ACTIONS, a pointer."""
    lines = [t("reminder_actions"), *(f"• {a.what}" for a in due[:SHOWN_ACTIONS])]
    if len(due) > SHOWN_ACTIONS:
        lines.append(t("actions_more", count=len(due) - SHOWN_ACTIONS))
    return lines


def action_rows(due: list[Action]) -> list[list[Button]]:
    from bot.features.actions.feature import buttons

    return [buttons(a, apart=True) for a in due[:SHOWN_ACTIONS]]


def goal_buttons(goals: list[Goal], t: view.T) -> list[list[Button]]:
    """A "log progress" button per goal; past a page of them, one more that pages through
    the rest in a message of its own (Telegram shows at most 100 buttons, about 10 kB)."""
    shown = paging.page(view.log_buttons(goals), 0)
    rows = [[b] for b in shown.items]
    if shown.total > 1:
        rows.append([Button(label=t("reminder_more_goals", count=len(goals)),
                            data="goal:pg:1")])
    return rows


class TelegramSender:
    """Sends a reminder through the Bot API and says how it went."""

    def __init__(self, bot: Any) -> None:
        self.bot = bot

    async def __call__(self, chat_id: int, replies: list[Reply]) -> Delivery:
        bulk = BULK.set(True)  # these messages take what replies leave (bot/telegram/pace.py)
        try:
            return await self._send(chat_id, replies)
        finally:
            BULK.reset(bulk)

    async def _send(self, chat_id: int, replies: list[Reply]) -> Delivery:
        from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

        from bot.telegram.sending import send_reply

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


class Reminders(Feature):
    """The weekly overview's tick, as a repeating job of the bot."""

    name = "reminders"

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.ticks: dict[int, ReminderTick] = {}  # one per bot object (tests build several)

    # Two runs may overlap; the tick's own lock makes the second return at once.
    @job("weekly-reminders", "reminder_tick", first=2.0, overlap=2)
    async def tick(self, bot: Any) -> None:
        tick = self.ticks.get(id(bot))
        if tick is None:
            tick = self.ticks[id(bot)] = ReminderTick(self.service, TelegramSender(bot))
        await tick.run_once()
