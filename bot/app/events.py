"""What flows through the service: who sent an event, the event, and what goes back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from dialogs.replies import Reply, joined
from dialogs.state import DialogState
from storage.store import User


@dataclass(frozen=True)
class Who:
    """The person behind an event, as the front end knows them."""

    telegram_id: int | None = None
    console_name: str | None = None
    name: str = ""
    language_code: str | None = None


@dataclass(frozen=True)
class Media:
    """A photo, voice note, audio, video or document the user sent (Telegram file id)."""

    kind: str
    file_id: str
    file_name: str | None = None
    caption: str = ""
    duration: int | None = None  # seconds, for voice notes, audio and video


@dataclass
class Incoming:
    kind: Literal["command", "text", "press", "other", "edit"]
    text: str = ""
    command: str = ""
    args: str = ""
    data: str = ""
    other: str = ""
    media: Media | None = None
    message_id: int | None = None
    update_id: int | None = None
    reply_to: int | None = None  # the message this one replies to, if any


@dataclass
class Outcome:
    replies: list[Reply] = field(default_factory=list)
    notice: str | None = None
    duplicate: bool = False
    user_id: int | None = None
    ack: bool = False  # acknowledge quietly (a reaction on the user's message), no text
    forgotten: bool = False  # the user was erased (/forget): nothing of theirs is written after

    def above(self, *texts: str) -> Outcome:
        """Put these lines above the replies, in the same message where it fits (a greeting
        above the menu, a reason above the question asked again)."""
        leads = [Reply(text=text, lead=True) for text in texts if text]
        self.replies = joined(leads + self.replies)
        return self


@dataclass(frozen=True)
class Defaults:
    """Settings the service needs, without depending on the settings object itself."""

    language: str = "nl"
    timezone: str = "Europe/Amsterdam"
    data_dir: Path = Path("data")
    admins: tuple[int, ...] = ()
    reminder_tick: float = 30.0  # seconds between two runs of the weekly-reminder tick
    transcribe: bool = True  # voice notes become text (bot/features/voice/)
    whisper_model: str = ""  # empty: the packaged base model
    max_download_mb: int = 20  # files over this are not fetched (bot/telegram/media.py)


@dataclass
class Turn:
    """One incoming event for a known user, with their dialog state as loaded."""

    user: User
    state: DialogState | None
    rev: int
    event: Incoming


CommandFn = Callable[[Turn], Outcome]
# An effect handler may return extra replies (e.g. a summary) to send after the engine's.
# It is given the event too, for what it needs of it (the message id of a note, say).
EffectFn = Callable[[User, dict[str, Any], Turn], "list[Reply] | None"]
IdleFn = Callable[[Turn], Outcome]
# Buttons outside the dialogs carry "<prefix>:<payload>"; the handler gets the payload.
PressFn = Callable[[Turn, str], Outcome]
# Runs before a user is loaded or created; an Outcome answers the event and stores nothing.
GateFn = Callable[[Who, Incoming], Outcome | None]
