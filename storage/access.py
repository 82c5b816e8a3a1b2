"""Who may use the bot: invite and claim codes (stored only as a hash), user status, and a
daily count of refused strangers (a number, never an id or a text)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import Connection
from storage.records import User

migrations = Migrations("veldgids-access")

INVITE_DAYS = 7
CODE_BYTES = 12  # 96 random bits; URL-safe base64 gives 16 characters, fine for ?start=

CodeKind = Literal["invite", "claim"]
Problem = Literal["unknown", "expired", "used", "has_admin"]


@migrations()
def m001_access(db: Database) -> None:
    for statement in (
        """CREATE TABLE invites (
            id INTEGER PRIMARY KEY,
            code_hash TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('invite', 'claim')),
            created_by INTEGER REFERENCES users(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at TEXT,
            used_by INTEGER REFERENCES users(id) ON DELETE CASCADE,
            used_at TEXT
        )""",
        "CREATE INDEX invites_created_by ON invites(created_by)",
        "CREATE INDEX invites_used_by ON invites(used_by)",
        """CREATE TABLE stranger_counts (
            day TEXT PRIMARY KEY,
            count INTEGER NOT NULL DEFAULT 0
        )""",
    ):
        db.execute(statement)


def code_hash(code: str) -> str:
    """Codes carry at least 64 random bits, so a plain SHA-256 cannot be reversed by guessing."""
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


@dataclass(frozen=True)
class Redeemed:
    """The outcome of looking a code up: its row id and kind, or why it can't be used."""

    invite_id: int | None
    kind: CodeKind | None
    problem: Problem | None


class AccessRepo:
    """Queries behind the access gate. All times are stored in UTC."""

    def __init__(self, store: Connection) -> None:
        self.store = store
        self.db = store.db

    def _now(self) -> datetime:
        return self.store.clock().astimezone(UTC)

    # codes
    def create_code(self, kind: CodeKind, created_by: int | None,
                    days: int | None = INVITE_DAYS) -> str:
        """A fresh code; only its hash is stored. Claim codes replace older unused ones."""
        now = self._now()
        if kind == "claim":
            self.db.execute("DELETE FROM invites WHERE kind = 'claim' AND used_at IS NULL")
        code = new_code()
        expires = (now + timedelta(days=days)).isoformat(timespec="seconds") if days else None
        self.db.execute(
            "INSERT INTO invites (code_hash, kind, created_by, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (code_hash(code), kind, created_by, now.isoformat(timespec="seconds"), expires))
        return code

    def check(self, code: str, settings_admins: tuple[int, ...]) -> Redeemed:
        row = self.store.one("SELECT id, kind, expires_at, used_at FROM invites"
                              " WHERE code_hash = ?", (code_hash(code),))
        if row is None:
            return Redeemed(None, None, "unknown")
        kind: CodeKind = row["kind"]
        if row["used_at"] is not None:
            return Redeemed(row["id"], kind, "used")
        if row["expires_at"] and datetime.fromisoformat(row["expires_at"]) <= self._now():
            return Redeemed(row["id"], kind, "expired")
        if kind == "claim" and self.has_admin(settings_admins):
            return Redeemed(row["id"], kind, "has_admin")
        return Redeemed(row["id"], kind, None)

    def mark_used(self, invite_id: int, user_id: int) -> None:
        self.db.execute("UPDATE invites SET used_by = ?, used_at = ? WHERE id = ?",
                        (user_id, self._now().isoformat(timespec="seconds"), invite_id))

    def drop_claims(self) -> None:
        self.db.execute("DELETE FROM invites WHERE kind = 'claim' AND used_at IS NULL")

    def open_invites(self) -> int:
        row = self.store.one(
            "SELECT count(*) AS n FROM invites WHERE kind = 'invite' AND used_at IS NULL"
            " AND expires_at > ?", (self._now().isoformat(timespec="seconds"),))
        return int(row["n"]) if row else 0

    # users
    def has_admin(self, settings_admins: tuple[int, ...]) -> bool:
        if settings_admins:
            return True
        row = self.store.one("SELECT 1 AS x FROM users WHERE is_admin = 1"
                              " AND status = 'active' LIMIT 1")
        return row is not None

    def users(self) -> list[User]:
        rows = self.store.rows("SELECT * FROM users WHERE status != 'former' ORDER BY id")
        return [User.from_row(row) for row in rows]

    def set_status(self, user_id: int, status: Literal["active", "revoked"]) -> None:
        self.db.execute("UPDATE users SET status = ? WHERE id = ?", (status, user_id))

    def set_admin(self, user_id: int, on: bool) -> None:
        self.db.execute("UPDATE users SET is_admin = ? WHERE id = ?", (int(on), user_id))

    # strangers: a count per day, nothing else
    def count_stranger(self, day: str) -> None:
        self.db.execute("INSERT INTO stranger_counts (day, count) VALUES (?, 1)"
                        " ON CONFLICT (day) DO UPDATE SET count = count + 1", (day,))

    def strangers(self, day: str) -> int:
        row = self.store.one("SELECT count FROM stranger_counts WHERE day = ?", (day,))
        return int(row["count"]) if row else 0
