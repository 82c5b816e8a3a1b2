"""Closed by default, through the real bot process: claim the bot, invite a colleague, refuse
a stranger, export as Word, and forget the colleague without a trace."""

from __future__ import annotations

import io
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import docx as python_docx
import pytest

from tests.access_helpers import leftovers
from tests.e2e.harness import BotProcess, press, settle
from tests.fakebotapi import BOT_USERNAME, FakeBotAPI

pytestmark = pytest.mark.e2e
ANNA = 1001  # claims the bot
BRAM = 770_022_334  # joins through Anna's invite link
STRANGER = 880_033_445
SECRET = "Kievitsbloem"


def onboard(api: FakeBotAPI, user: int, community: str) -> None:
    api.wait_for_message(user, "Met welke community werk je?")
    api.send_text(user, community)
    api.wait_for_message(user, "Rond welk thema")
    api.send_text(user, "samen tuinieren")
    api.wait_for_message(user, f"Je werkt nu met {community}")


def test_claim_invite_refuse_export_and_forget(api: FakeBotAPI,
                                               bot_factory: Callable[..., BotProcess],
                                               tmp_path: Path) -> None:
    bot = bot_factory({"VELDGIDS_ADMINS": ""}).start()
    claim = api.wait_for(lambda: re.search(r"/start (\S+)", bot.output()),
                         what="the claim code on the console")[1]
    assert f"https://t.me/{BOT_USERNAME}?start={claim}" in bot.output()

    # Before anyone claimed it, even would-be librarians are strangers.
    api.send_text(STRANGER, "Hallo, ik wil graag meedoen", first_name="Eve")
    api.wait_for_message(STRANGER, "alleen voor uitgenodigde bibliothecarissen")

    api.send_text(ANNA, f"/start {claim}", first_name="Anna", language_code="nl")
    api.wait_for_message(ANNA, "Je bent nu beheerder van Veldgids")
    onboard(api, ANNA, "Taalcafé Noord")

    api.send_text(ANNA, "/uitnodigen")
    invite = api.wait_for_message(ANNA, "Stuur deze link naar je collega")
    link = re.search(rf"https://t\.me/{BOT_USERNAME}\?start=(\S+)", invite["text"])
    assert link, invite["text"]
    api.send_text(BRAM, f"/start {link[1]}", first_name="Bram", language_code="nl")
    api.wait_for_message(BRAM, "Je uitnodiging is aangenomen")
    onboard(api, BRAM, "Moestuin Oost")
    api.send_text(BRAM, f"{SECRET} wil een zadenbibliotheek beginnen #zaden")
    api.wait_for_message(BRAM, "Genoteerd bij Moestuin Oost")
    api.send_text(ANNA, "Fatima zoekt ruimte voor het taalcafé #ruimte")
    api.wait_for_message(ANNA, "Genoteerd bij Taalcafé Noord")

    # The claim code is spent; the stranger is not answered twice on one day.
    api.send_text(STRANGER, f"/start {claim}")
    api.send_text(STRANGER, "Hallo?")
    settle(api)
    assert len(api.bot_messages(STRANGER)) == 1

    api.send_text(BRAM, "/export")
    api.wait_for_message(BRAM, "Wat wil je exporteren")
    press(api, BRAM, "Alles")
    api.wait_for_message(BRAM, "In welk formaat")
    press(api, BRAM, "Bijlage erbij")  # the notes themselves are in the appendix
    api.wait_for_message(BRAM, "Bijlage met gesprekken en alle notities: ja")
    press(api, BRAM, "Word")
    upload = api.wait_for(lambda: next((u for u in api.uploads if u["chat_id"] == BRAM), None),
                          what="the exported document")
    assert upload["method"] == "sendDocument" and upload["file_name"].endswith(".docx")
    body = "\n".join(p.text for p in python_docx.Document(io.BytesIO(upload["content"]))
                     .paragraphs)
    assert SECRET in body and "Moestuin Oost" in body and "Taalcafé" not in body

    api.send_text(BRAM, "/vergeetmij")
    api.wait_for_message(BRAM, "niet ongedaan")
    press(api, BRAM, "Ja, wis alles")
    api.wait_for_message(BRAM, "is gewist")
    settle(api)
    assert bot.terminate() == 0

    db_path = tmp_path / "veldgids.db"
    db = sqlite3.connect(db_path)
    try:
        assert db.execute("SELECT count(*) FROM users WHERE telegram_id = ?",
                          (STRANGER,)).fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM inbox").fetchone()[0] == 0
        assert db.execute("SELECT sum(count) FROM stranger_counts").fetchone()[0] == 3
        names = [r[0] for r in db.execute("SELECT name FROM users")]
        assert names == ["Anna"]
        assert db.execute("SELECT count(*) FROM notes").fetchone()[0] == 1
    finally:
        db.close()
    assert leftovers(db_path, tmp_path / "data", [SECRET, "Moestuin Oost", "Eve"], BRAM,
                     user_id=2) == []
    assert leftovers(db_path, tmp_path / "data", ["Eve", "ik wil graag meedoen"], STRANGER,
                     user_id=-1) == []
    output = bot.output()
    assert SECRET not in output and link[1] not in output  # nothing personal in the log
