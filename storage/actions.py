"""Follow-up actions of a community: what, for whom, due when, done when.

An action comes from a note marked "actie:" (its `note_id`), or is added on its own. Done
actions stay (with `done_at`) so summaries and exports show what was done and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from search.marks import follow_up
from storage.db import Connection
from storage.membership import ASSIGNED_MINE as _MINE
from storage.membership import readable_sql
from storage.migrations import run_statements

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

    def __init__(self, store: Connection) -> None:
        self.store = store
        self.db = store.db

    def add(self, user_id: int, community_id: int, what: str, *, due: date | None = None,
            who: str | None = None, note_id: int | None = None,
            conversation_id: int | None = None) -> int:
        """A new action; `conversation_id`: made during that conversation (its summary lists
        it)."""
        now = self.store.now()
        cursor = self.db.execute(
            "INSERT INTO actions (user_id, community_id, note_id, what, who, due, created_at,"
            " updated_at, conversation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (user_id, community_id, note_id, what, who, due.isoformat() if due else None,
             now, now, conversation_id))
        return int(cursor.lastrowid or 0)

    def conversation_of(self, action_id: int) -> int | None:
        """The conversation an action was made during, if any."""
        row = self.store.one("SELECT conversation_id FROM actions WHERE id = ?", (action_id,))
        return int(row["conversation_id"]) if row and row["conversation_id"] else None

    def of_conversation(self, user_id: int, conversation_id: int) -> list[Action]:
        """The actions made during a conversation (➕ Actie, typed "actie:"), in the order
        they were made, as they are now (done, moved, reworded)."""
        return [Action(**r) for r in self.store.rows(
            f"SELECT {FIELDS} FROM actions WHERE conversation_id = ? AND {readable_sql()}"
            " ORDER BY id", (conversation_id, user_id))]

    def get(self, user_id: int, action_id: int) -> Action | None:
        row = self.store.one(f"SELECT {FIELDS} FROM actions WHERE id = ? AND {readable_sql()}",
                             (action_id, user_id))
        return Action(**row) if row else None

    def open(self, user_id: int, community_id: int) -> list[Action]:
        """Open actions, due first (earliest due date), then those without a date."""
        return [Action(**r) for r in self.store.rows(
            f"SELECT {FIELDS} FROM actions WHERE community_id = ? AND {readable_sql()}"
            " AND done_at IS NULL ORDER BY due IS NULL, due, id", (community_id, user_id))]

    def all(self, user_id: int, community_id: int) -> list[Action]:
        return [Action(**r) for r in self.store.rows(
            f"SELECT {FIELDS} FROM actions WHERE community_id = ? AND {readable_sql()}"
            " ORDER BY done_at IS NOT NULL, due IS NULL, due, id", (community_id, user_id))]

    def due_by(self, user_id: int, day: date) -> list[Action]:
        """Open actions due on or before `day` that are this user's to do: assigned to them,
        or written by them and assigned to nobody (in communities they may still read)."""
        return [Action(**r) for r in self.store.rows(
            f"SELECT {FIELDS} FROM actions WHERE {_MINE} AND {readable_sql()}"
            " AND done_at IS NULL AND due IS NOT NULL AND due <= ? ORDER BY due, id",
            (user_id, user_id, user_id, day.isoformat()))]

    def done(self, user_id: int, action_id: int) -> bool:
        """Mark done; False if it is gone or was done already."""
        now = self.store.now()
        return self.db.execute(
            f"UPDATE actions SET done_at = ?, updated_at = ? WHERE id = ? AND {readable_sql()}"
            " AND done_at IS NULL", (now, now, action_id, user_id)).rowcount == 1

    def done_list(self, user_id: int, community_id: int) -> list[Action]:
        """Done actions, the most recently done first."""
        return [Action(**r) for r in self.store.rows(
            f"SELECT {FIELDS} FROM actions WHERE community_id = ? AND {readable_sql()}"
            " AND done_at IS NOT NULL ORDER BY done_at DESC, id DESC", (community_id, user_id))]

    def reopen(self, user_id: int, action_id: int) -> bool:
        """Open a done action again; False if it is gone or open already."""
        return self.db.execute(
            f"UPDATE actions SET done_at = NULL, updated_at = ? WHERE id = ? AND {readable_sql()}"
            " AND done_at IS NOT NULL", (self.store.now(), action_id, user_id)).rowcount == 1

    def move(self, user_id: int, action_id: int, due: date) -> bool:
        """A new due date for an open action; False if it is gone or done."""
        return self.db.execute(
            f"UPDATE actions SET due = ?, updated_at = ? WHERE id = ? AND {readable_sql()}"
            " AND done_at IS NULL", (due.isoformat(), self.store.now(), action_id,
                                     user_id)).rowcount == 1

    def change(self, user_id: int, action_id: int, what: str) -> bool:
        return self.db.execute(
            f"UPDATE actions SET what = ?, updated_at = ? WHERE id = ? AND {readable_sql()}"
            " AND done_at IS NULL", (what, self.store.now(), action_id,
                                     user_id)).rowcount == 1

    def delete(self, user_id: int, action_id: int) -> bool:
        return self.db.execute(f"DELETE FROM actions WHERE id = ? AND {readable_sql()}",
                               (action_id, user_id)).rowcount == 1


@migrations()
def m003_action_days(db: Database) -> None:
    """One row per librarian: when the next daily action message is due (UTC), who holds
    it, and the last local day one was sent, so a day gets one at most (DailyRepo,
    storage/action_days.py)."""
    run_statements(db, """
        CREATE TABLE action_days (
            user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            next_at TEXT NOT NULL,
            last_day TEXT,
            claimed_by TEXT,
            claimed_until TEXT
        );
        CREATE INDEX action_days_due ON action_days(next_at)
    """)


@migrations()
def m004_spoken_actions(db: Database) -> None:
    """Actions dictated in a voice note point at its transcription, so they are made once,
    however often the transcript's message is tried."""
    run_statements(db, """
        ALTER TABLE actions ADD COLUMN transcription_id INTEGER
            REFERENCES transcriptions(id) ON DELETE SET NULL;
        CREATE INDEX actions_spoken ON actions(transcription_id)
    """)


