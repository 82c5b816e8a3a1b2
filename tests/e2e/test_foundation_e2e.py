"""The real bot process over HTTP: onboarding, phases, a SIGKILL mid-dialog, and logs."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.harness import MODES, TOKEN, BotProcess, labels, press, settle
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e
ANNA = 1001


@pytest.mark.parametrize("mode", MODES)
def test_walk_phase_one_survive_sigkill_and_continue(api: FakeBotAPI, bot: BotProcess,
                                                     bot_factory: Callable[..., BotProcess],
                                                     tmp_path: Path) -> None:
    api.send_text(ANNA, "/start", first_name="Anna", language_code="nl")
    api.wait_for_message(ANNA, "Met welke community werk je?")
    api.send_text(ANNA, "Taalcafé Noord")
    api.wait_for_message(ANNA, "Rond welk thema draait Taalcafé Noord?")
    press(api, ANNA, "Overslaan")
    api.wait_for_message(ANNA, "Je werkt nu met Taalcafé Noord")
    api.send_text(ANNA, "/fase")
    overview = api.wait_for_message(ANNA, "De zes fasen voor Taalcafé Noord")
    assert "1. Strategie in kaart · 0/5" in labels(overview)

    press(api, ANNA, "1. Strategie")
    checklist = api.wait_for_message(ANNA, "Fase 1 · Strategie in kaart (0/5)")
    press(api, ANNA, "Beleidsplan")
    api.wait_for(lambda: "(1/5)" in api.message(ANNA, checklist["message_id"])["text"],
                 what="the checklist edited in place")
    press(api, ANNA, "Organisatiedoelen")
    api.wait_for(lambda: "(2/5)" in api.message(ANNA, checklist["message_id"])["text"])
    edited = api.message(ANNA, checklist["message_id"])
    assert "✅ Beleidsplan doorgenomen" in labels(edited)
    assert len(api.calls_to("answerCallbackQuery")) >= 3
    press(api, ANNA, "Kapstok")
    api.wait_for_message(ANNA, "Beschrijf je kapstok")
    settle(api)

    bot.kill()
    # Typed while the bot is down: must arrive after the restart, at the same step.
    api.send_text(ANNA, "Wij staan voor leesplezier, meedoen en ontmoeting in de wijk.")
    restarted = bot_factory().start()
    saved = api.wait_for_message(ANNA, "Kapstok bewaard")
    after = api.wait_for_message(ANNA, "(3/5)", newer_than=saved["message_id"] - 1)
    assert {"✅ Beleidsplan doorgenomen", "✅ Organisatiedoelen op een rij",
            "✅ Kapstok in eigen woorden ✍️"} <= set(labels(after))
    settle(api)
    assert restarted.terminate() == 0

    db = sqlite3.connect(tmp_path / "veldgids.db")
    frame = db.execute("SELECT value FROM answers WHERE key = 'phase1.frame'").fetchall()
    assert frame == [("Wij staan voor leesplezier, meedoen en ontmoeting in de wijk.",)]
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM inbox").fetchone()[0] == 0

    everything = restarted.output() + bot.output()
    assert TOKEN not in everything and TOKEN.split(":")[1] not in everything
    assert "leesplezier" not in everything  # message texts stay out of INFO logs


def test_commands_menu_in_dutch_and_english(api: FakeBotAPI, bot: BotProcess) -> None:
    api.wait_for(lambda: len(api.calls_to("setMyCommands")) >= 2)
    by_lang = {c.get("language_code", ""): c["commands"] for c in api.calls_to("setMyCommands")}
    nl = [c["command"] for c in by_lang["nl"]]
    en = [c["command"] for c in by_lang["en"]]
    assert "fase" in nl and "hulp" in nl and "phase" in en and "help" in en


def test_refused_command_menu_is_a_warning_not_a_crash(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess]) -> None:
    api.inject("setMyCommands", status=400, description="Bad Request: BOT_COMMANDS_TOO_MUCH",
               times=10)
    bot = bot_factory().start()
    api.send_text(ANNA, "/help")
    api.wait_for_message(ANNA, "/fase")
    assert "could not set the" in bot.output()


def test_group_chat_gets_one_short_answer_and_nothing_is_stored(
        api: FakeBotAPI, bot: BotProcess, tmp_path: Path) -> None:
    api.send_text(ANNA, "Hallo allemaal, geheime groepsnotitie", chat_type="group", chat_id=-500)
    reply = api.wait_for_message(-500, "privégesprek")
    assert reply["chat"]["id"] == -500
    settle(api)
    db = sqlite3.connect(tmp_path / "veldgids.db")
    for table in ("users", "notes", "inbox", "processed_updates"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


def test_long_reply_is_split_and_stale_button_answered(api: FakeBotAPI, bot: BotProcess) -> None:
    api.send_text(ANNA, "/start")
    api.wait_for_message(ANNA, "Met welke community werk je?")
    api.send_text(ANNA, "Moestuin")
    api.wait_for_message(ANNA, "Rond welk thema")
    api.send_text(ANNA, "groen")
    menu = api.wait_for_message(ANNA, "Je werkt nu met Moestuin")
    api.send_text(ANNA, "/fase")
    api.wait_for_message(ANNA, "De zes fasen")
    old = next(b["callback_data"] for row in menu["reply_markup"]["inline_keyboard"]
               for b in row if "Fasen" in b["text"])
    query = api.press(ANNA, menu["message_id"], old)
    api.wait_for(lambda: any(a.get("callback_query_id") == query and "eerdere stap"
                             in (a.get("text") or "") for a in api.calls_to(
                                 "answerCallbackQuery")), what="the outdated press answered")
    api.send_text(ANNA, "x" * 4096)  # Telegram's own limit for a user's message
    api.wait_for_message(ANNA, "Genoteerd bij Moestuin")
