"""Whether a backup is sound (`veldgids restore-check`): SQLite's integrity check, which of
the code's migrations it has, and how many rows each table holds. Counts only: nothing
here reads what anyone wrote."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from storage.db import StorageError
from storage.privacy import plain_tables
from storage.schema import migration_sets


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
        sets = migration_sets()
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
