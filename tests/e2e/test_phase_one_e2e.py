"""Phase 1 first through the real bot process and the fake Bot API (issue 23, points 6
and 7): a conversation in a new community ticks only what it settled, and phase 4 opens
with what it ticked, led by phase 1 instead of refusing."""

from __future__ import annotations

import pytest

from tests.e2e.harness import BotProcess, labels, press
from tests.e2e.test_field_e2e import ANNA, onboard
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e
LEAD = "☝️ Eerst fase 1 (nu 0/5)"


def test_a_conversation_in_a_new_community_and_phase_4_tell_the_same(
        api: FakeBotAPI, bot: BotProcess) -> None:
    onboard(api)
    api.send_text(ANNA, "/gesprek Fatima")
    api.wait_for_message(ANNA, "🗣️ Vraag 1/8")
    api.send_text(ANNA, "Ze leidt al drie jaar het taalcafé voor nieuwkomers")
    api.wait_for(lambda: len(api.reactions) >= 1, what="the quiet ✍ reaction")
    press(api, ANNA, "Einde")
    api.wait_for_message(ANNA, "meerwaarde voor beide partijen")
    press(api, ANNA, "Nog niet")
    api.wait_for_message(ANNA, "Waarom?")
    press(api, ANNA, "Overslaan")
    api.wait_for_message(ANNA, "gemotiveerd om samen op te trekken")
    press(api, ANNA, "Nog niet")
    api.wait_for_message(ANNA, "Waaraan merk je dat")
    press(api, ANNA, "Overslaan")
    api.wait_for_message(ANNA, "geslaagde samenwerking er voor Fatima")
    press(api, ANNA, "Overslaan")
    done = api.wait_for_message(ANNA, "Fase 4 bijgewerkt")
    assert "2 onderdelen afgevinkt door dit gesprek (2/5)" in done["text"]
    assert LEAD in done["text"]

    api.send_text(ANNA, "/fase")
    api.wait_for_message(ANNA, "De zes fasen voor Taalcafé Noord", newer_than=done["message_id"])
    press(api, ANNA, "4. Ken je community · 2/5")
    phase4 = api.wait_for_message(ANNA, "Fase 4 · Ken je community (2/5)")
    assert phase4["text"].startswith(LEAD)
    assert "✅ Open gesprek gevoerd" in labels(phase4)
    assert "⬜ Meerwaarde voor beide partijen nagegaan" in labels(phase4)
    press(api, ANNA, "Naar fase 1")
    api.wait_for_message(ANNA, "Fase 1 · Strategie in kaart (0/5)")
