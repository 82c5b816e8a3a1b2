"""What a librarian reads in Telegram, through the real bot process and the fake Bot API: an
export is one message, an outdated button one answer, buttons cut at a word."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import docx as python_docx
import pytest

from tests.e2e.harness import BotProcess, labels, press, settle
from tests.e2e.test_field_e2e import onboard
from tests.fakebotapi import FakeBotAPI
from tests.fakebotapi.limits import MAX_CALLBACK_ANSWER

pytestmark = pytest.mark.e2e
ANNA = 1001


def messages_since(api: FakeBotAPI, count: int) -> list[dict]:
    return api.bot_messages(ANNA)[count:]


def test_a_word_export_is_one_message_and_the_file_says_who_made_it(
        api: FakeBotAPI, bot: BotProcess) -> None:
    onboard(api)
    api.send_text(ANNA, "Sanne wil een leesclub beginnen")
    api.wait_for_message(ANNA, "Genoteerd")
    api.send_text(ANNA, "/export")
    api.wait_for_message(ANNA, "Wat wil je exporteren")
    press(api, ANNA, "Taalcafé Noord")
    api.wait_for_message(ANNA, "In welk formaat")
    settle(api)
    before = len(api.bot_messages(ANNA))
    asked = datetime.now(UTC)
    press(api, ANNA, "Word")
    upload = api.wait_for(lambda: next((u for u in api.uploads if u["chat_id"] == ANNA), None),
                          timeout=60, what="the Word export")  # made in the heavy-work process
    settle(api)
    # Before: "Hier is je export (37 kB)." as a message, then the file as a second one.
    [message] = messages_since(api, before)
    assert message["document"]["file_name"].endswith(".docx")
    assert message["caption"].startswith("Hier is je export (")
    assert not any("Hier is je export" in (m.get("text") or "") for m in api.bot_messages(ANNA))

    props = python_docx.Document(io.BytesIO(upload["content"])).core_properties
    assert props.author == "Anna"  # before: python-docx
    assert abs(props.created - asked) < timedelta(minutes=1)  # before: 23 December 2013
    assert props.language == "nl-NL" and "Taalcafé Noord" in props.title


def test_an_outdated_button_gets_one_answer_that_says_where_she_is(
        api: FakeBotAPI, bot: BotProcess) -> None:
    onboard(api)
    menu = api.last_bot_message(ANNA)
    assert menu is not None and "Je werkt nu met Taalcafé Noord" in menu["text"]
    api.send_text(ANNA, "/fase")
    phases = api.wait_for_message(ANNA, "De zes fasen")
    press(api, ANNA, "1. Strategie")
    api.wait_for(lambda: "(0/5)" in api.message(ANNA, phases["message_id"])["text"],
                 what="the checklist in place of the phases")
    settle(api)
    before = len(api.bot_messages(ANNA))
    edits = len(api.calls_to("editMessageText"))
    old = next(b["callback_data"] for row in menu["reply_markup"]["inline_keyboard"]
               for b in row if "Doelen" in b["text"])
    query = api.press(ANNA, menu["message_id"], old)
    api.wait_for(lambda: any(a["callback_query_id"] == query for a in api.callback_answers),
                 what="the outdated press answered")
    settle(api)
    [answer] = [a for a in api.callback_answers if a["callback_query_id"] == query]
    assert "eerdere stap" in answer["text"] and "Fase 1 · Strategie in kaart" in answer["text"]
    assert len(answer["text"]) <= MAX_CALLBACK_ANSWER
    # Before: the toast, plus a second copy of the checklist she had on screen.
    assert len(api.bot_messages(ANNA)) == before
    assert len(api.calls_to("editMessageText")) == edits
    # The checklist she has still works.
    press(api, ANNA, "Beleidsplan")
    api.wait_for(lambda: "(1/5)" in api.message(ANNA, phases["message_id"])["text"],
                 what="the tick")


def test_buttons_from_data_are_cut_at_a_word_and_conversations_told_apart(
        api: FakeBotAPI, bot: BotProcess) -> None:
    onboard(api)
    api.send_text(ANNA, "/gesprek Fatima")
    api.wait_for_message(ANNA, "🗣️ Vraag 1/8")
    for note in ("Ze werkt bij de kinderopvang", "Ze is er al tien jaar"):
        api.send_text(ANNA, note)
    api.wait_for(lambda: len(api.calls_to("setMessageReaction")) == 2, what="two ✍ reactions")
    press(api, ANNA, "Alle vragen")
    listed = api.wait_for_message(ANNA, "Alle vragen, in de volgorde")
    questions = [text for text in labels(listed) if text[:1].isdigit()]
    # Before: "✍️ 2 1. Wat voor werk doe je, en hoe ben je erbij betrokken " (cut at 60).
    assert questions[0] == "1. Wat voor werk doe je, en hoe ben je erbij betrokken… ✍️ 2"
    for text in questions:
        question = text.rsplit(" ", 2 if "✍️" in text else 1)[0]
        assert len(text) <= 64 and question.endswith(("…", "?")), text

    press(api, ANNA, "Einde")
    api.wait_for_message(ANNA, "meerwaarde")
    for label in ("Ja", "Overslaan", "Ja", "Overslaan", "Overslaan"):
        settle(api)
        press(api, ANNA, label)
    api.wait_for_message(ANNA, "Gesprek vastgelegd")
    api.send_text(ANNA, "/gesprek")
    api.wait_for_message(ANNA, "Met wie praat je?")
    press(api, ANNA, "Fatima")
    api.wait_for_message(ANNA, "Vorige keer")
    api.send_text(ANNA, "/samenvatting")
    summary = api.wait_for_message(ANNA, "Community: Taalcafé Noord")
    picks = [text for text in labels(summary) if "Fatima" in text]
    # Before: "2026-12-07 · Fatima" twice.
    assert len(picks) == 2 and len(set(picks)) == 2
    assert picks[1].endswith("· Fatima (vervolg)") and ", " in picks[0].split(" · ")[0]
