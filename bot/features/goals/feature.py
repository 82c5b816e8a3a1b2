"""Phase 5 in the bot: the shared vision, SMART goals, progress, charts and /reminders.

Commands (goals, reminders), effects, the "goal:" buttons of the weekly reminder and the
context the goal dialogs need. The weekly tick itself is its own feature
(bot/features/goals/reminders.py).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time
from functools import partial
from typing import Any

from bot.app.events import Outcome, Turn
from bot.app.feature import Ask, Feature, command, effect, press, provides
from bot.app.host import Host
from bot.app.ids import parse_id
from bot.app.offers import HeardNeeds
from bot.app.users import lang_of, zone_named, zone_of, zone_words
from bot.features.goals import view as view
from bot.features.goals.chart_jobs import chart_job
from dialogs import paging
from dialogs.replies import Reply
from dialogs.rules.goals.checks import EXTENSION
from dialogs.rules.goals.schedule import next_due
from dialogs.state import Begin, Choice
from storage.goals import VISION_PARTS, GoalRepo
from storage.reminder_rows import Reminder
from storage.store import User

DEFAULT_WEEKDAY = 0  # Monday
DEFAULT_TIME = time(9, 0)
EDITABLE = frozenset({"specific", "metric", "numbers", "achievable", "relevant", "needs",
                      "deadline"})
NO_NOTE = "-"  # the "no note" and "nobody yet" buttons save this


class Goals(Feature):
    name = "goals"
    extensions = (EXTENSION,)

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.repo = GoalRepo(service.store)

    def t(self, user: User) -> view.T:
        return partial(self.service.t, user)

    def now(self) -> datetime:
        return self.service.clock().astimezone(UTC)

    def today(self, user: User) -> date:
        return self.now().astimezone(zone_of(user)).date()

    # commands and buttons
    @command("goals", aliases=("doelen",), group="method", order=2)
    def cmd_goals(self, turn: Turn) -> Outcome:
        if not turn.user.active_community:
            return self.service.need_community(turn)
        return self.service.run(turn, Begin(dialog="goals"))

    @command("reminders", aliases=("herinneringen",), group="settings", order=2)
    def cmd_reminders(self, turn: Turn) -> Outcome:
        self.reminder(turn.user)
        return self.service.run(turn, Begin(dialog="reminders"))

    @press("goal")
    def press(self, turn: Turn, payload: str) -> Outcome:
        """A "log progress" button of a weekly reminder: straight to the value question."""
        action, _, ident = payload.partition(":")
        if action in ("pg", "pe") and (number := parse_id(ident)) is not None:
            return Outcome([self.goal_page(turn.user, number, edit=action == "pe")])
        goal_id = parse_id(ident) if action == "log" else None
        goal = self.repo.goal(turn.user.id, goal_id) if goal_id is not None else None
        if goal is None:
            if turn.user.active_community:
                outcome = self.service.run(turn, Begin(dialog="goals"))
            else:
                outcome = Outcome()
            outcome.notice = self.service.t(turn.user, "goal_gone_notice")
            return outcome
        return self.service.run(turn, Begin(dialog="goals", step="log_value",
                                            data={"goal": str(goal.id)}))

    def goal_page(self, user: User, number: int, *, edit: bool) -> Reply:
        """The weekly reminder's goals past its first page, a page at a time: from the
        reminder a new message ("pg"), then paging within it ("pe")."""
        goals = [g for g in self.repo.goals(user.id) if g.status == "active"]
        shown = paging.page(view.log_buttons(goals), number)
        nav = shown.nav(lambda n: f"goal:pe:{n}", lambda key: self.service.t(user, key))
        rows = [[b] for b in shown.items] + ([nav] if nav else [])
        return Reply(text=self.service.t(user, "reminder_which_goal"), buttons=rows, edit=edit)

    # effects
    @effect("save_vision")
    def save_vision(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        if not user.active_community:
            return
        together = str(data.get("together") or "").strip()
        named = "" if together == NO_NOTE else together
        self.repo.save_vision(user.active_community, str(data.get("library_goal", "")),
                              str(data.get("participant_goal", "")), str(data.get("vision", "")),
                              named)
        self.service.store.set_tick(user.active_community, "p5.together", bool(named))

    @effect("save_goal")
    def save_goal(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        if data.get("decision") != "save" or not user.active_community:
            return
        answer = str(data.get("relevant") or "")  # a vision part's id, or own words
        vision = self.repo.vision(user.active_community)
        part = answer if answer in VISION_PARTS and vision else None
        relevant = getattr(vision, part) if part else answer
        self.repo.add_goal(
            user.id, user.active_community, specific=str(data["specific"]),
            metric=str(data["metric"]), baseline=float(data["baseline"]),
            target=float(data["target"]), achievable=str(data.get("achievable") or ""),
            relevant=relevant, relevant_part=part,
            deadline=date.fromisoformat(str(data["deadline"])), needs=picked_needs(data))
        self.service.store.set_tick(user.active_community, "p5.smart", True)
        self.reminder(user)

    @effect("save_progress")
    def save_progress(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        goal_id, note = str(data.get("goal", "")), str(data.get("note") or "").strip()
        if parse_id(goal_id) is not None and "value" in data:
            # A goal deleted meanwhile records nothing; the dialog then says so (goal_exists).
            self.repo.log_progress(user.id, int(goal_id), float(data["value"]),
                                   None if note == NO_NOTE else note)

    @effect("delete_goal")
    def delete_goal(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        goal_id = str(data.get("goal", ""))
        if data.get("decision") == "delete" and parse_id(goal_id) is not None:
            goal = self.repo.goal(user.id, int(goal_id))
            if goal is None or not self.repo.delete_goal(user.id, goal.id):
                return
            if not self.repo.goals(user.id, goal.community_id):  # no SMART sub-goal left
                self.service.store.set_tick(goal.community_id, "p5.smart", False)

    @effect("show_chart")
    def show_chart(self, user: User, data: dict[str, Any],
                   _turn: Turn | None = None) -> list[Reply]:
        goal_id = str(data.get("goal", ""))
        goal = self.repo.goal(user.id, int(goal_id)) if parse_id(goal_id) is not None else None
        if goal is None:
            return []
        draw = chart_job(self.repo, user, goal).prepare()  # read now, draw off the event loop
        return [Reply(text="", later=lambda: Reply(text="", attachments=[draw()]))]

    @effect("set_reminder")
    def set_reminder(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        current = self.reminder(user)
        weekday, at, tz = current.weekday, current.local_time, current.tz
        paused = current.paused
        if str(data.get("weekday", "")).isdigit():
            weekday = int(data["weekday"])
        if data.get("clock"):
            at = time.fromisoformat(str(data["clock"]))
        if data.get("zone"):
            tz = str(data["zone"])
            self.repo.set_timezone(user.id, tz)
        if data.get("action") == "toggle":
            paused = not paused
        changed = (weekday, at, tz, paused) != (current.weekday, current.local_time,
                                                current.tz, current.paused)
        if changed:
            due = next_due(weekday, at, zone_named(tz), self.now())
            self.repo.update_reminder(user.id, weekday=weekday, local_time=at, tz=tz,
                                      paused=paused, next_due=due)

    def reminder(self, user: User) -> Reminder:
        """The user's reminder row, created with the defaults if there is none yet."""
        found = self.repo.reminder(user.id)
        if found is not None:
            return found
        return ensure_reminder(self.repo, user.id, user.timezone, self.now())

    # context
    @provides(values=("now", "tz"))
    def clock(self, ask: Ask) -> dict[str, Any]:
        return {"now": self.now().isoformat(), "tz": zone_of(ask.user).key}

    @provides(facts=("has_vision",), values=("vision_overview", "vision_summary", "serves_*"),
              choices=("vision_parts",))
    def vision(self, ask: Ask) -> dict[str, Any]:
        t, active = self.t(ask.user), ask.community
        community = active.name if active else "—"
        vision = self.repo.vision(active.id) if active else None
        parts = view.vision_parts(vision)
        out: dict[str, Any] = {
            "has_vision": bool(parts),
            "vision_overview": view.vision_overview(vision, community, t),
            "vision_summary": view.vision_summary(vision, community, t),
            "vision_parts": [Choice(id=part, label=f"{view.PART_ICONS[part]} "
                                    + view.short(text)) for part, text in parts]}
        for part, text in parts:
            out[f"serves_{part}"] = t(f"serves_{part}", text=text)
        return out

    @provides(facts=("has_heard_needs",), choices=("heard_needs",))
    def heard_needs(self, ask: Ask) -> dict[str, Any]:
        """The needs that recur in the conversations ("Wat we hoorden", the talk feature), a
        button each; the builder asks about them only when there are some (or the draft
        holds some to change)."""
        talk, community = self.service.offered(HeardNeeds), ask.user.active_community
        needs = talk.recurring_needs(ask.user, community) if talk and community else []
        state = ask.state
        drafted = picked_needs(state.data) if state and state.dialog == "goals" else []
        return {"has_heard_needs": bool(needs or drafted),
                "heard_needs": [Choice(id=need_id(n), label=n) for n in needs]}

    @provides(facts=("has_goals", "goal_exists", "goal_editing"),
              values=("goals_overview", "goal_*"), choices=("goals",))
    def goals(self, ask: Ask) -> dict[str, Any]:
        user, active = ask.user, ask.community
        t, lang = self.t(user), lang_of(user)
        community = active.name if active else "—"
        has_vision = bool(view.vision_parts(self.repo.vision(active.id) if active else None))
        goals = self.repo.goals(user.id)
        mine = [g for g in goals if active and g.community_id == active.id]
        out: dict[str, Any] = {
            "has_goals": bool(mine), "goal_needs_label": t("goal_needs_label"),
            "goals": [Choice(id=str(g.id), label=("✅ " if g.status == "done" else "")
                             + view.short(g.specific)) for g in mine],
            "goals_overview": view.goals_overview(mine, community, has_vision, self.today(user),
                                                  zone_of(user), t, lang)}
        for goal in goals:
            out[f"goal_{goal.id}_name"] = goal.specific
            out[f"goal_{goal.id}_now"] = view.goal_now(goal, t, lang)
        state = ask.state
        if state is not None and state.dialog == "goals":
            # Facts about the goal picked in an earlier step of this dialog.
            picked = str(state.data.get("goal", ""))
            out["goal_exists"] = any(str(g.id) == picked for g in goals)
            out["goal_editing"] = state.data.get("editing") in EDITABLE
        return out

    @provides(values=("reminder_status", "reminder_toggle", "reminder_tz"))
    def reminder_view(self, ask: Ask) -> dict[str, Any]:
        user = ask.user
        t, lang = self.t(user), lang_of(user)
        tz = zone_of(user)
        row = self.repo.reminder(user.id)
        weekday, at = (row.weekday, row.local_time) if row else (DEFAULT_WEEKDAY, DEFAULT_TIME)
        tz_name = row.tz if row else tz.key
        due = row.next_due if row else next_due(weekday, at, tz, self.now())
        paused = bool(row and row.paused)
        return {"reminder_status": view.reminder_status(weekday, at, tz_name, paused, due,
                                                        t, lang),
                "reminder_toggle": t("reminder_resume" if paused else "reminder_pause"),
                "reminder_tz": zone_words(tz_name, t, lang)}


def picked_needs(data: dict[str, Any]) -> list[str]:
    """The needs ticked or typed in the builder (a list under "needs")."""
    needs = data.get("needs")
    return [str(n) for n in needs] if isinstance(needs, list) else []


def need_id(need: str) -> str:
    """A need's button id: short and ASCII whatever the theme (callback data ≤ 64 bytes)."""
    return "n" + hashlib.sha1(need.casefold().encode()).hexdigest()[:10]


def ensure_reminder(repo: GoalRepo, user_id: int, tz: str, now: datetime) -> Reminder:
    """Create the weekly row with the defaults (Monday 09:00 in the user's zone)."""
    repo.create_reminder(user_id, weekday=DEFAULT_WEEKDAY, local_time=DEFAULT_TIME, tz=tz,
                         next_due=next_due(DEFAULT_WEEKDAY, DEFAULT_TIME, zone_named(tz), now))
    found = repo.reminder(user_id)
    assert found is not None
    return found
