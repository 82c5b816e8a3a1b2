""""Wat we hoorden" tapped under /samenvatting, through the real bot process and the fake
Bot API server: it replaces the summary in place, and one tap brings the summary back."""

from __future__ import annotations

import pytest

from tests.e2e.harness import BotProcess, labels, press, settle
from tests.e2e.test_talk_e2e import ANNA, onboard
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e


def conversation(api: FakeBotAPI, person: str, note: str, value: str) -> None:
    api.send_text(ANNA, f"/gesprek {person}")
    live = api.wait_for_message(ANNA, f"Open gesprek met {person}")["message_id"]
    press(api, ANNA, "Alle vragen")
    listed = api.wait_for(lambda: "Alle vragen, in de volgorde" in (
        api.message(ANNA, live).get("text") or "") and api.message(ANNA, live), what="the list")
    [data] = [b["callback_data"] for row in listed["reply_markup"]["inline_keyboard"]
              for b in row if b["text"].startswith("5. ")]
    api.press(ANNA, live, data)
    live = api.wait_for_message(ANNA, "Vraag 5/8", newer_than=live)["message_id"]
    message = api.send_text(ANNA, note)
    api.wait_for(lambda: any(r["message_id"] == message["message_id"] for r in api.reactions),
                 what="the note kept")
    press(api, ANNA, "Einde")
    api.wait_for_message(ANNA, "meerwaarde voor beide partijen", newer_than=live)
    press(api, ANNA, value)
    api.wait_for_message(ANNA, "Waarom?", newer_than=live)
    press(api, ANNA, "Overslaan")
    api.wait_for_message(ANNA, "gemotiveerd om samen op te trekken", newer_than=live)
    press(api, ANNA, "Ja")
    api.wait_for_message(ANNA, "Waaraan merk je dat", newer_than=live)
    press(api, ANNA, "Overslaan")
    api.wait_for_message(ANNA, f"geslaagde samenwerking er voor {person}", newer_than=live)
    press(api, ANNA, "Overslaan")
    api.wait_for_message(ANNA, f"Gesprek met {person}", newer_than=live)
    settle(api)


def test_tapping_what_we_heard_under_the_summary(api: FakeBotAPI, bot: BotProcess) -> None:
    onboard(api)
    conversation(api, "Fatima", "Ze zoekt een plek om Nederlands te oefenen", "Ja")
    conversation(api, "Ahmed", "Nederlands oefenen kan alleen op zijn werk", "Nog niet")
    api.send_text(ANNA, "/samenvatting")
    summary = api.wait_for_message(ANNA, "Community: Taalcafé Noord")
    assert "👂 Wat we hoorden" in labels(summary)
    press(api, ANNA, "Wat we hoorden")
    heard = api.wait_for_message(ANNA, "👂 Wat we hoorden over Taalcafé Noord")
    assert heard["message_id"] == summary["message_id"]  # in place of the summary
    text = heard["text"]
    assert "• Nederlands — Fatima, Ahmed" in text
    assert "Meerwaarde voor beide partijen: 1 ja, 1 nog niet (Ahmed)" in text
    assert "Waar lopen ze tegenaan?\n• Ahmed, " in text
    assert ": Ze zoekt een plek om Nederlands te oefenen" in text
    assert labels(heard) == ["↩️ Samenvatting"]
    press(api, ANNA, "Samenvatting")
    api.wait_for(lambda: "Community: Taalcafé Noord" in (
        api.last_bot_message(ANNA) or {}).get("text", ""), what="the summary again")
    settle(api)
