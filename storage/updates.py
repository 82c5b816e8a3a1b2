"""Telegram updates, handled exactly once: the inbox keeps fetched ones until they are
handled, `processed_updates` remembers which were (part of `Store`)."""

from __future__ import annotations

import json
from typing import Any

from storage.db import Connection


class Updates(Connection):
    """The inbox and the record of processed updates."""

    def is_processed(self, update_id: int) -> bool:
        return self.one("SELECT 1 AS x FROM processed_updates WHERE update_id = ?",
                         (update_id,)) is not None

    def mark_processed(self, update_id: int, user_id: int | None) -> None:
        self.db.execute("INSERT OR IGNORE INTO processed_updates (update_id, user_id,"
                        " processed_at) VALUES (?, ?, ?)", (update_id, user_id, self.now()))
        self.db.execute("DELETE FROM inbox WHERE update_id = ?", (update_id,))

    def inbox_add(self, updates: list[tuple[int, dict[str, Any]]]) -> None:
        """Keep fetched updates until they are processed, so a crash after Telegram
        considers them delivered loses nothing."""
        with self.atomic():
            for update_id, payload in updates:
                if self.is_processed(update_id):
                    continue
                self.db.execute("INSERT OR IGNORE INTO inbox (update_id, payload, received_at)"
                                " VALUES (?, ?, ?)",
                                (update_id, json.dumps(payload, ensure_ascii=False), self.now()))

    def inbox(self) -> list[dict[str, Any]]:
        rows = self.rows("SELECT update_id, payload FROM inbox ORDER BY update_id")
        return [json.loads(row["payload"]) for row in rows]

    def inbox_drop(self, update_id: int) -> None:
        with self.atomic():
            self.db.execute("DELETE FROM inbox WHERE update_id = ?", (update_id,))

    def prune_processed(self, before: str) -> int:
        """Forget ids of updates processed before `before` (UTC ISO): Telegram offers an
        update again for 24 hours at most. The newest id stays: polling resumes after it."""
        with self.atomic():
            return self.db.execute(
                "DELETE FROM processed_updates WHERE processed_at < ? AND update_id <"
                " (SELECT max(update_id) FROM processed_updates)", (before,)).rowcount

    def last_update_id(self) -> int | None:
        row = self.one("SELECT max(update_id) AS m FROM (SELECT update_id FROM inbox UNION ALL"
                        " SELECT update_id FROM processed_updates)")
        return row["m"] if row and row["m"] is not None else None
