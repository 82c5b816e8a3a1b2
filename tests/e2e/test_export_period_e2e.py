"""/export's choices through the real bot process and the fake Bot API server: a tap on this
quarter and on the appendix change the one message, and a tap on Word brings the file."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import docx as python_docx
import pytest

from tests.e2e.harness import BotProcess, labels, press
from tests.e2e.test_talk_e2e import ANNA, onboard
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e


def test_a_period_and_the_appendix_then_the_file(api: FakeBotAPI, bot: BotProcess) -> None:
    onboard(api)
    api.send_text(ANNA, "Fatima zoekt ruimte voor het taalcafé")
    api.wait_for_message(ANNA, "Genoteerd bij Taalcafé Noord")
    api.send_text(ANNA, "/export")
    api.wait_for_message(ANNA, "Wat wil je exporteren")
    press(api, ANNA, "Taalcafé Noord")
    shown = api.wait_for_message(ANNA, "Wat moet erin?")
    assert "✓ Sinds de start" in labels(shown)

    press(api, ANNA, "Dit kwartaal")
    today = datetime.now(UTC).astimezone(ZoneInfo("Europe/Amsterdam")).date()
    quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    edited = api.wait_for_message(ANNA, "Periode: dit kwartaal")
    press(api, ANNA, "Bijlage erbij")
    edited = api.wait_for_message(ANNA, "Bijlage met gesprekken en alle notities: ja")
    assert edited["message_id"] == shown["message_id"]  # the same message, changed
    assert "✓ Dit kwartaal" in labels(edited)
    assert "☑ Bijlage erbij" in labels(edited)

    before = len(api.uploads)
    press(api, ANNA, "Word")
    upload = api.wait_for(lambda: api.uploads[before] if len(api.uploads) > before else None,
                          timeout=60, what="the Word export")
    assert upload["method"] == "sendDocument"
    assert upload["file_name"] == (f"veldgids-taalcafe-noord-{quarter.isoformat()}-tot-"
                                   f"{today.isoformat()}.docx")
    body = "\n".join(p.text for p in python_docx.Document(io.BytesIO(upload["content"]))
                     .paragraphs)
    assert "Fatima zoekt ruimte voor het taalcafé" in body
    ready = api.wait_for_message(ANNA, "Hier is je export")
    assert "Periode: dit kwartaal" in (ready.get("text") or ready.get("caption") or "")
