"""Who said what, through the real bot process and the fake Bot API: she taps 🙋, types
what she shared herself, and the summary shows it as hers; from the summary a note moves to
another question and gets a ⭐."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.e2e.harness import BotProcess, press, settle
from tests.e2e.test_talk_e2e import ANNA, onboard, question_shown
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e


def test_she_taps_the_hand_types_her_own_note_and_the_summary_keeps_it_hers(
        api: FakeBotAPI, bot: BotProcess, tmp_path: Path) -> None:
    onboard(api)
    api.send_text(ANNA, "/gesprek Ahmed")
    question_shown(api, 1)
    api.send_text(ANNA, "Hij werkt in de bouw en zoekt een plek om Nederlands te oefenen")
    api.wait_for(lambda: len(api.reactions) >= 1, what="the quiet ✍ reaction")
    press(api, ANNA, "Ik vertelde ook over mezelf")
    prompt = api.wait_for_message(ANNA, "Je volgende notitie bewaar ik als iets wat jij zelf")
    assert "Vraag 1/8" in prompt["text"] and "Tik nog eens op 🙋" in prompt["text"]
    api.send_text(ANNA, "Ik woonde zelf in Spanje en miste daar zo'n plek")
    api.wait_for(lambda: len(api.reactions) >= 2, what="the own note's reaction")
    press(api, ANNA, "Einde")
    api.wait_for_message(ANNA, "meerwaarde voor beide partijen")
    press(api, ANNA, "Ja")
    api.wait_for_message(ANNA, "Waarom?")
    api.send_text(ANNA, "Wij bereiken nieuwkomers")
    api.wait_for_message(ANNA, "gemotiveerd om samen op te trekken")
    press(api, ANNA, "Ja")
    api.wait_for_message(ANNA, "Waaraan merk je dat")
    press(api, ANNA, "Overslaan")
    api.wait_for_message(ANNA, "geslaagde samenwerking er voor Ahmed")
    press(api, ANNA, "Overslaan")
    summary = api.wait_for_message(ANNA, "Gesprek met Ahmed")["text"]
    work = next(line for line in summary.splitlines() if line.startswith("• Wat voor werk"))
    assert "plek om Nederlands te oefenen" in work and "Spanje" not in work
    assert "🙋 Zelf verteld:\n• Ik woonde zelf in Spanje en miste daar zo'n plek. (vraag 1)" \
        in summary
    assert "spanje" not in next(line for line in summary.splitlines()
                                if line.startswith("Kern")).lower()

    # ⭐ from the summary: the quote comes first
    press(api, ANNA, "Citaat kiezen")
    api.wait_for_message(ANNA, "Welke woorden van Ahmed")
    press(api, ANNA, "Hij werkt in de bouw")
    api.wait_for(lambda: any("⭐ Hij werkt" in b["text"] for m in api.bot_messages(ANNA)
                             for row in m.get("reply_markup", {}).get("inline_keyboard", [])
                             for b in row), what="the ⭐ on the note")
    press(api, ANNA, "Klaar")
    api.wait_for_message(ANNA, "⭐ “Hij werkt in de bouw")
    settle(api)
    db = sqlite3.connect(tmp_path / "veldgids.db")
    rows = db.execute("SELECT who, starred, text FROM transcript"
                      " WHERE who IN ('librarian', 'own') ORDER BY id").fetchall()
    assert [(who, starred) for who, starred, _ in rows] == [("librarian", 1), ("own", 0)]
