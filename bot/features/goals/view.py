"""How goals, the vision and the reminder settings read in chat. Texts come from the catalog."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.app.users import zone_named, zone_words
from dialogs.catalog import Catalog
from dialogs.kinds.checklist import TEXT_MARK
from dialogs.replies import Button, label, shorten
from dialogs.rules import dates
from dialogs.rules import phase_one as phase_one_rule
from dialogs.rules.goals.pace import (
    Pace,
    expected_value,
    pace,
    planned_shown,
    progress,
    progress_bar,
)
from dialogs.rules.goals.schedule import deadline_soon
from dialogs.rules.goals.smart import format_number
from dialogs.rules.phase_one import phase_one
from storage.goals import VISION_PARTS, Goal, Vision

T = Callable[..., str]  # (text key, **params) -> text in the user's language
PART_ICONS = {"library_goal": "🏛", "participant_goal": "👥", "vision": "🤝"}
BUTTON_CHARS = 56
NEEDS_SHOWN = 160  # characters of the needs a goal answers, under it on /doelen


def short(text: str, limit: int = BUTTON_CHARS) -> str:
    """A goal or vision part on a button: cut at a word, as every label built from data."""
    return label(text, limit)


def log_buttons(goals: list[Goal]) -> list[Button]:
    """A "log progress" button per goal (the goals screen and the weekly reminder)."""
    return [Button(label="📈 " + short(g.specific, 40), data=f"goal:log:{g.id}")
            for g in goals]


def goal_pace(goal: Goal, today: date, tz: ZoneInfo) -> Pace:
    created = goal.created_at.astimezone(tz).date()
    return pace(goal.baseline, goal.target, created, goal.deadline, goal.current, today)


def goal_now(goal: Goal, t: T, lang: str) -> str:
    return t("goal_now", current=format_number(goal.current, lang),
             target=format_number(goal.target, lang), metric=goal.metric)


def goal_block(goal: Goal, today: date, tz: ZoneInfo, t: T, lang: str) -> list[str]:
    """A goal in a few short lines: name, bar with value vs target, pace and deadline, and
    the needs it answers."""
    state = goal_pace(goal, today, tz)
    bar = progress_bar(progress(goal.baseline, goal.target, goal.current))
    lines = [f"• {goal.specific}", f"  {bar} · {goal_now(goal, t, lang)}"]
    if state == Pace.BEHIND:
        created = goal.created_at.astimezone(tz).date()
        planned = expected_value(goal.baseline, goal.target, created, goal.deadline, today)
        shown = planned_shown(goal.baseline, goal.target, planned)
        lines.append("  " + t("pace_behind", planned=format_number(shown, lang)))
    else:
        lines.append("  " + t(f"pace_{state.value}"))
    lines[-1] += " · " + t("goal_deadline", date=dates.day_month_year(goal.deadline, lang))
    if state not in (Pace.DONE, Pace.OVERDUE) and deadline_soon(goal.deadline, today):
        days = (goal.deadline - today).days
        key = {0: "deadline_today", 1: "deadline_tomorrow"}.get(days, "deadline_days")
        lines.append("  " + t(key, days=days, date=dates.day_month_year(goal.deadline, lang)))
    if goal.needs:
        lines.append(f"  {t('goal_needs_label')}: "
                     + shorten(", ".join(goal.needs), NEEDS_SHOWN))
    return lines


def goals_overview(goals: list[Goal], community: str, has_vision: bool, today: date,
                   tz: ZoneInfo, t: T, lang: str) -> str:
    if not goals:
        text = t("goals_none", community=community)
    else:
        blocks = ["\n".join(goal_block(g, today, tz, t, lang)) for g in goals]
        text = t("goals_title", community=community) + "\n\n" + "\n\n".join(blocks)
    if not has_vision:
        text += "\n\n" + t("goals_no_vision")
    return text


def vision_parts(vision: Vision | None) -> list[tuple[str, str]]:
    """(part, text) for each part of the vision that is filled in."""
    if vision is None:
        return []
    return [(part, getattr(vision, part)) for part in VISION_PARTS if getattr(vision, part)]


def vision_overview(vision: Vision | None, community: str, t: T) -> str:
    parts = vision_parts(vision)
    if vision is None or not parts:
        return t("vision_none", community=community)
    lines = [t("vision_title", community=community), ""]
    lines += [f"{PART_ICONS[part]} {t('vision_part_' + part)}: {text}" for part, text in parts]
    lines.append("")
    with_whom = vision.formulated_with
    lines.append(t("vision_with", names=with_whom) if with_whom else t("vision_with_nobody"))
    return "\n".join(lines)


def vision_summary(vision: Vision | None, community: str, t: T) -> str:
    parts = vision_parts(vision)
    if not parts:
        return t("relevant_no_vision", community=community)
    lines = [f"{PART_ICONS[part]} {text}" for part, text in parts]
    return "\n".join(lines) + "\n\n" + t("relevant_pick")


def moment(when: datetime, tz: ZoneInfo, t: T, lang: str) -> str:
    local = when.astimezone(tz)
    return t("reminder_when", weekday=dates.weekday(local.weekday(), lang),
             date=dates.day_month_year(local.date(), lang), time=local.strftime("%H:%M"))


def reminder_status(weekday: int, at: time, tz_name: str, paused: bool, next_due: datetime,
                    t: T, lang: str) -> str:
    params = {"weekday": dates.weekday(weekday, lang), "time": at.strftime("%H:%M"),
              "tz": zone_words(tz_name, t, lang)}
    if paused:
        return t("reminder_paused", **params)
    return t("reminder_active", next=moment(next_due, zone_named(tz_name), t, lang), **params)


@dataclass(frozen=True)
class Checklist:
    """A phase's checklist in one language: its key ("p1"), title and (item id, label)s."""

    key: str
    title: str
    items: tuple[tuple[str, str], ...]


def checklists(catalog: Catalog, lang: str) -> list[Checklist]:
    """The six phases' checklists, in order; phases without one are left out."""
    out = []
    for number in range(1, 7):
        dialog = catalog.dialogs.get(f"phase{number}")
        if dialog is None:
            continue
        key = f"p{number}"
        # Labels as prose: without the ✍️ that marks an item asking for text.
        items = tuple((i.id, i.label.get(lang).removesuffix(TEXT_MARK))
                      for s in dialog.steps.values()
                      if s.checklist == key for i in s.items)
        if items:
            out.append(Checklist(key, dialog.title.get(lang), items))
    return out


def phase_items(phases: Sequence[Checklist], ticks: dict[str, set[str]],
                limit: int = 3) -> tuple[str, str, list[str]] | None:
    """The phase the librarian is in and its next open items: (title, progress, labels).

    Phase 1 comes first (never skipped); after that the lowest started phase that is not
    complete, else the lowest phase not complete. None when every checklist is done.
    """
    first: Checklist | None = None
    started: Checklist | None = None
    for phase in phases:
        done = ticks.get(phase.key, set())
        if phase.key == phase_one_rule.CHECKLIST:  # phase 1 is never skipped
            if phase_one(ticks, {phase.key: [i for i, _ in phase.items]}).complete:
                continue
            started = phase
            break
        if all(item in done for item, _ in phase.items):
            continue
        first = first or phase
        if done:
            started = phase
            break
    chosen = started or first
    if chosen is None:
        return None
    done = ticks.get(chosen.key, set())
    labels = [label for item, label in chosen.items if item not in done][:limit]
    count = sum(item in done for item, _ in chosen.items)
    return chosen.title, f"{count}/{len(chosen.items)}", labels
