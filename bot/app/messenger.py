"""What features send unasked (reminders, news of colleagues, transcripts, notices to admins):
the messenger the bot's jobs are given, and how a send can go.

The Telegram implementation is bot/telegram/messenger.py; tests bring their own. A feature
tells outcomes apart by `Delivery`, or by the exceptions below, never by Telegram's errors.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Protocol

from dialogs.replies import Button, Reply


class Delivery(StrEnum):
    SENT = "sent"  # the (first) text arrived
    RETRY = "retry"  # nothing arrived: network trouble or flood control
    BLOCKED = "blocked"  # the user blocked the bot
    FAILED = "failed"  # Telegram refused for another reason


# Sends replies to a chat at the pace replies to librarians leave over; says how it went.
Sender = Callable[[int, list[Reply]], Awaitable[Delivery]]


class Undelivered(Exception):
    """A message did not arrive (the messenger refused it or could not be reached)."""


class Blocked(Undelivered):
    """The person blocked the bot: sending again will not help."""


class Refused(Undelivered):
    """The messenger refused the message itself (a chat or message gone): not again either."""


class Messenger(Protocol):
    async def send(self, chat_id: int, replies: list[Reply]) -> Delivery:
        """Replies nobody is waiting for, at the pace replies to librarians leave over."""
        ...

    async def send_message(self, chat_id: int, text: str) -> None:
        """A plain notice; raises `Undelivered`."""
        ...

    async def answer_quietly(self, chat_id: int, text: str, reply_to: int,
                             buttons: list[list[Button]]) -> list[int]:
        """A silent answer to message `reply_to` (sent without it when it is gone), split
        where the messenger needs, `buttons` under the last part; the ids of the messages
        sent. Raises `Blocked` or `Refused` when trying again will not help, `Undelivered`
        (or anything else) when it may."""
        ...
