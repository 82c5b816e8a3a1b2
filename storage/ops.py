"""What an operator asks of the database: is it writable, how long are the queues, and is a
backup sound (`veldgids restore-check`). Counts only: nothing here reads what anyone wrote."""

from __future__ import annotations

import importlib
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.migrations import run_statements
from storage.privacy import plain_tables
from storage.store import MIGRATION_SETS, StorageError, Store

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


def waiting_or_done(store: Store, update_id: int) -> bool:
    """Whether an update already arrived: handled, or in the inbox waiting its turn."""
    return store.is_processed(update_id) or store.one(
        "SELECT 1 AS x FROM inbox WHERE update_id = ?", (update_id,)) is not None


def queue_depths(store: Store, now: datetime) -> dict[str, int]:
    """Work waiting, by queue: updates in the inbox, files to download, voice notes to
    transcribe and weekly reminders due."""
    from storage.goals import GoalRepo
    from storage.talk import TalkRepo
    from storage.transcriptions import TranscriptionRepo

    return {"inbox": len(store.rows("SELECT update_id FROM inbox")),
            "downloads": TalkRepo(store).pending_download_count(),
            "transcriptions": TranscriptionRepo(store).queued_count(),
            "reminders_due": GoalRepo(store).due_count(now)}


@dataclass
class RestoreReport:
    """What `veldgids restore-check` found in a backup."""

    integrity: list[str]
    applied: int
    pending: list[str] = field(default_factory=list)  # the code has them, the backup not yet
    unknown: list[str] = field(default_factory=list)  # the backup has them, the code does not
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.integrity == ["ok"] and not self.unknown


def restore_check(path: Path) -> RestoreReport:
    """Open a backup read-only (nothing is written, not even a journal), check it and count
    its rows. Raises StorageError for a file that is not a SQLite database."""
    if not path.is_file():
        raise StorageError(f"no backup at {path}")
    # immutable: a backup is not written by anyone, so SQLite needs no lock and no -shm file.
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True)
    try:
        integrity = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
        db = Database(conn)
        sets: list[Migrations] = [importlib.import_module(m).migrations for m in MIGRATION_SETS]
        empty = Database(memory=True)  # every migration is pending there: the code's full list
        known = {(s.name, m.name) for s in sets for m in s.pending(empty)}
        if not db["_sqlite_migrations"].exists():
            raise StorageError(f"{path} is not a Veldgids database (it has none of its tables)")
        applied = {(r["migration_set"], r["name"]) for r in
                   db.query("SELECT migration_set, name FROM _sqlite_migrations")}
        pending = [f"{s.name}/{m.name}" for s in sets for m in s.pending(db)]
        unknown = sorted(f"{a}/{b}" for a, b in applied - known)
        counts = {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])
                  for t in plain_tables(db)}
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{path} is not a readable Veldgids database ({exc})") from None
    finally:
        conn.close()
    return RestoreReport(integrity, len(applied & known), pending, unknown, counts)

