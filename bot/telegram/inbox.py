"""The inbox both ways of receiving share: an update is stored before Telegram is told it
arrived (the next getUpdates offset, or a webhook's 200), so a crash loses nothing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from telegram import Update, User
from telegram.error import TelegramError
from telegram.ext import Application

from bot.telegram.resilience import language
from storage.delivery import DeliveryLog
from storage.faults import trouble
from storage.store import Store

if TYPE_CHECKING:
    from bot.telegram.resilience import StorageGuard

log = logging.getLogger("veldgids.polling")


def _inboxable(update: Update, admitted: Callable[[int], bool] = lambda _id: True) -> bool:
    """Only private-chat updates of admitted users are kept; group and channel traffic and
    strangers' messages (even a `/start CODE`, which is handled but not kept) are never stored."""
    chat = update.effective_chat
    user = update.effective_user
    return (chat is not None and chat.type == "private" and user is not None
            and admitted(user.id))


class Inbox:
    def __init__(self, app: Application, store: Store,
                 admitted: Callable[[int], bool] = lambda _id: True,
                 guard: StorageGuard | None = None) -> None:
        self.app = app
        self.store = store
        self.admitted = admitted
        self.guard = guard
        self.telling: set[asyncio.Task[None]] = set()  # notices of set-aside updates

    async def replay(self) -> int:
        """Queue updates that were fetched before a crash but never handled."""
        pending = self.store.inbox()
        for update in self.read(pending, drop=True):
            await self.app.update_queue.put(update)
        if pending:
            log.info("replaying %d update(s) from the inbox", len(pending))
        return len(pending)

    async def keep(self, raw: list[dict[str, Any]]) -> list[Update] | None:
        """Store what arrived (the payload as Telegram sent it: re-encoding the parsed Update
        costs more); returns the updates to handle, in order. None when the database is
        locked or the disk is full: then nothing may be acknowledged, and librarians are told
        on a full disk (once per episode, bot/telegram/resilience.py)."""
        groups = getattr(self.app, "groups", None)
        if groups is not None:  # groups and channels: dropped before any work
            raw = [payload for payload in raw if not groups.drop(payload)]
        updates = self.read(raw)
        payloads = {payload["update_id"]: payload for payload in raw}
        kept = [u for u in updates if _inboxable(u, self.admitted)]
        aside: set[int] = set()
        try:
            try:
                self.store.inbox_add([(u.update_id, payloads[u.update_id]) for u in kept])
            except sqlite3.OperationalError:
                raise
            except Exception:  # noqa: BLE001 - one bad update: find it, the others go on
                aside = await self._one_by_one(kept, payloads)
        except sqlite3.OperationalError as exc:
            kind = trouble(exc)
            if kind is None or self.guard is None:
                raise
            await self.guard.failed(kind)
            for update in kept:
                user = update.effective_user
                if user is not None:
                    await self.guard.tell(user.id, user.language_code)
            return None
        if kept and self.guard is not None and self.guard.episode is not None:
            await self.guard.recovered(stored_updates=True)
        return [u for u in updates if u.update_id not in aside]

    async def _one_by_one(self, kept: list[Update],
                          payloads: dict[int, dict[str, Any]]) -> set[int]:
        """Store each update alone; one that can't be stored (a text that is no valid
        Unicode, an id beyond SQLite's integers) is set aside, not handled, and acknowledged
        with the rest, so it can't stop the bot at every start. Returns their ids."""
        aside: set[int] = set()
        for update in kept:
            payload = payloads[update.update_id]
            try:
                self.store.inbox_add([(update.update_id, payload)])
            except sqlite3.OperationalError:
                raise  # the database's trouble, not this update's: waited out by the caller
            except Exception as exc:  # noqa: BLE001 - whatever this update makes fail
                aside.add(update.update_id)
                await self._set_aside(update, payload, type(exc).__name__)
        return aside

    async def _set_aside(self, update: Update, payload: dict[str, Any], error: str) -> None:
        user = update.effective_user
        kept = False
        try:
            kept = DeliveryLog(self.store).set_aside(update.update_id,
                                                     user.id if user else None, payload, error)
        except sqlite3.OperationalError:
            raise
        except Exception:  # noqa: BLE001 - e.g. an id SQLite can't hold: logged below
            kept = False
        log.warning("update %s could not be stored (%s); set aside%s", update.update_id,
                    error, " in failed_updates" if kept else ", not kept")
        if self.guard is not None:  # told beside polling, which a slow chat must not hold up
            task = asyncio.create_task(self._tell(self.guard, user))
            self.telling.add(task)
            task.add_done_callback(self.telling.discard)

    async def _tell(self, guard: StorageGuard, user: User | None) -> None:
        """The admins, once; the sender (only admitted users' private chats get here)."""
        await guard.set_aside()
        if user is not None:
            lang = language(guard.service, user.id, user.language_code)
            with contextlib.suppress(TelegramError):
                await self.app.bot.send_message(
                    user.id, guard.service.catalog.text("error_try_again", lang))

    def read(self, raw: list[dict[str, Any]], drop: bool = False) -> list[Update]:
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
