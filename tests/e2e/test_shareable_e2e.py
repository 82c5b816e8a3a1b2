"""The version to share through the real bot process and the fake Bot API server: a tap on
"Om te delen" and on Word brings a file that names no one, says what it is on its first
page and in its name, and the bot answers another librarian meanwhile (deduce loads in a
process of its own, share_process.py, for several seconds; Anna's own next message waits its
turn, as her messages are handled in order)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import docx as python_docx
import pytest

from tests.e2e.harness import BotProcess, labels, press
from tests.e2e.test_talk_e2e import ANNA, onboard
from tests.fakebotapi import FakeBotAPI

SANNE = 1002  # admitted by the harness

pytestmark = pytest.mark.e2e

NOTE = ("Fatima de Vries belde: ze wil voorlezen. Bereikbaar op 06-12345678 of"
        " fatima.devries@ziggo.nl. Een roos op tafel maakte het gezellig.")


def test_a_tap_on_om_te_delen_brings_a_file_that_names_no_one(
        api: FakeBotAPI, bot: BotProcess) -> None:
    onboard(api)
    api.send_text(SANNE, "/start", first_name="Sanne", language_code="nl")
    api.wait_for_message(SANNE, "Met welke community werk je?")
    api.send_text(ANNA, NOTE)
    api.wait_for_message(ANNA, "Genoteerd bij Taalcafé Noord")
    api.send_text(ANNA, "/export")
    api.wait_for_message(ANNA, "Wat wil je exporteren")
    press(api, ANNA, "Taalcafé Noord")
    api.wait_for_message(ANNA, "Wat moet erin?")
    press(api, ANNA, "Bijlage erbij")  # every note, in the appendix
    api.wait_for_message(ANNA, "Bijlage met gesprekken en alle notities: ja")
    press(api, ANNA, "Om te delen")
    shown = api.wait_for_message(ANNA, "Versie: om te delen")
    assert "✓ Om te delen" in labels(shown)

    before = len(api.uploads)
    press(api, ANNA, "Word")
    api.wait_for_call("answerCallbackQuery",
                      lambda call: "ik haal de namen eruit" in (call.get("text") or ""))
    api.send_text(SANNE, "Leesclub Zuid")  # meanwhile: the bot answers a colleague
    api.wait_for_message(SANNE, "Rond welk thema")
    assert len(api.uploads) == before  # the file is still being made
    upload = api.wait_for(lambda: api.uploads[before] if len(api.uploads) > before else None,
                          timeout=120, what="the shareable Word export")
    today = datetime.now(UTC).astimezone(ZoneInfo("Europe/Amsterdam")).date()
    assert upload["file_name"] == f"veldgids-taalcafe-noord-{today.isoformat()}-om-te-delen.docx"
    body = "\n".join(p.text for p in python_docx.Document(io.BytesIO(upload["content"]))
                     .paragraphs)
    assert "Versie om te delen" in body.split("In één oogopslag")[0]
    for planted in ("Fatima", "Vries", "06-12345678", "fatima.devries@ziggo.nl"):
        assert planted not in body, planted
    assert "Een roos op tafel maakte het gezellig." in body
    assert "Anna" in body  # the librarian stays named
