"""What the engine says back: plain models that each front end renders its own way."""

from __future__ import annotations

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

    def button_rows(self) -> list[list[Button]]:
        return self.buttons


class Effect(BaseModel):
    """Something the application layer must record, in the same transaction as the new state."""

    name: str
    data: dict[str, Any] = {}
    # The engine's replies already show the effect's result, so nothing needs rendering again.
    shown: bool = False
