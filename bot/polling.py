"""Long polling with an inbox: fetched updates are stored before Telegram is told they
arrived, so a crash between fetching and handling loses nothing."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application

from storage.store import Store

log = logging.getLogger("veldgids.polling")

MAX_BACKOFF = 30.0


def _inboxable(update: Update) -> bool:
    """Only private-chat updates are kept; group and channel traffic is never stored."""
    chat = update.effective_chat
    return chat is not None and chat.type == "private"


class Poller:
    def __init__(self, app: Application, store: Store, timeout: int = 20) -> None:
        self.app = app
        self.store = store
        self.timeout = timeout
        self.polls = 0

    async def replay_inbox(self) -> int:
        """Queue updates that were fetched before a crash but never handled."""
        pending = self.store.inbox()
        for payload in pending:
            update = Update.de_json(payload, self.app.bot)
            if update is not None:
                await self.app.update_queue.put(update)
        if pending:
            log.info("replaying %d update(s) from the inbox", len(pending))
        return len(pending)

    async def run(self, stop: asyncio.Event) -> None:
        await self.replay_inbox()
        last = self.store.last_update_id()
        offset = last + 1 if last is not None else None
        backoff = 1.0
        while not stop.is_set():
            try:
                self.polls += 1
                updates = await self.app.bot.get_updates(
                    offset=offset, timeout=self.timeout, allowed_updates=Update.ALL_TYPES)
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
            except (NetworkError, TimedOut) as exc:
                log.warning("getUpdates failed (%s); retrying in %.0f s", exc, backoff)
                await _sleep(stop, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = 1.0
            if not updates:
                continue
            self.store.inbox_add([(u.update_id, u.to_dict()) for u in updates if _inboxable(u)])
            offset = updates[-1].update_id + 1
            for update in updates:
                await self.app.update_queue.put(update)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
