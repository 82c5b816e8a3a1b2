"""The connection to Veldgids' SQLite file and its transactions: what every repository is
built on. It knows no table: `Store` (storage/store.py) brings the schema (storage/schema.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from storage.faults import private_dir, private_file
from storage.file_upkeep import BUSY_TIMEOUT_MS, FileUpkeep


class StorageError(Exception):
    """The database could not be opened or is not ours."""


Clock = Callable[[], datetime]
Params = tuple[Any, ...] | dict[str, Any]
#: Brings a freshly opened database up to date (storage/schema.py's `apply`).
Migrate = Callable[[Database], None]


def system_clock() -> datetime:
    return datetime.now(UTC)


class Connection(FileUpkeep):
    """One connection to the database file, with its clock. Use from one thread; group
    writes in `atomic()`."""

    def __init__(self, path: str | Path, migrate: Migrate, clock: Clock = system_clock) -> None:
        self.clock = clock
        self._checkpoint_due = False
        #: The write-ahead log may still hold erased rows: a reader kept the last checkpoint
        #: from emptying it (see `checkpoint`); the bot tries again in the background.
        self.wipe_pending = False
        try:
            if str(path) != ":memory:":
                # Owner-only: the folder, the file, and the -wal/-shm files SQLite makes
                # with the file's permissions.
                private_dir(Path(path).parent)
                private_file(Path(path))
            self.db = Database(path) if str(path) != ":memory:" else Database(memory=True)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            self.db.execute("PRAGMA synchronous=NORMAL")
            # Freed pages are zeroed: a processed inbox row or an erased note leaves no text
            # behind, also on SQLite builds where this is off by default (upstream's default).
            self.db.execute("PRAGMA secure_delete=ON")
            # Statements outside `atomic()` that write take the write lock at once, so the
            # busy timeout applies (a deferred read-then-write would fail at once instead).
            self.db.conn.isolation_level = "IMMEDIATE"
            migrate(self.db)
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"cannot open database {path}: {exc}") from exc
        self.path = path
        # Rows read in the current transaction, by key (see `memo`).
        self._memo: dict[tuple[str, int], Any] = {}
        self._memo_changes = -1

    def now(self) -> str:
        """The clock's current moment as stored: UTC ISO text, second precision."""
        return self.clock().astimezone(UTC).isoformat(timespec="seconds")

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        outermost = not self.db.conn.in_transaction
        if outermost:  # other processes may have written since the last transaction
            self._memo.clear()
        try:
            if outermost:
                with self._immediate():
                    yield
            else:
                with self.db.atomic():
                    yield
        except BaseException:
            self._memo.clear()  # a rolled-back savepoint undoes writes the memo may have seen
            raise
        if self._checkpoint_due and not self.db.conn.in_transaction:
            self.checkpoint()

    @contextmanager
    def _immediate(self) -> Iterator[None]:
        """A transaction that takes the write lock when it begins: a deferred one reads, then
        fails at once with "database is locked" when another process wrote meanwhile, because
        SQLite cannot wait for a lock it would deadlock on. This one waits (busy timeout)."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def memo(self) -> dict[tuple[str, int], Any]:
        """Rows already read in this transaction, while this connection has written nothing
        since: one event asks for its user several times (access gate, dispatch, effects),
        and inside a transaction nobody else can change the row under us. Outside one it
        keeps nothing."""
        conn = self.db.conn
        if not conn.in_transaction:
            self._memo.clear()
            return {}
        if conn.total_changes != self._memo_changes:
            self._memo.clear()
            self._memo_changes = conn.total_changes
        return self._memo

    def one(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        """The first row of a query as a dict by column name, or None. For the storage
        modules' own queries; what leaves storage is typed (dataclasses)."""
        cursor = self.db.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cursor.description], row, strict=True))

    def rows(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        """Every row of a query as a dict by column name (see `one`)."""
        cursor = self.db.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
