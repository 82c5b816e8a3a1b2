"""Telegram's flood limits, kept per chat, so one chat's 429 holds up that chat only.

python-telegram-bot's AIORateLimiter halts *every* request while any one waits out a
RetryAfter; Telegram's flood control is per chat, so a librarian forwarding sixty messages
held every colleague's replies up for the length of her wait. `ChatRateLimiter` instead:

- waits out a 429 for the chat it came for (its later requests queue behind it, in order);
  a 429 for a call without a chat waits for that call only;
- shares Telegram's overall budget (30 requests a second, short bursts allowed) first come,
  first served, while each chat has at most one request in that line: so the budget goes
  round the chats that are waiting, and a chat with sixty messages can't crowd out one
  with a single reply;
- keeps a group or channel to Telegram's 20 messages a minute, in that chat's own line.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger("veldgids.ratelimit")

OVERALL = 30.0  # requests a second, Telegram's limit for one bot
BURST = 1.0  # seconds of budget that may be spent at once
GROUP_PER_MINUTE = 20
SLACK = 0.1  # added to every retry_after, as Telegram counts whole seconds
MAX_IDLE = 1000  # idle chats kept for their group minute, at most

Result = bool | dict[str, Any] | list[dict[str, Any]]


class Budget:
    """The shared budget: a request may go when the line before it has gone (a
    generic-cell-rate algorithm: each reservation is a slot, taken in call order)."""

    def __init__(self, rate: float = OVERALL, burst: float = BURST,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = 1.0 / rate
        self.tolerance = max(burst - self.interval, 0.0)
        self.clock = clock
        self.free_at = 0.0  # when the next slot is free

    async def take(self) -> None:
        now = self.clock()
        slot = max(self.free_at, now)
        self.free_at = slot + self.interval
        wait = slot - self.tolerance - now
        if wait > 0:
            await asyncio.sleep(wait)


@dataclass
class Chat:
    """One chat's line: its requests go one at a time, in order."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0  # requests holding or waiting for the lock
    until: float = 0.0  # Telegram asked this chat to wait until then
    sent: deque[float] = field(default_factory=deque)  # a group's messages, last minute


def group_chat(chat_id: object) -> bool:
    """Groups, supergroups and channels have negative ids (or an @username)."""
    return isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0)


class ChatRateLimiter(BaseRateLimiter[int]):
    def __init__(self, max_retries: int = 0, overall: float = OVERALL,
                 group_per_minute: int = GROUP_PER_MINUTE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_retries = max_retries
        self.budget = Budget(overall, clock=clock)
        self.group_per_minute = group_per_minute
        self.clock = clock
        self.chats: dict[object, Chat] = {}

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        retries = rate_limit_args or self.max_retries
        if data.get("chat_id") is None:
            return await self._attempts(None, callback, args, kwargs, endpoint, retries)
        key = _chat_key(data["chat_id"])
        chat = self.chats.setdefault(key, Chat())
        chat.users += 1
        try:
            async with chat.lock:
                return await self._attempts(chat, callback, args, kwargs, endpoint, retries,
                                            group=group_chat(key))
        finally:
            chat.users -= 1
            now = self.clock()
            while chat.sent and chat.sent[0] <= now - 60:
                chat.sent.popleft()
            if chat.users == 0 and chat.until <= now and (
                    not chat.sent or len(self.chats) > MAX_IDLE):
                self.chats.pop(key, None)  # forgets a group's last minute only when many

    async def _attempts(self, chat: Chat | None,
                        callback: Callable[..., Coroutine[Any, Any, Result]], args: Any,
                        kwargs: dict[str, Any], endpoint: str, retries: int, *,
                        group: bool = False) -> Result:
        attempt = 0
        while True:
            if chat is not None:
                await self._chat_turn(chat, group)
            await self.budget.take()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt >= retries:
                    raise
                attempt += 1
                wait = _seconds(exc) + SLACK
                log.info("%s: Telegram asks to wait %.1f s (%s)", endpoint, wait,
                         "that chat only" if chat is not None else "that call only")
                if chat is not None:
                    chat.until = max(chat.until, self.clock() + wait)
                else:
                    await asyncio.sleep(wait)

    async def _chat_turn(self, chat: Chat, group: bool) -> None:
        """Wait out this chat's retry_after, and a group's 20 messages a minute."""
        while True:
            now = self.clock()
            wait = chat.until - now
            if group:
                while chat.sent and chat.sent[0] <= now - 60:
                    chat.sent.popleft()
                if len(chat.sent) >= self.group_per_minute:
                    wait = max(wait, chat.sent[0] + 60 - now)
            if wait <= 0:
                break
            await asyncio.sleep(wait)
        if group:
            chat.sent.append(self.clock())


def _chat_key(chat_id: object) -> object:
    """A chat id as python-telegram-bot may pass it (int or str) the same either way."""
    try:
        return int(chat_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return chat_id  # "@channelname"


def _seconds(exc: RetryAfter) -> float:
    # The timedelta python-telegram-bot keeps (its public attribute warns of a type change).
    value = getattr(exc, "_retry_after", None)
    total = getattr(value, "total_seconds", None)
    if callable(total):
        return float(total())
    return float(value) if isinstance(value, int | float) else 1.0
