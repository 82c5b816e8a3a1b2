"""Waiting out a database that another process has locked, or a full disk.

Both are temporary and lose nothing: a failed transaction was rolled back, an update that
was stored waits in the inbox, and one that could not be stored stays unacknowledged at
Telegram (the poller asks for it again). `StorageGuard.run` repeats a storage step with
growing pauses that keep the event loop free, until it succeeds or the bot stops.

One stretch of trouble is an *episode*: it is logged once when it begins and once when it
ends. On a full disk each librarian who writes is told once per episode that nothing could
be saved and nothing is lost, and the admins are told when it begins and when it is over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from telegram.error import TelegramError

from bot.app.host import Host
from storage.access import AccessRepo
from storage.faults import Trouble, trouble

if TYPE_CHECKING:
    from bot.app.service import Service

log = logging.getLogger("veldgids.storage")

T = TypeVar("T")
# Pauses between attempts, in seconds; the last one repeats.
WAITS: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0, 5.0)


class Stopping(Exception):
    """The bot stops while the database is unavailable: what was in hand stays stored (or
    at Telegram) and is handled after the next start."""


@dataclass
class Episode:
    kind: Trouble
    since: float  # time.monotonic()
    told: set[int] = field(default_factory=set)  # chats told about it


class StorageGuard:
    """Runs storage steps, waiting out trouble; knows the current episode."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.bot: Any = None  # the Telegram bot, once there is one: chats and admins are told
        self.episode: Episode | None = None
        self.episodes = 0  # how many have begun
        self.stopping = asyncio.Event()
        self.told_set_aside = False  # the admins heard that an update was set aside

    async def run(self, work: Callable[[], T], *, telegram_id: int | None = None,
                  language_code: str | None = None) -> T:
        """`work()` (one transaction), repeated while the database is locked or the disk
        full; the chat of `telegram_id` is told once per full-disk episode."""
        waited = 0
        while True:
            try:
                result = work()
            except sqlite3.OperationalError as exc:
                kind = trouble(exc)
                if kind is None:
                    raise
                await self.failed(kind)
                if telegram_id is not None:
                    await self.tell(telegram_id, language_code)
                if self.stopping.is_set():
                    raise Stopping from None
                await self._pause(WAITS[min(waited, len(WAITS) - 1)])
                waited += 1
                continue
            if waited:
                await self.recovered()
            return result

    async def failed(self, kind: Trouble) -> None:
        """A storage step met `kind`: begins an episode unless one of that kind is on."""
        if self.episode is not None and self.episode.kind == kind:
            return
        self.episode = Episode(kind, time.monotonic())
        self.episodes += 1
        if kind == "locked":
            log.warning("the database is locked by another process; waiting for it (nothing"
                        " is lost: what arrived stays in the inbox or at Telegram)")
            return
        log.warning("the disk is full: the database cannot grow; waiting for space (nothing"
                    " is lost: new updates stay at Telegram, librarians who write are told)")
        await notify_admins(self.bot, self.service, "storage_full_admin",
                            db=str(self.service.store.path))

    async def recovered(self, *, stored_updates: bool = False) -> None:
        """A storage step that had failed succeeded: the episode is over. On a full disk a
        small write can still fit in a page that has room, so only the poller storing the
        updates it had to refuse (`stored_updates`) ends that kind."""
        episode = self.episode
        if episode is None or (episode.kind == "full" and not stored_updates):
            return
        self.episode = None
        log.info("the database can be written again (after %.0f s)",
                 time.monotonic() - episode.since)
        if episode.kind == "full":
            await notify_admins(self.bot, self.service, "storage_full_over_admin")

    async def set_aside(self) -> None:
        """An update could not be stored or handled and was set aside: the admins hear of
        it once (the log names each one)."""
        if self.told_set_aside:
            return
        self.told_set_aside = True
        await notify_admins(self.bot, self.service, "update_set_aside_admin")

    async def tell(self, telegram_id: int, language_code: str | None) -> None:
        """On a full disk, once per chat per episode: nothing saved, nothing lost."""
        episode = self.episode
        if (episode is None or episode.kind != "full" or telegram_id in episode.told
                or self.bot is None):
            return
        episode.told.add(telegram_id)
        text = self.service.catalog.text("storage_full_user",
                                         language(self.service, telegram_id, language_code))
        try:
            await self.bot.send_message(telegram_id, text)
        except TelegramError as exc:
            log.warning("could not tell a librarian that nothing could be saved: %s",
                        type(exc).__name__)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), timeout=seconds)


def language(service: Service, telegram_id: int, language_code: str | None) -> str:
    """The language to write to a Telegram user in: theirs if known, else Telegram's."""
    try:
        user = service.store.user_by_telegram(telegram_id)
    except sqlite3.Error:
        user = None
    if user is not None:
        return user.language
    code = (language_code or "")[:2].lower()
    return code if code in ("nl", "en") else service.defaults.language


def admin_chats(service: Host) -> dict[int, str]:
    """Every admin's Telegram id, with their language: from the settings and the database."""
    chats = {tid: service.defaults.language for tid in service.defaults.admins}
    try:
        users = AccessRepo(service.store).users()
    except sqlite3.Error:  # unreadable now: the settings' admins still hear of it
        return chats
    for user in users:
        if user.telegram_id is None or user.status != "active":
            continue
        if user.is_admin or user.telegram_id in chats:
            chats[user.telegram_id] = user.language
    return chats


async def notify_admins(bot: Any, service: Host, key: str, **params: object) -> int:
    """Send text `key` to every admin; returns how many got it."""
    if bot is None:
        return 0
    sent = 0
    for chat, lang in admin_chats(service).items():
        try:
            await bot.send_message(chat, service.catalog.text(key, lang, **params))
        except TelegramError as exc:
            log.warning("could not tell an admin (%s)", type(exc).__name__)
            continue
        sent += 1
    return sent
