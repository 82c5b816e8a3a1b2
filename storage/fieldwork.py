"""What the phases' items hold: texts a librarian gives an item (several per item, such as
the findings of a phase 2 scan) and where a tick came from (the conversation that ticked
a phase 4 item, say)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import Connection
from storage.migrations import run_statements

migrations = Migrations("veldgids-fieldwork")


@migrations()
def m001_item_texts(db: Database) -> None:
    run_statements(db, """
        CREATE TABLE item_texts (
            id INTEGER PRIMARY KEY,
            community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
            item TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX item_texts_community ON item_texts(community_id, item, id);
        ALTER TABLE checklist ADD COLUMN source TEXT
    """)


@dataclass(frozen=True)
class ItemText:
    id: int
    item: str  # "p2.themes": checklist id and item id
    text: str
    created_at: str


class ItemRepo:
    """Item texts and tick sources of one librarian's communities. Callers pass a community
    the user owns (the active one); every write names it."""

    def __init__(self, store: Connection) -> None:
        self.store = store
        self.db = store.db

    def texts(self, community_id: int) -> dict[str, list[ItemText]]:
        """Every item's texts, oldest first, by item."""
        out: dict[str, list[ItemText]] = {}
        for row in self.store.rows("SELECT id, item, text, created_at FROM item_texts"
                                   " WHERE community_id = ? ORDER BY id", (community_id,)):
            out.setdefault(row["item"], []).append(ItemText(**row))
        return out

    def add(self, community_id: int, item: str, text: str) -> int:
        now = self.store.now()
        cursor = self.db.execute(
            "INSERT INTO item_texts (community_id, item, text, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)", (community_id, item, text, now, now))
        return int(cursor.lastrowid or 0)

    def edit(self, community_id: int, item: str, text_id: int, text: str) -> bool:
        cursor = self.db.execute(
            "UPDATE item_texts SET text = ?, updated_at = ? WHERE id = ? AND community_id = ?"
            " AND item = ?", (text, self.store.now(), text_id, community_id, item))
        return cursor.rowcount == 1

    def remove(self, community_id: int, item: str, text_id: int) -> int:
        """Remove one text; returns how many the item still holds."""
        self.db.execute("DELETE FROM item_texts WHERE id = ? AND community_id = ? AND item = ?",
                        (text_id, community_id, item))
        row = self.store.one("SELECT count(*) AS n FROM item_texts WHERE community_id = ?"
                             " AND item = ?", (community_id, item))
        return int(row["n"]) if row else 0

    # ticks with where they came from
    def tick(self, community_id: int, item: str, source: str | None) -> None:
        """Tick the item (again), noting what ticked it; None keeps an earlier source."""
        self.db.execute(
            "INSERT INTO checklist (community_id, item, done_at, source) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (community_id, item) DO UPDATE SET"
            " source = coalesce(excluded.source, checklist.source)",
            (community_id, item, self.store.now(), source))

    def held(self, community_id: int) -> tuple[dict[str, list[ItemText]], dict[str, str]]:
        """`texts` and `sources` in one query: what a checklist shows under its items."""
        texts: dict[str, list[ItemText]] = {}
        sources: dict[str, str] = {}
        for row in self.store.rows(
                "SELECT id, item, text, created_at FROM item_texts WHERE community_id = :c"
                " UNION ALL SELECT NULL, item, source, done_at FROM checklist"
                " WHERE community_id = :c AND source IS NOT NULL ORDER BY 1",
                {"c": community_id}):
            if row["id"] is None:
                sources[row["item"]] = row["text"]
            else:
                texts.setdefault(row["item"], []).append(ItemText(**row))
        return texts, sources

    def sources(self, community_id: int) -> dict[str, str]:
        rows = self.store.rows("SELECT item, source FROM checklist WHERE community_id = ?"
                               " AND source IS NOT NULL", (community_id,))
        return {row["item"]: row["source"] for row in rows}
