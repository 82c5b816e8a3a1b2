"""What the engine says back: plain models that each front end renders its own way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class Button(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    data: str


class Attachment(BaseModel):
    kind: Literal["photo", "document"]
    filename: str
    content: bytes
    caption: str = ""


class Reply(BaseModel):
    """One message. `edit` asks the front end to replace the message whose button was pressed."""

    text: str
    buttons: list[list[Button]] = []
    edit: bool = False
    attachments: list[Attachment] = []
    html: bool = False
    # A message step's text: it belongs above the next reply and may be sent with it.
    lead: bool = False
    # Heavy work (a Word export, a chart): a function making the final reply, which the
    # front end calls off the event loop, after the event was recorded. Its result
    # replaces this reply.
    later: Callable[[], Reply] | None = None


class Effect(BaseModel):
    """Something the application layer must record, in the same transaction as the new state."""

    name: str
    data: dict[str, Any] = {}
    # The engine's replies already show the effect's result, so nothing needs rendering again.
    shown: bool = False


MAX_TEXT = 4096  # Telegram's limit for the text of one message
MAX_LABEL = 64  # characters of a button's label the front ends send


def shorten(text: str, limit: int) -> str:
    """One line of at most `limit` characters, cut at a word with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit - 1].rsplit(" ", 1)[0] if " " in flat[:limit - 1] else flat[:limit - 1]
    return cut.rstrip(" ,;:") + "…"


def label(text: str, limit: int = MAX_LABEL, *, tail: str = "") -> str:
    """A button's label built from data: at most `limit` characters, cut at a word with "…"
    (never mid-word, as a plain slice would); `tail` (a mark, a count) always stays whole."""
    if not tail:
        return shorten(text, limit)
    return f"{shorten(text, max(1, limit - len(tail) - 1))} {tail}"


def joined(replies: list[Reply]) -> list[Reply]:
    """Each lead's text above the reply after it, as one message where that fits: one
    notification in the field instead of two, and one Bot API call less."""
    out: list[Reply] = []
    for reply in replies:
        before = out[-1] if out else None
        text = f"{before.text}\n\n{reply.text}" if before and reply.text else ""
        if (before is not None and before.lead and not before.buttons
                and not before.attachments and not reply.attachments and reply.later is None
                and before.html == reply.html and text and len(text) <= MAX_TEXT):
            out[-1] = reply.model_copy(update={"text": text, "edit": before.edit or reply.edit})
        else:
            out.append(reply)
    return out


def resolved(reply: Reply) -> Reply:
    """The reply as it is sent: itself, or what its `later` makes (heavy: call it off the
    event loop)."""
    if reply.later is None:
        return reply
    made = reply.later()
    # Shown in place of the pressed message when the reply said so (a page built later).
    return made.model_copy(update={"edit": True}) if reply.edit else made
