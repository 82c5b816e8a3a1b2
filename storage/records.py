"""The plain records `Store` returns: a librarian, a community, a note, a saved dialog state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class User:
    id: int
    telegram_id: int | None
    console_name: str | None
    name: str
    language: str
    timezone: str
    active_community: int | None
    is_admin: bool
    status: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> User:
        """A user from a `users` row (`SELECT *`)."""
        return cls(
            id=row["id"], telegram_id=row["telegram_id"], console_name=row["console_name"],
            name=row["name"], language=row["language"], timezone=row["timezone"],
            active_community=row["active_community"], is_admin=bool(row["is_admin"]),
            status=row["status"],
        )


@dataclass(frozen=True)
class Community:
    id: int
    user_id: int
    name: str
    theme: str | None


@dataclass(frozen=True)
class Note:
    """A field note: typed text, or a media file with its caption."""

    id: int
    user_id: int
    community_id: int | None
    text: str
    tags: str  # space-separated, without '#'
    chat_message_id: int | None
    created_at: str
    kind: str  # 'text', or the media kind ('photo', 'voice', ...)
    file_id: str | None
    file_path: str | None
    download: str | None  # 'pending', 'ok', 'too_big', 'failed', or None without a file
    media_name: str | None = None  # a document's file name
    duration: int | None = None  # seconds of a voice note, audio or video


NOTE_FIELDS = frozenset(Note.__dataclass_fields__)


@dataclass(frozen=True)
class SavedState:
    dialog: str | None
    step: str | None
    data: dict[str, Any]
    rev: int
