"""/overzicht (/overview): for admins, where every community stands, without its contents.

Per community: owner, members, ticked items per phase, conversations in the last 30 days,
goals with their pace (as the weekly overview computes it), open and overdue actions and the
last activity. Counts, progress and pace only: the figures come from storage/overview.py,
which reads no text a librarian wrote but a community's name (the admin needs to know which
row is which). Goal titles are left out on purpose: they are typed freely and may name the
people met. A page of communities at a time; the same rows as a chart (phases ×
communities, PNG) and as a CSV, both made off the event loop (`Reply.later`).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from bot.app.documents import csv_document
from bot.app.events import Outcome, Turn
from bot.app.feature import Feature, command, press
from bot.app.host import Host
from bot.app.ids import parse_id
from bot.app.offers import is_admin
from bot.app.users import lang_of, zone_named, zone_of
from bot.features.overview.chart import ChartRow, phase_chart, pieces
from bot.ops import offload
from dialogs.replies import Attachment, Button, Reply
from dialogs.rules.dates import day_month_year
from dialogs.rules.goals.pace import Pace, pace, progress
from storage.membership import Members
from storage.overview import CommunityFigures, GoalFigures, OverviewRepo
from storage.store import Store, User

PREFIX = "ov"
PER_PAGE = 8  # communities in one message: eight blocks stay well under 4,096 characters
PHASES = ("p1", "p2", "p3", "p4", "p5", "p6")
DAYS = 30
NAME, PERSON, MEMBERS_SHOWN = 60, 40, 5


def members_of(store: Store, community_id: int, owner: str) -> list[str]:
    """Who works on a community, owner first (the owner's name alone if none is listed)."""
    return [m.name for m in Members(store).of(community_id) if m.name] or [owner]


@dataclass(frozen=True)
class Row:
    """One community in the overview: every figure the message, chart and CSV show."""

    name: str
    owner: str
    members: tuple[str, ...]
    phases: tuple[tuple[int, int], ...]  # (ticked, items) per phase
    conversations: int
    goals: tuple[tuple[int, Pace], ...]  # (percent of the way, pace) per goal
    actions_open: int
    actions_overdue: int
    last_activity: date | None


def goal_row(goal: GoalFigures, today: date, tz_name: str) -> tuple[int, Pace]:
    """The way done and the pace, computed as the weekly overview does
    (bot/features/goals/view.py)."""
    created = goal.created_at.astimezone(zone_named(tz_name)).date()
    done = progress(goal.baseline, goal.target, goal.current)
    state = Pace.DONE if goal.status == "done" else pace(
        goal.baseline, goal.target, created, goal.deadline, goal.current, today)
    return round(done * 100), state


def rows(figures: list[CommunityFigures], checklists: dict[str, frozenset[str]],
         members: dict[int, list[str]], today: date, tz_name: str) -> list[Row]:
    tz = zone_named(tz_name)
    out = []
    for f in figures:
        phases = tuple((len(f.ticks.get(p, set()) & checklists.get(p, frozenset())),
                        len(checklists.get(p, frozenset()))) for p in PHASES)
        last = (datetime.fromisoformat(f.last_activity).astimezone(tz).date()
                if f.last_activity else None)
        out.append(Row(name=f.name, owner=f.owner, members=tuple(members.get(f.id, [f.owner])),
                       phases=phases, conversations=f.conversations,
                       goals=tuple(goal_row(g, today, tz_name) for g in f.goals),
                       actions_open=f.actions_open, actions_overdue=f.actions_overdue,
                       last_activity=last))
    return out


class Overview(Feature):
    name = "overview"

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.repo = OverviewRepo(service.store)

    def t(self, user: User, key: str, **params: object) -> str:
        return self.service.t(user, key, **params)

    def _rows(self, admin: User) -> list[Row]:
        today = self.service.clock().astimezone(zone_of(admin)).date()
        figures = self.repo.figures(today, DAYS)
        members = {f.id: members_of(self.service.store, f.id, f.owner) for f in figures}
        checklists = {p: frozenset(self.service.catalog.checklists.get(p, set()))
                      for p in PHASES}
        return rows(figures, checklists, members, today, admin.timezone)

    @command("overview", aliases=("overzicht",), group="admin", order=3)
    def overview(self, turn: Turn) -> Outcome:
        if not is_admin(self.service, turn.user):
            return self.service.say(turn.user, "access_admins_only")
        return Outcome([self.page(turn.user, self._rows(turn.user), 0, edit=False)])

    def page(self, admin: User, found: list[Row], number: int, *, edit: bool) -> Reply:
        frame = [[Button(label=self.t(admin, "overview_frame_button"), data=f"{PREFIX}:fr")]]
        if not found:
            return Reply(text=self.t(admin, "overview_none"), buttons=frame, edit=edit)
        pages = math.ceil(len(found) / PER_PAGE)
        number = max(0, min(number, pages - 1))
        shown = found[number * PER_PAGE:(number + 1) * PER_PAGE]
        title = self.t(admin, "overview_title", count=len(found),
                       communities=self._count(admin, "overview_communities", len(found)))
        if pages > 1:
            title += " " + self.t(admin, "list_part", first=number * PER_PAGE + 1,
                                  last=number * PER_PAGE + len(shown), total=len(found))
        blocks = [title] + [self.block(admin, r) for r in shown]
        blocks.append(self.t(admin, "overview_footer"))
        nav = []
        if number > 0:
            nav.append(Button(label=self.t(admin, "page_previous"),
                              data=f"{PREFIX}:pg:{number - 1}"))
        if number < pages - 1:
            nav.append(Button(label=self.t(admin, "page_next"),
                              data=f"{PREFIX}:pg:{number + 1}"))
        buttons = ([nav] if nav else []) + [
            [Button(label=self.t(admin, "overview_chart_button"), data=f"{PREFIX}:png"),
             Button(label=self.t(admin, "overview_csv_button"), data=f"{PREFIX}:csv")],
            *frame]
        return Reply(text="\n\n".join(blocks), buttons=buttons, edit=edit)

    def _count(self, user: User, key: str, count: int) -> str:
        return self.t(user, key + ("_one" if count == 1 else ""), count=count)

    def block(self, admin: User, row: Row) -> str:
        lang = lang_of(admin)
        t = self.t
        members = [_cut(m, PERSON) for m in row.members[:MEMBERS_SHOWN]]
        if len(row.members) > MEMBERS_SHOWN:
            members.append(t(admin, "overview_more", count=len(row.members) - MEMBERS_SHOWN))
        phases = " · ".join(f"{done}/{total}" for done, total in row.phases)
        lines = [f"🏘️ {_cut(row.name, NAME)}",
                 t(admin, "overview_people", owner=_cut(row.owner, PERSON) or "—",
                   members=", ".join(members)),
                 t(admin, "overview_phases", phases=phases),
                 t(admin, "overview_conversations", count=row.conversations, days=DAYS)]
        if row.goals:
            paces = Counter(state for _, state in row.goals)
            said = ", ".join(self._count(admin, f"overview_pace_{state.value}", n)
                             for state in Pace if (n := paces[state]))
            ways = " · ".join(f"{percent}%" for percent, _ in row.goals)
            lines.append(t(admin, "overview_goals", goals=self._count(
                admin, "overview_goal_count", len(row.goals)), paces=said, ways=ways))
        else:
            lines.append(t(admin, "overview_no_goals"))
        lines.append(t(admin, "overview_actions", open=row.actions_open,
                       overdue=row.actions_overdue) if row.actions_open
                     else t(admin, "overview_no_actions"))
        lines.append(t(admin, "overview_last", when=day_month_year(row.last_activity, lang))
                     if row.last_activity else t(admin, "overview_last_never"))
        return "\n".join(lines)

    @press(PREFIX)
    def press_overview(self, turn: Turn, payload: str) -> Outcome:
        admin = turn.user
        if not is_admin(self.service, admin):
            return Outcome(notice=self.t(admin, "access_admins_only"))
        kind, _, rest = payload.partition(":")
        if kind == "pg" and (number := parse_id(rest)) is not None:
            return Outcome([self.page(admin, self._rows(admin), number, edit=True)])
        if kind == "fr" and not rest:
            return self.service.begin(turn, "library_edit")
        if kind in ("png", "csv") and not rest:
            found = self._rows(admin)  # read now, in this event's transaction
            if not found:
                return Outcome([self.page(admin, found, 0, edit=True)])
            make = self._chart if kind == "png" else self._csv
            return Outcome([Reply(text="", later=lambda: make(admin, found))])
        return Outcome(notice=self.t(admin, "stale_button"))

    def phase_names(self, admin: User) -> list[str]:
        return [self.t(admin, "overview_phase_short", number=i) for i in range(1, 7)]

    def _chart(self, admin: User, found: list[Row]) -> Reply:
        """Heavy: runs in a worker thread (the front end calls `later` off the loop), and the
        drawing in the heavy-work process (matplotlib holds the GIL)."""
        parts = pieces(chart_rows(found))
        images = []
        for index, part in enumerate(parts, start=1):
            title = self.t(admin, "overview_chart_title")
            if len(parts) > 1:
                title += f" ({index}/{len(parts)})"
            images.append(Attachment(kind="photo", filename=f"overzicht-{index}.png",
                                     content=offload.call(phase_chart, part,
                                                          self.phase_names(admin), title)))
        return Reply(text="", attachments=images)

    def _csv(self, admin: User, found: list[Row]) -> Reply:
        totals = [total for _, total in found[0].phases]
        header = [self.t(admin, "overview_csv_phase", number=c[5:], total=totals[int(c[5:]) - 1])
                  if c.startswith("phase") else self.t(admin, f"overview_csv_{c}")
                  for c in COLUMNS]
        content = csv_bytes(found, header)
        day = self.service.clock().astimezone(zone_of(admin)).date().isoformat()
        return Reply(text="", attachments=[Attachment(
            kind="document", filename=f"veldgids-overzicht-{day}.csv", content=content,
            caption=self._count(admin, "overview_csv_caption", len(found)))])


def chart_rows(found: list[Row]) -> list[ChartRow]:
    """What the chart draws: each community's name and phases, nothing else."""
    return [ChartRow(name=r.name, phases=r.phases) for r in found]


COLUMNS = ("community", "owner", "members", *(f"phase{i}" for i in range(1, 7)),
           "conversations", "goals", *(f"goals_{p.value}" for p in Pace),
           "actions_open", "actions_overdue", "last_activity")


def csv_table(found: list[Row]) -> list[list[str]]:
    """A row per community; numbers as numbers (a phase's ticked items: "3/5" would become a
    date in Excel; the header says how many items there are), dates as ISO."""
    out = []
    for r in found:
        paces = Counter(state for _, state in r.goals)
        out.append([r.name, r.owner, ", ".join(r.members),
                    *(str(done) for done, _ in r.phases),
                    str(r.conversations), str(len(r.goals)),
                    *(str(paces[p]) for p in Pace),
                    str(r.actions_open), str(r.actions_overdue),
                    r.last_activity.isoformat() if r.last_activity else ""])
    return out


def csv_bytes(found: list[Row], header: list[str]) -> bytes:
    return csv_document(header, csv_table(found))


def _cut(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"
