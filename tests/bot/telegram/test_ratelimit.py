"""The rate limiter keeps Telegram's flood limits per chat (bot/telegram/ratelimit.py)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from telegram.error import RetryAfter

from bot.telegram.ratelimit import ChatRateLimiter


class Telegram:
    """Answers each call at once; a flooded chat gets one 429 with retry_after."""

    def __init__(self, flooded: dict[int, int] | None = None) -> None:
        self.flooded = dict(flooded or {})
        self.sent: list[tuple[int, str, float]] = []  # (chat, text, when)
        self.start = time.monotonic()

    async def call(self, chat: int, text: str) -> bool:
        if self.flooded.get(chat):
            raise RetryAfter(self.flooded.pop(chat))
        self.sent.append((chat, text, time.monotonic() - self.start))
        return True


async def send(limiter: ChatRateLimiter, telegram: Telegram, chat: int, text: str) -> Any:
    return await limiter.process_request(telegram.call, (chat, text), {}, "sendMessage",
                                         {"chat_id": chat, "text": text}, None)


async def test_a_429_for_one_chat_waits_for_that_chat_only_and_keeps_its_order() -> None:
    limiter, telegram = ChatRateLimiter(max_retries=3), Telegram({1: 1})
    anna = [asyncio.create_task(send(limiter, telegram, 1, f"a{n}")) for n in range(5)]
    await asyncio.sleep(0.05)
    await asyncio.gather(*(send(limiter, telegram, 2, f"b{n}") for n in range(5)))
    ben_done = time.monotonic() - telegram.start
    await asyncio.gather(*anna)
    assert ben_done < 0.5  # not held up by Anna's second of waiting
    assert [t for c, t, _ in telegram.sent if c == 1] == [f"a{n}" for n in range(5)]
    assert min(w for c, _, w in telegram.sent if c == 1) >= 1.0  # after her wait


async def test_the_overall_budget_goes_round_the_waiting_chats() -> None:
    limiter, telegram = ChatRateLimiter(overall=30), Telegram()
    busy = [asyncio.create_task(send(limiter, telegram, 1, f"a{n}")) for n in range(90)]
    await asyncio.sleep(0.3)  # the first second's burst is spent; the rest waits its turn
    asked = time.monotonic()
    await send(limiter, telegram, 2, "b")
    waited = time.monotonic() - asked
    await asyncio.gather(*busy)
    # Behind the request in hand, not behind the fifty still waiting in chat 1 (~1.7 s).
    assert waited < 0.5
    assert telegram.sent[-1][2] >= 1.5  # 91 requests at 30 a second, after the burst


async def test_a_group_gets_at_most_twenty_messages_a_minute() -> None:
    clock = [0.0]
    limiter = ChatRateLimiter(clock=lambda: clock[0])
    telegram = Telegram()
    for n in range(20):
        await send(limiter, telegram, -500, f"g{n}")
    late = asyncio.create_task(send(limiter, telegram, -500, "g20"))
    await asyncio.sleep(0.05)
    assert not late.done() and len(telegram.sent) == 20
    late.cancel()
