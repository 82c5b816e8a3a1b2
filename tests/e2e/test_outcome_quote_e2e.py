"""Through the real bot process and the fake Bot API: an activity's note ⭐ from its
confirmation (the same message turns ☆ into ⭐), and an outcome tied to a goal in one tap
after its text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.e2e.harness import BotProcess, labels, press, settle
from tests.e2e.test_talk_e2e import ANNA, onboard
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e
AMAL = "Hier durf ik fouten te maken, zei Amal weer"


def test_a_starred_activity_note_and_an_outcome_with_its_goal(
        api: FakeBotAPI, bot: BotProcess, tmp_path: Path) -> None:
    onboard(api)
    api.send_text(ANNA, "/doelen")
    api.wait_for_message(ANNA, "Nog geen doelen")
    press(api, ANNA, "Nieuw SMART-doel")
    for prompt, answer in (
            ("S · Specifiek", "twaalf taalcafé-avonden"),
            ("M · Meetbaar", "avonden"),
            ("Waar staan jullie nu", "0"),
            ("Welk getal willen jullie bereiken", "12"),
            ("A · Haalbaar", "vrijwilligers van de taalschool"),
            ("R · Relevant", "nieuwkomers zich thuis voelen in de wijk"),
            ("T · Tijdgebonden", "over 3 maanden")):
        api.wait_for_message(ANNA, prompt)
        api.send_text(ANNA, answer)
    api.wait_for_message(ANNA, "Uiterlijk")
    press(api, ANNA, "Opslaan")
    api.wait_for_message(ANNA, "twaalf taalcafé-avonden")

    api.send_text(ANNA, "/activiteit")
    api.wait_for_message(ANNA, "Nog geen activiteiten")
    press(api, ANNA, "Activiteit vastleggen")
    for prompt, answer in (("Wat voor activiteit", "taalcafé"), ("Wanneer was het", "vandaag"),
                           ("Wat gebeurde er", "Oefenen met koffie"),
                           ("Hoeveel mensen deden mee", "12")):
        api.wait_for_message(ANNA, prompt)
        api.send_text(ANNA, answer)
    api.wait_for_message(ANNA, "voor het eerst")
    press(api, ANNA, "Weet ik niet")
    api.wait_for_message(ANNA, "Wie leidde het?")
    press(api, ANNA, "Een ambassadeur")
    api.wait_for_message(ANNA, "korte notitie")
    api.send_text(ANNA, AMAL)
    logged = api.wait_for_message(ANNA, "✅ Vastgelegd: taalcafé")
    assert "☆ Citaat" in labels(logged)
    press(api, ANNA, "☆ Citaat")
    api.wait_for(lambda: "⭐ Citaat" in labels(api.message(ANNA, logged["message_id"])),
                 what="the same message now shows ⭐")

    press(api, ANNA, "Opbrengst vastleggen")
    api.wait_for_message(ANNA, "Wat heeft de community opgeleverd?")
    press(api, ANNA, "Een verandering")
    api.wait_for_message(ANNA, "Beschrijf het")
    api.send_text(ANNA, "Moeders lenen nu zelf prentenboeken")
    asked = api.wait_for_message(ANNA, "Bij welk doel hoort dit?")
    assert labels(asked)[:2] == ["twaalf taalcafé-avonden", "Bij geen doel"]
    press(api, ANNA, "twaalf taalcafé-avonden")
    api.wait_for_message(ANNA, "🌱 Bewaard bij ‘twaalf taalcafé-avonden’.")
    settle(api)
    db = sqlite3.connect(tmp_path / "veldgids.db")
    assert db.execute("SELECT note, starred FROM activities").fetchall() == [(AMAL, 1)]
    assert db.execute("SELECT o.text, g.specific FROM outcomes o JOIN goals g"
                      " ON g.id = o.goal_id").fetchall() == \
        [("Moeders lenen nu zelf prentenboeken", "twaalf taalcafé-avonden")]
