"""The weekly overview's message: each community's goals with their pace, the phase's next
items, reflections waiting, colleagues' news and due actions, with a button per goal and per
action; without goals, the actions and news alone, or once a month a nudge."""

from __future__ import annotations

import logging
import math
from datetime import UTC, date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from bot.app.host import Host
from bot.app.offers import phase_one_lead
from bot.app.users import zone_of
from bot.features.goals import view as view
from bot.features.goals.chart_jobs import ChartJob, chart_job
from dialogs import paging
from dialogs.replies import Button, Reply
from dialogs.rules.actions.buttons import action_buttons
from dialogs.rules.goals.schedule import monthly_nudge_due
from storage.actions import Action, ActionRepo
from storage.goals import Goal, GoalRepo, ReminderBatch
from storage.reminder_rows import Reminder
from storage.store import User

log = logging.getLogger("veldgids.reminders")

MAX_CHARTS = 3
SHOWN_ACTIONS = 5  # with three buttons each, beside a page of goal buttons: within 100

Composed = tuple[list[Reply], str, list[ChartJob]]  # replies, what was sent, charts to draw


class WeeklyOverview:
    """Composes one librarian's weekly message; what it reads for everyone is read once."""

    def __init__(self, service: Host, repo: GoalRepo) -> None:
        self.service = service
        self.repo = repo
        self._checklists: dict[str, list[view.Checklist]] = {}  # by language

    def compose(self, user: User, row: Reminder, now: datetime,
                batch: ReminderBatch) -> Composed:
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
            return self._without_goals(user, row, now, t, lead, team, due)
        lines = [t("reminder_header", name=user.name or "👋"), *lead]
        sound = {g.id for g in goals if finite(g, user)}
        lines += self._goal_lines(goals, sound, batch.communities.get(user.id, {}), today, tz,
                                  t, lang)
        lines += [] if lead else phase
        lines += self._reflection_lines(batch.reflections.get(user.id, []), t)
        lines += team
        lines += ["", *action_lines(due, t)] if due else []
        lines += ["", t("reminder_log_hint")]
        buttons = goal_buttons(goals, t) + action_rows(due)
        charts = [chart_job(self.repo, user, g) for g in goals[:MAX_CHARTS] if g.id in sound]
        return [Reply(text="\n".join(lines), buttons=buttons)], "sent", charts

    @staticmethod
    def _without_goals(user: User, row: Reminder, now: datetime, t: view.T, lead: list[str],
                       team: list[str], due: list[Action]) -> Composed:
        """Due actions (with their buttons) and colleagues' news; without either, once a
        month a nudge, else nothing."""
        if due or team:
            lines = [t("reminder_header", name=user.name or "👋"), *lead, *team,
                     *(["", *action_lines(due, t)] if due else [])]
            return [Reply(text="\n".join(lines), buttons=action_rows(due))], "sent", []
        if not monthly_nudge_due(row.last_nudge, now):
            return [], "quiet", []
        return [Reply(text=t("reminder_nudge", name=user.name or "👋"))], "nudge", []

    @staticmethod
    def _goal_lines(goals: list[Goal], sound: set[int], names: dict[int, str], today: date,
                    tz: ZoneInfo, t: view.T, lang: str) -> list[str]:
        """Each community's goals under its name, with their pace where the numbers allow."""
        lines: list[str] = []
        for community_id in dict.fromkeys(g.community_id for g in goals):
            lines += ["", "🎯 " + names.get(community_id, "—")]
            for goal in (g for g in goals if g.community_id == community_id):
                lines += (view.goal_block(goal, today, tz, t, lang) if goal.id in sound
                          else [f"• {goal.specific}"])
        return lines

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
    return [action_buttons(a.id, a.what, apart=True) for a in due[:SHOWN_ACTIONS]]


def goal_buttons(goals: list[Goal], t: view.T) -> list[list[Button]]:
    """A "log progress" button per goal; past a page of them, one more that pages through
    the rest in a message of its own (Telegram shows at most 100 buttons, about 10 kB)."""
    shown = paging.page(view.log_buttons(goals), 0)
    rows = [[b] for b in shown.items]
    if shown.total > 1:
        rows.append([Button(label=t("reminder_more_goals", count=len(goals)),
                            data="goal:pg:1")])
    return rows

