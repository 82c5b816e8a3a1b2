"""Drawn progress charts, kept so a chart whose data did not change is not drawn again.

One row per goal (the latest drawing), keyed by a hash of everything the drawing depends
on: bounded by the number of goals, and deleted with the goal (and so with /forget).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import Connection
from storage.migrations import run_statements

migrations = Migrations("veldgids-charts")


@migrations()
def m001_chart_cache(db: Database) -> None:
    run_statements(db, """
        CREATE TABLE chart_cache (
            goal_id INTEGER PRIMARY KEY REFERENCES goals(id) ON DELETE CASCADE,
            inputs TEXT NOT NULL,
            png BLOB NOT NULL,
            drawn_at TEXT NOT NULL
        );
    """)


class ChartCache:
    def __init__(self, store: Connection) -> None:
        self.store = store

    def get(self, goal_id: int, inputs: str) -> bytes | None:
        """The goal's PNG if it was drawn from exactly these inputs."""
        row = self.store.one("SELECT png FROM chart_cache WHERE goal_id = ? AND inputs = ?",
                             (goal_id, inputs))
        return bytes(row["png"]) if row else None

    def put(self, goal_id: int, inputs: str, png: bytes) -> None:
        """Keep this drawing in place of the goal's last one (a goal deleted meanwhile: none)."""
        with self.store.atomic():
            self.store.db.execute(
                "INSERT INTO chart_cache (goal_id, inputs, png, drawn_at)"
                " SELECT id, ?, ?, ? FROM goals WHERE id = ?"
                " ON CONFLICT(goal_id) DO UPDATE SET inputs = excluded.inputs,"
                " png = excluded.png, drawn_at = excluded.drawn_at",
                (inputs, png, self.store.now(), goal_id))
