"""SQLite storage through sqlite-utils: `Store` opens the database (WAL, foreign keys, every
migration of storage/schema.py) and holds the core tables' queries: librarians (`Users`),
Telegram updates (`Updates`), communities, checklists and answers, notes, dialog state.
Feature repositories take the connection (storage/db.py) and keep their own tables."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from storage import schema
from storage.db import Clock, StorageError, system_clock
from storage.membership import Members, readable_sql
from storage.records import (
    NOTE_FIELDS,
    Community,
    Note,
    SavedState,
    User,
)
from storage.schema import MIGRATION_SETS
from storage.updates import Updates
from storage.users import Users

# Callers import these from here too.
__all__ = ["MIGRATION_SETS", "NOTE_FIELDS", "Clock", "Community", "Note", "SavedState",
           "StorageError", "Store", "User", "system_clock"]


class Store(Users, Updates):
    """All reads and writes of Veldgids' core data. Use from one thread; group writes in
    `atomic()`."""

    def __init__(self, path: str | Path, clock: Clock = system_clock,
                 parts: Sequence[schema.Part] = schema.MODULES) -> None:
        """`parts`: the storage modules whose tables this database has (all of the bot's)."""
        super().__init__(path, partial(schema.apply, parts=parts), clock)

    # communities: what a user may see is decided by storage/membership.py alone
    def communities(self, user_id: int) -> list[Community]:
        """Every community the user may see: their own and those shared with them."""
        rows = self.rows("SELECT id, user_id, name, theme FROM communities WHERE"
                         f" {readable_sql('id')} ORDER BY id", (user_id,))
        return [Community(**row) for row in rows]

    def community(self, user_id: int, community_id: int) -> Community | None:
        """The community, only if this user may read it (owner or member)."""
        if not Members(self).may(user_id, community_id, "read"):
            return None
        row = self.one("SELECT id, user_id, name, theme FROM communities WHERE id = ?",
                       (community_id,))
        return Community(**row) if row else None

    def create_community(self, user_id: int, name: str, theme: str | None) -> int:
        cursor = self.db.execute(
            "INSERT INTO communities (user_id, name, theme, created_at) VALUES (?, ?, ?, ?)",
            (user_id, name, theme or None, self.now()),
        )
        community_id = int(cursor.lastrowid or 0)
        Members(self).add_owner(community_id, user_id)
        self.switch_community(user_id, community_id)
        return community_id

    def rename_community(self, user_id: int, community_id: int, name: str) -> bool:
        if self.community(user_id, community_id) is None:
            return False
        cursor = self.db.execute("UPDATE communities SET name = ? WHERE id = ?",
                                 (name, community_id))
        return cursor.rowcount == 1

    def set_theme(self, user_id: int, community_id: int, theme: str) -> bool:
        if self.community(user_id, community_id) is None:
            return False
        cursor = self.db.execute("UPDATE communities SET theme = ? WHERE id = ?",
                                 (theme or None, community_id))
        return cursor.rowcount == 1

    def switch_community(self, user_id: int, community_id: int) -> bool:
        if self.community(user_id, community_id) is None:
            return False
        self.db.execute("UPDATE users SET active_community = ? WHERE id = ?",
                        (community_id, user_id))
        return True

    # checklists and answers
    def ticks(self, community_id: int) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for row in self.rows("SELECT item FROM checklist WHERE community_id = ?", (community_id,)):
            checklist, _, item = row["item"].partition(".")
            out.setdefault(checklist, set()).add(item)
        return out

    def set_tick(self, community_id: int, item: str, on: bool) -> None:
        if on:
            self.db.execute("INSERT OR IGNORE INTO checklist (community_id, item, done_at)"
                            " VALUES (?, ?, ?)", (community_id, item, self.now()))
        else:
            self.db.execute("DELETE FROM checklist WHERE community_id = ? AND item = ?",
                            (community_id, item))

    def answers(self, community_id: int) -> dict[str, str]:
        rows = self.rows("SELECT key, value FROM answers WHERE community_id = ?", (community_id,))
        return {row["key"]: row["value"] for row in rows}

    def set_answer(self, community_id: int, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO answers (community_id, key, value, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (community_id, key) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at",
            (community_id, key, value, self.now()),
        )

    # notes
    def add_note(self, user_id: int, community_id: int | None, text: str, tags: list[str],
                 chat_message_id: int | None = None) -> int:
        cursor = self.db.execute(
            "INSERT INTO notes (user_id, community_id, text, tags, chat_message_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (user_id, community_id, text, " ".join(tags), chat_message_id, self.now()),
        )
        return int(cursor.lastrowid or 0)

    def note(self, user_id: int, note_id: int) -> Note | None:
        row = self.one("SELECT * FROM notes WHERE id = ? AND user_id = ?", (note_id, user_id))
        return Note(**{k: v for k, v in row.items() if k in NOTE_FIELDS}) if row else None

    def delete_note(self, user_id: int, note_id: int) -> None:
        self.db.execute("DELETE FROM notes WHERE id = ? AND user_id = ?", (note_id, user_id))

    def notes(self, user_id: int) -> list[Note]:
        return [Note(**{k: v for k, v in row.items() if k in NOTE_FIELDS})
                for row in self.rows("SELECT * FROM notes WHERE user_id = ? ORDER BY id",
                                     (user_id,))]

    def tag_counts(self, user_id: int, community_id: int) -> dict[str, int]:
        """How many notes in this community (every member's) carry each tag."""
        counts: dict[str, int] = {}
        for row in self.rows("SELECT tags FROM notes WHERE community_id = ? AND"
                             f" {readable_sql()}", (community_id, user_id)):
            for tag in row["tags"].split():
                counts[tag] = counts.get(tag, 0) + 1
        return counts

    # dialog state
    def state(self, user_id: int) -> SavedState:
        row = self.one("SELECT dialog, step, data, rev FROM dialog_state WHERE user_id = ?",
                        (user_id,))
        if row is None:
            return SavedState(None, None, {}, 0)
        return SavedState(row["dialog"], row["step"], json.loads(row["data"]), row["rev"])

    def save_state(self, user_id: int, dialog: str | None, step: str | None,
                   data: dict[str, Any], rev: int) -> None:
        self.db.execute(
            "INSERT INTO dialog_state (user_id, dialog, step, data, rev, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
            " dialog = excluded.dialog, step = excluded.step, data = excluded.data,"
            " rev = excluded.rev, updated_at = excluded.updated_at",
            (user_id, dialog, step, json.dumps(data, ensure_ascii=False), rev, self.now()),
        )
