"""What an operator asks of the database: is it writable, and how long are the queues
(whether a backup is sound: storage/restore.py). Counts only: nothing here reads what
anyone wrote."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import Connection
from storage.goals import GoalRepo
from storage.migrations import run_statements
from storage.talk import TalkRepo
from storage.transcriptions import TranscriptionRepo
from storage.updates import Updates

migrations = Migrations("veldgids-ops")

# How long the health probe waits for another writer before it calls the database stuck.
PROBE_TIMEOUT = 2.0


@migrations()
def m001_health_probe(db: Database) -> None:
    run_statements(db, """
        CREATE TABLE health_probe (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            checked_at TEXT NOT NULL
        )
    """)


def probe_write(path: str | Path, now: str, timeout: float = PROBE_TIMEOUT) -> None:
    """Commit one small write through a connection of its own, so /healthz proves the file
    takes writes now (disk full, read-only mount, a writer holding the lock) without making
    the bot's connection wait. Raises sqlite3.Error when it can't."""
    conn = sqlite3.connect(str(path), timeout=timeout)
    try:
        with conn:
            conn.execute("INSERT INTO health_probe (id, checked_at) VALUES (1, ?)"
                         " ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
                         (now,))
    finally:
        conn.close()


def waiting_or_done(store: Updates, update_id: int) -> bool:
    """Whether an update already arrived: handled, or in the inbox waiting its turn."""
    return store.is_processed(update_id) or store.one(
        "SELECT 1 AS x FROM inbox WHERE update_id = ?", (update_id,)) is not None


def queue_depths(store: Connection, now: datetime) -> dict[str, int]:
    """Work waiting, by queue: updates in the inbox, files to download, voice notes to
    transcribe and weekly reminders due."""
    return {"inbox": len(store.rows("SELECT update_id FROM inbox")),
            "downloads": TalkRepo(store).pending_download_count(),
            "transcriptions": TranscriptionRepo(store).queued_count(),
            "reminders_due": GoalRepo(store).due_count(now)}
