"""Engine inputs: the stored dialog state, the read-only context, and events."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from dialogs.model import Lang


class DialogState(BaseModel):
    dialog: str
    step: str
    data: dict[str, Any] = {}


class Choice(BaseModel):
    """A button built from stored data (a community, a person met before...)."""

    id: str = Field(max_length=24)
    label: str


class Context(BaseModel):
    """What the engine may know about the world; built by the application layer per event."""

    lang: Lang = "nl"
    rev: int = 0
    facts: dict[str, bool] = {}
    values: dict[str, str] = {}
    ticks: dict[str, set[str]] = {}
    choices: dict[str, list[Choice]] = {}


class Begin(BaseModel):
    dialog: str
    data: dict[str, Any] = {}
    step: str | None = None  # resume at this step instead of the dialog's start


class Say(BaseModel):
    text: str


class Press(BaseModel):
    data: str


class Other(BaseModel):
    """Input the step cannot use as text: a sticker, a location, a photo..."""

    kind: str


Event = Begin | Say | Press | Other
