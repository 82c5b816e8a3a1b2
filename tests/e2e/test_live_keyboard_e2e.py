"""Issue 23, points 4 and 5, through the real bot process and the fake Bot API: an action
typed during a conversation leaves the question's buttons at the bottom (and a done action
opens again, twice harmlessly); a mistyped command offers the command it resembles and
keeps the question's buttons, and a lone "1" is not stored as a note."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.e2e.chaos import onboard
from tests.e2e.harness import BotProcess, labels, press, settle
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e
ANNA = 1001  # an admin in the harness's settings
SAID = "Fatima vraagt in de groepsapp wie op dinsdagmiddag kan"


def rows(tmp_path: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(tmp_path / "veldgids.db")
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def at_question_3(api: FakeBotAPI) -> None:
    onboard(api, ANNA, "Taalcafé Noord")
    api.send_text(ANNA, "/gesprek Fatima, voorzitter")
    api.wait_for_message(ANNA, "Vraag 1/8")
    press(api, ANNA, "Volgende vraag")
    api.wait_for_message(ANNA, "Vraag 2/8")
    press(api, ANNA, "Volgende vraag")
    api.wait_for_message(ANNA, "Vraag 3/8")


def test_an_action_in_a_conversation_keeps_the_question_and_done_opens_again(
        api: FakeBotAPI, bot: BotProcess, tmp_path: Path) -> None:
    at_question_3(api)
    before = api.last_bot_message(ANNA)
    assert before is not None
    api.send_text(ANNA, f"actie: {SAID}")
    shown = api.wait_for_message(ANNA, f"✅ Actie bewaard: ‘{SAID}’.",
                                 newer_than=before["message_id"])
    assert "Vraag 3/8" in shown["text"]  # one message: the action above the question
    assert labels(shown)[0] == "⏭ Volgende vraag"
    assert not any(label.startswith("✅") or label in ("⏰", "✏️") for label in labels(shown))
    first = shown["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    api.press(ANNA, shown["message_id"], first)  # the first button, as the librarian did
    api.wait_for_message(ANNA, "Vraag 4/8")
    settle(api)
    assert rows(tmp_path, "SELECT what, done_at FROM actions") == [(SAID, None)]

    api.send_text(ANNA, "/acties")
    api.wait_for_message(ANNA, "📋 Acties voor Taalcafé Noord")
    press(api, ANNA, "✅ 1. Fatima vraagt")
    done = api.wait_for_message(ANNA, f"✅ Gedaan: ‘{SAID}’.")
    reopen = next(b["callback_data"] for row in done["reply_markup"]["inline_keyboard"]
                  for b in row if b["text"] == "↩ Ongedaan maken")
    api.press(ANNA, done["message_id"], reopen)
    api.wait_for_message(ANNA, f"↩ ‘{SAID}’ staat weer open.")
    api.press(ANNA, done["message_id"], reopen, check=False)  # a double tap
    api.wait_for_message(ANNA, f"‘{SAID}’ stond al open; er is niets veranderd.")
    settle(api)
    assert rows(tmp_path, "SELECT what, done_at FROM actions") == [(SAID, None)]
    assert bot.terminate() == 0



def test_a_mistyped_command_offers_the_right_one_and_a_lone_1_is_not_a_note(
        api: FakeBotAPI, bot: BotProcess, tmp_path: Path) -> None:
    at_question_3(api)
    api.send_text(ANNA, "Ze organiseren huiswerkbegeleiding")  # a note on question 3
    api.send_text(ANNA, "/zeok huiswerk")
    shown = api.wait_for_message(ANNA, "Bedoel je /zoek?")
    assert "Vraag 3/8" in shown["text"]  # the question again, with its buttons
    assert labels(shown)[0] == "⏭ Volgende vraag"
    assert "▶️ /zoek huiswerk" in labels(shown)
    api.send_text(ANNA, "1")
    asked = api.wait_for_message(ANNA, "‘1’ heb ik nog niet als notitie bewaard")
    assert "‘⏭ Volgende vraag’" in asked["text"]
    press(api, ANNA, "▶️ /zoek huiswerk")
    api.wait_for_message(ANNA, "huiswerkbegeleiding")
    settle(api)
    assert rows(tmp_path, "SELECT text FROM transcript WHERE who = 'librarian'") == [
        ("Ze organiseren huiswerkbegeleiding",)]
    api.send_text(ANNA, "/ac")  # the beginning of two commands: both offered
    both = api.wait_for_message(ANNA, "Bedoel je /acties of /activiteit?")
    assert labels(both)[-2:] == ["▶️ /acties", "▶️ /activiteit"]
    press(api, ANNA, "▶️ /acties")
    api.wait_for_message(ANNA, "Er staan geen open acties voor Taalcafé Noord")
    assert bot.terminate() == 0
