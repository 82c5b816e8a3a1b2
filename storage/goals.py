"""Phase 5 data: the shared vision, SMART goals and their progress log.

The weekly reminder rows live in storage/reminder_rows.py; `GoalRepo` builds on them, because
a reminder batch reads goals with the same query as the goal screens. The reminders' tables
are still created here, by this module's first migration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.membership import readable_sql
from storage.migrations import run_statements
from storage.records import User
from storage.reminder_rows import ReminderRows, placeholders

migrations = Migrations("veldgids-goals")

VISION_PARTS = ("library_goal", "participant_goal", "vision")


@migrations()
def m001_goals(db: Database) -> None:
    run_statements(db, """
        CREATE TABLE visions (
            community_id INTEGER PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE,
            library_goal TEXT NOT NULL DEFAULT '',
            participant_goal TEXT NOT NULL DEFAULT '',
            vision TEXT NOT NULL DEFAULT '',
            formulated_with TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        );
        CREATE TABLE goals (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
            specific TEXT NOT NULL,
            metric TEXT NOT NULL,
            baseline REAL NOT NULL,
            target REAL NOT NULL CHECK (target <> baseline),
            achievable TEXT NOT NULL DEFAULT '',
            relevant TEXT NOT NULL DEFAULT '',
            relevant_part TEXT,
            deadline TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'done')),
            created_at TEXT NOT NULL
        );
        CREATE INDEX goals_user ON goals(user_id, community_id);
        CREATE TABLE goal_progress (
            id INTEGER PRIMARY KEY,
            goal_id INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
            value REAL NOT NULL,
            note TEXT,
            logged_at TEXT NOT NULL
        );
        CREATE INDEX goal_progress_goal ON goal_progress(goal_id, logged_at);
        CREATE TABLE reminders (
            user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            weekday INTEGER NOT NULL DEFAULT 0 CHECK (weekday BETWEEN 0 AND 6),
            local_time TEXT NOT NULL DEFAULT '09:00',
            tz TEXT NOT NULL,
            next_due TEXT NOT NULL,
            paused INTEGER NOT NULL DEFAULT 0,
            last_sent TEXT,
            last_nudge TEXT,
            claimed_by TEXT,
            claimed_until TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX reminders_due ON reminders(paused, next_due);
        CREATE TABLE reminder_log (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            due_at TEXT NOT NULL,
            outcome TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (user_id, due_at)
        )
    """)


@migrations()
def m002_goal_needs(db: Database) -> None:
    """The needs from the conversations a goal answers, one a line, in the order chosen."""
    run_statements(db, "ALTER TABLE goals ADD COLUMN needs TEXT NOT NULL DEFAULT ''")


@dataclass(frozen=True)
class Vision:
    community_id: int
    library_goal: str
    participant_goal: str
    vision: str
    formulated_with: str


@dataclass(frozen=True)
class Goal:
    id: int
    user_id: int
    community_id: int
    specific: str
    metric: str
    baseline: float
    target: float
    achievable: str
    relevant: str
    relevant_part: str | None
    deadline: date
    status: str
    created_at: datetime
    current: float  # the latest logged value, or the baseline
    logged: int  # how many values were logged
    # The needs it answers: a theme that recurs in "Wat we hoorden", or her own words. They
    # are the librarian's summary, not what a person said, so forgetting a person leaves
    # them (only a name in them goes, as everywhere: storage/people.py).
    needs: tuple[str, ...] = ()


@dataclass
class ReminderBatch:
    """Everything a batch of reminders is composed from, keyed by user id."""
    users: dict[int, User] = field(default_factory=dict)
    goals: dict[int, list[Goal]] = field(default_factory=dict)  # active ones, oldest first
    communities: dict[int, dict[int, str]] = field(default_factory=dict)  # id -> name
    ticks: dict[int, dict[str, set[str]]] = field(default_factory=dict)  # by community id
    reflections: dict[int, list[str]] = field(default_factory=dict)  # who, or when started


def _goal(row: dict[str, Any]) -> Goal:
    return Goal(
        id=row["id"], user_id=row["user_id"], community_id=row["community_id"],
        specific=row["specific"], metric=row["metric"], baseline=row["baseline"],
        target=row["target"], achievable=row["achievable"], relevant=row["relevant"],
        relevant_part=row["relevant_part"], deadline=date.fromisoformat(row["deadline"]),
        status=row["status"], created_at=datetime.fromisoformat(row["created_at"]),
        current=row["current"] if row["current"] is not None else row["baseline"],
        logged=row["logged"], needs=needs_of(row.get("needs")),
    )


def needs_of(text: str | None) -> tuple[str, ...]:
    """The needs column as a list: one a line (a need is one line: a theme, or typed words
    made one line)."""
    return tuple(line for line in (text or "").split("\n") if line.strip())


def needs_text(needs: Sequence[str]) -> str:
    return "\n".join(" ".join(need.split()) for need in needs if need.strip())


# Conversations of these users that still wait for a reflection: who was met, or when.
_WAITING_REFLECTION = (
    "SELECT c.user_id AS user_id, p.name AS who, c.started_at AS started"
    " FROM conversations c LEFT JOIN people p ON p.id = c.person_id"
    " WHERE c.user_id IN ({marks}) AND"
    " (c.reflection IS NULL OR trim(c.reflection) IN ('', '{{}}', 'null'))"
    " ORDER BY c.id")

_GOALS = """
    SELECT g.*,
        (SELECT p.value FROM goal_progress p WHERE p.goal_id = g.id
         ORDER BY p.logged_at DESC, p.id DESC LIMIT 1) AS current,
        (SELECT count(*) FROM goal_progress p WHERE p.goal_id = g.id) AS logged
    FROM goals g
"""


class GoalRepo(ReminderRows):
    """Queries for visions, goals and progress, and (inherited) the reminder rows whose batch
    reads goals with the same query as the goal screens. Same connection and thread as Store."""

    # vision
    def vision(self, community_id: int) -> Vision | None:
        row = self.store.one("SELECT community_id, library_goal, participant_goal, vision,"
                              " formulated_with FROM visions WHERE community_id = ?",
                              (community_id,))
        return Vision(**row) if row else None

    def save_vision(self, community_id: int, library_goal: str, participant_goal: str,
                    vision: str, formulated_with: str) -> None:
        self.db.execute(
            "INSERT INTO visions (community_id, library_goal, participant_goal, vision,"
            " formulated_with, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (community_id)"
            " DO UPDATE SET library_goal = excluded.library_goal, participant_goal ="
            " excluded.participant_goal, vision = excluded.vision, formulated_with ="
            " excluded.formulated_with, updated_at = excluded.updated_at",
            (community_id, library_goal, participant_goal, vision, formulated_with, self._now()))

    # goals
    def goals(self, user_id: int, community_id: int | None = None) -> list[Goal]:
        """The user's goals (of one community, if given), oldest first."""
        if community_id is None:
            rows = self.store.rows(_GOALS + f" WHERE {readable_sql('g.community_id')}"
                                   " ORDER BY g.id", (user_id,))
        else:
            rows = self.store.rows(_GOALS + " WHERE g.community_id = ? AND"
                                   f" {readable_sql('g.community_id')} ORDER BY g.id",
                                   (community_id, user_id))
        return [_goal(row) for row in rows]

    def goal(self, user_id: int, goal_id: int) -> Goal | None:
        """The goal, only if it belongs to this user."""
        row = self.store.one(_GOALS + f" WHERE g.id = ? AND {readable_sql('g.community_id')}",
                             (goal_id, user_id))
        return _goal(row) if row else None

    def add_goal(self, user_id: int, community_id: int, *, specific: str, metric: str,
                 baseline: float, target: float, achievable: str, relevant: str,
                 relevant_part: str | None, deadline: date, needs: Sequence[str] = ()) -> int:
        cursor = self.db.execute(
            "INSERT INTO goals (user_id, community_id, specific, metric, baseline, target,"
            " achievable, relevant, relevant_part, deadline, created_at, needs)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (user_id, community_id, specific, metric, baseline, target, achievable, relevant,
             relevant_part, deadline.isoformat(), self._now(), needs_text(needs)))
        return int(cursor.lastrowid or 0)

    def delete_goal(self, user_id: int, goal_id: int) -> bool:
        cursor = self.db.execute(f"DELETE FROM goals WHERE id = ? AND {readable_sql()}",
                                 (goal_id, user_id))
        return cursor.rowcount == 1

    def log_progress(self, user_id: int, goal_id: int, value: float, note: str | None) -> bool:
        """Record a value; the goal is 'done' while the value reaches its target."""
        goal = self.goal(user_id, goal_id)
        if goal is None:
            return False
        self.db.execute("INSERT INTO goal_progress (goal_id, value, note, logged_at)"
                        " VALUES (?, ?, ?, ?)", (goal_id, value, note or None, self._now()))
        upward = goal.target > goal.baseline
        reached = value >= goal.target if upward else value <= goal.target
        self.db.execute("UPDATE goals SET status = ? WHERE id = ?",
                        ("done" if reached else "active", goal_id))
        return True

    def progress(self, goal_id: int) -> list[tuple[datetime, float]]:
        rows = self.store.rows("SELECT logged_at, value FROM goal_progress WHERE goal_id = ?"
                               " ORDER BY logged_at, id", (goal_id,))
        return [(datetime.fromisoformat(r["logged_at"]), r["value"]) for r in rows]

    def batch(self, user_ids: Sequence[int]) -> ReminderBatch:
        """The users, active goals, community names, checklist ticks of each active community
        and conversations waiting for a reflection, for these users, in a few queries."""
        out = ReminderBatch()
        if not user_ids:
            return out
        ids, marks = tuple(user_ids), placeholders(user_ids)
        for row in self.store.rows(f"SELECT * FROM users WHERE id IN ({marks})", ids):
            out.users[row["id"]] = User.from_row(row)
        for row in self.store.rows(_GOALS + f" WHERE g.user_id IN ({marks})"
                                   " AND g.status = 'active' ORDER BY g.id", ids):
            out.goals.setdefault(row["user_id"], []).append(_goal(row))
        for row in self.store.rows("SELECT id, user_id, name FROM communities"
                                   f" WHERE user_id IN ({marks}) ORDER BY id", ids):
            out.communities.setdefault(row["user_id"], {})[row["id"]] = row["name"]
        active = [c for u in out.users.values()
                  if (c := u.active_community) is not None and c in out.communities.get(u.id, {})]
        if active:
            for row in self.store.rows("SELECT community_id, item FROM checklist"
                                       f" WHERE community_id IN ({placeholders(active)})",
                                       tuple(active)):
                checklist, _, item = row["item"].partition(".")
                out.ticks.setdefault(row["community_id"], {}).setdefault(checklist,
                                                                         set()).add(item)
        for row in self.store.rows(_WAITING_REFLECTION.format(marks=marks), ids):
            label = str(row["who"] or (row["started"] or "")[:10] or "?")
            out.reflections.setdefault(row["user_id"], []).append(label)
        return out
