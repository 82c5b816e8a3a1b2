"""Groups, supergroups and channels: Veldgids works in private chats only.

Anyone can add a bot to a group. An update from a group or a channel is dropped before any
work (before it is read, stored or handled), so nothing a stranger posts there takes a place
a librarian's update needs. The chat hears once, and only a group, that Veldgids works in
private chats; then the bot leaves it. One background task makes those calls, one at a time,
from a short line of its own: a chat that finds the line full is dealt with when it writes
again. Which chats were told is kept in memory only (nothing of a group is stored).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any

from telegram.error import TelegramError

from dialogs.catalog import Catalog

log = logging.getLogger("veldgids.groups")

NOT_PRIVATE = ("group", "supergroup", "channel")
WAITING = 100  # chats in line to be left
REMEMBERED = 10_000  # chats told, most recent first
GONE = ("left", "kicked")  # the bot's status once it is out of a chat


@dataclass(frozen=True)
class Farewell:
    chat_id: int
    say: bool  # tell the group that Veldgids works in private chats
    language: str


def chat_of(raw: dict[str, Any]) -> dict[str, Any] | None:
    """The chat an update (as Telegram sent it) comes from, if it names one."""
    for key, value in raw.items():
        if key == "update_id" or not isinstance(value, dict):
            continue
        if isinstance(value.get("chat"), dict):
            return value["chat"]
        message = value.get("message")  # a button press
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            return message["chat"]
    return None


class Groups:
    def __init__(self, catalog: Catalog, language: str = "nl") -> None:
        self.catalog = catalog
        self.language = language
        self.told: OrderedDict[int, None] = OrderedDict()
        self.line: deque[Farewell] = deque()
        self.queued: set[int] = set()
        self.wake = asyncio.Event()
        self.bot: Any = None
        self.task: asyncio.Task[None] | None = None
        self.dropped = 0

    def drop(self, raw: dict[str, Any]) -> bool:
        """True for an update from a group or channel: the caller drops it; the chat is
        told (once) and left in the background."""
        chat = chat_of(raw)
        if chat is None or chat.get("type") not in NOT_PRIVATE:
            return False
        self.dropped += 1
        chat_id = chat.get("id")
        if not isinstance(chat_id, int):
            return True
        member = raw.get("my_chat_member")
        if isinstance(member, dict):
            status = (member.get("new_chat_member") or {}).get("status")
            if status in GONE:
                return True  # out already
            self._line_up(chat_id, chat.get("type"), raw)  # (added again): leave again
        elif chat_id not in self.told:
            self._line_up(chat_id, chat.get("type"), raw)
        return True

    def first(self, chat_id: int) -> bool:
        """Whether this chat is heard from for the first time (and now remembered)."""
        if chat_id in self.told:
            self.told.move_to_end(chat_id)
            return False
        self.told[chat_id] = None
        if len(self.told) > REMEMBERED:
            self.told.popitem(last=False)
        return True

    def text(self, language_code: str | None) -> str:
        lang = language_code or self.language
        return self.catalog.text("private_only", "en" if lang.startswith("en") else "nl")

    def _line_up(self, chat_id: int, kind: object, raw: dict[str, Any]) -> None:
        if chat_id in self.queued or len(self.line) >= WAITING:
            return
        say = self.first(chat_id) and kind != "channel"
        sender = next((v.get("from") for v in raw.values()
                       if isinstance(v, dict) and isinstance(v.get("from"), dict)), None)
        lang = (sender or {}).get("language_code") or self.language
        self.queued.add(chat_id)
        self.line.append(Farewell(chat_id, say, str(lang)))
        self.wake.set()

    async def farewell(self, bot: Any, chat_id: int, say: bool, language_code: str | None) -> None:
        """Tell the group (if `say`) and leave it; Telegram's refusals are only logged."""
        if say:
            with contextlib.suppress(TelegramError):
                await bot.send_message(chat_id, self.text(language_code))
        try:
            await bot.leave_chat(chat_id)
        except TelegramError as exc:
            log.info("could not leave a group or channel (%s)", type(exc).__name__)

    def start(self, bot: Any) -> None:
        self.bot = bot
        self.task = asyncio.create_task(self._run(), name="veldgids-groups")

    async def stop(self) -> None:
        """Chats still in line are left when they write again."""
        if self.task is None:
            return
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        self.task = None
        if self.dropped:
            log.info("dropped %d update(s) from groups and channels", self.dropped)

    async def _run(self) -> None:
        while True:
            await self.wake.wait()
            self.wake.clear()
            while self.line:
                item = self.line.popleft()
                try:
                    await self.farewell(self.bot, item.chat_id, item.say, item.language)
                except Exception:  # noqa: BLE001 - one chat's failure never ends the task
                    log.exception("leaving a group failed")
                finally:
                    self.queued.discard(item.chat_id)