# The community a transcription belongs to: its note's, or its conversation's.
_SPOKEN_COMMUNITY = (
    "SELECT coalesce(n.community_id, c.community_id) AS community_id, n.id AS note_id"
    " FROM transcriptions t"
    " LEFT JOIN notes n ON t.source = 'notes' AND n.id = t.ref_id"
    " LEFT JOIN transcript tr ON t.source = 'transcript' AND tr.id = t.ref_id"
    " LEFT JOIN conversations c ON c.id = tr.conversation_id"
    " WHERE t.id = ? AND t.user_id = ?")


class SpokenActions:
    """Actions from transcribed voice notes ("Actie, Fatima mailen."): made when the
    transcript lands, once per transcription."""

    def __init__(self, store: Connection) -> None:
        self.store = store
        self.db = store.db

    def add(self, user_id: int, transcription_id: int,
            found: list[tuple[str, date | None]]) -> list[Action]:
        """Record `found` (what, due) unless this transcription made its actions before;
        the actions it made, either way. None without a community (a note kept before any)."""
        with self.store.atomic():
            made = self.of(user_id, transcription_id)
            if made or not found:
                return made
            row = self.store.one(_SPOKEN_COMMUNITY, (transcription_id, user_id))
            if row is None or row["community_id"] is None:
                return []
            now = self.store.now()
            for what, due in found:
                self.db.execute(
                    "INSERT INTO actions (user_id, community_id, note_id, transcription_id,"
                    " what, due, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (user_id, row["community_id"], row["note_id"], transcription_id, what,
                     due.isoformat() if due else None, now, now))
            return self.of(user_id, transcription_id)

    def of(self, user_id: int, transcription_id: int) -> list[Action]:
        return [Action(**r) for r in self.store.rows(
            f"SELECT {FIELDS} FROM actions WHERE transcription_id = ? AND user_id = ?"
            " ORDER BY id", (transcription_id, user_id))]


@migrations()
def m005_actions_of_conversations(db: Database) -> None:
    """An action made during a conversation points at it, so the conversation's summary
    lists every one of its actions as they are now."""
    run_statements(db, """
        ALTER TABLE actions ADD COLUMN conversation_id INTEGER
            REFERENCES conversations(id) ON DELETE SET NULL;
        CREATE INDEX actions_conversation ON actions(conversation_id)
    """)
