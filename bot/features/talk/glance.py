"""/samenvatting's community at a glance: the next step, the kapstok (phase 1's frame, in
brief), the vision, each goal with its pace ("minstens" where a distinct-participants count
is an estimate), activities, every open action (the overdue first, marked), outcomes, the
roles (ambassadors, partners) and the people met with the last contact. A
part with nothing in it is named once in one sentence ("Nog geen visie of doelen
vastgelegd."); a community with nothing at all gets one sentence. Goals' pace comes from the
pure rules (dialogs/rules/goals/pace.py), as the goals feature's own view does."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from bot.app.host import Host
from bot.app.users import zone_of
from bot.features.talk.summary_together import done_blocks, outcome_blocks
from dialogs.catalog import Catalog
from dialogs.kinds.checklist import TEXT_MARK
from dialogs.replies import shorten
from dialogs.rules import dates
from dialogs.rules.activities import attendance
from dialogs.rules.goals.pace import Pace, expected_value, pace, planned_shown
from dialogs.rules.goals.smart import format_number
from storage.actions import Action, ActionRepo
from storage.activities import Activity, ActivityRepo
from storage.collaboration import ROLES, CollaborationRepo
from storage.goals import Goal, GoalRepo
from storage.store import User
from storage.talk import Conversation

VISION_CHARS = 300  # short: /visie holds it whole
FRAME_CHARS = 140  # one line: phase 1 holds the kapstok whole


@dataclass
class Glance:
    """The blocks in order, and the parts that hold nothing."""

    blocks: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def add(self, part: str, block: str | list[str] | None) -> None:
        found = [block] if isinstance(block, str) else (block or [])
        if found:
            self.blocks += found
        else:
            self.missing.append(part)


def next_step(catalog: Catalog, ticks: dict[str, set[str]], lang: str) -> tuple[str, str] | None:
    """(phase title, first open item) of the first phase not done (phase 1 first, as
    dialogs/rules/phase_one.py asks); None once every phase is done."""
    for number in range(1, 7):
        dialog = catalog.dialogs.get(f"phase{number}")
        if dialog is None:
            continue
        key = f"p{number}"
        done = ticks.get(key, set())
        for step in dialog.steps.values():
            for item in step.items if step.checklist == key else ():
                if item.id not in done:
                    return dialog.title.get(lang), item.label.get(lang).removesuffix(TEXT_MARK)
    return None


def goal_line(goal: Goal, today: date, tz: ZoneInfo, t: object, lang: str, *,
              at_least: bool = False) -> str:
    """`at_least`: the value is a lower bound (distinct participants where some activity has
    no first-timers recorded), said "minstens 27 van 30"."""
    created = goal.created_at.astimezone(tz).date()
    state = pace(goal.baseline, goal.target, created, goal.deadline, goal.current, today)
    current = format_number(goal.current, lang)
    params: dict[str, object] = {
        "current": t("glance_at_least", what=current) if at_least else current,  # type: ignore[operator]
        "target": format_number(goal.target, lang)}
    if state == Pace.BEHIND:
        planned = expected_value(goal.baseline, goal.target, created, goal.deadline, today)
        params["planned"] = format_number(planned_shown(goal.baseline, goal.target, planned),
                                          lang)
    key = {Pace.ON_TRACK: "glance_on_track", Pace.BEHIND: "glance_behind",
           Pace.DONE: "glance_done", Pace.OVERDUE: "glance_overdue"}[state]
    return t("glance_goal", goal=goal.specific, pace=t(key, **params),  # type: ignore[operator]
             date=dates.day_month_year(goal.deadline, lang))


class Glancer:
    def __init__(self, service: Host, user: User, community_id: int, lang: str) -> None:
        self.service, self.user, self.community_id, self.lang = service, user, community_id, lang
        self.zone = zone_of(user)
        self.today = service.clock().astimezone(self.zone).date()

    def t(self, key: str, **params: object) -> str:
        return self.service.t(self.user, key, **params)

    def counted(self, key: str, count: int, **params: object) -> str:
        return self.service.catalog.counted(key, self.lang, count, **params)

    def progress_step(self) -> str:
        found = next_step(self.service.catalog, self.service.store.ticks(self.community_id),
                          self.lang)
        if found is None:
            return self.t("glance_all_phases")
        return self.t("glance_next", phase=found[0], item=found[1])

    def frame(self) -> str | None:
        """Phase 1's kapstok in one line (the community's own, or the library's taken over)."""
        frame = self.service.store.answers(self.community_id).get("phase1.frame", "").strip()
        return self.t("glance_frame", text=shorten(frame, FRAME_CHARS)) if frame else None

    def roles(self) -> str | None:
        """"Ambassadeurs: Karim, Fatima · Partner: Buurthuis De Kolk"."""
        found = CollaborationRepo(self.service.store).roles(self.user.id, self.community_id)
        parts = []
        for role in ROLES:
            names = [r.name for r in found if r.role == role]
            if names:
                parts.append(self.counted(f"glance_role_{role}", len(names),
                                          names=", ".join(names)))
        return self.t("glance_roles", roles=" · ".join(parts)) if parts else None

    def vision(self) -> str | None:
        vision = GoalRepo(self.service.store).vision(self.community_id)
        if vision is None:
            return None
        parts = [p for p in (vision.vision, vision.participant_goal, vision.library_goal) if p]
        if not parts:
            return None
        return self.t("glance_vision", text=shorten(" · ".join(parts), VISION_CHARS))

    def goals(self) -> str | None:
        goals = GoalRepo(self.service.store).goals(self.user.id, self.community_id)
        if not goals:
            return None
        links = ActivityRepo(self.service.store)
        rows = [goal_line(g, self.today, self.zone, self.t, self.lang,
                          at_least=(link := links.linked(self.user.id, g.id)) is not None
                          and link.measure == "distinct" and link.unrecorded > 0)
                for g in goals]
        return self.counted("glance_goals", len(rows)) + "\n" + "\n".join(rows)

    def _amount(self, activities: list[Activity], first_key: str) -> str:
        """"3 activiteiten, 27 deelnemers"; where first-timers were recorded, visits and the
        first-timers (`first_key`: new this month, or distinct in all), "ten minste" when
        some activity has none recorded."""
        seen = attendance([asdict(a) for a in activities])
        shown = self.counted("glance_activity_count", seen.activities) + ", "
        if all(a.first_time is None for a in activities):
            return shown + self.counted("glance_participant_count", seen.visits)
        first = self.counted(first_key, seen.distinct)
        return (shown + self.counted("glance_visit_count", seen.visits) + ", "
                + (self.t("glance_at_least", what=first) if seen.estimated else first))

    def activities(self) -> str | None:
        every = ActivityRepo(self.service.store).of(self.user.id, self.community_id)
        if not every:
            return None
        month = self.today.isoformat()[:7]
        this = [a for a in every if a.day.startswith(month)]
        shown = (self._amount(this, "glance_new_count") if this
                 else self.t("glance_activities_none_month"))
        return self.t("glance_activities", month=shown,
                      total=self._amount(every, "glance_distinct_count"))

    def _due(self, due: date) -> str:
        shown = dates.day_month(due, self.lang)
        return shown if due.year == self.today.year else f"{shown} {due.year}"

    def _action_row(self, action: Action) -> str:
        what = action.what + (f" ({action.who})" if action.who else "")
        if not action.due:
            return self.t("glance_open", what=what)
        due = date.fromisoformat(action.due)
        key = "glance_late" if due < self.today else "glance_open_due"
        return self.t(key, what=what, date=self._due(due))

    def actions(self) -> list[str]:
        """Every open action, the overdue first (marked), then by date, undated last; the
        message pages where they are many."""
        blocks = []
        open_ = ActionRepo(self.service.store).open(self.user.id, self.community_id)
        today = self.today.isoformat()
        open_.sort(key=lambda a: (not (a.due and a.due < today), a.due is None, a.due or ""))
        late = sum(1 for a in open_ if a.due and a.due < today)
        if open_:
            head = (self.t("glance_actions_late", count=len(open_), late=late) if late
                    else self.t("glance_actions", count=len(open_)))
            blocks.append(head + "\n" + "\n".join(self._action_row(a) for a in open_))
        return blocks + done_blocks(self.service, self.user, self.community_id, self.lang,
                                    self.zone)

    def people(self, conversations: list[Conversation]) -> str | None:
        last: dict[str, Conversation] = {}
        for c in conversations:  # oldest first: the last one stays
            last[(c.person_name or "?").casefold()] = c
        if not last:
            return None
        newest = sorted(last.values(), key=lambda c: c.started_at, reverse=True)
        rows = [f"• {c.person_name or '?'} — "
                + dates.short_date(c.started_at, self.zone, self.lang) for c in newest]
        return self.counted("glance_people", len(rows)) + "\n" + "\n".join(rows)

    def blocks(self, conversations: list[Conversation], community: str,
               anything_else: bool) -> tuple[str, list[str]]:
        """(the next step, the blocks after the phases' progress)."""
        glance = Glance()
        frame = self.frame()
        if frame:  # not among the missing parts: phase 1's progress says it
            glance.blocks.append(frame)
        glance.add("vision", self.vision())
        glance.add("goals", self.goals())
        glance.add("activities", self.activities())
        glance.add("actions", self.actions())
        glance.add("outcomes", outcome_blocks(self.service, self.user, self.community_id))
        roles = self.roles()
        if roles:  # not among the missing parts: few communities name roles early
            glance.blocks.append(roles)
        glance.add("conversations", self.people(conversations))
        if not glance.blocks and not anything_else:
            return self.progress_step(), [self.t("glance_empty", community=community)]
        if glance.missing:
            words = [self.t(f"glance_part_{part}") for part in glance.missing]
            joined = (", ".join(words[:-1]) + f" {self.t('glance_or')} " + words[-1]
                      if len(words) > 1 else words[0])
            glance.blocks.append(self.t("glance_missing", parts=joined))
        return self.progress_step(), glance.blocks
