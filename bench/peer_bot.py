"""The peer: Veldgids' checklist-and-notes part built the way python-telegram-bot's own
examples build a bot (conversationbot.py, persistentconversationbot.py).

One `ConversationHandler` (persistent, named) walks a librarian through onboarding (community,
theme, what to do), then holds them at the phase menu, a phase checklist whose taps edit the
message, or an open conversation whose free-text notes are kept. Everything lives in
`context.user_data` and the handler's states, saved by `PicklePersistence` every
`update_interval` seconds (PEER_UPDATE_INTERVAL; the library's default is 60 s and it accepts
any positive number: 0 would pickle everything in a busy loop) and on a clean shutdown.

Settings as the echo bot's and `veldgids run`'s (same library, API URL, token and poll
timeout, every update type, no rate limiter, the HTTP transport of bot/telegram/transport.py: 8
connections, further requests queued in asyncio) but one update at a time, the library's default
and its examples': with `concurrent_updates(256)` a librarian's next message can arrive
before the handler has returned its new state (the reply goes out first), and under load
the bench saw answers to theme questions land in the community step. Its answers
carry the words the load driver waits for in Veldgids' (`bench/load.py`), so one script
drives both.

Run: `python -m bench.peer_bot` with TELEGRAM_BOT_TOKEN and TELEGRAM_API_URL set.
"""

from __future__ import annotations

import logging
import os
import warnings

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReactionTypeEmoji, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    PicklePersistence,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.telegram.transport import QueuedRequest

COMMUNITY, THEME, GOAL, MENU, CHECKLIST, LIVE = range(6)
PHASES = ("1. Strategie", "2. Community's", "3. Inventarisatie", "4. Gesprekken",
          "5. Analyse", "6. Doelen")
ITEMS = {"policy": "Beleidsplan doorgenomen", "goals": "Organisatiedoelen op een rij",
         "values": "Helder waar de bibliotheek voor staat"}
QUESTIONS = ("Wie bent u en wat doet u?", "Wat speelt er in uw community?",
             "Wat gaat goed?", "Wat kan beter?", "Wat heeft u nodig?",
             "Wat kunt u bieden?", "Met wie werkt u al samen?", "Wat kan de bibliotheek doen?")
Context = ContextTypes.DEFAULT_TYPE


def _data(context: Context) -> dict:
    assert context.user_data is not None
    return context.user_data


async def start(update: Update, context: Context) -> int:
    assert update.effective_message is not None
    await update.effective_message.reply_text("Welkom! Met welke community ga je aan de slag?")
    return COMMUNITY


async def community(update: Update, context: Context) -> int:
    assert update.effective_message is not None
    _data(context)["community"] = update.effective_message.text
    await update.effective_message.reply_text("Rond welk thema?")
    return THEME


async def theme(update: Update, context: Context) -> int:
    assert update.effective_message is not None
    _data(context)["theme"] = update.effective_message.text
    await update.effective_message.reply_text("Genoteerd. Wat wil je doen? /fase of /gesprek")
    return MENU


async def phases(update: Update, context: Context) -> int:
    assert update.effective_message is not None
    keyboard = [[InlineKeyboardButton(label, callback_data=f"phase:{n}")]
                for n, label in enumerate(PHASES, 1)]
    await update.effective_message.reply_text("De zes fasen: kies er een.",
                                              reply_markup=InlineKeyboardMarkup(keyboard))
    return MENU


def _checklist(data: dict) -> tuple[str, InlineKeyboardMarkup]:
    ticks = data.setdefault("ticks", set())
    rows = [[InlineKeyboardButton(("☑ " if key in ticks else "☐ ") + label,
                                  callback_data=f"tick:{key}")] for key, label in ITEMS.items()]
    return ("Fase 1 · Strategie in kaart. Vink af wat klaar is.",
            InlineKeyboardMarkup(rows))


async def pressed(update: Update, context: Context) -> int:
    query = update.callback_query
    assert query is not None and query.data is not None
    data = _data(context)
    await query.answer()
    if query.data == "resume":
        assert query.message is not None
        data["question"] = data.get("question", 1) + 1
        await context.bot.send_message(query.message.chat.id, _question(data))
        return LIVE
    if query.data.startswith("tick:"):
        ticks = data.setdefault("ticks", set())
        ticks.symmetric_difference_update({query.data.removeprefix("tick:")})
    text, markup = _checklist(data)
    await query.edit_message_text(text, reply_markup=markup)
    return CHECKLIST


def _question(data: dict) -> str:
    n = min(data.get("question", 1), len(QUESTIONS))
    return f"Vraag {n}/{len(QUESTIONS)}: {QUESTIONS[n - 1]}"


async def field_note(update: Update, context: Context) -> int:
    assert update.effective_message is not None
    data = _data(context)
    data.setdefault("notes", []).append(update.effective_message.text)
    await update.effective_message.reply_text(f"Genoteerd bij {data.get('community')}.")
    return CHECKLIST


async def conversation(update: Update, context: Context) -> int:
    message = update.effective_message
    assert message is not None
    data = _data(context)
    if context.args:
        data.update(person=" ".join(context.args), question=1, transcript=[])
        await message.reply_text(_question(data))
        return LIVE
    if data.get("person"):
        button = InlineKeyboardButton("Verder met het gesprek", callback_data="resume")
        await message.reply_text(f"Je gesprek met {data['person']} staat nog open.",
                                 reply_markup=InlineKeyboardMarkup([[button]]))
        return MENU
    await message.reply_text("Met wie ga je in gesprek? /gesprek naam, rol, organisatie")
    return MENU


async def live_note(update: Update, context: Context) -> int:
    message = update.effective_message
    assert message is not None
    _data(context).setdefault("transcript", []).append(message.text)
    await message.set_reaction(ReactionTypeEmoji("👍"))
    return LIVE


def build(interval: float, path: str = "peer.pickle") -> Application:
    persistence = PicklePersistence(path, update_interval=interval)
    app = (Application.builder()
           .token(os.environ["TELEGRAM_BOT_TOKEN"])
           .base_url(os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org/bot"))
           .persistence(persistence)
           .request(QueuedRequest())
           .get_updates_request(QueuedRequest())
           .build())
    text = filters.TEXT & ~filters.COMMAND
    anywhere = [CommandHandler("fase", phases), CommandHandler("gesprek", conversation),
                CallbackQueryHandler(pressed)]
    with warnings.catch_warnings():
        # per_message=False with a CallbackQueryHandler: the library warns, its examples do it.
        warnings.simplefilter("ignore", PTBUserWarning)
        app.add_handler(ConversationHandler(
            entry_points=[CommandHandler("start", start)],
            states={
                COMMUNITY: [MessageHandler(text, community)],
                THEME: [MessageHandler(text, theme)],
                MENU: anywhere,
                CHECKLIST: [*anywhere, MessageHandler(text, field_note)],
                LIVE: [*anywhere, MessageHandler(text, live_note)],
            },
            fallbacks=[CommandHandler("start", start)],
            name="librarian", persistent=True,
        ))
    return app


def main() -> None:
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    app = build(float(os.environ.get("PEER_UPDATE_INTERVAL", "60")))
    app.run_polling(poll_interval=0, timeout=int(os.environ.get("VELDGIDS_POLL_TIMEOUT", "20")),
                    allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
