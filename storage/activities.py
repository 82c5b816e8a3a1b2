"""Activities with the community (a meetup, a taalcafé evening, a workshop) and the SMART
goals that count them: "count activities (of one kind)", "sum their participants" (visits)
or "sum their first-timers" (distinct participants: someone new counts once, at the first
activity they came to; `first_time` NULL is not recorded and adds nothing).

A linked goal's progress is written as ordinary progress rows (storage/goals.py) each time
its activities change, so the chart, the pace and the weekly overview read the same data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import Connection
from storage.goals import GoalRepo
from storage.membership import readable_sql
from storage.migrations import run_statements

migrations = Migrations("veldgids-activities")
MEASURES = ("count", "sum", "distinct")


@migrations()
def m001_activities(db: Database) -> None:
    run_statements(db, """
        CREATE TABLE activities (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            day TEXT NOT NULL,
            what TEXT NOT NULL,
            participants INTEGER NOT NULL,
            led_by TEXT NOT NULL,
            note TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX activities_community ON activities(community_id, day);
        CREATE TABLE goal_links (
            goal_id INTEGER PRIMARY KEY REFERENCES goals(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            measure TEXT NOT NULL CHECK (measure IN ('count', 'sum')),
            kind TEXT
        )
    """)


@migrations()
def m002_distinct_participants(db: Database) -> None:
    """How many came for the first time (NULL: not recorded), and goals counting them.
    SQLite cannot alter a CHECK, so goal_links is rebuilt; no table refers to it."""
    run_statements(db, """
        ALTER TABLE activities ADD COLUMN first_time INTEGER;
        CREATE TABLE goal_links_distinct (
            goal_id INTEGER PRIMARY KEY REFERENCES goals(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            measure TEXT NOT NULL CHECK (measure IN ('count', 'sum', 'distinct')),
            kind TEXT
        );
        INSERT INTO goal_links_distinct (goal_id, user_id, measure, kind)
            SELECT goal_id, user_id, measure, kind FROM goal_links;
        DROP TABLE goal_links;
        ALTER TABLE goal_links_distinct RENAME TO goal_links
    """)


@migrations()
def m003_starred(db: Database) -> None:
    """An activity's note marked ⭐ is a quote: the report's page 1 can show it."""
    db.execute("ALTER TABLE activities ADD COLUMN starred INTEGER NOT NULL DEFAULT 0")


@dataclass(frozen=True)
class Activity:
    id: int
    community_id: int
    kind: str
    day: str  # ISO date
    what: str
    participants: int
    led_by: str
    note: str | None
    first_time: int | None = None  # how many came for the first time; None: not recorded
    starred: bool = False  # its note marked ⭐ as a quote


@dataclass(frozen=True)
class Link:
    goal_id: int
    measure: str  # count | sum | distinct
    kind: str | None  # None: every kind
    value: float  # what the activities add up to now
    activities: int  # how many it counts
    unrecorded: int = 0  # of those, how many have no first-timers recorded


FIELDS = ("id, community_id, kind, day, what, participants, led_by, note, first_time,"
          " starred")


def _activity(row: dict[str, object]) -> Activity:
    return Activity(**{**row, "starred": bool(row.get("starred"))})  # type: ignore[arg-type]


class ActivityRepo:
    """One librarian's activities; every read and write names the user."""

    def __init__(self, store: Connection) -> None:
        self.store = store
        self.db = store.db
        self.goals = GoalRepo(store)

    def add(self, user_id: int, community_id: int, *, kind: str, day: date, what: str,
            participants: int, led_by: str, note: str | None,
            first_time: int | None = None) -> tuple[int, list[Link]]:
        """Log one; returns its id and the linked goals it moved."""
        with self.store.atomic():
            cursor = self.db.execute(
                "INSERT INTO activities (user_id, community_id, kind, day, what, participants,"
                " first_time, led_by, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (user_id, community_id, kind, day.isoformat(), what, participants, first_time,
                 led_by, note, self.store.now()))
            return int(cursor.lastrowid or 0), self.recount(user_id, community_id, kind)

    def delete(self, user_id: int, activity_id: int) -> tuple[Activity | None, list[Link]]:
        """Remove one; returns it and the linked goals it moved (None if it was not there)."""
        found = self.get(user_id, activity_id)
        if found is None:
            return None, []
        with self.store.atomic():
            self.db.execute(f"DELETE FROM activities WHERE id = ? AND {readable_sql()}",
                            (activity_id, user_id))
            return found, self.recount(user_id, found.community_id, found.kind)

    def get(self, user_id: int, activity_id: int) -> Activity | None:
        row = self.store.one(f"SELECT {FIELDS} FROM activities WHERE id = ? AND {readable_sql()}",
                             (activity_id, user_id))
        return _activity(row) if row else None

    def star(self, user_id: int, activity_id: int, starred: bool) -> bool:
        """⭐ on or off an activity's note; False when it is gone or has no note."""
        return self.db.execute(
            "UPDATE activities SET starred = ? WHERE id = ? AND note IS NOT NULL AND note != ''"
            f" AND {readable_sql()}", (int(starred), activity_id, user_id)).rowcount == 1

    def of(self, user_id: int, community_id: int) -> list[Activity]:
        """Newest first."""
        return [_activity(r) for r in self.store.rows(
            f"SELECT {FIELDS} FROM activities WHERE community_id = ? AND {readable_sql()}"
            " ORDER BY day DESC, id DESC", (community_id, user_id))]

    def kinds(self, user_id: int, community_id: int) -> list[tuple[int, str]]:
        """Kinds used before in the community, most recent first: (an activity's id, kind)."""
        return [(r["id"], r["kind"]) for r in self.store.rows(
            "SELECT max(id) AS id, kind FROM activities WHERE community_id = ? AND"
            f" {readable_sql()} GROUP BY kind ORDER BY max(id) DESC", (community_id, user_id))]

    # goals counting along
    def link(self, user_id: int, goal_id: int, measure: str, kind: str | None) -> Link | None:
        """Let a goal count activities; its progress is set from them at once."""
        goal = self.goals.goal(user_id, goal_id)
        if goal is None or measure not in MEASURES:
            return None
        self.db.execute("INSERT INTO goal_links (goal_id, user_id, measure, kind)"
                        " VALUES (?, ?, ?, ?) ON CONFLICT (goal_id) DO UPDATE SET"
                        " measure = excluded.measure, kind = excluded.kind",
                        (goal_id, user_id, measure, kind))
        moved = self.recount(user_id, goal.community_id, kind, only=goal_id)
        return moved[0] if moved else self.linked(user_id, goal_id)

    def linked(self, user_id: int, goal_id: int) -> Link | None:
        row = self.store.one("SELECT l.goal_id, l.measure, l.kind, g.community_id,"
                             " g.baseline FROM goal_links l JOIN goals g ON g.id = l.goal_id"
                             f" WHERE l.goal_id = ? AND {readable_sql('g.community_id')}",
                             (goal_id, user_id))
        if row is None:
            return None
        value, count, unrecorded = self._measure(user_id, row["community_id"], row["measure"],
                                                 row["kind"])
        return Link(row["goal_id"], row["measure"], row["kind"], row["baseline"] + value, count,
                    unrecorded)

    def _measure(self, user_id: int, community_id: int, measure: str,
                 kind: str | None) -> tuple[float, int, int]:
        """(value, activities counted, those without first-timers recorded)."""
        row = self.store.one(
            "SELECT count(*) AS n, coalesce(sum(participants), 0) AS total,"
            " coalesce(sum(min(max(first_time, 0), participants)), 0) AS distinct_,"
            " count(*) - count(first_time) AS unrecorded FROM activities"
            f" WHERE community_id = ? AND {readable_sql()} AND (? IS NULL OR kind = ?)",
            (community_id, user_id, kind, kind))
        if row is None:
            return 0.0, 0, 0
        values = {"count": float(row["n"]), "sum": float(row["total"]),
                  "distinct": float(row["distinct_"])}
        return values.get(measure, 0.0), int(row["n"]), int(row["unrecorded"])

    def recount(self, user_id: int, community_id: int, kind: str | None, *,
                only: int | None = None) -> list[Link]:
        """Write the new value of every goal of the community counting `kind` (or all
        kinds): baseline plus what the activities add up to."""
        rows = self.store.rows(
            "SELECT l.goal_id, l.kind FROM goal_links l JOIN goals g ON g.id = l.goal_id"
            f" WHERE g.community_id = ? AND {readable_sql('g.community_id')} AND (l.kind IS NULL"
            " OR l.kind = ? OR ? IS NULL) AND (? IS NULL OR l.goal_id = ?)",
            (community_id, user_id, kind, kind, only, only))
        moved: list[Link] = []
        for row in rows:
            link = self.linked(user_id, row["goal_id"])
            if link is not None:
                self.goals.log_progress(user_id, link.goal_id, link.value, None)
                moved.append(link)
        return moved
