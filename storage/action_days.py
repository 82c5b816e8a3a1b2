"""The daily action message's schedule: one row per librarian in `action_days` (made by
storage/actions.py's m003, with the actions' tables), claimed in batches, sent once per
local day, paused with the weekly overview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from storage.actions import FIELDS, Action
from storage.db import Connection
from storage.membership import ASSIGNED_MINE as _MINE
from storage.membership import readable_sql


@dataclass(frozen=True)
class Daily:
    """A claimed daily row, with the weekly overview's settings it follows."""
    user_id: int
    next_at: datetime
    last_day: str | None
    local_time: time
    tz: str
    weekday: int  # the weekly overview's day: its own message lists what is due then


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class DailyRepo:
    """The durable schedule of daily action messages: claimed rows, sent once per day,
    paused with the weekly overview (and so when the user blocked the bot)."""

    def __init__(self, store: Connection) -> None:
        self.store = store
        self.db = store.db

    def unscheduled(self) -> list[tuple[int, str, str]]:
        """(user, local time, zone) of weekly overviews without a daily row yet."""
        return [(r["user_id"], r["local_time"], r["tz"]) for r in self.store.rows(
            "SELECT r.user_id, r.local_time, r.tz FROM reminders r LEFT JOIN action_days a"
            " ON a.user_id = r.user_id WHERE a.user_id IS NULL")]

    def schedule(self, user_id: int, next_at: datetime) -> None:
        self.db.execute("INSERT OR IGNORE INTO action_days (user_id, next_at) VALUES (?, ?)",
                        (user_id, _iso(next_at)))

    def claim(self, token: str, now: datetime, lease: timedelta,
              limit: int) -> list[Daily]:
        with self.store.atomic():
            rows = self.store.rows(
                "UPDATE action_days SET claimed_by = ?, claimed_until = ? WHERE user_id IN ("
                " SELECT a.user_id FROM action_days a JOIN reminders r ON r.user_id = a.user_id"
                " WHERE r.paused = 0 AND a.next_at <= ?"
                " AND (a.claimed_by IS NULL OR a.claimed_until <= ?)"
                " ORDER BY a.next_at LIMIT ?) RETURNING user_id",
                (token, _iso(now + lease), _iso(now), _iso(now), limit))
        ids = [r["user_id"] for r in rows]
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        return [Daily(r["user_id"], datetime.fromisoformat(r["next_at"]), r["last_day"],
                      time.fromisoformat(r["local_time"]), r["tz"], r["weekday"])
                for r in self.store.rows(
                    "SELECT a.user_id, a.next_at, a.last_day, r.local_time, r.tz, r.weekday"
                    f" FROM action_days a JOIN reminders r ON r.user_id = a.user_id"
                    f" WHERE a.user_id IN ({marks}) ORDER BY a.next_at", tuple(ids))]

    def finish(self, user_id: int, token: str, next_at: datetime,
               sent_day: date | None) -> bool:
        """Move on to the next slot; `sent_day` is the local day a message went out."""
        return self.db.execute(
            "UPDATE action_days SET next_at = ?, last_day = COALESCE(?, last_day),"
            " claimed_by = NULL, claimed_until = NULL WHERE user_id = ? AND claimed_by = ?",
            (_iso(next_at), sent_day.isoformat() if sent_day else None, user_id,
             token)).rowcount == 1

    def release(self, user_id: int, token: str, *, pause: bool = False) -> None:
        """Give the row back, still due; a user who blocked the bot gets the weekly
        overview (and with it these messages) paused."""
        with self.store.atomic():
            self.db.execute("UPDATE action_days SET claimed_by = NULL, claimed_until = NULL"
                            " WHERE user_id = ? AND claimed_by = ?", (user_id, token))
            if pause:
                self.db.execute("UPDATE reminders SET paused = 1 WHERE user_id = ?",
                                (user_id,))

    def due_on(self, user_id: int, day: date) -> list[Action]:
        """Open actions due exactly on `day`, in every community of the user."""
        return [Action(**r) for r in self.store.rows(
            f"SELECT {FIELDS} FROM actions WHERE {_MINE} AND {readable_sql()}"
            " AND done_at IS NULL AND due = ? ORDER BY community_id, id",
            (user_id, user_id, user_id, day.isoformat()))]
