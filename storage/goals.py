"""Phase 5 data: the shared vision, SMART goals with their progress log, weekly reminder rows.

Reminders are rows, not jobs in memory: `next_due` (UTC) says when the next one is due. A tick
claims a batch of due rows with one conditional UPDATE, so two bot processes never both send
one; it advances each row in the same transaction as recording its send (several finished
rows may share that transaction). What a batch's reminders need is read with a few queries.

Over 400 lines on purpose: one migration set and one repo (`GoalRepo`) for phase 5, whose
reminder batch reads goals with the same query as the goal screens; splitting reminders off
would split that query and every caller's repo (bot/goals.py, bot/reminders.py) while those
are being restructured.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Sized
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.membership import readable_sql
from storage.migrations import run_statements
from storage.store import User

if TYPE_CHECKING:
    from storage.store import Store

migrations = Migrations("veldgids-goals")

VISION_PARTS = ("library_goal", "participant_goal", "vision")
# A claim expires after this long, so a process that died mid-send does not block the row forever.
CLAIM_LEASE = timedelta(minutes=10)
# Rows due at a moment (first parameter) that nobody holds at that moment (second).
_DUE = ("FROM reminders r JOIN users u ON u.id = r.user_id"
        " WHERE r.paused = 0 AND r.next_due <= ? AND u.telegram_id IS NOT NULL"
        " AND u.status = 'active' AND (r.claimed_until IS NULL OR r.claimed_until <= ?)")


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


def _marks(values: Sized) -> str:
    return ", ".join("?" * len(values))


def iso(moment: datetime) -> str:
    """UTC, second precision: one text format, so SQL compares moments as strings."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


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


@dataclass(frozen=True)
class LogEntry:
    """One reminder's outcome ('sent', 'nudge', 'skipped', 'failed', ...), as UTC ISO text."""

    due_at: str
    outcome: str
    at: str


@dataclass(frozen=True)
class Reminder:
    user_id: int
    weekday: int
    local_time: time
    tz: str
    next_due: datetime
    paused: bool
    last_sent: datetime | None
    last_nudge: datetime | None


@dataclass(frozen=True)
class Finished:
    """What happened to a claimed row, and the slot it moves on to."""
    reminder: Reminder
    outcome: str  # sent, nudge, quiet, skipped or failed
    next_due: datetime
    at: datetime


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
        logged=row["logged"],
    )


def _reminder(row: dict[str, Any]) -> Reminder:
    return Reminder(
        user_id=row["user_id"], weekday=row["weekday"],
        local_time=time.fromisoformat(row["local_time"]), tz=row["tz"],
        next_due=datetime.fromisoformat(row["next_due"]), paused=bool(row["paused"]),
        last_sent=_moment(row["last_sent"]), last_nudge=_moment(row["last_nudge"]),
    )


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


