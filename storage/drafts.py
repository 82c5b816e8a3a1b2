"""Wizard answers kept when the librarian stopped with /annuleer before the step that stores
them: one draft per dialog and community, offered again when she starts that wizard there.

Deleted with the librarian (/forget) and with the community.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import Connection
from storage.migrations import run_statements

migrations = Migrations("veldgids-drafts")


@migrations()
def m001_drafts(db: Database) -> None:
    run_statements(db, """
        CREATE TABLE drafts (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            community_id INTEGER REFERENCES communities(id) ON DELETE CASCADE,
            dialog TEXT NOT NULL,
            step TEXT NOT NULL,
            data TEXT NOT NULL,
            saved_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX drafts_one ON drafts(user_id, IFNULL(community_id, 0), dialog)
    """)


@dataclass(frozen=True)
class Draft:
    dialog: str
    step: str
    data: dict[str, Any]


class Drafts:
    def __init__(self, store: Connection) -> None:
        self.store = store

    def keep(self, user_id: int, community_id: int | None, draft: Draft) -> None:
        """Keep this draft in place of an older one of the same wizard."""
        self.drop(user_id, community_id, draft.dialog)
        self.store.db.execute(
            "INSERT INTO drafts (user_id, community_id, dialog, step, data, saved_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (user_id, community_id, draft.dialog, draft.step,
             json.dumps(draft.data, ensure_ascii=False), self.store.now()))

    def get(self, user_id: int, community_id: int | None, dialog: str) -> Draft | None:
        row = self.store.one(
            "SELECT dialog, step, data FROM drafts WHERE user_id = ? AND community_id IS ?"
            " AND dialog = ?", (user_id, community_id, dialog))
        return Draft(row["dialog"], row["step"], json.loads(row["data"])) if row else None

    def drop(self, user_id: int, community_id: int | None, dialog: str) -> None:
        self.store.db.execute("DELETE FROM drafts WHERE user_id = ? AND community_id IS ?"
                              " AND dialog = ?", (user_id, community_id, dialog))
