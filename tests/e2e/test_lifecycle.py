"""Clean stop, and logs that tell the truth and keep secrets, with the real bot process."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.chaos import ENV, onboard
from tests.e2e.harness import MODES, TOKEN, BotProcess
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e
ANNA, BEN = 1001, 1002
SECRET = TOKEN.split(":")[1]


def query(tmp_path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    db = sqlite3.connect(tmp_path / "veldgids.db")
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


@pytest.mark.parametrize("mode", MODES)
def test_sigterm_finishes_the_updates_in_hand_and_a_restart_loses_nothing(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path,
        mode: str) -> None:
    bot = bot_factory(ENV).start()
    onboard(api, ANNA, "Taalcafé")
    # Polling: the poll after this batch fails, so only the stop itself can confirm the batch.
    # Both: every reply is slow, so the stop comes with updates in hand.
    if mode == "polling":
        api.inject("getUpdates", 502)
    for _ in range(8):
        api.inject_delay("sendMessage", 0.3)
    texts = [f"Notitie {n} over de leesclub in de wijk" for n in range(8)]
    for text in texts:
        api.send_text(ANNA, text)
    if mode == "polling":
        api.wait_for(lambda: any(m == "getUpdates" for m, *_ in api.errors), what="failed poll")
    else:  # every webhook request was answered, so each update is stored and in hand
        api.wait_until_confirmed()
    # At least one is in hand (its slow reply has begun): under load the failed poll can come
    # before any text was fetched, and then there would be nothing in hand to finish.
    api.wait_for_call("sendMessage", lambda p: "Genoteerd" in p.get("text", ""))
    started = time.monotonic()
    assert bot.terminate() == 0
    assert time.monotonic() - started < 15
    kept = [t for (t,) in query(tmp_path, "SELECT text FROM notes ORDER BY id")]
    replies = [m for m in api.bot_messages(ANNA) if "Genoteerd" in m.get("text", "")]
    assert kept and kept == texts[:len(kept)]
    assert len(replies) == len(kept)  # each update in hand was finished, reply included
    assert api.pending_updates() == len(texts) - len(kept)  # handled ones acknowledged
    output = bot.output()
    assert "stopped cleanly" in output and "Scheduler has been shut down" in output
    assert not (tmp_path / "veldgids.db-wal").exists()  # database closed properly

    api.send_text(ANNA, "En na de herstart gaat het verder")
    bot.start()
    api.wait_for(lambda: sum("Genoteerd" in m.get("text", "")
                             for m in api.bot_messages(ANNA)) == len(texts) + 1)
    assert bot.terminate() == 0
    stored = [t for (t,) in query(tmp_path, "SELECT text FROM notes ORDER BY id")]
    assert stored == [*texts, "En na de herstart gaat het verder"]  # no loss, no duplicate
    assert query(tmp_path, "PRAGMA integrity_check") == [("ok",)]


def test_a_rejected_token_is_one_clear_line_without_the_token(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess]) -> None:
    wrong = "7350981234:AAHk3-REJECTEDtokenpart_abcdefghijk"
    bot = bot_factory({**ENV, "TELEGRAM_BOT_TOKEN": wrong, "VELDGIDS_LOG_LEVEL": "DEBUG"})
    bot.start(wait=False)
    assert bot.proc is not None and bot.proc.wait(timeout=30) != 0
    output = bot.output()
    errors = [line for line in output.splitlines() if line.startswith("veldgids: error:")]
    assert errors == ["veldgids: error: Telegram refused the bot token (check "
                      "TELEGRAM_BOT_TOKEN)"], output
    assert "Traceback" not in output
    assert wrong not in output and wrong.split(":")[1] not in output
    assert "DEBUG" in output  # the debug logs were on, and still no token


@pytest.mark.parametrize("mode", MODES)
def test_debug_logs_never_show_the_token(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], mode: str) -> None:
    bot = bot_factory({**ENV, "VELDGIDS_LOG_LEVEL": "DEBUG"}).start()
    onboard(api, ANNA, "Moestuin")
    assert bot.terminate() == 0
    output = bot.output()
    assert "DEBUG" in output and ("getUpdates" if mode == "polling" else "setWebhook") in output
    assert TOKEN not in output and SECRET not in output
    if mode == "webhook":  # nor the webhook's secret token, which the debug lines would quote
        webhook_secret = api.calls_to("setWebhook")[-1]["secret_token"]
        assert webhook_secret not in output  # the setWebhook call itself is logged (above)


@pytest.mark.parametrize("mode", MODES)
def test_a_failing_update_is_logged_with_ids_not_text_and_kept(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    bot = bot_factory(ENV).start()
    onboard(api, ANNA, "Taalcafé")
    onboard(api, BEN, "Moestuin")
    # A damaged record makes Anna's next update fail inside the handler.
    db = sqlite3.connect(tmp_path / "veldgids.db")
    with db:
        db.execute("UPDATE dialog_state SET dialog = 'menu', step = 'main', data = '{kapot'"
                   " WHERE user_id = (SELECT id FROM users WHERE telegram_id = ?)", (ANNA,))
    db.close()
    api.send_text(ANNA, "Geheim: Sanne belt dinsdag over de subsidie")
    update_id = api.queued[-1]["update_id"]
    api.wait_for_message(ANNA, "Er ging iets mis aan mijn kant")
    since = api.last_bot_message(BEN)
    api.send_text(BEN, "Ben merkt er niets van")  # the others are served as before
    api.wait_for_message(BEN, "Genoteerd bij Moestuin", newer_than=since["message_id"])
    output = bot.output()
    [(anna,)] = query(tmp_path, "SELECT id FROM users WHERE telegram_id = ?", ANNA)
    assert f"update {update_id} of user #{anna} failed: JSONDecodeError" in output
    assert "Geheim" not in output and "subsidie" not in output
    kept = query(tmp_path, "SELECT payload, error FROM failed_updates WHERE update_id = ?",
                 update_id)
    assert len(kept) == 1 and "Sanne belt dinsdag" in str(kept[0][0])  # not lost
    assert kept[0][1] == "JSONDecodeError"


@pytest.mark.parametrize("mode", MODES)
def test_an_update_the_library_cannot_read_is_skipped_not_fatal(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    bot = bot_factory(ENV).start()
    onboard(api, ANNA, "Taalcafé")
    api.send_text(ANNA, "Voor het rare bericht")
    # A poll without the fields python-telegram-bot requires: it can't turn it into an Update.
    api.send_update({"poll": {"id": "1", "question": "?", "options": [{"text": "a"}]}})
    api.send_text(ANNA, "Na het rare bericht")
    api.wait_for(lambda: sum("Genoteerd" in m.get("text", "")
                             for m in api.bot_messages(ANNA)) == 2, what="both notes answered")
    output = bot.output()
    assert "could not be read (TypeError); skipped" in output
    assert bot.proc is not None and bot.proc.poll() is None
    assert [t for (t,) in query(tmp_path, "SELECT text FROM notes ORDER BY id")] == [
        "Voor het rare bericht", "Na het rare bericht"]