class GoalRepo:
    """Queries for visions, goals, progress and reminders. Same connection and thread as Store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def _now(self) -> str:
        return iso(self.store.clock())

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
                 relevant_part: str | None, deadline: date) -> int:
        cursor = self.db.execute(
            "INSERT INTO goals (user_id, community_id, specific, metric, baseline, target,"
            " achievable, relevant, relevant_part, deadline, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (user_id, community_id, specific, metric, baseline, target, achievable, relevant,
             relevant_part, deadline.isoformat(), self._now()))
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

    # reminders
    def reminder(self, user_id: int) -> Reminder | None:
        row = self.store.one("SELECT * FROM reminders WHERE user_id = ?", (user_id,))
        return _reminder(row) if row else None

    def create_reminder(self, user_id: int, *, weekday: int, local_time: time, tz: str,
                        next_due: datetime) -> None:
        """A new weekly row; counts as a fresh start, so the first nudge waits a month."""
        now = self._now()
        self.db.execute(
            "INSERT OR IGNORE INTO reminders (user_id, weekday, local_time, tz, next_due,"
            " last_nudge, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (user_id, weekday, local_time.strftime("%H:%M"), tz, iso(next_due), now, now))

    def update_reminder(self, user_id: int, *, weekday: int, local_time: time, tz: str,
                        paused: bool, next_due: datetime) -> None:
        """New settings; a claim in progress is dropped, so its sender cannot overwrite them."""
        self.db.execute(
            "UPDATE reminders SET weekday = ?, local_time = ?, tz = ?, paused = ?, next_due = ?,"
            " claimed_by = NULL, claimed_until = NULL, updated_at = ? WHERE user_id = ?",
            (weekday, local_time.strftime("%H:%M"), tz, int(paused), iso(next_due), self._now(),
             user_id))

    def set_timezone(self, user_id: int, tz: str) -> None:
        """The user's own time zone (deadlines are read in it) follows the reminder's."""
        self.db.execute("UPDATE users SET timezone = ? WHERE id = ?", (tz, user_id))

    def without_reminder(self) -> list[tuple[int, str]]:
        """Telegram users who have no reminder row yet: (user id, time zone)."""
        rows = self.store.rows(
            "SELECT id, timezone FROM users WHERE telegram_id IS NOT NULL AND status = 'active'"
            " AND id NOT IN (SELECT user_id FROM reminders) ORDER BY id")
        return [(r["id"], r["timezone"]) for r in rows]

    def due(self, now: datetime, limit: int = 50) -> list[Reminder]:
        """The due rows nobody holds, earliest first (what `claim_due` would take)."""
        rows = self.store.rows(f"SELECT r.* {_DUE} ORDER BY r.next_due LIMIT ?",
                               (iso(now), iso(now), limit))
        return [_reminder(row) for row in rows]

    def due_count(self, now: datetime) -> int:
        """How many rows are due and unclaimed (a queue depth for /metrics)."""
        row = self.store.one(f"SELECT count(*) AS n {_DUE}", (iso(now), iso(now)))
        return int(row["n"]) if row else 0

    def claim_due(self, token: str, now: datetime, limit: int) -> list[Reminder]:
        """Take up to `limit` due rows for this process, earliest first, in one statement.

        SQLite lets one writer at a time through and the statement selects and claims under
        that lock, so a second process sees the claims and takes other rows, or none.
        """
        with self.store.atomic():  # RETURNING keeps the statement open until it is read
            rows = self.store.rows(
                "UPDATE reminders SET claimed_by = ?, claimed_until = ? WHERE user_id IN ("
                f" SELECT r.user_id {_DUE} ORDER BY r.next_due LIMIT ?) RETURNING *",
                (token, iso(now + CLAIM_LEASE), iso(now), iso(now), limit))
        rows.sort(key=lambda r: (r["next_due"], r["user_id"]))
        return [_reminder(row) for row in rows]

    def holds(self, user_id: int, token: str) -> bool:
        """Whether this process still holds the user's row (settings and /forget drop it)."""
        return self.db.execute("SELECT 1 FROM reminders WHERE user_id = ? AND claimed_by = ?",
                               (user_id, token)).fetchone() is not None

    def finish(self, reminder: Reminder, token: str, *, outcome: str, next_due: datetime,
               now: datetime) -> bool:
        """Record what happened and move the row to its next slot, in one transaction."""
        return self.finish_all([Finished(reminder, outcome, next_due, now)], token) == 1

    def finish_all(self, finished: Sequence[Finished], token: str) -> int:
        """`finish` for several rows in one transaction; returns how many rows moved on."""
        moves, logs = [], []
        texts: dict[datetime, str] = {}  # a batch shares a few moments; format each once
        for f in finished:
            user_id = f.reminder.user_id
            at = texts.get(f.at) or texts.setdefault(f.at, iso(f.at))
            sent = at if f.outcome in ("sent", "nudge") else None
            moves.append((iso(f.next_due), sent, f.outcome, at, at, user_id, token))
            logs.append((user_id, iso(f.reminder.next_due), f.outcome, at, user_id))
        with self.store.atomic():
            moved = self.db.conn.executemany(
                "UPDATE reminders SET next_due = ?, last_sent = COALESCE(?, last_sent),"
                " last_nudge = CASE WHEN ? = 'nudge' THEN ? ELSE last_nudge END,"
                " claimed_by = NULL, claimed_until = NULL,"
                " updated_at = ? WHERE user_id = ? AND claimed_by = ?", moves).rowcount
            # A user erased (/forget) while their reminder was being sent leaves no trace.
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO reminder_log (user_id, due_at, outcome, at)"
                " SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM users WHERE id = ?)", logs)
        return moved

    def release(self, reminder: Reminder, token: str, *, pause: bool = False) -> None:
        """Give a claimed row back unchanged (still due), or paused when the user blocked us."""
        self.db.execute(
            "UPDATE reminders SET claimed_by = NULL, claimed_until = NULL, paused = paused OR ?"
            " WHERE user_id = ? AND claimed_by = ?", (int(pause), reminder.user_id, token))

    def release_all(self, reminders: Iterable[Reminder], token: str) -> None:
        """Give claimed rows back unchanged, still due: they were never tried."""
        ids = [r.user_id for r in reminders]
        if ids:
            self.db.execute("UPDATE reminders SET claimed_by = NULL, claimed_until = NULL"
                            f" WHERE claimed_by = ? AND user_id IN ({_marks(ids)})",
                            (token, *ids))

    def batch(self, user_ids: Sequence[int]) -> ReminderBatch:
        """The users, active goals, community names, checklist ticks of each active community
        and conversations waiting for a reflection, for these users, in a few queries."""
        out = ReminderBatch()
        if not user_ids:
            return out
        ids, marks = tuple(user_ids), _marks(user_ids)
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
                                       f" WHERE community_id IN ({_marks(active)})",
                                       tuple(active)):
                checklist, _, item = row["item"].partition(".")
                out.ticks.setdefault(row["community_id"], {}).setdefault(checklist,
                                                                         set()).add(item)
        for row in self.store.rows(_WAITING_REFLECTION.format(marks=marks), ids):
            label = str(row["who"] or (row["started"] or "")[:10] or "?")
            out.reflections.setdefault(row["user_id"], []).append(label)
        return out

    def log(self, user_id: int) -> list[LogEntry]:
        """What happened to each of the user's reminders, oldest first."""
        return [LogEntry(**row) for row in self.store.rows(
            "SELECT due_at, outcome, at FROM reminder_log WHERE user_id = ? ORDER BY due_at",
            (user_id,))]
