"""The database file's upkeep, part of every `Connection` (storage/db.py): an online backup,
integrity checks, and the checkpoint that empties the write-ahead log after an erase."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from storage.faults import private_file

# How long one statement waits for another process's write lock before failing with "database
# is locked". The wait blocks this process, so it is short; callers on the event loop wait
# longer between attempts without blocking (bot/telegram/resilience.py).
BUSY_TIMEOUT_MS = 2000


class FileUpkeep:
    db: Database
    wipe_pending: bool
    _checkpoint_due: bool

    def backup(self, target: str | Path) -> None:
        """A consistent copy through SQLite's online backup API, safe while the bot runs."""
        private_file(Path(target))  # owner-only, like the database itself
        dest = sqlite3.connect(str(target))
        try:
            self.db.conn.backup(dest)
        finally:
            dest.close()

    def integrity(self) -> str:
        row = self.db.execute("PRAGMA integrity_check").fetchone()
        return str(row[0])

    def quick_check(self) -> list[str]:
        """Problems `PRAGMA quick_check` finds (a damaged page, say); empty when all is well."""
        try:
            rows = [str(row[0]) for row in self.db.execute("PRAGMA quick_check").fetchall()]
        except sqlite3.DatabaseError as exc:  # so damaged that the check itself fails
            return [str(exc)]
        return [] if rows == ["ok"] else rows

    def checkpoint(self) -> bool:
        """Copy the write-ahead log into the database and empty it, so erased rows leave no
        copy behind; inside a transaction this happens once the outermost one committed.

        False when another connection's read transaction kept the log from being emptied (a
        streaming backup tool holds one all the time): `wipe_pending` then stays set, and
        the caller tries again later. Never waits for that reader."""
        self._checkpoint_due = self.db.conn.in_transaction
        if self._checkpoint_due:
            return False
        conn = self.db.conn
        conn.execute("PRAGMA busy_timeout=0")  # TRUNCATE would wait the whole timeout for readers
        try:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except sqlite3.OperationalError:
            busy = 1
        finally:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        self.wipe_pending = bool(busy)
        return not busy
