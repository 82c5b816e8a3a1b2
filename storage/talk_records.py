"""Typed records the talk feature's storage returns: people met, conversations, transcript
turns, files waiting for download and search hits (storage/talk.py reads them)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# Columns of storage/downloads.py that the records leave out.
_DOWNLOAD_BOOKKEEPING = ("download_tries", "download_after")


@dataclass(frozen=True)
class Person:
    """Someone the librarian met (phase 4)."""

    id: int
    user_id: int
    community_id: int | None
    name: str
    role: str | None
    organisation: str | None
    created_at: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Person:
        return cls(**row)


@dataclass(frozen=True)
class Conversation:
    """An open conversation, with the name, role and organisation of the person met."""

    id: int
    user_id: int
    community_id: int | None
    person_id: int | None
    place: str | None
    started_at: datetime
    ended_at: datetime | None
    status: str  # 'open' or 'ended'
    shared_own: bool
    reflection: dict[str, Any]  # the answers of the reflection questions, by key
    summary: str | None
    keywords: tuple[str, ...]
    person_name: str | None
    person_role: str | None
    person_org: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Conversation:
        return cls(
            id=row["id"], user_id=row["user_id"], community_id=row["community_id"],
            person_id=row["person_id"], place=row["place"],
            started_at=datetime.fromisoformat(row["started_at"]),
            ended_at=datetime.fromisoformat(row["ended_at"]) if row["ended_at"] else None,
            status=row["status"], shared_own=bool(row["shared_own"]),
            reflection=json.loads(row["reflection"] or "{}") or {}, summary=row["summary"],
            keywords=tuple(k for k in row["keywords"].split(", ") if k),
            person_name=row["person_name"], person_role=row["person_role"],
            person_org=row["person_org"])


@dataclass(frozen=True)
class TranscriptTurn:
    """One line of a conversation's transcript: a prompt (`who` 'bot'), a note ('librarian':
    the person's words as the librarian noted them, text or media; 'own': what she shared
    herself) or a mark ('mark': 'shared', 'skipped'). `starred`: a quote she marked ⭐."""

    id: int
    conversation_id: int
    user_id: int
    who: str
    question: str | None
    kind: str
    text: str
    file_id: str | None
    file_path: str | None
    download: str | None  # 'pending', 'ok', 'too_big', 'failed', or None without a file
    chat_message_id: int | None
    created_at: str
    media_name: str | None = None  # a document's file name
    duration: int | None = None  # seconds of a voice note, audio or video
    starred: bool = False

    @property
    def own(self) -> bool:
        return self.who == "own"

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> TranscriptTurn:
        fields = {k: v for k, v in row.items() if k not in _DOWNLOAD_BOOKKEEPING}
        return cls(**{**fields, "starred": bool(fields.get("starred"))})


@dataclass(frozen=True)
class PendingDownload:
    """A note or transcript turn whose file still has to be fetched from Telegram."""

    source: str  # 'notes' or 'transcript'
    id: int
    user_id: int
    file_id: str
    kind: str
    tries: int = 0  # failed attempts so far


@dataclass(frozen=True)
class Hit:
    kind: str
    ref_id: int
    snippet: str
    community: str | None
    person: str | None
    created_at: str
    # Who wrote it, when a colleague did (in a shared community); "" for a former colleague.
    author: str | None = None
    community_id: int | None = None
    context: int | None = None  # what it opens: its conversation, goal... (search_sources)
    title: str | None = None  # what it is named by: an activity's kind, a goal, an item...
    text: str = ""  # the whole text indexed
