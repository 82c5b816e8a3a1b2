"""/samenvatting through the real bot process and the fake Bot API server: the community at a
glance in one message, and one tap on a person met opens that conversation."""

from __future__ import annotations

import pytest

from tests.e2e.harness import BotProcess, labels, press
from tests.e2e.test_heard_e2e import conversation
from tests.e2e.test_talk_e2e import ANNA, onboard
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e


def test_the_summary_is_the_community_at_a_glance(api: FakeBotAPI, bot: BotProcess) -> None:
    onboard(api)
    conversation(api, "Fatima", "Ze zoekt een plek om Nederlands te oefenen", "Ja")
    api.send_text(ANNA, "actie: flyer maken voor het taalcafé")
    api.wait_for_message(ANNA, "flyer maken")
    api.send_text(ANNA, "/samenvatting")
    summary = api.wait_for_message(ANNA, "Community: Taalcafé Noord")
    text = summary["text"]
    parts = ["Voortgang:", "Nog te doen in", "📌 Acties: 1 open, niets te laat:",
             "• flyer maken voor het taalcafé", "👥 Mensen gesproken (1)", "• Fatima — ",
             "Nog geen visie, doelen, activiteiten of opbrengsten vastgelegd."]
    at = [text.find(p) for p in parts]
    assert -1 not in at and at == sorted(at), text
    assert "nog niet vastgelegd" not in text.lower()
    assert "👂 Wat we hoorden" in labels(summary)
    press(api, ANNA, "Fatima")
    api.wait_for_message(ANNA, "Gesprek met Fatima")
