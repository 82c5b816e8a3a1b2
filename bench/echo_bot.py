"""The baseline: a bare python-telegram-bot echo bot, configured like `veldgids run`.

Same library version, same API URL, token and poll timeout (from the same environment
variables), long polling with every update type, up to 256 updates in flight, a JobQueue
(the library's default when installed, as for Veldgids), no rate limiter (switched off
for Veldgids too in the throughput runs; see docs/benchmarks.md) and Veldgids' HTTP
transport (bot/telegram/transport.py: 8 connections, further requests queued in asyncio) for its
calls and for getUpdates. No storage at all.

Text is echoed with sendMessage; a button press is answered (answerCallbackQuery) and its
message edited, the same two calls Veldgids makes for a checklist tap.

Run: `python -m bench.echo_bot` with TELEGRAM_BOT_TOKEN and TELEGRAM_API_URL set.
"""

from __future__ import annotations

import logging
import os

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.telegram.transport import QueuedRequest


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text (commands too) comes straight back."""
    message = update.effective_message
    if message is not None and message.text:
        await context.bot.send_message(message.chat_id, message.text)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press: answer it, then edit the message it was on."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    if query.message is not None:
        await context.bot.edit_message_text(f"{query.data} #{query.id}",
                                            chat_id=query.message.chat.id,
                                            message_id=query.message.message_id)


def main() -> None:
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    app = (Application.builder()
           .token(os.environ["TELEGRAM_BOT_TOKEN"])
           .base_url(os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org/bot"))
           .concurrent_updates(256)
           .request(QueuedRequest())
           .get_updates_request(QueuedRequest())
           .build())
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    app.run_polling(poll_interval=0, timeout=int(os.environ.get("VELDGIDS_POLL_TIMEOUT", "20")),
                    allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
