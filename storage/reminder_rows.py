"""Weekly reminder rows: one per librarian, `next_due` in UTC, claimed in batches.

A tick claims a batch of due rows with one conditional UPDATE, so two bot processes never both
send one; it advances each row in the same transaction as recording its send (several
finished rows may share that transaction). `GoalRepo` (storage/goals.py) builds on these rows
and adds the batch's goals, read with the same query as the goal screens.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Sized
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from storage.db import Connection

# A claim expires after this long, so a process that died mid-send does not block the row forever.
CLAIM_LEASE = timedelta(minutes=10)
# Rows due at a moment (first parameter) that nobody holds at that moment (second).
_DUE = ("FROM reminders r JOIN users u ON u.id = r.user_id"
        " WHERE r.paused = 0 AND r.next_due <= ? AND u.telegram_id IS NOT NULL"
        " AND u.status = 'active' AND (r.claimed_until IS NULL OR r.claimed_until <= ?)")


def placeholders(values: Sized) -> str:
    return ", ".join("?" * len(values))


def iso(moment: datetime) -> str:
    """UTC, second precision: one text format, so SQL compares moments as strings."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


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


def _reminder(row: dict[str, Any]) -> Reminder:
    return Reminder(
        user_id=row["user_id"], weekday=row["weekday"],
        local_time=time.fromisoformat(row["local_time"]), tz=row["tz"],
        next_due=datetime.fromisoformat(row["next_due"]), paused=bool(row["paused"]),
        last_sent=_moment(row["last_sent"]), last_nudge=_moment(row["last_nudge"]),
    )


class ReminderRows:
    """The reminder rows and their log. Same connection and thread as Store."""

    def __init__(self, store: Connection) -> None:
        self.store = store
        self.db = store.db

    def _now(self) -> str:
        return iso(self.store.clock())

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
                            f" WHERE claimed_by = ? AND user_id IN ({placeholders(ids)})",
                            (token, *ids))

    def log(self, user_id: int) -> list[LogEntry]:
        """What happened to each of the user's reminders, oldest first."""
        return [LogEntry(**row) for row in self.store.rows(
            "SELECT due_at, outcome, at FROM reminder_log WHERE user_id = ? ORDER BY due_at",
            (user_id,))]
