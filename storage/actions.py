"""Follow-up actions of a community: what, for whom, due when, done when.

An action comes from a note marked "actie:" (its `note_id`), or is added on its own. Done
actions stay (with `done_at`) so summaries and exports show what was done and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from dialogs.actions import follow_up
from storage.migrations import run_statements
from storage.store import Store

migrations = Migrations("veldgids-actions")


@migrations()
def m001_actions(db: Database) -> None:
    run_statements(db, """
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
            note_id INTEGER REFERENCES notes(id) ON DELETE SET NULL,
            what TEXT NOT NULL,
            who TEXT,
            due TEXT,
            done_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX actions_open ON actions(community_id, done_at, due);
        CREATE INDEX actions_due ON actions(user_id, done_at, due)
    """)


@migrations()
def m002_actions_from_notes(db: Database) -> None:
    """Notes marked "actie:"/"todo:" before actions existed become actions, once (a
    migration runs once); without a due date, since none was asked for then."""
    rows = db.execute("SELECT id, user_id, community_id, text, created_at FROM notes"
                      " WHERE community_id IS NOT NULL").fetchall()
    for note_id, user_id, community_id, text, created_at in rows:
        what = follow_up(text or "")
        if what:
            db.execute("INSERT INTO actions (user_id, community_id, note_id, what,"
                       " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                       (user_id, community_id, note_id, what, created_at, created_at))


@dataclass(frozen=True)
class Action:
    id: int
    user_id: int
    community_id: int
    note_id: int | None
    what: str
    who: str | None
    due: str | None  # ISO date
    done_at: str | None
    created_at: str


FIELDS = "id, user_id, community_id, note_id, what, who, due, done_at, created_at"


class ActionRepo:
    """One librarian's actions; every read and write names the user, so a forged id of
    another's action finds nothing."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def add(self, user_id: int, community_id: int, what: str, *, due: date | None = None,
            who: str | None = None, note_id: int | None = None) -> int:
        now = self.store.now()
        cursor = self.db.execute(
            "INSERT INTO actions (user_id, community_id, note_id, what, who, due, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (user_id, community_id, note_id, what, who, due.isoformat() if due else None,
             now, now))
        return int(cursor.lastrowid or 0)

    def get(self, user_id: int, action_id: int) -> Action | None:
        row = self.store.one(f"SELECT {FIELDS} FROM actions WHERE id = ? AND user_id = ?",
                             (action_id, user_id))
        return Action(**row) if row else None

    def open(self, user_id: int, community_id: int) -> list[Action]:
        """Open actions, due first (earliest due date), then those without a date."""
        return [Action(**r) for r in self.store.rows(
            f"SELECT {FIELDS} FROM actions WHERE user_id = ? AND community_id = ?"
            " AND done_at IS NULL ORDER BY due IS NULL, due, id", (user_id, community_id))]

    def all(self, user_id: int, community_id: int) -> list[Action]:
        return [Action(**r) for r in self.store.rows(
            f"SELECT {FIELDS} FROM actions WHERE user_id = ? AND community_id = ?"
            " ORDER BY done_at IS NOT NULL, due IS NULL, due, id", (user_id, community_id))]

    def due_by(self, user_id: int, day: date) -> list[Action]:
        """Open actions due on or before `day`, in every community of the user."""
        return [Action(**r) for r in self.store.rows(
            f"SELECT {FIELDS} FROM actions WHERE user_id = ? AND done_at IS NULL"
            " AND due IS NOT NULL AND due <= ? ORDER BY due, id", (user_id, day.isoformat()))]

    def done(self, user_id: int, action_id: int) -> bool:
        """Mark done; False if it is gone or was done already."""
        now = self.store.now()
        return self.db.execute(
            "UPDATE actions SET done_at = ?, updated_at = ? WHERE id = ? AND user_id = ?"
            " AND done_at IS NULL", (now, now, action_id, user_id)).rowcount == 1

    def move(self, user_id: int, action_id: int, due: date) -> bool:
        """A new due date for an open action; False if it is gone or done."""
        return self.db.execute(
            "UPDATE actions SET due = ?, updated_at = ? WHERE id = ? AND user_id = ?"
            " AND done_at IS NULL", (due.isoformat(), self.store.now(), action_id,
                                     user_id)).rowcount == 1

    def change(self, user_id: int, action_id: int, what: str) -> bool:
        return self.db.execute(
            "UPDATE actions SET what = ?, updated_at = ? WHERE id = ? AND user_id = ?"
            " AND done_at IS NULL", (what, self.store.now(), action_id,
                                     user_id)).rowcount == 1

    def delete(self, user_id: int, action_id: int) -> bool:
        return self.db.execute("DELETE FROM actions WHERE id = ? AND user_id = ?",
                               (action_id, user_id)).rowcount == 1
