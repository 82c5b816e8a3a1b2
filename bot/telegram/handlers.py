"""The Telegram front end's handlers: turn updates into service calls and replies into Bot
API calls (the Application they are installed in is built in bot/telegram/app.py)."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Coroutine
from typing import Any

from telegram import Message, Update
from telegram.constants import ChatType, MessageLimit
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.app.service import Incoming, Outcome, Service, Who
from bot.ops.logsafe import error_summary
from bot.telegram.delivery import Delivery
from bot.telegram.groups import Groups
from bot.telegram.media import fetch_pending, media_of
from bot.telegram.ordering import owner
from bot.telegram.resilience import Stopping, StorageGuard
from bot.telegram.sending import markup, post, send_reply
from dialogs.replies import Reply, resolved

log = logging.getLogger("veldgids.telegram")

PRIVATE = filters.ChatType.PRIVATE
OTHER_KINDS = ("sticker", "photo", "voice", "audio", "video", "video_note", "document",
               "location", "venue", "contact", "poll", "dice", "animation", "game")


def who(update: Update) -> Who:
    user = update.effective_user
    assert user is not None
    return Who(telegram_id=user.id, name=user.first_name or "", language_code=user.language_code)


def other_kind(message: Message) -> str:
    for kind in OTHER_KINDS:
        if getattr(message, kind, None):
            return kind
    return "other"


class TelegramFrontEnd:
    """Handlers and rendering. Each handler is a thin translation around `Service.handle`."""

    def __init__(self, service: Service, guard: StorageGuard | None = None,
                 groups: Groups | None = None) -> None:
        self.service = service
        self.groups = groups or Groups(service.catalog, service.defaults.language)
        self.delivery = Delivery(service)
        self.guard = guard or StorageGuard(service)
        # Updates whose handling the bot's stop cut short while the database was unavailable:
        # they stay in the inbox and are handled after the next start.
        self.kept: set[int] = set()
        # Updates whose step transaction already took them out of the inbox
        # (Store.mark_processed): on_done need not write again for them.
        self.cleared: set[int] = set()

    def install(self, app: Application) -> None:
        app.add_handler(MessageHandler(~PRIVATE & filters.UpdateType.MESSAGE, self.on_group))
        app.add_handler(MessageHandler(PRIVATE & filters.UpdateType.MESSAGE & filters.COMMAND,
                                       self.on_command))
        app.add_handler(MessageHandler(PRIVATE & filters.UpdateType.MESSAGE & filters.TEXT,
                                       self.on_text))
        app.add_handler(MessageHandler(PRIVATE & filters.UpdateType.MESSAGE, self.on_other))
        app.add_handler(MessageHandler(PRIVATE & filters.UpdateType.EDITED_MESSAGE, self.on_edit))
        app.add_handler(CallbackQueryHandler(self.on_press))
        app.add_handler(TypeHandler(Update, self.on_done), group=99)
        app.add_error_handler(self.on_error)

    async def on_group(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Groups: once per chat, say that Veldgids works in private chat, and leave; store
        nothing. (Updates from groups are dropped before they get here, bot/telegram/groups.py;
        this is for updates handed to the Application directly.)"""
        chat = update.effective_chat
        if update.effective_message is None or chat is None or chat.type == ChatType.CHANNEL:
            return
        if self.groups.first(chat.id):
            lang = update.effective_user.language_code if update.effective_user else None
            await self.groups.farewell(context.bot, chat.id, True, lang)

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A /command with or without arguments, English or Dutch."""
        message = update.effective_message
        assert message is not None and message.text is not None
        parsed = self.service.menu.parse(message.text)
        name, args = parsed if parsed else ("", "")
        await self._handle(update, Incoming(kind="command", command=name, args=args,
                                            message_id=message.message_id,
                                            update_id=update.update_id))

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Plain text: an answer in a dialog, or a field note outside one."""
        message = update.effective_message
        assert message is not None and message.text is not None
        replied = message.reply_to_message
        await self._handle(update, Incoming(kind="text", text=message.text,
                                            message_id=message.message_id,
                                            update_id=update.update_id,
                                            reply_to=replied.message_id if replied else None))

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Photos, voice notes and documents (kept as notes); stickers, locations and such."""
        message = update.effective_message
        assert message is not None
        media = media_of(message)
        await self._handle(update, Incoming(kind="other", other=other_kind(message), media=media,
                                            message_id=message.message_id,
                                            update_id=update.update_id))
        user = update.effective_user
        if media is not None and user is not None and update.update_id not in self.kept:
            known = self.service.store.user_by_telegram(user.id)
            if known is not None:  # the sender's own files first; others come in the background
                await fetch_pending(context.bot, self.service, known.id, guard=self.guard)

    async def on_edit(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An edited message updates its note; the earlier text is kept as history."""
        message = update.effective_message
        assert message is not None
        await self._handle(update, Incoming(kind="edit", text=message.text or message.caption
                                            or "", message_id=message.message_id,
                                            update_id=update.update_id))

    async def on_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An inline button. Every press is answered, outdated or not."""
        query = update.callback_query
        assert query is not None
        chat = update.effective_chat
        if chat is None or chat.type != ChatType.PRIVATE:
            # Groups, and inline messages (we offer none): answered, nothing else.
            await self._safe(query.answer())
            return
        outcome = await self._stored(update, Incoming(
            kind="press", data=query.data or "", update_id=update.update_id))
        if outcome is None:
            return
        await self._safe(query.answer(outcome.notice))
        if outcome.duplicate:
            return
        pressed = query.message.message_id if isinstance(query.message, Message) else None
        await self.deliver(update, outcome, pressed)

    async def on_done(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Whatever happened, an update is no longer waiting in the inbox (unless the bot
        stopped before it could be stored as handled)."""
        if update.update_id in self.kept:
            self.kept.discard(update.update_id)
            return
        if update.update_id in self.cleared:
            self.cleared.discard(update.update_id)
            return
        try:
            await self.guard.run(lambda: self.service.store.inbox_drop(update.update_id))
        except Stopping:
            return  # handled already: the next start recognises it by its id

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log with ids, never message text; tell the user their input is not lost."""
        update_id = update.update_id if isinstance(update, Update) else None
        # The exception's own text may quote the message, so it is shown at DEBUG only.
        log.error("update %s of user %s failed: %s", update_id, self.ref(update),
                  error_summary(context.error))
        log.debug("update %s failed: %r", update_id, context.error, exc_info=context.error)
        if isinstance(update, Update) and update_id is not None and context.error is not None:
            try:
                if self.delivery.log.quarantine(update_id, owner(update),
                                                type(context.error).__name__):
                    await self.guard.set_aside()
            except Exception:  # noqa: BLE001 - the error handler itself must not fail
                log.exception("could not keep failed update %s", update_id)
        if isinstance(update, Update) and update.effective_chat and _is_private(update):
            lang = (update.effective_user.language_code or "") if update.effective_user else ""
            text = self.service.catalog.text("error_try_again",
                                             "en" if lang.startswith("en") else "nl")
            await self._safe(context.bot.send_message(update.effective_chat.id, text))

    async def _handle(self, update: Update, incoming: Incoming) -> None:
        outcome = await self._stored(update, incoming)
        if outcome is not None and not outcome.duplicate:
            await self.deliver(update, outcome, pressed=None)

    async def _stored(self, update: Update, incoming: Incoming) -> Outcome | None:
        """The service's outcome, once it could be recorded: a locked database or a full
        disk is waited out (bot/telegram/resilience.py). None when the bot stops first: the update
        stays in the inbox for the next start."""
        person = who(update)
        try:
            outcome = await self.guard.run(lambda: self.delivery.handle(person, incoming),
                                           telegram_id=person.telegram_id,
                                           language_code=person.language_code)
        except Stopping:
            self.kept.add(update.update_id)
            return None
        if outcome.user_id is not None and incoming.update_id is not None:
            self.cleared.add(update.update_id)  # marked processed, its inbox row deleted
        return outcome

    def ref(self, update: object) -> str:
        """How logs name the person behind an update: their row id, never their Telegram id
        (which would outlive a /forget in the log files)."""
        telegram_id = owner(update)
        try:
            user = self.service.store.user_by_telegram(telegram_id) if telegram_id else None
        except sqlite3.Error:
            user = None
        return f"#{user.id}" if user is not None else "(not registered)"

    async def deliver(self, update: Update, outcome: Outcome, pressed: int | None) -> None:
        """Send the replies; if Telegram refuses after all retries, the user's next message
        shows them where they are (bot/telegram/delivery.py)."""
        try:
            await self._send_all(update, outcome, pressed)
        except TelegramError as exc:
            log.warning("reply to update %s of user %s not delivered: %s", update.update_id,
                        f"#{outcome.user_id}" if outcome.user_id else self.ref(update),
                        type(exc).__name__)
            return
        try:
            await self.guard.run(lambda: self.delivery.delivered(outcome, update.update_id))
        except Stopping:
            return  # the note stays: the next start shows them where they are

    async def _send_all(self, update: Update, outcome: Outcome, pressed: int | None) -> None:
        chat = update.effective_chat
        assert chat is not None
        bot = update.get_bot()
        message = update.effective_message
        if outcome.ack and message is not None and update.callback_query is None:
            # Live mode stays quiet: a reaction on the librarian's message, no new message.
            await self._safe(post(bot, "setMessageReaction", chat_id=chat.id,
                                  message_id=message.message_id,
                                  reaction=[{"type": "emoji", "emoji": "✍"}]))
        for reply in outcome.replies:
            if reply.later is not None and reply.edit and pressed is not None:
                # Made off the loop first, so it can take the pressed message's place.
                reply = await asyncio.to_thread(resolved, reply)
            fits = len(reply.text) <= MessageLimit.MAX_TEXT_LENGTH and not reply.attachments
            if reply.edit and pressed is not None and fits and await self._edit(
                    bot, chat.id, pressed, reply):
                continue
            await send_reply(bot, chat.id, reply)

    async def _edit(self, bot: Any, chat_id: int, message_id: int, reply: Reply) -> bool:
        try:
            await post(bot, "editMessageText", chat_id=chat_id, message_id=message_id,
                       text=reply.text, reply_markup=markup(reply))
        except BadRequest as exc:
            # Not modified is fine; too old or deleted: send it as a new message instead.
            return "not modified" in exc.message
        return True

    async def _safe(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        try:
            await coroutine
        except TelegramError as exc:
            log.warning("Telegram refused a call: %s", exc)


def _is_private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE
