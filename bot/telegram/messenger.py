"""The messenger of bot/app/messenger.py over the Bot API: Telegram's errors become how a
send went (`Delivery`) or the app's exceptions."""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.app.messenger import Blocked, Delivery, Refused, Undelivered
from bot.telegram.pace import BULK
from bot.telegram.sending import send_reply, split_text
from dialogs.replies import Button, Reply

log = logging.getLogger("veldgids.reminders")


class TelegramSender:
    """Sends a reminder through the Bot API and says how it went."""

    def __init__(self, bot: Any) -> None:
        self.bot = bot

    async def __call__(self, chat_id: int, replies: list[Reply]) -> Delivery:
        bulk = BULK.set(True)  # these messages take what replies leave (bot/telegram/pace.py)
        try:
            return await self._send(chat_id, replies)
        finally:
            BULK.reset(bulk)

    async def _send(self, chat_id: int, replies: list[Reply]) -> Delivery:
        for index, reply in enumerate(replies):
            try:
                await send_reply(self.bot, chat_id, reply)
            except Forbidden:
                return Delivery.BLOCKED
            except BadRequest as exc:  # a NetworkError subclass in PTB, but it will not pass later
                log.warning("Telegram refused a reminder: %s", exc)
                return Delivery.FAILED if index == 0 else Delivery.SENT
            except (RetryAfter, NetworkError) as exc:
                if index == 0:
                    log.warning("reminder for chat not sent (%s); trying again next tick",
                                type(exc).__name__)
                    return Delivery.RETRY
                log.warning("a chart of a reminder was not sent (%s)", type(exc).__name__)
                return Delivery.SENT  # the text arrived; sending it again would repeat it
            except TelegramError as exc:
                log.warning("Telegram refused a reminder: %s", exc)
                return Delivery.FAILED if index == 0 else Delivery.SENT
        return Delivery.SENT


class TelegramMessenger:
    """What features send unasked, through the bot `bot`."""

    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self.sender = TelegramSender(bot)

    async def send(self, chat_id: int, replies: list[Reply]) -> Delivery:
        return await self.sender(chat_id, replies)

    async def send_message(self, chat_id: int, text: str) -> None:
        try:
            await self.bot.send_message(chat_id, text)
        except TelegramError as exc:
            raise _undelivered(exc) from exc

    async def answer_quietly(self, chat_id: int, text: str, reply_to: int,
                             buttons: list[list[Button]]) -> list[int]:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.data)
                                          for b in row] for row in buttons]) if buttons else None
        chunks = split_text(text)
        sent: list[int] = []
        for index, chunk in enumerate(chunks):
            try:
                message = await self.bot.send_message(
                    chat_id, chunk, disable_notification=True,
                    reply_markup=keyboard if index == len(chunks) - 1 else None,
                    reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True))
            except TelegramError as exc:
                raise _undelivered(exc) from exc
            sent.append(message.message_id)
        return sent


def _undelivered(exc: TelegramError) -> Undelivered:
    if isinstance(exc, Forbidden):
        return Blocked(str(exc))
    if isinstance(exc, BadRequest):
        return Refused(str(exc))
    return Undelivered(str(exc))
