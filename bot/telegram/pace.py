"""Telegram's overall pace, shared: replies to librarians first, the weekly batch after.

Telegram takes about 30 messages a second from a bot. python-telegram-bot's rate limiter
queues every call in one line, so a thousand weekly reminders sent as fast as it allows would
put each reply to a librarian behind them. Replies take what they need; a message sent with
`bulk()` set waits until fewer than `total` messages went out in the last second, and takes at
most `ceiling` a second of them.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections import deque
from collections.abc import Awaitable, Callable

BULK: contextvars.ContextVar[bool] = contextvars.ContextVar("veldgids_bulk", default=False)
TOTAL = 24  # under Telegram's 30 a second by a fifth, so a burst of replies finds room
CEILING = 20  # the weekly batch's most, even when nobody else writes
WINDOW = 1.0


class Share:
    def __init__(self, total: int = TOTAL, ceiling: int = CEILING,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.total, self.ceiling = total, ceiling
        self.clock, self.sleep = clock, sleep
        self.sent: deque[tuple[float, bool]] = deque()  # (when, bulk) in the last WINDOW

    def note(self) -> None:
        """A reply goes out now (it does not wait here)."""
        self._trim()
        self.sent.append((self.clock(), False))

    async def bulk_turn(self) -> None:
        """Wait until a weekly message fits in what replies left over."""
        while True:
            self._trim()
            bulk = sum(1 for _, b in self.sent if b)
            if len(self.sent) < self.total and bulk < self.ceiling:
                self.sent.append((self.clock(), True))
                return
            await self.sleep(WINDOW / self.total)

    async def before(self, bulk: bool) -> None:
        if bulk:
            await self.bulk_turn()
        else:
            self.note()

    def _trim(self) -> None:
        edge = self.clock() - WINDOW
        while self.sent and self.sent[0][0] <= edge:
            self.sent.popleft()
