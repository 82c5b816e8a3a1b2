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


# A forgotten librarian's id must never come back as someone else's: SQLite gives a new row
# the highest id plus one, so without AUTOINCREMENT the next librarian to join after the
# newest one was erased got that id (and the admin's old "revoke" button named them). The
# table is rebuilt with AUTOINCREMENT; foreign keys are off while the old table is replaced,
# since dropping it would otherwise cascade to every table that references users.
@migrations(transactional=False)
def m002_users_never_reuse_ids(db: Database) -> None:
    conn = db.conn
    conn.execute("PRAGMA foreign_keys=OFF")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            columns = [row[1] for row in conn.execute("PRAGMA table_info(users)")]
            names = ", ".join(columns)
            run_statements(db, f"""
                CREATE TABLE users_autoincrement (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
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
                INSERT INTO users_autoincrement ({names}) SELECT {names} FROM users;
                DROP TABLE users;
                ALTER TABLE users_autoincrement RENAME TO users
            """)
            if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise RuntimeError("users: foreign keys broken while rebuilding the table")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("PRAGMA foreign_keys=ON")
