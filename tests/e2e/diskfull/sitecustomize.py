"""Test-only: a full disk, for tests/e2e/test_hardening_e2e.py.

Put on the bot process's PYTHONPATH with VELDGIDS_TEST_DISK_FILE naming a file. While that
file says "full", every transaction the bot begins fails the way SQLite fails on a full
disk: OperationalError "database or disk is full", error code SQLITE_FULL (13). On a real
full disk some small writes still fit in a page with room; failing them all keeps the test
deterministic (tests/storage/test_hardening.py checks SQLite's own SQLITE_FULL is told
apart the same way). No source file of the bot is touched.
"""

import os
import sqlite3
from pathlib import Path

_FLAG = os.environ.get("VELDGIDS_TEST_DISK_FILE")

if _FLAG:
    import storage.store as _store

    _atomic = _store.Store.atomic

    def _full() -> bool:
        try:
            return Path(_FLAG).read_text(encoding="utf-8").strip() == "full"
        except OSError:
            return False

    def _limited(self):  # type: ignore[no-untyped-def]
        if not self.db.conn.in_transaction and _full():
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorcode = 13
            error.sqlite_errorname = "SQLITE_FULL"
            raise error
        return _atomic(self)

    _store.Store.atomic = _limited
