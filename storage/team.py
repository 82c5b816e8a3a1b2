"""Messages to a colleague: an invitation, "Bram joined", "you were handed Wijk Noord".

They are written in the same transaction as the change they tell about, and sent by a job
(bot/features/sharing/feature.py), so a crash between the two loses no message and sends none twice
over a
change that was rolled back. The recipient's erase takes their queued messages along.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import Connection

migrations = Migrations("veldgids-team")


@migrations()
def m001_team_messages(db: Database) -> None:
    db.execute("""CREATE TABLE team_messages (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        buttons TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL
    )""")


@dataclass(frozen=True)
class TeamMessage:
    id: int
    user_id: int
    telegram_id: int | None
    text: str
    buttons: list[list[tuple[str, str]]]  # rows of (label, press data)


class Outbox:
    def __init__(self, store: Connection) -> None:
        self.store = store

    def put(self, user_id: int, text: str,
            buttons: list[list[tuple[str, str]]] | None = None) -> None:
        self.store.db.execute(
            "INSERT INTO team_messages (user_id, text, buttons, created_at) VALUES (?, ?, ?, ?)",
            (user_id, text, json.dumps(buttons or [], ensure_ascii=False), self.store.now()))

    def waiting(self, user_id: int | None = None, limit: int = 50) -> list[TeamMessage]:
        rows = self.store.rows(
            "SELECT m.id, m.user_id, u.telegram_id, m.text, m.buttons FROM team_messages m"
            " JOIN users u ON u.id = m.user_id WHERE (? IS NULL OR m.user_id = ?)"
            " ORDER BY m.id LIMIT ?", (user_id, user_id, limit))
        return [TeamMessage(r["id"], r["user_id"], r["telegram_id"], r["text"],
                            [[(b[0], b[1]) for b in row] for row in json.loads(r["buttons"])])
                for r in rows]

    def done(self, message_id: int) -> None:
        with self.store.atomic():
            self.store.db.execute("DELETE FROM team_messages WHERE id = ?", (message_id,))


@dataclass(frozen=True)
class News:
    """What colleagues added to one shared community since a moment: counts only, the
    librarian opens the rest themselves."""

    community: str
    conversations: int
    outcomes: int
    assigned: int  # actions given to this librarian


def news(store: Connection, user_id: int, since: str) -> list[News]:
    """Per shared community this user is in, what others added since `since` (UTC ISO)."""
    rows = store.rows(
        "SELECT c.id, c.name,"
        " (SELECT count(*) FROM conversations v WHERE v.community_id = c.id"
        "  AND v.user_id != :uid AND v.started_at >= :since) AS conversations,"
        " (SELECT count(*) FROM outcomes o WHERE o.community_id = c.id"
        "  AND o.user_id != :uid AND o.created_at >= :since) AS outcomes,"
        " (SELECT count(*) FROM actions a WHERE a.community_id = c.id AND a.assigned_to = :uid"
        "  AND a.user_id != :uid AND a.done_at IS NULL AND a.updated_at >= :since) AS assigned"
        " FROM members m JOIN communities c ON c.id = m.community_id WHERE m.user_id = :uid"
        " AND (SELECT count(*) FROM members o WHERE o.community_id = c.id) > 1 ORDER BY c.id",
        {"uid": user_id, "since": since})
    return [News(r["name"], r["conversations"], r["outcomes"], r["assigned"]) for r in rows
            if r["conversations"] or r["outcomes"] or r["assigned"]]
