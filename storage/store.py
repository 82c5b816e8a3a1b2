"""SQLite storage through sqlite-utils: one connection, WAL, foreign keys, migrations on open."""

from __future__ import annotations

import importlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from storage.faults import private_dir, private_file
from storage.file_upkeep import BUSY_TIMEOUT_MS, FileUpkeep
from storage.records import (  # callers import them here
    NOTE_FIELDS,
    Community,
    Note,
    SavedState,
    User,
)

# Modules whose `migrations` set is applied, in this order, on every open (and whose
# `SQL_FUNCTIONS`, if any, are registered on the connection). Feature modules keep their
# own set; they are imported lazily because they import Store themselves.
MIGRATION_SETS: tuple[str, ...] = ("storage.migrations", "storage.talk", "storage.access",
                                   "storage.delivery", "storage.goals", "storage.search",
                                   "storage.downloads", "storage.ops", "storage.transcriptions",
                                   "storage.fieldwork", "storage.actions",
                                   "storage.activities", "storage.collaboration",
                                   "storage.attachments", "storage.library",
                                   "storage.membership", "storage.team", "storage.charts",
                                   "storage.drafts")


class StorageError(Exception):
    """The database could not be opened or is not ours."""


Clock = Callable[[], datetime]
Params = tuple[Any, ...] | dict[str, Any]


def system_clock() -> datetime:
    return datetime.now(UTC)


class Store(FileUpkeep):
    """All reads and writes of Veldgids' data. Use from one thread; group writes in `atomic()`."""

    def __init__(self, path: str | Path, clock: Clock = system_clock) -> None:
        self.clock = clock
        self._checkpoint_due = False
        #: The write-ahead log may still hold erased rows: a reader kept the last checkpoint
        #: from emptying it (see `checkpoint`); the bot tries again in the background.
        self.wipe_pending = False
        try:
            if str(path) != ":memory:":
                # Owner-only: the folder, the file, and the -wal/-shm files SQLite makes
                # with the file's permissions.
                private_dir(Path(path).parent)
                private_file(Path(path))
            self.db = Database(path) if str(path) != ":memory:" else Database(memory=True)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            self.db.execute("PRAGMA synchronous=NORMAL")
            # Freed pages are zeroed: a processed inbox row or an erased note leaves no text
            # behind, also on SQLite builds where this is off by default (upstream's default).
            self.db.execute("PRAGMA secure_delete=ON")
            # Statements outside `atomic()` that write take the write lock at once, so the
            # busy timeout applies (a deferred read-then-write would fail at once instead).
            self.db.conn.isolation_level = "IMMEDIATE"
            modules = [importlib.import_module(module) for module in MIGRATION_SETS]
            for module in modules:  # SQL functions their triggers call, before any write
                for function in getattr(module, "SQL_FUNCTIONS", ()):
                    self.db.register_function(function, deterministic=True, replace=True)
            for module in modules:
                module.migrations.apply(self.db)
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"cannot open database {path}: {exc}") from exc
        self.path = path
        # Users read in the current transaction, by id and by Telegram id (see `_users`).
        self._memo: dict[tuple[str, int], User | None] = {}
        self._memo_changes = -1

    def now(self) -> str:
        """The clock's current moment as stored: UTC ISO text, second precision."""
        return self.clock().astimezone(UTC).isoformat(timespec="seconds")

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        outermost = not self.db.conn.in_transaction
        if outermost:  # other processes may have written since the last transaction
            self._memo.clear()
        try:
            if outermost:
                with self._immediate():
                    yield
            else:
                with self.db.atomic():
                    yield
        except BaseException:
            self._memo.clear()  # a rolled-back savepoint undoes writes the memo may have seen
            raise
        if self._checkpoint_due and not self.db.conn.in_transaction:
            self.checkpoint()

    @contextmanager
    def _immediate(self) -> Iterator[None]:
        """A transaction that takes the write lock when it begins: a deferred one reads, then
        fails at once with "database is locked" when another process wrote meanwhile, because
        SQLite cannot wait for a lock it would deadlock on. This one waits (busy timeout)."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def one(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        """The first row of a query as a dict by column name, or None. For the storage
        modules' own queries; what leaves storage is typed (dataclasses)."""
        cursor = self.db.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cursor.description], row, strict=True))

    def rows(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        """Every row of a query as a dict by column name (see `one`)."""
        cursor = self.db.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # users
    def _users(self) -> dict[tuple[str, int], User | None]:
        """The users already read in this transaction, while this connection has written
        nothing since: one event asks for its user several times (access gate, dispatch,
        effects), and inside a transaction nobody else can change the row under us."""
        conn = self.db.conn
        if not conn.in_transaction:
            self._memo.clear()
            return {}
        if conn.total_changes != self._memo_changes:
            self._memo.clear()
            self._memo_changes = conn.total_changes
        return self._memo

    def user(self, user_id: int) -> User | None:
        memo = self._users()
        if ("id", user_id) not in memo:
            row = self.one("SELECT * FROM users WHERE id = ?", (user_id,))
            memo[("id", user_id)] = User.from_row(row) if row else None
        return memo[("id", user_id)]

    def user_by_telegram(self, telegram_id: int) -> User | None:
        memo = self._users()
        if ("telegram", telegram_id) not in memo:
            row = self.one("SELECT * FROM users WHERE telegram_id = ?", (telegram_id,))
            memo[("telegram", telegram_id)] = found = User.from_row(row) if row else None
            if found is not None:
                memo[("id", found.id)] = found
        return memo[("telegram", telegram_id)]

    def user_by_console(self, name: str) -> User | None:
        row = self.one("SELECT * FROM users WHERE console_name = ?", (name,))
        return User.from_row(row) if row else None

    def create_user(self, *, name: str, language: str, timezone: str,
                    telegram_id: int | None = None, console_name: str | None = None,
                    is_admin: bool = False) -> User:
        cursor = self.db.execute(
            "INSERT INTO users (telegram_id, console_name, name, language, timezone, is_admin,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (telegram_id, console_name, name, language, timezone, int(is_admin), self.now()),
        )
        user = self.user(int(cursor.lastrowid or 0))
        assert user is not None
        return user

    def set_language(self, user_id: int, language: str) -> None:
        self.db.execute("UPDATE users SET language = ? WHERE id = ?", (language, user_id))

    def set_name(self, user_id: int, name: str) -> None:
        self.db.execute("UPDATE users SET name = ? WHERE id = ?", (name, user_id))

    # communities: what a user may see is decided by storage/membership.py alone
    def communities(self, user_id: int) -> list[Community]:
        """Every community the user may see: their own and those shared with them."""
        from storage.membership import readable_sql

        rows = self.rows("SELECT id, user_id, name, theme FROM communities WHERE"
                         f" {readable_sql('id')} ORDER BY id", (user_id,))
        return [Community(**row) for row in rows]

    def community(self, user_id: int, community_id: int) -> Community | None:
        """The community, only if this user may read it (owner or member)."""
        from storage.membership import Members

        if not Members(self).may(user_id, community_id, "read"):
            return None
        row = self.one("SELECT id, user_id, name, theme FROM communities WHERE id = ?",
                       (community_id,))
        return Community(**row) if row else None

    def create_community(self, user_id: int, name: str, theme: str | None) -> int:
        from storage.membership import Members

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
        from storage.membership import readable_sql

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

    # updates: exactly-once processing
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
