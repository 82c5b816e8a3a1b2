"""A SMART goal says which needs from the conversations it answers, tapped through the real
bot process and the fake Bot API: a theme of "Wat we hoorden" ticks in place (the same
message, its ✓ on the button), "Klaar" leads on, and /doelen shows "Antwoord op: …"."""

from __future__ import annotations

import pytest

from tests.e2e.harness import BotProcess, labels, press, settle
from tests.e2e.test_heard_e2e import conversation
from tests.e2e.test_talk_e2e import ANNA, onboard
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e


def test_ticking_the_needs_a_goal_answers(api: FakeBotAPI, bot: BotProcess) -> None:
    onboard(api)
    conversation(api, "Fatima", "Ze zoekt een plek om Nederlands te oefenen", "Ja")
    conversation(api, "Ahmed", "Nederlands oefenen kan alleen op zijn werk", "Nog niet")
    api.send_text(ANNA, "/doelen")
    api.wait_for_message(ANNA, "Nog geen doelen voor Taalcafé Noord")
    press(api, ANNA, "Nieuw SMART-doel")
    for prompt, answer in (
            ("S · Specifiek", "een wekelijks taalcafé organiseren voor nieuwkomers"),
            ("M · Meetbaar", "aantal deelnemers per week"),
            ("Waar staan jullie nu", "4"),
            ("Welk getal willen jullie bereiken", "12"),
            ("A · Haalbaar", "vrijwilligers van de taalschool"),
            ("R · Relevant", "nieuwkomers zich thuis voelen in de wijk")):
        api.wait_for_message(ANNA, prompt)
        api.send_text(ANNA, answer)
    asked = api.wait_for_message(ANNA, "Op welke behoefte uit de gesprekken")
    assert "Nederlands" in labels(asked) and "Overslaan" in labels(asked)
    press(api, ANNA, "Nederlands")
    ticked = api.wait_for(lambda: "✓ Nederlands" in labels(api.message(ANNA, asked["message_id"]))
                          and api.message(ANNA, asked["message_id"]), what="the tick in place")
    assert "Gekozen: Nederlands" in ticked["text"] and "✅ Klaar" in labels(ticked)
    press(api, ANNA, "Klaar")
    api.wait_for_message(ANNA, "T · Tijdgebonden")
    api.send_text(ANNA, "over 3 maanden")
    read_back = api.wait_for_message(ANNA, "Klopt dit?")
    assert "Antwoord op: Nederlands" in read_back["text"]
    press(api, ANNA, "Opslaan")
    api.wait_for_message(ANNA, "  Antwoord op: Nederlands")
    settle(api)
