"""Long polling with an inbox: fetched updates are stored before Telegram is told they
arrived, so a crash between fetching and handling loses nothing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application

from storage.store import Store

log = logging.getLogger("veldgids.polling")

MAX_BACKOFF = 30.0
READ_SLACK = 5  # seconds a long poll may take beyond its own timeout


def _inboxable(update: Update, admitted: Callable[[int], bool] = lambda _id: True) -> bool:
    """Only private-chat updates of admitted users are kept; group and channel traffic and
    strangers' messages (even a `/start CODE`, which is handled but not kept) are never stored."""
    chat = update.effective_chat
    user = update.effective_user
    return (chat is not None and chat.type == "private" and user is not None
            and admitted(user.id))


class Poller:
    def __init__(self, app: Application, store: Store, timeout: int = 20,
                 admitted: Callable[[int], bool] = lambda _id: True) -> None:
        self.app = app
        self.store = store
        self.timeout = timeout
        self.admitted = admitted

    async def replay_inbox(self) -> int:
        """Queue updates that were fetched before a crash but never handled."""
        pending = self.store.inbox()
        for update in self._read(pending, drop=True):
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
            except (NetworkError, TimedOut) as exc:
                log.warning("getUpdates failed (%s); retrying in %.0f s", exc, backoff)
                await _sleep(stop, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = 1.0
            if not raw:
                continue
            updates = self._read(raw)
            # The payload as Telegram sent it: re-encoding the parsed Update costs more.
            payloads = {payload["update_id"]: payload for payload in raw}
            self.store.inbox_add([(u.update_id, payloads[u.update_id]) for u in updates
                                  if _inboxable(u, self.admitted)])
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

    def _read(self, raw: list[dict[str, Any]], drop: bool = False) -> list[Update]:
        """Updates as objects; one that can't be read is logged by id and skipped."""
        updates: list[Update] = []
        for payload in raw:
            try:
                update = Update.de_json(payload, self.app.bot)
            except Exception as exc:  # noqa: BLE001 - any unreadable update, never a crash
                log.warning("update %s could not be read (%s); skipped",
                            payload.get("update_id"), type(exc).__name__)
                if drop and isinstance(payload.get("update_id"), int):
                    self.store.inbox_drop(payload["update_id"])
                continue
            if update is not None:
                updates.append(update)
        return updates


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
