"""Photos and documents that belong to a phase 6 record: an activity's photos, an outcome's
files. The file itself is a media note (downloaded and kept like every other one); a row here
says which activity or outcome it belongs to. A note sent while an activity is still being
logged waits (`activity_id` NULL, `pending`) until the activity is recorded.

`attach_to` remembers, per librarian, which record the next photo or document goes with:
the one just logged or recorded, or the one whose 📷/📎 button was pressed, for a while.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import Connection
from storage.membership import readable_sql
from storage.migrations import run_statements

migrations = Migrations("veldgids-attachments")
Record = Literal["activity", "outcome"]


@migrations()
def m001_record_files(db: Database) -> None:
    run_statements(db, """
        CREATE TABLE record_files (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
            activity_id INTEGER REFERENCES activities(id) ON DELETE CASCADE,
            outcome_id INTEGER REFERENCES outcomes(id) ON DELETE CASCADE,
            pending INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE INDEX record_files_activity ON record_files(activity_id);
        CREATE INDEX record_files_outcome ON record_files(outcome_id);
        CREATE TABLE attach_to (
            user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            record TEXT NOT NULL CHECK (record IN ('activity', 'outcome')),
            record_id INTEGER NOT NULL,
            until TEXT NOT NULL
        )
    """)


@dataclass(frozen=True)
class Target:
    record: Record
    record_id: int


@dataclass(frozen=True)
class File:
    note_id: int
    kind: str  # photo | document | ...
    name: str | None
    caption: str
    path: str | None


class AttachmentRepo:
    def __init__(self, store: Connection) -> None:
        self.store = store
        self.db = store.db

    # where the next file goes
    def aim(self, user_id: int, record: Record, record_id: int, until: datetime) -> None:
        self.db.execute("INSERT OR REPLACE INTO attach_to (user_id, record, record_id, until)"
                        " VALUES (?, ?, ?, ?)", (user_id, record, record_id, until.isoformat()))

    def target(self, user_id: int, now: datetime) -> Target | None:
        row = self.store.one("SELECT record, record_id, until FROM attach_to WHERE user_id = ?",
                             (user_id,))
        if row is None or datetime.fromisoformat(row["until"]) <= now:
            return None
        return Target(row["record"], row["record_id"])

    def extend(self, user_id: int, until: datetime) -> None:
        """Each file keeps the window open for the next (a few photos in a row)."""
        self.db.execute("UPDATE attach_to SET until = ? WHERE user_id = ?",
                        (until.isoformat(), user_id))

    def drop(self, user_id: int) -> None:
        self.db.execute("DELETE FROM attach_to WHERE user_id = ?", (user_id,))

    def exists(self, user_id: int, target: Target) -> bool:
        table = "activities" if target.record == "activity" else "outcomes"
        return self.store.one(f"SELECT 1 AS x FROM {table} WHERE id = ? AND {readable_sql()}",
                              (target.record_id, user_id)) is not None

    # the files
    def attach(self, user_id: int, note_id: int, target: Target | None) -> None:
        """Link a kept media note to its record; without one, to the activity being logged."""
        activity = target.record_id if target and target.record == "activity" else None
        outcome = target.record_id if target and target.record == "outcome" else None
        self.db.execute(
            "INSERT INTO record_files (user_id, note_id, activity_id, outcome_id, pending,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (user_id, note_id, activity, outcome, int(target is None), self.store.now()))

    def settle_pending(self, user_id: int, activity_id: int) -> int:
        """Photos sent while the activity was being logged now belong to it."""
        return self.db.execute(
            "UPDATE record_files SET activity_id = ?, pending = 0 WHERE user_id = ?"
            " AND pending = 1", (activity_id, user_id)).rowcount

    def forget_pending(self, user_id: int) -> None:
        """A new activity begins: photos from an abandoned one stay notes, unattached."""
        self.db.execute("DELETE FROM record_files WHERE user_id = ? AND pending = 1",
                        (user_id,))

    def files(self, user_id: int, record: str, record_id: int) -> list[File]:
        column = "activity_id" if record == "activity" else "outcome_id"
        return [File(**r) for r in self.store.rows(
            "SELECT n.id AS note_id, n.kind, n.media_name AS name, n.text AS caption,"
            " n.file_path AS path FROM record_files f JOIN notes n ON n.id = f.note_id"
            f" WHERE f.{column} = ? AND {readable_sql('n.community_id')} ORDER BY f.id",
            (record_id, user_id))]


WINDOW = timedelta(minutes=30)  # how long after logging a photo still goes with the record
