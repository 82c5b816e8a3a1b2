"""Replies to Bot API calls: text split to Telegram's limit, the keyboard on the last part,
attachments as photos or documents, and heavy replies (`later`) made in a worker thread."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from telegram.constants import MessageLimit
from telegram.error import TelegramError

from dialogs.replies import Reply, label

MAX_CAPTION = MessageLimit.CAPTION_LENGTH  # 1024 UTF-16 code units


def markup(reply: Reply) -> dict[str, Any] | None:
    """The reply's inline keyboard as the Bot API's JSON."""
    if not reply.buttons:
        return None
    return {"inline_keyboard": [[{"text": label(b.label), "callback_data": b.data} for b in row]
                                for row in reply.buttons]}


async def post(bot: Any, method: str, **params: Any) -> Any:
    """A Bot API call whose answer is not read: python-telegram-bot's own request path (its
    defaults, the rate limiter, its errors), without turning the answer into objects. For a
    message with a keyboard that parsing cost more than the rest of the reply
    (`python -m bench.profile`)."""
    return await bot._post(method, {k: v for k, v in params.items()  # noqa: SLF001
                                    if v is not None})


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split on paragraph, then line, then word boundaries so each part fits Telegram."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = max(rest.rfind(sep, 0, limit) for sep in ("\n\n", "\n", " "))
        if cut <= limit // 2:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    parts.append(rest)
    return [p for p in parts if p] or [""]


def captioned(reply: Reply) -> Reply:
    """A file with a few words about it ("Hier is je export (37 kB).") as one message: the
    words become the file's caption, where they fit one and no keyboard needs the text."""
    if len(reply.attachments) != 1 or reply.buttons or reply.html or not reply.text.strip():
        return reply
    [attachment] = reply.attachments
    if attachment.caption or len(reply.text.encode("utf-16-le")) // 2 > MAX_CAPTION:
        return reply
    return reply.model_copy(update={
        "text": "", "attachments": [attachment.model_copy(update={"caption": reply.text})]})


async def send_reply(bot: Any, chat_id: int, reply: Reply) -> None:
    if reply.later is not None:  # heavy (an export, a chart): made in a worker thread
        with contextlib.suppress(TelegramError):  # a courtesy: "sending a file…"
            await bot.send_chat_action(chat_id, "upload_document")
        reply = await asyncio.to_thread(reply.later)
    reply = captioned(reply)
    # A reply with attachments and no text (a chart) is sent as the attachments alone.
    chunks = split_text(reply.text) if reply.text.strip() or not reply.attachments else []
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        await post(bot, "sendMessage", chat_id=chat_id, text=chunk,
                   reply_markup=markup(reply) if last else None,
                   parse_mode="HTML" if reply.html else None)
    for attachment in reply.attachments:
        if attachment.kind == "photo":
            await bot.send_photo(chat_id, attachment.content, caption=attachment.caption or None,
                                 filename=attachment.filename)
        else:
            await bot.send_document(chat_id, attachment.content, filename=attachment.filename,
                                    caption=attachment.caption or None)
