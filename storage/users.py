"""The librarians' rows in `users`: looked up by id, Telegram id or console name, created,
renamed. A user looked up twice in one transaction is read once (`Connection.memo`)."""

from __future__ import annotations

from storage.db import Connection
from storage.records import User


def find_user(connection: Connection, user_id: int) -> User | None:
    """The librarian with this id, or None."""
    memo = connection.memo()
    if ("id", user_id) not in memo:
        row = connection.one("SELECT * FROM users WHERE id = ?", (user_id,))
        memo[("id", user_id)] = User.from_row(row) if row else None
    found: User | None = memo[("id", user_id)]
    return found


def find_user_by_telegram(connection: Connection, telegram_id: int) -> User | None:
    """The librarian with this Telegram id, or None."""
    memo = connection.memo()
    if ("telegram", telegram_id) not in memo:
        row = connection.one("SELECT * FROM users WHERE telegram_id = ?", (telegram_id,))
        memo[("telegram", telegram_id)] = found = User.from_row(row) if row else None
        if found is not None:
            memo[("id", found.id)] = found
    known: User | None = memo[("telegram", telegram_id)]
    return known


class Users(Connection):
    """Reads and writes of `users`, part of `Store` (repositories use the functions above)."""

    def user(self, user_id: int) -> User | None:
        return find_user(self, user_id)

    def user_by_telegram(self, telegram_id: int) -> User | None:
        return find_user_by_telegram(self, telegram_id)

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
