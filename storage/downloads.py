"""Which files still have to come from Telegram, and when to try each one again.

A note or transcript turn with a file starts as `download = 'pending'`. A download that
fails waits before the next attempt (one minute, doubling) and gives up after `MAX_TRIES`
attempts (`'failed'`); a file over Telegram's 20 MB limit for bots is final at once
(`'too_big'`). Either way the note itself is kept, with its Telegram file id: the file
stays in the Telegram chat. Due files are handed out oldest first and taken in turn across
librarians, so one librarian's backlog never delays another's file.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import Connection
from storage.talk_records import PendingDownload

migrations = Migrations("veldgids-downloads")

MAX_TRIES = 8  # attempts before a download is given up (about four hours of waiting)
FIRST_WAIT = timedelta(minutes=1)
SOURCES = ("notes", "transcript")
# Final states: the file stays in Telegram only.
TOO_BIG, GAVE_UP = "too_big", "failed"


@migrations()
def m001_download_attempts(db: Database) -> None:
    for source in SOURCES:
        db.execute(f"ALTER TABLE {source} ADD COLUMN download_tries INTEGER NOT NULL"
                   " DEFAULT 0")
        db.execute(f"ALTER TABLE {source} ADD COLUMN download_after TEXT")
        db.execute(f"CREATE INDEX {source}_pending ON {source}(created_at, id)"
                   " WHERE download = 'pending'")


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class DownloadRepo:
    def __init__(self, store: Connection) -> None:
        self.store = store
        self.db = store.db

    def due(self, user_id: int | None = None, limit: int = 20) -> list[PendingDownload]:
        """Files due now, oldest first, one librarian after another: the first due file of
        every librarian, then everyone's second, and so on."""
        now = self.store.now()
        union = " UNION ALL ".join(
            f"SELECT '{source}' AS source, id, user_id, file_id, kind, created_at,"
            f" download_tries FROM {source} WHERE download = 'pending'"
            " AND (download_after IS NULL OR download_after <= :now)"
            " AND (user_id = :uid OR :uid IS NULL)" for source in SOURCES)
        rows = self.store.rows(
            f"SELECT source, id, user_id, file_id, kind, download_tries AS tries FROM"
            f" (SELECT *, row_number() OVER (PARTITION BY user_id ORDER BY created_at, id)"
            f" AS turn FROM ({union})) ORDER BY turn, created_at, id LIMIT :limit",
            {"now": now, "uid": user_id, "limit": limit})
        return [PendingDownload(**row) for row in rows]

    def done(self, source: str, row_id: int, path: str) -> bool:
        """Record the file; False when the note is gone meanwhile (e.g. the user was erased)."""
        assert source in SOURCES
        with self.store.atomic():
            cursor = self.db.execute(
                f"UPDATE {source} SET download = 'ok', file_path = ?, download_after = NULL"
                " WHERE id = ?", (path, row_id))
        return cursor.rowcount == 1

    def failed(self, source: str, row_id: int, *, final: bool = False) -> str | None:
        """Count a failed attempt: the row waits before the next one, or is given up.
        `final` (the file is too big for bots) gives up at once. Returns the final state
        the row reached ('too_big' or 'failed'), or None while it will be tried again."""
        assert source in SOURCES
        with self.store.atomic():
            row = self.store.one(f"SELECT download_tries FROM {source} WHERE id = ?"
                                 " AND download = 'pending'", (row_id,))
            if row is None:
                return None
            tries = int(row["download_tries"]) + 1
            state = TOO_BIG if final else GAVE_UP if tries >= MAX_TRIES else None
            wait = FIRST_WAIT * 2 ** (tries - 1)
            after = _stamp(self.store.clock() + wait)
            self.db.execute(
                f"UPDATE {source} SET download_tries = ?, download_after = ?,"
                " download = coalesce(?, download) WHERE id = ?",
                (tries, None if state else after, state, row_id))
        return state
