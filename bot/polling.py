"""Long polling with an inbox: fetched updates are stored before Telegram is told they
arrived, so a crash between fetching and handling loses nothing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable
from typing import Any

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

from bot.resilience import StorageGuard
from storage.faults import trouble
from storage.store import Store

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


def _inboxable(update: Update, admitted: Callable[[int], bool] = lambda _id: True) -> bool:
    """Only private-chat updates of admitted users are kept; group and channel traffic and
    strangers' messages (even a `/start CODE`, which is handled but not kept) are never stored."""
    chat = update.effective_chat
    user = update.effective_user
    return (chat is not None and chat.type == "private" and user is not None
            and admitted(user.id))


class Poller:
    def __init__(self, app: Application, store: Store, timeout: int = 20,
                 admitted: Callable[[int], bool] = lambda _id: True,
                 guard: StorageGuard | None = None) -> None:
        self.app = app
        self.store = store
        self.timeout = timeout
        self.admitted = admitted
        self.guard = guard

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
            updates = self._read(raw)
            if not await self._store(updates, raw):
                # Not acknowledged: Telegram offers the same updates again at the next poll.
                await _sleep(stop, store_backoff)
                store_backoff = min(store_backoff * 2, MAX_STORE_BACKOFF)
                continue
            store_backoff = 1.0
            offset = raw[-1]["update_id"] + 1
            for update in updates:
                await self.app.update_queue.put(update)

    async def _store(self, updates: list[Update], raw: list[dict[str, Any]]) -> bool:
        """Keep the updates in the inbox; False when the database is locked or the disk is
        full (librarians are told on a full disk, once per episode)."""
        # The payload as Telegram sent it: re-encoding the parsed Update costs more.
        payloads = {payload["update_id"]: payload for payload in raw}
        kept = [u for u in updates if _inboxable(u, self.admitted)]
        try:
            self.store.inbox_add([(u.update_id, payloads[u.update_id]) for u in kept])
        except sqlite3.OperationalError as exc:
            kind = trouble(exc)
            if kind is None or self.guard is None:
                raise
            await self.guard.failed(kind)
            for update in kept:
                user = update.effective_user
                if user is not None:
                    await self.guard.tell(user.id, user.language_code)
            return False
        if kept and self.guard is not None and self.guard.episode is not None:
            await self.guard.recovered(stored_updates=True)
        return True

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
