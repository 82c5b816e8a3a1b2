"""The HTTP transport every Bot API call goes through: python-telegram-bot's HTTPXRequest
with a small pool and the queue in asyncio. The benchmark's echo bot and peer use it too,
so they are measured with the settings Veldgids runs with (docs/benchmarks.md)."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.request import HTTPXRequest

POOL = 8  # connections to the Bot API (see QueuedRequest)
POOL_WAIT = 30.0  # seconds a request may wait for one


class QueuedRequest(HTTPXRequest):
    """python-telegram-bot's own 5 s timeouts, but a pool of POOL connections instead of
    256: httpcore checks every open connection for each request, which took a seventh of the
    bot's CPU under load (bench/profile.py), and Telegram's 30 messages a second at about
    0.1 s each keep a few busy. A request waits up to POOL_WAIT s for one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("connection_pool_size", POOL)
        kwargs.setdefault("pool_timeout", POOL_WAIT)
        super().__init__(**kwargs)
        # Requests beyond the pool wait here, in asyncio's queue, rather than in httpcore's,
        # which re-scans every waiting request whenever a connection frees up.
        self.slots = asyncio.Semaphore(kwargs["connection_pool_size"])

    async def do_request(self, url: str, method: str, *args: Any,
                         **kwargs: Any) -> tuple[int, bytes]:
        async with self.slots:
            return await super().do_request(url, method, *args, **kwargs)
