"""Versioned schema changes. Applied in order, each in its own transaction; safe to rerun."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("veldgids")


def run_statements(db: Database, statements: str) -> None:
    """Run `;`-separated statements (no triggers) one by one: executescript() would commit
    the migration's transaction."""
    for statement in statements.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m001_foundation(db: Database) -> None:
    run_statements(
        db,
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            telegram_id INTEGER UNIQUE,
            console_name TEXT UNIQUE,
            name TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT 'nl',
            timezone TEXT NOT NULL DEFAULT 'Europe/Amsterdam',
            active_community INTEGER REFERENCES communities(id) ON DELETE SET NULL,
            is_admin INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'active',
            created_at TEXT NOT NULL
        );
        CREATE TABLE communities (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            theme TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX communities_user ON communities(user_id);
        CREATE TABLE dialog_state (
            user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            dialog TEXT,
            step TEXT,
            data TEXT NOT NULL DEFAULT '{}',
            rev INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE checklist (
            community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
            item TEXT NOT NULL,
            done_at TEXT NOT NULL,
            PRIMARY KEY (community_id, item)
        );
        CREATE TABLE answers (
            community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (community_id, key)
        );
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            community_id INTEGER REFERENCES communities(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '',
            chat_message_id INTEGER,
            created_at TEXT NOT NULL
        );
        CREATE INDEX notes_user ON notes(user_id, community_id);
        CREATE TABLE processed_updates (
            update_id INTEGER PRIMARY KEY,
            user_id INTEGER,
            processed_at TEXT NOT NULL
        );
        CREATE TABLE inbox (
            update_id INTEGER PRIMARY KEY,
            payload TEXT NOT NULL,
            received_at TEXT NOT NULL
        )
        """,
    )
