"""Activities with the community in the bot: /activiteit, logging one in a few taps, the
goals that count along, and removing one (the goals counting it say their new value).

Buttons carry "av:<what>[:<id>]"; an activity is read with the presser's own user id.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date
from typing import Any

from bot.app.events import Outcome, Turn
from bot.app.feature import Ask, Feature, command, effect, press, provides
from bot.app.host import Host
from bot.app.ids import parse_id
from bot.app.offers import Roles
from bot.app.users import lang_of, zone_of
from dialogs.replies import Button, Reply, shorten
from dialogs.rules.activities import EXTENSION, attendance, first_time_of, parse_day
from dialogs.rules.dates import day_month
from dialogs.rules.goals.smart import format_number
from dialogs.state import Choice
from storage.activities import Activity, ActivityRepo, Link
from storage.attachments import WINDOW, AttachmentRepo
from storage.collaboration import CollaborationRepo
from storage.goals import GoalRepo
from storage.store import User

AV = "av"
RECENT = 5  # activities shown (each with its 🗑) under /activiteit
RECENT_OUTCOMES = 3  # outcomes with a 📎 button there
LEADS = ("library", "ambassador", "partner")


class Activities(Feature):
    name = "activities"
    extensions = (EXTENSION,)

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.repo = ActivityRepo(service.store)
        self.goals = GoalRepo(service.store)

    def t(self, user: User, key: str, **params: object) -> str:
        return self.service.t(user, key, **params)

    def lang(self, user: User) -> str:
        return lang_of(user)

    @command("activity", aliases=("activiteit",), group="field", order=6)
    def cmd_activity(self, turn: Turn) -> Outcome:
        if not turn.user.active_community:
            return self.service.need_community(turn)
        if turn.event.args.strip() == "new":  # phase 6's 📅 Activiteit: straight to logging
            return self.press_activity(turn, "add")
        return Outcome([self.overview(turn.user, edit=False)])

    def line(self, user: User, a: Activity) -> str:
        said = self.t(user, "activity_line", day=day_month(date.fromisoformat(a.day),
                                                            self.lang(user)),
                      kind=a.kind, what=a.what,
                      people=self.people(user, a.participants, a.first_time), led=a.led_by)
        if a.starred and a.note:  # the quote she marked, so she sees which words
            said += " · " + self.t(user, "activity_quote", note=shorten(a.note, 120))
        return said

    def people(self, user: User, count: int, first: int | None = None) -> str:
        """"14 deelnemers", "1 deelnemer"; with first-timers recorded "14 deelnemers, van
        wie 5 voor het eerst" (allemaal, niemand)."""
        counted = self.service.catalog.counted
        said = counted("participants", user.language, count)
        if first is None:
            return said
        if first <= 0:
            return self.t(user, "people_first_none", people=said)
        if first >= count:
            return counted("people_first_all", user.language, count, people=said)
        return self.t(user, "people_first_some", people=said, first=first)

    def total(self, user: User, done: list[Activity]) -> str:
        """"3 activiteiten, samen 27 deelnemers"; with first-timers recorded anywhere "3
        activiteiten, 27 bezoeken, (ten minste) 19 verschillende deelnemers"."""
        counted, lang = self.service.catalog.counted, user.language
        seen = attendance([asdict(a) for a in done])
        if all(a.first_time is None for a in done):
            return counted("activities_count", lang, seen.activities,
                           people=self.people(user, seen.visits))
        distinct = counted("distinct_participants", lang, seen.distinct)
        return counted("activities_attendance", lang, seen.activities,
                       visits=counted("visits", lang, seen.visits),
                       distinct=self.t(user, "at_least", what=distinct) if seen.estimated
                       else distinct)

    def overview(self, user: User, *, edit: bool, above: str = "") -> Reply:
        community = self.service.store.community(user.id, user.active_community or 0)
        name = community.name if community else "—"
        done = self.repo.of(user.id, user.active_community or 0)
        if done:
            lines = [self.t(user, "activities_title", community=name) + " · "
                     + self.total(user, done)]
            lines += [f"• {self.line(user, a)}" for a in self.shown(user, done)]
        else:
            lines = [self.t(user, "activities_none", community=name)]
        roles = self.service.offered(Roles)
        line = roles.roles_line(user) if roles is not None else ""
        lines += [line] if line else []
        rows = [[Button(label=self.t(user, "activity_add"), data=f"{AV}:add")],
                [Button(label=self.t(user, "activity_link"), data=f"{AV}:link")],
                [Button(label=self.t(user, "activity_roles"), data="co:role"),
                 Button(label=self.t(user, "activity_outcome"), data="co:out")]]
        rows += [self.row(user, a) for a in self.shown(user, done)]
        outcomes = CollaborationRepo(self.service.store).outcomes(
            user.id, user.active_community or 0)[-RECENT_OUTCOMES:]
        rows += [[Button(label=self.t(user, "attach_file_button", what=shorten(o.text, 40)),
                         data=f"fa:o:{o.id}")] for o in outcomes]
        text = "\n\n".join([p for p in (above, "\n".join(lines)) if p])
        return Reply(text=text, buttons=rows, edit=edit)

    def shown(self, user: User, done: list[Activity]) -> list[Activity]:
        """The most recent ones, and the one just logged (its photos' window still open)
        when it is older: its ☆ Citaat is under its confirmation."""
        recent = done[:RECENT]
        target = AttachmentRepo(self.service.store).target(
            user.id, self.service.clock().astimezone(UTC))
        if target is not None and target.record == "activity" \
                and all(a.id != target.record_id for a in recent):
            recent += [a for a in done if a.id == target.record_id]
        return recent

    def row(self, user: User, a: Activity) -> list[Button]:
        """🗑, 📷 and, for one with a note, ☆/⭐ Citaat (on or off)."""
        row = [Button(label=self.t(user, "activity_delete", what=shorten(
            f"{day_month(date.fromisoformat(a.day), self.lang(user))} {a.kind}", 40)),
            data=f"{AV}:del:{a.id}"),
            Button(label=self.t(user, "attach_photo_button"), data=f"fa:a:{a.id}")]
        if a.note:
            row.append(Button(label=self.t(user, "activity_starred_button" if a.starred
                                           else "activity_star"), data=f"{AV}:st:{a.id}"))
        return row

    @press(AV)
    def press_activity(self, turn: Turn, payload: str) -> Outcome:
        user = turn.user
        kind, _, rest = payload.partition(":")
        if not user.active_community:
            return self.service.need_community(turn)
        if kind == "add":
            AttachmentRepo(self.service.store).forget_pending(user.id)  # an earlier try's
            step = "kind" if self.repo.kinds(user.id, user.active_community) else "kind_new"
            return self.service.begin(turn, "activity", step=step)
        if kind == "link":
            if not self.goals.goals(user.id, user.active_community):
                return Outcome(notice=self.t(user, "goals_none_to_link"))
            return self.service.begin(turn, "activity", step="link_goal")
        activity_id = parse_id(rest)
        if kind == "st" and activity_id is not None:
            return self.star(user, activity_id)
        if kind == "del" and activity_id is not None:
            gone, moved = self.repo.delete(user.id, activity_id)
            if gone is not None:
                said = [self.t(user, "activity_deleted", kind=gone.kind, day=day_month(
                    date.fromisoformat(gone.day), self.lang(user)))] + self.moved(user, moved)
                return Outcome([self.overview(user, edit=True, above="\n".join(said))])
        return Outcome(notice=self.t(user, "activity_gone"))

    def star(self, user: User, activity_id: int) -> Outcome:
        """⭐ on or off the activity's note; a deleted one (an old button) says so."""
        found = self.repo.get(user.id, activity_id)
        if found is None or not self.repo.star(user.id, activity_id, not found.starred):
            return Outcome(notice=self.t(user, "activity_gone"))
        return Outcome([self.overview(user, edit=True)], notice=self.t(
            user, "activity_unstarred" if found.starred else "activity_starred"))

    def moved(self, user: User, links: list[Link]) -> list[str]:
        """What each goal counting along now stands at."""
        goals = {g.id: g for g in self.goals.goals(user.id)}
        return [self.t(user, "goal_moved", goal=shorten(goals[link.goal_id].specific, 60),
                       value=format_number(link.value, self.lang(user)))
                for link in links if link.goal_id in goals]

    @provides(choices=("activity_kinds",))
    def kinds(self, ask: Ask) -> dict[str, Any]:
        community = ask.community
        found = self.repo.kinds(ask.user.id, community.id) if community else []
        return {"activity_kinds": [Choice(id=str(i), label=k) for i, k in found]}

    def _kind(self, user: User, ref: str) -> str | None:
        ident = parse_id(ref)
        found = self.repo.get(user.id, ident) if ident is not None else None
        return found.kind if found else None

    @effect("log_activity")
    def log_activity(self, user: User, data: dict[str, Any],
                     _turn: Turn | None = None) -> list[Reply]:
        community = user.active_community
        kind = str(data.get("kind") or "") or self._kind(user, str(data.get("kind_ref", "")))
        if not community or not kind:
            return [Reply(text=self.t(user, "activity_gone"), lead=True)]
        led = str(data["led_by"]).strip()
        led = self.t(user, f"{led}_word") if led in LEADS else led
        note = str(data.get("note") or "").strip()
        day = self._day(user, str(data["day"]))
        people = int(str(data["participants"]))
        first = first_time_of(data.get("first_time"), people)
        activity_id, moved = self.repo.add(user.id, community, kind=kind, day=day,
                                           what=str(data["what"]).strip(),
                                           participants=people, first_time=first, led_by=led,
                                           note=None if note in ("", "-") else note)
        if moved:  # the sub-goals are being measured: phase 6's item
            self.service.store.set_tick(community, "p6.measure", True)
        said = [self.t(user, "activity_logged", kind=kind,
                       people=self.people(user, people, first),
                       day=day_month(day, self.lang(user)))] + self.moved(user, moved)
        if first is None and any(link.measure == "distinct" for link in moved):
            said.append(self.t(user, "first_time_unknown_goal"))
        files = AttachmentRepo(self.service.store)
        waiting = files.settle_pending(user.id, activity_id)  # photos sent while logging
        if waiting:
            said.append("📷 " + self.service.catalog.counted("attach_photos", user.language,
                                                            waiting))
        files.aim(user.id, "activity", activity_id,
                  self.service.clock().astimezone(UTC) + WINDOW)
        said.append(self.t(user, "attach_hint_activity"))
        return [Reply(text="\n".join(said), lead=True)]

    def _day(self, user: User, raw: str) -> date:
        """The checked day, or a tapped "vandaag"/"gisteren" (buttons are not checked)."""
        try:
            return date.fromisoformat(raw)
        except ValueError:
            found = parse_day(raw, now=self.service.clock(), tz=zone_of(user))
            return found if isinstance(found, date) else date.min

    @effect("link_goal")
    def link_goal(self, user: User, data: dict[str, Any],
                  _turn: Turn | None = None) -> list[Reply]:
        goal_id = parse_id(str(data.get("goal", "")))
        measure = str(data.get("measure", ""))
        ref = str(data.get("link_kind", "all"))
        kind = None if ref == "all" else self._kind(user, ref)
        link = (self.repo.link(user.id, goal_id, measure, kind)
                if goal_id is not None else None)
        goal = self.goals.goal(user.id, goal_id) if goal_id is not None else None
        if link is None or goal is None:
            return [Reply(text=self.t(user, "activity_gone"), lead=True)]
        what = self.t(user, f"link_{measure}")
        what = self.t(user, "link_of_kind", what=what, kind=kind) if kind else what
        said = [self.t(user, "goal_linked", goal=shorten(goal.specific, 60), what=what,
                       value=format_number(link.value, self.lang(user)))]
        if link.activities == 0:
            said.append(self.t(user, "goal_linked_none_yet"))
        elif measure == "distinct" and link.unrecorded:
            said.append(self.service.catalog.counted("goal_linked_estimate", user.language,
                                                     link.unrecorded))
        return [Reply(text="\n".join(said), lead=True)]
