"""A fieldwork day through the real bot process and the fake Bot API server: a conversation
in two messages that ticks phase 4, a phase 2 scan that reaches the summary and the
Markdown export, and a refused answer that is one message."""

from __future__ import annotations

import pytest

from tests.e2e.harness import BotProcess, press, settle
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e
ANNA = 1001


def sent(api: FakeBotAPI) -> int:
    """How many messages the bot has sent so far (edits of a message are not new ones)."""
    return len(api.calls_to("sendMessage"))


def onboard(api: FakeBotAPI) -> None:
    api.send_text(ANNA, "/start")
    api.wait_for_message(ANNA, "Met welke community werk je?")
    api.send_text(ANNA, "Taalcafé Noord")
    api.wait_for_message(ANNA, "Rond welk thema")
    api.send_text(ANNA, "taal en ontmoeting")
    api.wait_for_message(ANNA, "Je werkt nu met Taalcafé Noord")
    settle(api)


def test_gesprek_with_a_name_reaches_question_1_in_at_most_two_messages_and_ticks_phase_4(
        api: FakeBotAPI, bot: BotProcess) -> None:
    onboard(api)
    before = sent(api)
    api.send_text(ANNA, "/gesprek Fatima")
    first = api.wait_for_message(ANNA, "🗣️ Vraag 1/8")
    settle(api)
    assert sent(api) - before <= 2
    assert "Open gesprek met Fatima" in first["text"]
    assert "🤝 Eerste gesprek met Fatima" in first["text"]

    api.send_text(ANNA, "Ze leidt al drie jaar het taalcafé voor nieuwkomers")
    api.wait_for(lambda: len(api.reactions) >= 1, what="the quiet ✍ reaction")
    press(api, ANNA, "Ik vertelde ook over mezelf")
    press(api, ANNA, "Einde")
    api.wait_for_message(ANNA, "meerwaarde voor beide partijen")
    press(api, ANNA, "Ja")
    api.wait_for_message(ANNA, "Waarom?")
    api.send_text(ANNA, "Wij bereiken nieuwkomers, zij krijgen ruimte")
    api.wait_for_message(ANNA, "gemotiveerd om samen op te trekken")
    press(api, ANNA, "Ja")
    api.wait_for_message(ANNA, "Waaraan merk je dat")
    press(api, ANNA, "Overslaan")
    api.wait_for_message(ANNA, "geslaagde samenwerking er voor Fatima")
    press(api, ANNA, "Overslaan")
    done = api.wait_for_message(ANNA, "Fase 4 bijgewerkt")
    assert done["text"].startswith("Gesprek vastgelegd.")  # one message with the summary
    assert "Gesprek met Fatima" in done["text"] and "(5/5)" in done["text"]

    api.send_text(ANNA, "/samenvatting")
    overview = api.wait_for_message(ANNA, "Community: Taalcafé Noord")
    assert "Fase 4 · Ken je community: 5/5 ✓" in overview["text"]

    before = sent(api)
    api.send_text(ANNA, "/gesprek")
    api.wait_for_message(ANNA, "Met wie praat je?", newer_than=done["message_id"])
    press(api, ANNA, "Fatima")
    follow = api.wait_for_message(ANNA, "Vervolggesprek met Fatima")
    settle(api)
    assert sent(api) - before == 1  # the question "who?" became the follow-up's question
    assert "🗣️ Vraag 2/8" in follow["text"] and "🤝" not in follow["text"]


def test_a_new_person_typed_after_gesprek_is_question_1_in_two_messages(
        api: FakeBotAPI, bot: BotProcess) -> None:
    onboard(api)
    before = sent(api)
    api.send_text(ANNA, "/gesprek")
    api.wait_for_message(ANNA, "Met wie praat je?")
    api.send_text(ANNA, "Bram, buurtbewoner")
    api.wait_for_message(ANNA, "🗣️ Vraag 1/8")
    settle(api)
    assert sent(api) - before == 2


def test_a_phase_2_scan_answer_reaches_the_summary_and_the_markdown_export(
        api: FakeBotAPI, bot: BotProcess) -> None:
    onboard(api)
    api.send_text(ANNA, "/fase")
    api.wait_for_message(ANNA, "De zes fasen voor Taalcafé Noord")
    press(api, ANNA, "1. Strategie")
    api.wait_for_message(ANNA, "Fase 1 · Strategie in kaart (0/5)")
    for number, item in enumerate(("Beleidsplan", "Organisatiedoelen", "Helder waar",
                                   "Weet welke"), start=1):
        press(api, ANNA, item)
        api.wait_for(lambda n=number: any(f"({n}/5)" in (m.get("text") or "")
                                          for m in api.bot_messages(ANNA)), what=f"{number}/5")
    # Typed at the checklist, the frame is offered to its item: one tap files it there.
    api.send_text(ANNA, "We staan voor taal, ontmoeting en meedoen in de wijk")
    api.wait_for_message(ANNA, "Is dit je antwoord bij ‘Kapstok in eigen woorden")
    press(api, ANNA, "Ja, bewaar het daar")
    filed = api.wait_for_message(ANNA, "(5/5)")
    press(api, ANNA, "Alle fasen")
    api.wait_for(lambda: "2. Kies je community" in str(api.message(ANNA, filed["message_id"])),
                 what="the phases in place of the checklist")
    press(api, ANNA, "2. Kies je community")
    api.wait_for_message(ANNA, "Fase 2 · Kies je community (0/5)")
    press(api, ANNA, "Themascan")
    api.wait_for_message(ANNA, "Themascan. Op welke onderwerpen")
    finding = "In de wijk speelt eenzaamheid onder oudere nieuwkomers"
    api.send_text(ANNA, finding)
    api.wait_for_message(ANNA, "1 antwoord:")
    press(api, ANNA, "Klaar")
    checklist = api.wait_for_message(ANNA, "Fase 2 · Kies je community (1/5)")
    assert f"• Themascan: {finding}" in checklist["text"]

    api.send_text(ANNA, "/samenvatting")
    summary = api.wait_for_message(ANNA, "Community: Taalcafé Noord")
    assert f"• Themascan: {finding}" in summary["text"]

    api.send_text(ANNA, "/export")
    api.wait_for_message(ANNA, "Wat wil je exporteren")
    press(api, ANNA, "Taalcafé Noord")
    api.wait_for_message(ANNA, "In welk formaat")
    press(api, ANNA, "Markdown")
    upload = api.wait_for(lambda: next((u for u in api.uploads if u["chat_id"] == ANNA), None),
                          what="the Markdown export")
    markdown = upload["content"].decode("utf-8")
    assert upload["file_name"].endswith(".md")
    assert "- [x] Themascan" in markdown and finding in markdown
    # The report opens with the community at a glance, the route of the phases after it.
    assert markdown.index("### In één oogopslag") < markdown.index("### De route: fasen")


def test_a_refused_answer_is_one_message(api: FakeBotAPI, bot: BotProcess) -> None:
    api.send_text(ANNA, "/start")
    api.wait_for_message(ANNA, "Met welke community werk je?")
    settle(api)
    before = sent(api)
    api.send_text(ANNA, "Taalcafé " * 12)  # over 80 characters
    refused = api.wait_for_message(ANNA, "te lang")
    settle(api)
    assert sent(api) - before == 1
    assert refused["text"].index("te lang") < refused["text"].index("Met welke community")
