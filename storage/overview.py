"""Figures about every community for the team leader's overview: counts, ticks and dates.

Nothing here reads a text a librarian wrote (notes, transcripts, summaries, answers, people,
goal titles): the queries select counts, item ids, numbers and timestamps only, so no
content can reach the overview even by mistake. A handful of grouped queries serve any
number of communities (no query per community).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from storage.db import Connection


@dataclass(frozen=True)
class GoalFigures:
    """A goal's numbers, enough for its pace (dialogs/rules/goals/pace.py); not its title."""

    baseline: float
    target: float
    current: float
    created_at: datetime
    deadline: date
    status: str


@dataclass
class CommunityFigures:
    id: int
    name: str
    owner_id: int
    owner: str
    ticks: dict[str, set[str]] = field(default_factory=dict)  # checklist -> ticked item ids
    conversations: int = 0  # started in the window (30 days)
    goals: list[GoalFigures] = field(default_factory=list)
    actions_open: int = 0
    actions_overdue: int = 0
    last_activity: str | None = None  # UTC ISO text


# Every table whose rows mark work on a community, with the column saying when.
_ACTIVITY = (("notes", "created_at"), ("conversations", "started_at"),
             ("checklist", "done_at"), ("answers", "updated_at"),
             ("item_texts", "updated_at"), ("actions", "updated_at"),
             ("activities", "created_at"), ("outcomes", "created_at"),
             ("roles", "created_at"), ("goals", "created_at"), ("visions", "updated_at"))


class OverviewRepo:
    def __init__(self, store: Connection) -> None:
        self.store = store

    def figures(self, today: date, days: int = 30) -> list[CommunityFigures]:
        """Every community, by name; conversations counted from `days` ago, actions overdue
        when due before `today` (the admin's local date)."""
        since = (self.store.clock() - timedelta(days=days)).astimezone(UTC).isoformat(
            timespec="seconds")
        out = {r["id"]: CommunityFigures(id=r["id"], name=r["name"], owner_id=r["user_id"],
                                         owner=r["owner"] or "")
               for r in self.store.rows(
                   "SELECT c.id, c.name, c.user_id, u.name AS owner FROM communities c"
                   " JOIN users u ON u.id = c.user_id ORDER BY c.name COLLATE NOCASE, c.id")}
        for r in self.store.rows("SELECT community_id, item FROM checklist"):
            checklist, _, item = r["item"].partition(".")
            if (found := out.get(r["community_id"])) is not None:
                found.ticks.setdefault(checklist, set()).add(item)
        for r in self.store.rows("SELECT community_id, count(*) AS n FROM conversations"
                                 " WHERE started_at >= ? AND community_id IS NOT NULL"
                                 " GROUP BY community_id", (since,)):
            if (found := out.get(r["community_id"])) is not None:
                found.conversations = r["n"]
        for r in self.store.rows(
                "SELECT g.community_id, g.baseline, g.target, g.created_at, g.deadline,"
                " g.status, (SELECT p.value FROM goal_progress p WHERE p.goal_id = g.id"
                " ORDER BY p.logged_at DESC, p.id DESC LIMIT 1) AS current"
                " FROM goals g ORDER BY g.id"):
            if (found := out.get(r["community_id"])) is not None:
                found.goals.append(GoalFigures(
                    baseline=r["baseline"], target=r["target"],
                    current=r["current"] if r["current"] is not None else r["baseline"],
                    created_at=datetime.fromisoformat(r["created_at"]),
                    deadline=date.fromisoformat(r["deadline"]), status=r["status"]))
        for r in self.store.rows(
                "SELECT community_id, count(*) AS open,"
                " sum(CASE WHEN due IS NOT NULL AND due < ? THEN 1 ELSE 0 END) AS overdue"
                " FROM actions WHERE done_at IS NULL GROUP BY community_id",
                (today.isoformat(),)):
            if (found := out.get(r["community_id"])) is not None:
                found.actions_open, found.actions_overdue = r["open"], r["overdue"] or 0
        latest = " UNION ALL ".join(
            ["SELECT id AS community_id, created_at AS at FROM communities"]
            + [f"SELECT community_id, max({column}) AS at FROM {table} GROUP BY community_id"
               for table, column in _ACTIVITY])
        for r in self.store.rows(f"SELECT community_id, max(at) AS at FROM ({latest})"
                                 " WHERE community_id IS NOT NULL GROUP BY community_id"):
            if (found := out.get(r["community_id"])) is not None:
                found.last_activity = r["at"]
        return list(out.values())
