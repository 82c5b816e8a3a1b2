"""Long polling with an inbox: fetched updates are stored before Telegram is told they
arrived, so a crash between fetching and handling loses nothing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.error import (
    Conflict,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application

from bot.telegram.inbox import Inbox
from storage.store import Store

if TYPE_CHECKING:
    from bot.telegram.resilience import StorageGuard

log = logging.getLogger("veldgids.polling")

MAX_BACKOFF = 30.0
MAX_STORE_BACKOFF = 10.0  # a full disk or locked database: ask Telegram again this often
READ_SLACK = 5  # seconds a long poll may take beyond its own timeout
# What python-telegram-bot raises for an answer that is not JSON (a truncated body, an HTML
# error page from a proxy): a temporary fault like a network error, not the end of the bot.
INVALID_RESPONSE = "Invalid server response"


def temporary(exc: TelegramError) -> bool:
    """A Bot API failure worth waiting out and trying again."""
    return isinstance(exc, NetworkError | TimedOut) or str(exc) == INVALID_RESPONSE


class Poller:
    def __init__(self, app: Application, store: Store, timeout: int = 20,
                 admitted: Callable[[int], bool] = lambda _id: True,
                 guard: StorageGuard | None = None) -> None:
        self.app = app
        self.store = store
        self.timeout = timeout
        self.admitted = admitted
        self.inbox = Inbox(app, store, admitted, guard)

    async def replay_inbox(self) -> int:
        """Queue updates that were fetched before a crash but never handled."""
        return await self.inbox.replay()

    async def run(self, stop: asyncio.Event) -> None:
        await self.replay_inbox()
        last = self.store.last_update_id()
        offset = last + 1 if last is not None else None
        backoff = store_backoff = 1.0
        while not stop.is_set():
            try:
                raw = await self._fetch(offset)
            except InvalidToken:
                raise
            except RetryAfter as exc:
                delay = float(exc.retry_after if isinstance(exc.retry_after, int | float)
                              else exc.retry_after.total_seconds())
                log.warning("getUpdates rate limited; waiting %.0f s", delay)
                await _sleep(stop, delay)
                continue
            except Conflict as exc:
                log.warning("another instance is polling (%s); retrying", exc)
                await _sleep(stop, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            except TelegramError as exc:
                if not temporary(exc):
                    raise
                # The exception's class only: its text could quote what came back.
                log.warning("getUpdates failed (%s); retrying in %.0f s", type(exc).__name__,
                            backoff)
                await _sleep(stop, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = 1.0
            if not raw:
                continue
            updates = await self.inbox.keep(raw)
            if updates is None:
                # Not acknowledged: Telegram offers the same updates again at the next poll.
                await _sleep(stop, store_backoff)
                store_backoff = min(store_backoff * 2, MAX_STORE_BACKOFF)
                continue
            store_backoff = 1.0
            offset = raw[-1]["update_id"] + 1
            for update in updates:
                await self.app.update_queue.put(update)

    async def _fetch(self, offset: int | None) -> list[dict[str, Any]]:
        """getUpdates as raw JSON: python-telegram-bot's `get_updates` fails the whole batch
        (and logs its contents) when one update can't be read; here that one is skipped."""
        result = await self.app.bot._post(  # noqa: SLF001 - the raw list, see above
            "getUpdates",
            {"offset": offset, "timeout": self.timeout,
             "allowed_updates": list(Update.ALL_TYPES)},
            read_timeout=self.timeout + READ_SLACK)
        return [u for u in result or [] if isinstance(u, dict)
                and isinstance(u.get("update_id"), int)]


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
