"""/overzicht through the real bot process and the fake Bot API: an admin gets the counts, the
chart as a photo and the CSV as a document, which opens with the community's figures and
none of its contents."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from PIL import Image

from tests.e2e.harness import BotProcess, press
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e
ANNA, BEA = 1001, 1003  # both admins in the e2e settings; Bea is no member of Anna's community
SECRET = "Kievitsbloem wil een zadenbibliotheek"


def test_overview_with_chart_and_csv_received_and_opened(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess]) -> None:
    bot_factory().start()
    api.send_text(ANNA, "/start", first_name="Anna", language_code="nl")
    api.wait_for_message(ANNA, "Met welke community werk je?")
    api.send_text(ANNA, "Taalcafé Noord")
    api.wait_for_message(ANNA, "Rond welk thema")
    api.send_text(ANNA, "taal en ontmoeting")
    api.wait_for_message(ANNA, "Je werkt nu met Taalcafé Noord")
    api.send_text(ANNA, SECRET)
    api.wait_for_message(ANNA, "Genoteerd bij Taalcafé Noord")

    api.send_text(BEA, "/overzicht", first_name="Bea", language_code="nl")
    shown = api.wait_for_message(BEA, "📊 Overzicht: 1 community")
    assert "🏘️ Taalcafé Noord" in shown["text"] and "Eigenaar: Anna" in shown["text"]
    assert SECRET not in shown["text"]

    press(api, BEA, "CSV")
    document = api.wait_for(lambda: next((u for u in api.uploads if u["chat_id"] == BEA
                                          and u["method"] == "sendDocument"), None),
                            what="the overview's CSV")
    assert document["file_name"].startswith("veldgids-overzicht-")
    assert document["file_name"].endswith(".csv")
    text = document["content"].decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0][0] == "community" and len(table) == 2
    assert table[1][:3] == ["Taalcafé Noord", "Anna", "Anna"]
    assert SECRET not in text

    press(api, BEA, "Grafiek")
    # The first chart starts the heavy-work process and matplotlib: slow on a loaded machine,
    # and what matters here is the picture, not its speed.
    photo = api.wait_for(lambda: next((u for u in api.uploads if u["chat_id"] == BEA
                                       and u["method"] == "sendPhoto"), None),
                         timeout=60, what="the overview's chart")
    width, height = Image.open(io.BytesIO(photo["content"])).size
    assert width >= 800 and height >= 200
