"""A whole open conversation through the real bot process and the fake Bot API server."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.harness import BotProcess, press, settle
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e
ANNA = 1001
PHOTO = b"\xff\xd8\xff\xe0" + b"JFIF-flyer-of-the-language-cafe" * 20

NOTES = {
    1: ["Fatima leidt al drie jaar het taalcafé voor nieuwkomers in de wijk"],
    2: ["Doel: nieuwkomers sneller Nederlands laten spreken en elkaar laten ontmoeten"],
    3: ["Ze zijn druk met het vinden van vrijwilligers voor de dinsdagavond"],
    4: ["Ze zijn sterk in gastvrijheid; iedereen wordt persoonlijk welkom geheten"],
    5: ["Probleem: de ruimte in het buurthuis is te klein geworden"],
    6: ["Ze zou graag zien dat het taalcafé ook kinderen opvangt"],
    7: ["Ze bieden vrijwilligers met veel talen en een groot netwerk"],
    8: ["Samenwerken: taalcafé in de bibliotheek, wij zorgen voor ruimte en boeken"],
}


def onboard(api: FakeBotAPI) -> None:
    api.send_text(ANNA, "/start")
    api.wait_for_message(ANNA, "Met welke community werk je?")
    api.send_text(ANNA, "Taalcafé Noord")
    api.wait_for_message(ANNA, "Rond welk thema")
    api.send_text(ANNA, "taal en ontmoeting")
    api.wait_for_message(ANNA, "Je werkt nu met Taalcafé Noord")


def question_shown(api: FakeBotAPI, number: int) -> None:
    api.wait_for(lambda: any(f"Vraag {number}/8" in (m.get("text") or "")
                             for m in api.bot_messages(ANNA)), what=f"question {number}")


def test_full_conversation_with_photo_edit_restart_reflection_search_and_summary(
        api: FakeBotAPI, bot: BotProcess, bot_factory: Callable[..., BotProcess],
        tmp_path: Path) -> None:
    onboard(api)
    api.send_text(ANNA, "/gesprek")
    api.wait_for_message(ANNA, "Met wie praat je?")
    api.send_text(ANNA, "Fatima, voorzitter, Vrouwen van de Wijk, Buurthuis De Linde")
    question_shown(api, 1)

    sent: dict[int, int] = {}
    for number in range(1, 9):
        question_shown(api, number)
        for text in NOTES[number]:
            message = api.send_text(ANNA, text)
            sent[number] = message["message_id"]
            api.wait_for(lambda m=message: any(r["message_id"] == m["message_id"]
                                               for r in api.reactions),
                         what="a quiet ✍ reaction instead of a chatty reply")
        if number == 3:
            photo = api.send_photo(ANNA, PHOTO, caption="flyer van het taalcafé")
            api.wait_for(lambda p=photo: any(r["message_id"] == p["message_id"]
                                             for r in api.reactions))
            press(api, ANNA, "Ik vertelde ook over mezelf")
        if number == 4:
            settle(api)
            bot.kill()
            api.send_text(ANNA, "Ze kennen veel mensen via de moskee en de school")
            bot = bot_factory().start()
            api.wait_for(lambda: len(api.reactions) >= 6, what="the note sent while down")
        press(api, ANNA, "Volgende vraag")
    api.wait_for(lambda: any("Dat was de laatste vraag" in (a.get("text") or "")
                             for a in api.calls_to("answerCallbackQuery")))

    api.edit_text(ANNA, sent[5], "Probleem: de ruimte in het buurthuis is echt te klein geworden")
    api.wait_for(lambda: any(r["message_id"] == sent[5] for r in api.reactions[-3:]))
    press(api, ANNA, "Einde")
    api.wait_for_message(ANNA, "meerwaarde voor beide partijen")
    press(api, ANNA, "Ja")
    api.wait_for_message(ANNA, "Waarom?")
    api.send_text(ANNA, "Wij bereiken nieuwkomers, zij krijgen ruimte")
    api.wait_for_message(ANNA, "gemotiveerd om samen op te trekken")
    press(api, ANNA, "Ja")
    api.wait_for_message(ANNA, "Waaraan merk je dat")
    api.send_text(ANNA, "Ze kwamen zelf met drie ideeën")
    api.wait_for_message(ANNA, "geslaagde samenwerking er voor Fatima")
    api.send_text(ANNA, "Elke dinsdag taalcafé in de bibliotheek")
    summary = api.wait_for_message(ANNA, "Gesprek met Fatima (voorzitter, Vrouwen van de Wijk)")
    text = summary["text"]
    assert "Buurthuis De Linde" in text and "10 notities" in text
    assert "taalcafé" in text.lower() and "nieuwkomers" in text.lower()
    assert "echt te klein" in text  # the edit made it into the summary
    assert "Elke dinsdag taalcafé in de bibliotheek" in text

    api.send_text(ANNA, "/zoek moskee")
    found = api.wait_for_message(ANNA, "voor ‘moskee’")
    assert "via de <b>moskee</b>" in found.get("html", found["text"]) or "moskee" in found["text"]
    assert "Gesprek met Fatima, vraag 4" in found["text"]
    # The hit's button opens the conversation it was noted in: its summary, once more.
    summaries = lambda: [m for m in api.bot_messages(ANNA)  # noqa: E731
                         if "Gesprek met Fatima (voorzitter" in (m.get("text") or "")]
    before = len(summaries())
    press(api, ANNA, "1. Gesprek met Fatima, vraag 4")
    api.wait_for(lambda: len(summaries()) == before + 1, what="the conversation opened")
    assert "via de moskee" in summaries()[-1]["text"]
    api.send_text(ANNA, "/samenvatting")
    overview = api.wait_for_message(ANNA, "Community: Taalcafé Noord")
    assert "Fatima" in overview["text"]
    settle(api)

    db = sqlite3.connect(tmp_path / "veldgids.db")
    librarian = db.execute("SELECT count(*) FROM transcript WHERE who = 'librarian'").fetchone()
    assert librarian == (10,)  # 9 typed + 1 photo, each exactly once
    photo_row = db.execute("SELECT question, file_id, download, file_path FROM transcript"
                           " WHERE kind = 'photo'").fetchone()
    assert photo_row[0] == "busy" and photo_row[2] == "ok"
    assert Path(photo_row[3]).read_bytes() == PHOTO
    assert db.execute("SELECT count(*) FROM edits").fetchone() == (1,)


def test_failed_download_keeps_the_note_and_retries(api: FakeBotAPI,
                                                    bot_factory: Callable[..., BotProcess],
                                                    tmp_path: Path) -> None:
    clock = tmp_path / "clock-offset"
    clock.write_text("0", encoding="utf-8")
    env = {"VELDGIDS_CLOCK_OFFSET_FILE": str(clock)}
    bot = bot_factory(env).start()
    onboard(api)
    message = api.send_photo(ANNA, PHOTO, caption="bord bij de ingang")
    file_id = message["photo"][-1]["file_id"]
    api.fail_file(file_id, status=500)
    api.wait_for_message(ANNA, "Bewaard als notitie")
    settle(api)
    db = sqlite3.connect(tmp_path / "veldgids.db")
    row = db.execute("SELECT text, file_id, download, download_tries FROM notes"
                     " WHERE kind = 'photo'").fetchone()
    assert row == ("bord bij de ingang", file_id, "pending", 1)
    bot.kill()
    api.fail_file(file_id, status=0)  # the file is reachable again
    clock.write_text("61", encoding="utf-8")  # past the first wait before a retry
    bot_factory(env).start()  # the retry job runs shortly after start
    api.wait_for(lambda: db.execute("SELECT download FROM notes WHERE kind = 'photo'")
                 .fetchone() == ("ok",), timeout=20, what="the retried download")
