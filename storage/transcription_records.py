"""Typed records the transcription queue returns: a claimed job, a finished one the chat has
not been shown, and how a note's text came from speech (storage/transcriptions.py reads
them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    """A claimed transcription: which file, in which language, with which words to expect."""

    id: int
    user_id: int
    source: str
    ref_id: int
    language: str
    prompt: str
    attempts: int
    file_path: str | None


@dataclass(frozen=True)
class Finished:
    """A finished job the chat has not been shown yet."""

    id: int
    user_id: int
    telegram_id: int | None
    language: str
    source: str
    ref_id: int
    status: str  # 'done', 'empty' or 'failed'
    text: str | None
    notify: bool
    message_id: int | None  # the voice message in the chat
    conversation_id: int | None  # for a transcript turn
    answer_for: str | None  # "dialog/step" of the question it was sent at


@dataclass(frozen=True)
class Spoken:
    """A note whose text came from speech: automatic until the librarian corrects it."""

    status: str
    corrected: bool

    @property
    def automatic(self) -> bool:
        return self.status == "done" and not self.corrected

    @property
    def label(self) -> str:
        """As exports give it: automatic, corrected, no_speech, failed or waiting."""
        if self.status == "done":
            return "corrected" if self.corrected else "automatic"
        return {"empty": "no_speech", "failed": "failed"}.get(self.status, "waiting")
