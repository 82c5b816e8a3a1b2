"""The fake Bot API server, exercised with the real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import datetime as dtm
import threading
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReactionTypeEmoji, Update
from telegram.constants import ParseMode, ReactionEmoji
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter, TimedOut
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from tests.fakebotapi import BOT_USERNAME, REACTION_EMOJI, FakeBotAPI

TOKEN = "123456:TEST-token"
ANNA = 1001


@pytest.fixture
def srv() -> Iterator[FakeBotAPI]:
    with FakeBotAPI(token=TOKEN) as server:
        yield server


def fast_request() -> HTTPXRequest:
    """Plain-HTTP client without loading CA certificates (saves ~0.1 s per Bot)."""
    return HTTPXRequest(httpx_kwargs={"verify": False})


def make_bot(srv: FakeBotAPI, token: str = TOKEN) -> telegram.Bot:
    return telegram.Bot(token, base_url=srv.base_url, base_file_url=srv.base_file_url,
                        request=fast_request(), get_updates_request=fast_request())


@pytest.fixture
async def bot(srv: FakeBotAPI) -> AsyncIterator[telegram.Bot]:
    async with make_bot(srv) as b:
        yield b


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in pairs])


async def test_get_me_with_default_client(srv: FakeBotAPI) -> None:
    async with telegram.Bot(TOKEN, base_url=srv.base_url, base_file_url=srv.base_file_url) as bot:
        me = await bot.get_me()
    assert me.username == BOT_USERNAME and me.id == 123456 and me.is_bot
    assert me.can_join_groups is True
    assert srv.calls[0].method == "getMe"


async def test_long_poll_returns_when_update_arrives(bot: telegram.Bot, srv: FakeBotAPI) -> None:
    threading.Timer(0.3, srv.send_text, args=(ANNA, "/start hallo")).start()
    started = time.monotonic()
    updates = await bot.get_updates(timeout=5)
    assert 0.2 < time.monotonic() - started < 2
    msg = updates[0].message
    assert msg.text == "/start hallo" and msg.chat.id == ANNA and msg.chat.type == "private"
    assert msg.from_user.first_name == "Anna" and msg.from_user.language_code == "nl"
    assert msg.entities[0].type == "bot_command" and msg.entities[0].length == 6


async def test_long_poll_times_out_empty(bot: telegram.Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert time.monotonic() - started >= 0.9


async def test_redelivery_until_offset_confirms(bot: telegram.Bot, srv: FakeBotAPI) -> None:
    srv.send_text(ANNA, "een")
    srv.send_text(ANNA, "twee")
    first = await bot.get_updates()
    assert [u.message.text for u in first] == ["een", "twee"]
    again = await bot.get_updates(limit=1)  # no offset: nothing confirmed, delivered again
    assert [u.update_id for u in again] == [first[0].update_id]
    rest = await bot.get_updates(offset=first[0].update_id + 1)
    assert [u.message.text for u in rest] == ["twee"]
    assert srv.pending_updates() == 1
    assert await bot.get_updates(offset=first[-1].update_id + 1) == ()
    srv.wait_until_confirmed(timeout=1)
    assert srv.pending_updates() == 0


async def test_allowed_updates_drop_other_types(bot: telegram.Bot, srv: FakeBotAPI) -> None:
    srv.send_text(ANNA, "hoi")
    srv.send_location(ANNA)
    srv.send_update({"poll": {"id": "p1", "question": "?", "options": [], "total_voter_count": 0,
                              "is_closed": False, "is_anonymous": True, "type": "regular",
                              "allows_multiple_answers": False}})
    updates = await bot.get_updates(allowed_updates=["message"])
    assert [bool(u.message) for u in updates] == [True, True]
    assert updates[1].message.location.latitude == pytest.approx(52.3676)
    assert srv.pending_updates() == 2


async def test_overlapping_long_polls_conflict(srv: FakeBotAPI) -> None:
    async with make_bot(srv) as one, make_bot(srv) as two:
        first = asyncio.create_task(one.get_updates(timeout=3))
        await asyncio.to_thread(srv.wait_for, lambda: srv.calls_to("getUpdates"), 5,
                                "the first poll to arrive")
        second = asyncio.create_task(two.get_updates(timeout=3))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await first
        srv.send_text(ANNA, "hallo")
        assert [u.message.text for u in await second] == ["hallo"]


async def test_send_message_with_inline_keyboard(bot: telegram.Bot, srv: FakeBotAPI) -> None:
    user_msg = srv.send_text(ANNA, "/start")
    markup = keyboard(("Ja", "yes"), ("Nee", "no"))
    sent = await bot.send_message(ANNA, "Kies:", reply_markup=markup)
    assert sent.message_id == user_msg["message_id"] + 1
    assert sent.from_user.username == BOT_USERNAME and sent.chat.id == ANNA
    assert sent.reply_markup.inline_keyboard[1][0].callback_data == "no"
    [stored] = srv.bot_messages(ANNA)
    assert stored["text"] == "Kies:"
    assert stored["reply_markup"]["inline_keyboard"][0][0] == {"text": "Ja", "callback_data": "yes"}
    params = srv.calls_to("sendMessage")[0]
    assert params["chat_id"] == ANNA and isinstance(params["reply_markup"], dict)
    second = await bot.send_message(ANNA, "nog een", reply_to_message_id=user_msg["message_id"])
    assert second.message_id == sent.message_id + 1
    assert second.reply_to_message.text == "/start"


async def test_send_to_unknown_or_blocked_chat(bot: telegram.Bot, srv: FakeBotAPI) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "hallo")
    srv.send_text(ANNA, "hoi")
    srv.block_user(ANNA)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ANNA, "hallo")
    srv.unblock_user(ANNA)
    await bot.send_message(ANNA, "hallo")


async def test_edit_message_text_and_not_modified(bot: telegram.Bot, srv: FakeBotAPI) -> None:
    srv.send_text(ANNA, "/start")
    sent = await bot.send_message(ANNA, "Vraag 1", reply_markup=keyboard(("Ok", "ok")))
    edited = await bot.edit_message_text("Vraag 2", chat_id=ANNA, message_id=sent.message_id,
                                         reply_markup=keyboard(("Ok", "ok")))
    assert edited.text == "Vraag 2" and edited.edit_date is not None
    assert srv.bot_messages(ANNA)[0]["text"] == "Vraag 2"
    with pytest.raises(BadRequest, match="(?i)message is not modified: specified new message"):
        await bot.edit_message_text("Vraag 2", chat_id=ANNA, message_id=sent.message_id,
                                    reply_markup=keyboard(("Ok", "ok")))
    # Telegram drops the inline keyboard when editMessageText omits reply_markup.
    await bot.edit_message_text("Vraag 2", chat_id=ANNA, message_id=sent.message_id)
    assert "reply_markup" not in srv.bot_messages(ANNA)[0]
    await bot.edit_message_reply_markup(ANNA, sent.message_id, reply_markup=keyboard(("X", "x")))
    assert srv.bot_messages(ANNA)[0]["reply_markup"]["inline_keyboard"][0][0]["text"] == "X"
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=ANNA, message_id=999)


async def test_text_limits_and_button_data(bot: telegram.Bot, srv: FakeBotAPI) -> None:
    srv.send_text(ANNA, "hoi")
    await bot.send_message(ANNA, "x" * 4096)
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(ANNA, "x" * 4097)
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await bot.send_message(ANNA, "   ")
    await bot.send_message(ANNA, "ok", reply_markup=keyboard(("a", "d" * 64)))
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await bot.send_message(ANNA, "te lang", reply_markup=keyboard(("a", "d" * 65)))
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await bot.send_message(ANNA, "ë", reply_markup=keyboard(("a", "ë" * 33)))  # 66 bytes
    assert len(srv.bot_messages(ANNA)) == 2
    assert [e[2] for e in srv.errors] == [400, 400, 400, 400]


async def test_keyboards_over_telegrams_limits_are_refused(bot: telegram.Bot,
                                                         srv: FakeBotAPI) -> None:
    """At most 100 buttons and about 10 kB: past either Telegram shows nothing at all."""
    srv.send_text(ANNA, "hoi")
    hundred = [(f"Community {n}", f"ex:s:{n}") for n in range(100)]
    await bot.send_message(ANNA, "100 knoppen", reply_markup=keyboard(*hundred))
    with pytest.raises(BadRequest, match="(?i)reply markup is too long"):
        await bot.send_message(ANNA, "101", reply_markup=keyboard(*hundred, ("nog een", "x")))
    wide = [("ü" * 64, f"{n:02d}" + "d" * 62) for n in range(50)]  # 50 buttons, over 10 kB
    with pytest.raises(BadRequest, match="(?i)reply markup is too long"):
        await bot.send_message(ANNA, "te breed", reply_markup=keyboard(*wide))
    sent = await bot.send_message(ANNA, "kort", reply_markup=keyboard(*wide[:20]))
    with pytest.raises(BadRequest, match="(?i)reply markup is too long"):
        await bot.edit_message_text("te breed", chat_id=ANNA, message_id=sent.message_id,
                                    reply_markup=keyboard(*wide))
    assert len(srv.bot_messages(ANNA)) == 2


async def test_parse_modes(bot: telegram.Bot, srv: FakeBotAPI) -> None:
    srv.send_text(ANNA, "hoi")
    msg = await bot.send_message(ANNA, "<b>Vet</b> en <a href='https://x.nl'>link</a> &amp; 🙂",
                                 parse_mode=ParseMode.HTML)
    assert msg.text == "Vet en link & 🙂"
    assert [(e.type, e.offset, e.length) for e in msg.entities] == [("bold", 0, 3),
                                                                    ("text_link", 7, 4)]
    with pytest.raises(BadRequest, match="(?i)can't parse entities: unsupported start tag"):
        await bot.send_message(ANNA, "<div>x</div>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)can't find end tag"):
        await bot.send_message(ANNA, "<b>x", parse_mode=ParseMode.HTML)
    md = await bot.send_message(ANNA, r"*Stap 1\.* klaar\!", parse_mode=ParseMode.MARKDOWN_V2)
    assert md.text == "Stap 1. klaar!" and md.entities[0].type == "bold"
    with pytest.raises(BadRequest, match="(?i)character '\\.' is reserved"):
        await bot.send_message(ANNA, "Klaar.", parse_mode=ParseMode.MARKDOWN_V2)


async def test_callback_query_roundtrip(bot: telegram.Bot, srv: FakeBotAPI) -> None:
    srv.send_text(ANNA, "/start")
    sent = await bot.send_message(ANNA, "Kies", reply_markup=keyboard(("Ja", "yes")))
    qid = srv.press(ANNA, sent.message_id, "yes")
    with pytest.raises(AssertionError, match="no button"):
        srv.press(ANNA, sent.message_id, "bestaat-niet")
    updates = await bot.get_updates()
    query = updates[-1].callback_query
    assert query.id == qid and query.data == "yes" and query.message.message_id == sent.message_id
    assert query.from_user.id == ANNA
    assert await bot.answer_callback_query(qid, text="Dank!") is True
    assert srv.callback_answers == [{"callback_query_id": qid, "text": "Dank!",
                                     "show_alert": None, "url": None, "cache_time": None}]
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await bot.answer_callback_query(qid)
    with pytest.raises(BadRequest, match="(?i)query id is invalid"):
        await bot.answer_callback_query("12345")
    assert srv.press_button(ANNA, "Ja") != qid


async def test_user_edit_delete_reaction_action(bot: telegram.Bot, srv: FakeBotAPI) -> None:
    user_msg = srv.send_text(ANNA, "eerst")
    srv.edit_text(ANNA, user_msg["message_id"], "daarna")
    updates = await bot.get_updates()
    assert updates[-1].edited_message.text == "daarna"
    assert updates[-1].edited_message.message_id == user_msg["message_id"]
    assert await bot.set_message_reaction(ANNA, user_msg["message_id"], ReactionEmoji.THUMBS_UP)
    assert srv.reactions[0]["reaction"] == [{"type": "emoji", "emoji": "👍"}]
    with pytest.raises(BadRequest, match="(?i)reaction_invalid"):
        await bot.set_message_reaction(ANNA, user_msg["message_id"], ReactionTypeEmoji("✅"))
    assert await bot.send_chat_action(ANNA, "typing")
    sent = await bot.send_message(ANNA, "weg")
    assert await bot.delete_message(ANNA, sent.message_id)
    assert srv.bot_messages(ANNA) == []
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await bot.delete_message(ANNA, sent.message_id)


def test_reaction_list_matches_ptb() -> None:
    ptb = {e.value.replace("\ufe0f", "") for e in ReactionEmoji}
    assert ptb == set(REACTION_EMOJI)


async def test_commands_per_language(bot: telegram.Bot, srv: FakeBotAPI) -> None:
    await bot.set_my_commands([("start", "Begin"), ("help", "Hulp")], language_code="nl")
    await bot.set_my_commands([("start", "Start")])
    assert [c.command for c in await bot.get_my_commands(language_code="nl")] == ["start", "help"]
    assert srv.commands["nl"][1] == {"command": "help", "description": "Hulp"}
    assert srv.commands[""] == [{"command": "start", "description": "Start"}]
    await bot.delete_my_commands(language_code="nl")
    assert await bot.get_my_commands(language_code="nl") == ()
    with pytest.raises(BadRequest, match="(?i)bot_command_invalid"):
        await bot.set_my_commands([("Start!", "x")])


async def test_documents_photos_and_files(bot: telegram.Bot, srv: FakeBotAPI) -> None:
    srv.send_text(ANNA, "hoi")
    msg = await bot.send_document(ANNA, b"%PDF-1.4 verslag", filename="verslag.pdf",
                                  caption="Je verslag")
    assert msg.document.file_name == "verslag.pdf" and msg.caption == "Je verslag"
    [upload] = srv.uploads
    assert upload["content"] == b"%PDF-1.4 verslag" and upload["file_name"] == "verslag.pdf"
    assert upload["message_id"] == msg.message_id
    assert srv.calls_to("sendDocument")[0]["document"]["size"] == 16
    tg_file = await bot.get_file(msg.document.file_id)
    assert bytes(await tg_file.download_as_bytearray()) == b"%PDF-1.4 verslag"
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (640).to_bytes(4, "big")
           + (480).to_bytes(4, "big") + b"\x08\x02\x00\x00\x00rest")
    photo = await bot.send_photo(ANNA, png, caption="Grafiek")
    assert (photo.photo[-1].width, photo.photo[-1].height) == (640, 480)
    assert srv.uploads[1]["content"] == png
    with pytest.raises(BadRequest, match="(?i)image_process_failed"):
        await bot.send_photo(ANNA, b"geen plaatje")
    with pytest.raises(BadRequest, match="(?i)caption is too long"):
        await bot.send_document(ANNA, b"x", caption="c" * 1025)


async def test_user_files_download_and_failures(bot: telegram.Bot, srv: FakeBotAPI) -> None:
    srv.send_document(ANNA, b"a,b\n1,2\n", file_name="data.csv", caption="lijst")
    srv.send_voice(ANNA, b"OggS-voice")
    srv.send_photo(ANNA, b"not really a jpeg")
    srv.send_sticker(ANNA)
    doc, voice, photo, sticker = [u.message for u in await bot.get_updates()]
    assert doc.document.mime_type == "text/csv" and doc.caption == "lijst"
    assert bytes(await (await doc.document.get_file()).download_as_bytearray()) == b"a,b\n1,2\n"
    voice_file = await voice.voice.get_file()
    assert bytes(await voice_file.download_as_bytearray()) == b"OggS-voice"
    assert len(photo.photo) == 2 and sticker.sticker.emoji == "👍"
    srv.fail_file(voice.voice.file_id, status=500)
    with pytest.raises(telegram.error.NetworkError, match="Internal Server Error"):
        await voice_file.download_as_bytearray()
    with pytest.raises(BadRequest, match="(?i)invalid file_id"):
        await bot.get_file("onbekend")


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_injected_429_surfaces_as_retry_after(bot: telegram.Bot, srv: FakeBotAPI) -> None:
    srv.send_text(ANNA, "hoi")
    srv.inject("sendMessage", status=429, retry_after=7)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(ANNA, "hallo")
    retry = info.value.retry_after
    assert (retry.total_seconds() if isinstance(retry, dtm.timedelta) else retry) == 7
    assert srv.errors[-1][2:] == (429, "Too Many Requests: retry after 7")
    await bot.send_message(ANNA, "hallo")  # only the next call failed
    srv.inject("*", status=502, times=2)
    for _ in range(2):
        with pytest.raises(telegram.error.NetworkError, match="Bad Gateway"):
            await bot.get_me()


async def test_injected_delay_times_out(srv: FakeBotAPI) -> None:
    srv.send_text(ANNA, "hoi")
    srv.inject_delay("sendMessage", 0.6)
    async with make_bot(srv) as b:
        with pytest.raises(TimedOut):
            await b.send_message(ANNA, "traag", read_timeout=0.2)
        # Like Telegram, the request was still carried out after the client gave up.
        await asyncio.to_thread(srv.wait_for_message, ANNA, "traag", 2)


async def test_unknown_method_and_wrong_token(bot: telegram.Bot, srv: FakeBotAPI) -> None:
    with pytest.raises(telegram.error.EndPointNotFound):
        await bot.do_api_request("sendTelepathy")
    async with httpx.AsyncClient() as client:
        r = await client.post(f"{srv.base_url}{TOKEN}/sendTelepathy")
        assert r.status_code == 404
        assert r.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        r = await client.get(f"{srv.base_url}999:wrong/getMe")
        assert (r.status_code, r.json()["description"]) == (401, "Unauthorized")
    with pytest.raises(InvalidToken, match="Unauthorized"):
        await make_bot(srv, token="999:wrong").get_me()


async def test_raw_request_encodings(srv: FakeBotAPI) -> None:
    srv.send_text(ANNA, "hoi")
    base = f"{srv.base_url}{TOKEN}"
    markup = '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}'
    async with httpx.AsyncClient() as client:
        r1 = await client.get(f"{base}/sendMessage", params={"chat_id": ANNA, "text": "[1]"})
        r2 = await client.post(f"{base}/SENDMESSAGE", json={"chat_id": ANNA, "text": "j",
                                                            "reply_markup": markup})
        r3 = await client.post(f"{base}/sendMessage",
                               data={"chat_id": str(ANNA), "text": "f", "reply_markup": markup})
    assert [r.json()["result"]["text"] for r in (r1, r2, r3)] == ["[1]", "j", "f"]
    assert r3.json()["result"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "a"
    assert [c.method for c in srv.calls] == ["sendMessage"] * 3


async def test_restart_on_same_port(srv: FakeBotAPI) -> None:
    srv.send_text(ANNA, "voor")
    async with make_bot(srv) as b:
        await b.get_me()
        port = srv.port
        srv.stop()
        with pytest.raises(telegram.error.NetworkError):
            await b.get_me()
        srv.start()
        assert srv.port == port
        updates = await b.get_updates()
        assert [u.message.text for u in updates] == ["voor"]


async def test_press_by_label_part_newest_and_private_chat(bot: telegram.Bot,
                                                            srv: FakeBotAPI) -> None:
    assert srv.add_private_chat(ANNA, first_name="Bibliothecaris") == {
        "id": ANNA, "type": "private", "first_name": "Bibliothecaris"}
    assert srv.press_label(ANNA, "Ja") is None and srv.press_newest(ANNA, "x") is None
    await bot.send_message(ANNA, "Eerst", reply_markup=keyboard(("Ja, graag", "yes-1")))
    sent = await bot.send_message(ANNA, "Dan", reply_markup=keyboard(("Nee", "no"),
                                                                      ("Ja, nu", "yes-2")))
    qid = srv.press_label(ANNA, "Ja")
    assert qid is not None and srv.callback_query_chat(qid) == ANNA
    newest = srv.press_newest(ANNA, "anything")
    updates = await bot.get_updates()
    assert [u.callback_query.data for u in updates] == ["yes-2", "anything"]
    assert updates[-1].callback_query.message.message_id == sent.message_id
    assert updates[-1].callback_query.id == newest
    assert updates[0].callback_query.from_user.first_name == "Bibliothecaris"


def test_counted_wait(srv: FakeBotAPI) -> None:
    def sends() -> int:
        return len(srv.calls_to("sendMessage"))

    srv.send_text(ANNA, "hoi")
    before = sends()
    threading.Timer(0.1, httpx.post, args=(f"{srv.base_url}{TOKEN}/sendMessage",),
                    kwargs={"data": {"chat_id": ANNA, "text": "een"}}).start()
    assert srv.wait_for_more(sends, 1, timeout=5) == before + 1
    assert srv.wait_for_more(sends, 1, timeout=1, since=before) == before + 1
    with pytest.raises(AssertionError, match=r"1 more sends \(had 1\)"):
        srv.wait_for_more(sends, 1, timeout=0.2, what="sends")


def test_wait_for_timeout_dumps_calls(srv: FakeBotAPI) -> None:
    srv.send_text(ANNA, "hoi")
    httpx.post(f"{srv.base_url}{TOKEN}/sendMessage", data={"chat_id": ANNA, "text": "Hallo Anna"})
    assert srv.wait_for_message(ANNA, "Anna", timeout=1)["text"] == "Hallo Anna"
    with pytest.raises(AssertionError, match=r"(?s)containing 'Welkom'.*sendMessage"):
        srv.wait_for_message(ANNA, "Welkom", timeout=0.2)


async def test_application_polling_end_to_end(srv: FakeBotAPI) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(f"Welkom {update.effective_user.first_name}",
                                        reply_markup=keyboard(("Verder", "next")))

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text("Stap 2")

    app = (Application.builder().token(TOKEN).base_url(srv.base_url)
           .base_file_url(srv.base_file_url).request(fast_request())
           .get_updates_request(fast_request()).build())
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=2)
        srv.send_text(ANNA, "/start", first_name="Bram")
        await asyncio.to_thread(srv.wait_for_message, ANNA, "Welkom Bram", 5)
        srv.press_button(ANNA, "Verder")
        await asyncio.to_thread(srv.wait_for_message, ANNA, "Stap 2", 5)
        await app.updater.stop()
        await app.stop()
    assert srv.pending_updates() == 0
    assert [m["text"] for m in srv.bot_messages(ANNA)] == ["Stap 2"]
    assert srv.errors == [] and srv.internal_errors == []


async def test_group_chat_and_raw_updates(bot: telegram.Bot, srv: FakeBotAPI) -> None:
    srv.send_text(ANNA, "/help@veldgids_test_bot", chat_type="group", chat_id=-500)
    srv.send_update({"message": {"message_id": 1, "date": 0, "chat": {"id": 77, "type": "private",
                                                                       "first_name": "Cas"},
                                 "from": {"id": 77, "is_bot": False, "first_name": "Cas"},
                                 "contact": {"phone_number": "+31", "first_name": "Cas"}}})
    updates = await bot.get_updates()
    group, contact = [u.message for u in updates]
    assert group.chat.type == "group" and group.chat.title == "Testgroep"
    assert group.entities[0].length == len("/help@veldgids_test_bot")
    assert contact.contact.phone_number == "+31"
    assert (await bot.send_message(-500, "hoi")).message_id == 2
    assert (await bot.send_message(77, "hoi Cas")).message_id == 2
    # A negative offset keeps only the newest updates and forgets the rest.
    assert [u.update_id for u in await bot.get_updates(offset=-1)] == [updates[1].update_id]
    assert srv.pending_updates() == 1
