"""What the Telegram front end must not forget about replies and failed updates.

`undelivered` holds, per user, the update whose reply has not (yet) reached them. It is
written in the same transaction as the update itself and cleared once every reply was sent,
so a row that survives a crash or a Telegram failure means: this user has not seen where
they are. `failed_updates` keeps the raw update whose handling raised an error, so what the
user typed is not lost even then.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import Connection
from storage.users import find_user_by_telegram

migrations = Migrations("veldgids-delivery")


@migrations()
def m001_delivery(db: Database) -> None:
    for statement in (
        """CREATE TABLE undelivered (
            user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            update_id INTEGER,
            since TEXT NOT NULL
        )""",
        """CREATE TABLE failed_updates (
            update_id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            payload TEXT NOT NULL,
            error TEXT NOT NULL,
            failed_at TEXT NOT NULL
        )""",
        "CREATE INDEX failed_updates_user ON failed_updates(user_id)",
    ):
        db.execute(statement)


@dataclass(frozen=True)
class FailedUpdate:
    """A kept update whose handling raised `error` (the exception's summary, never the text)."""

    update_id: int
    user_id: int
    error: str
    failed_at: str


@dataclass(frozen=True)
class Waiting:
    """A user whose last reply has not been confirmed as sent."""

    user_id: int
    update_id: int | None


class DeliveryLog:
    """Queries on `undelivered` and `failed_updates`. Writes join the caller's transaction."""

    def __init__(self, store: Connection) -> None:
        self.store = store

    def lost(self, user_id: int, update_id: int | None) -> bool:
        """Did an earlier reply to this user (for another update) not arrive?"""
        row = self.store.db.execute("SELECT update_id FROM undelivered WHERE user_id = ?",
                                    (user_id,)).fetchone()
        return row is not None and (update_id is None or row[0] != update_id)

    def expect(self, user_id: int, update_id: int | None) -> None:
        """A reply to `update_id` is on its way to this user."""
        self.store.db.execute(
            "INSERT INTO undelivered (user_id, update_id, since) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET update_id = excluded.update_id,"
            " since = excluded.since", (user_id, update_id, self.store.now()))

    def delivered(self, user_id: int, update_id: int | None) -> None:
        self.store.db.execute("DELETE FROM undelivered WHERE user_id = ? AND update_id IS ?",
                              (user_id, update_id))

    def waiting(self) -> list[Waiting]:
        rows = self.store.db.execute(
            "SELECT user_id, update_id FROM undelivered ORDER BY since, user_id").fetchall()
        return [Waiting(user_id, update_id) for user_id, update_id in rows]

    def quarantine(self, update_id: int, telegram_id: int | None, error: str) -> bool:
        """Keep a fetched update whose handling failed, instead of dropping it from the inbox.

        Only updates that reached the inbox (private chats of admitted users) of a known user
        are kept; the row goes when the user is forgotten."""
        user = find_user_by_telegram(self.store, telegram_id) if telegram_id is not None else None
        if user is None:
            return False
        cursor = self.store.db.execute(
            "INSERT OR IGNORE INTO failed_updates (update_id, user_id, payload, error, failed_at)"
            " SELECT update_id, ?, payload, ?, ? FROM inbox WHERE update_id = ?",
            (user.id, error, self.store.now(), update_id))
        return cursor.rowcount == 1

    def set_aside(self, update_id: int, telegram_id: int | None, payload: dict[str, Any],
                  error: str) -> bool:
        """Keep an update that could not even be stored in the inbox (a text that is no valid
        Unicode, say): as ASCII JSON, which any text survives. Like `quarantine`, only for
        a known user; an id beyond SQLite's integers can't be kept (it raises)."""
        user = find_user_by_telegram(self.store, telegram_id) if telegram_id is not None else None
        if user is None:
            return False
        with self.store.atomic():
            cursor = self.store.db.execute(
                "INSERT OR IGNORE INTO failed_updates (update_id, user_id, payload, error,"
                " failed_at) VALUES (?, ?, ?, ?, ?)",
                (update_id, user.id, json.dumps(payload), error, self.store.now()))
        return cursor.rowcount == 1

    def failed(self, user_id: int | None = None) -> list[FailedUpdate]:
        sql = "SELECT update_id, user_id, error, failed_at FROM failed_updates"
        params: tuple[object, ...] = ()
        if user_id is not None:
            sql += " WHERE user_id = ?"
            params = (user_id,)
        return [FailedUpdate(**row) for row in self.store.rows(sql + " ORDER BY update_id",
                                                               params)]

    def prune_failed(self, before: str) -> int:
        """Drop failed updates kept since before `before` (UTC ISO): the retention period
        the README states is over."""
        with self.store.atomic():
            return self.store.db.execute("DELETE FROM failed_updates WHERE failed_at < ?",
                                         (before,)).rowcount
