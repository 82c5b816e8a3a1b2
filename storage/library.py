"""The library's frame: phase 1's strategy and frame, recorded once by an admin for everyone.

Every change is a new version (nothing an admin wrote is overwritten), so a community that
took the frame over can tell whether a newer one has come since. The frame is the
library's, not a person's: no row names who wrote it, and erasing an admin leaves it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import Connection
from storage.migrations import run_statements

migrations = Migrations("veldgids-library")


@migrations()
def m001_library_frame(db: Database) -> None:
    run_statements(db, """
        CREATE TABLE library_frame (
            version INTEGER PRIMARY KEY,
            text TEXT NOT NULL,
            set_at TEXT NOT NULL
        )
    """)


@migrations()
def m002_frame_taken(db: Database) -> None:
    # Which version a community took over: bookkeeping, so not among its answers.
    run_statements(db, """
        CREATE TABLE library_frame_taken (
            community_id INTEGER PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            taken_at TEXT NOT NULL
        )
    """)


@dataclass(frozen=True)
class LibraryFrame:
    version: int
    text: str
    set_at: str  # UTC ISO time


class FrameRepo:
    """The current frame and its versions. Same connection and thread as Store."""

    def __init__(self, store: Connection) -> None:
        self.store = store

    def current(self) -> LibraryFrame | None:
        row = self.store.one("SELECT version, text, set_at FROM library_frame"
                             " ORDER BY version DESC LIMIT 1")
        return LibraryFrame(**row) if row else None

    def version(self, number: int) -> LibraryFrame | None:
        row = self.store.one("SELECT version, text, set_at FROM library_frame WHERE version = ?",
                             (number,))
        return LibraryFrame(**row) if row else None

    def set(self, text: str) -> int:
        """A new version with this text; returns its number."""
        with self.store.atomic():
            cursor = self.store.db.execute(
                "INSERT INTO library_frame (text, set_at) VALUES (?, ?)",
                (text, self.store.now()))
            return int(cursor.lastrowid or 0)

    def extend(self, text: str) -> int:
        """A new version: the current text with `text` added as a paragraph of its own (a
        frame longer than one Telegram message is written in several)."""
        with self.store.atomic():
            found = self.current()
            return self.set(f"{found.text}\n\n{text}" if found else text)

    def taken(self, community_id: int) -> int | None:
        """The version a community took over, if any."""
        row = self.store.one("SELECT version FROM library_frame_taken WHERE community_id = ?",
                             (community_id,))
        return int(row["version"]) if row else None

    def take(self, community_id: int, version: int) -> None:
        self.store.db.execute(
            "INSERT INTO library_frame_taken (community_id, version, taken_at) VALUES (?, ?, ?)"
            " ON CONFLICT (community_id) DO UPDATE SET version = excluded.version,"
            " taken_at = excluded.taken_at", (community_id, version, self.store.now()))

    def versions(self) -> int:
        row = self.store.one("SELECT count(*) AS n FROM library_frame")
        return int(row["n"]) if row else 0
