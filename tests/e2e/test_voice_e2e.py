"""Voice notes through the real bot process, its real transcription worker and the packaged
base model; the fake Bot API server serves the recordings through getFile like Telegram."""

from __future__ import annotations

import os
import signal
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.bot.features.voice.recordings import AUDIO, heard
from tests.e2e.harness import BotProcess, press, settle
from tests.e2e.test_talk_e2e import ANNA, onboard, question_shown
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e


def transcript_reply(api: FakeBotAPI, voice: dict, timeout: float = 60) -> dict:
    """The bot's reply to this voice message (a transcript, or why there is none)."""
    return api.wait_for(lambda: next(
        (m for m in api.bot_messages(ANNA)
         if (m.get("reply_to_message") or {}).get("message_id") == voice["message_id"]), None),
        timeout=timeout, what="the transcript as a reply to the voice message")


def start_talk(api: FakeBotAPI) -> None:
    onboard(api)
    api.send_text(ANNA, "/gesprek Fatima, voorzitter, Vrouwen van de Wijk, Buurthuis De Linde")
    question_shown(api, 1)


def test_a_voice_note_in_live_mode_becomes_a_quiet_transcript_found_everywhere(
        api: FakeBotAPI, bot: BotProcess, tmp_path: Path) -> None:
    start_talk(api)
    voice = api.send_voice(ANNA, (AUDIO / "nl_taalcafe.ogg").read_bytes(), duration=12)
    api.wait_for(lambda: any(r["message_id"] == voice["message_id"] for r in api.reactions),
                 what="the quiet ✍ for the voice note")
    shown = transcript_reply(api, voice)
    assert shown["text"].startswith("🎙 ") and heard("nl_taalcafe.ogg", shown["text"])
    db = sqlite3.connect(tmp_path / "veldgids.db")
    [(spoken,)] = db.execute("SELECT text FROM transcript WHERE kind = 'voice'").fetchall()
    assert f"🎙 {spoken}" in shown["text"]  # what the chat showed is what was kept
    sent = next(c for c in api.calls_to("sendMessage") if c["text"] == shown["text"])
    assert sent["disable_notification"] is True  # silent: no buzz in the middle of a talk
    assert "Beantwoord dit bericht" in shown["text"]  # how to correct it, said the first times

    api.send_text(ANNA, "/zoek nieuwkomers")
    found = api.wait_for_message(ANNA, "voor ‘nieuwkomers’")
    assert "Gesprek met Fatima" in found["text"]  # the hit says where it was written

    press(api, ANNA, "Einde")
    api.wait_for_message(ANNA, "meerwaarde voor beide partijen")
    press(api, ANNA, "Ja")
    api.wait_for_message(ANNA, "Waarom?")
    api.send_text(ANNA, "Wij bereiken nieuwkomers")
    api.wait_for_message(ANNA, "gemotiveerd om samen op te trekken")
    press(api, ANNA, "Ja")
    api.wait_for_message(ANNA, "Waaraan merk je dat")
    api.send_text(ANNA, "Ze kwamen zelf met ideeën")
    api.wait_for_message(ANNA, "geslaagde samenwerking er voor Fatima")
    api.send_text(ANNA, "Een taalcafé in de bibliotheek")
    # The summary, not the search hit above it, which names the conversation too.
    summary = api.wait_for(lambda: next((m for m in api.bot_messages(ANNA)
                                         if "Gesprek met Fatima" in m["text"]
                                         and "🔎" not in m["text"]), None),
                           what="the conversation's summary")
    assert f"🎙 {spoken.split('.')[0]}" in summary["text"]

    api.send_text(ANNA, "/export")
    api.wait_for_message(ANNA, "Wat wil je exporteren")
    press(api, ANNA, "Alles")
    api.wait_for_message(ANNA, "In welk formaat")
    press(api, ANNA, "Bijlage erbij")  # the notes themselves are in the appendix
    api.wait_for_message(ANNA, "Bijlage met gesprekken en alle notities: ja")
    press(api, ANNA, "Markdown")
    upload = api.wait_for(lambda: next((u for u in api.uploads if u["chat_id"] == ANNA), None),
                          what="the Markdown export", timeout=60)
    markdown = upload["content"].decode("utf-8")
    assert f"🎙 {spoken}" in markdown
    settle(api)
    row = db.execute("SELECT t.file_path, j.status, j.attempts FROM transcript t"
                     " JOIN transcriptions j ON j.ref_id = t.id WHERE t.kind = 'voice'").fetchone()
    assert Path(row[0]).read_bytes() == (AUDIO / "nl_taalcafe.ogg").read_bytes()  # audio kept
    assert row[1:] == ("done", 1)
    assert bot.log_count("transcription worker ready") == 1


def test_worker_killed_mid_job_resumes_and_shows_the_transcript_once(
        api: FakeBotAPI, bot: BotProcess, tmp_path: Path) -> None:
    onboard(api)
    voice = api.send_voice(ANNA, (AUDIO / "long.ogg").read_bytes(), duration=604)
    db = sqlite3.connect(tmp_path / "veldgids.db")
    running = api.wait_for(lambda: db.execute(
        "SELECT worker FROM transcriptions WHERE status = 'running'").fetchone(),
        timeout=30, what="the worker to start on the ten-minute note")
    os.kill(int(running[0]), signal.SIGKILL)
    bot.wait_for_log("transcription worker ended with -9")
    shown = transcript_reply(api, voice, timeout=90)
    assert "bibliotheek" in shown["text"]
    settle(api)
    assert db.execute("SELECT status, attempts FROM transcriptions").fetchall() == [("done", 2)]
    replies = [m for m in api.bot_messages(ANNA)
               if (m.get("reply_to_message") or {}).get("message_id") == voice["message_id"]]
    assert len(replies) == 1  # done once, shown once
    note = db.execute("SELECT text FROM notes WHERE kind = 'voice'").fetchone()[0]
    assert "bibliotheek" in note


def test_a_damaged_model_keeps_voice_notes_and_tells_the_admin(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    folder = cache / "veldgids" / "models" / "whisper-base-905e5bf8336b"
    folder.mkdir(parents=True)
    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.json"):
        (folder / name).write_bytes(b"not the published model")
    api.add_private_chat(ANNA)  # an admin who has talked to the bot before
    bot = bot_factory({"XDG_CACHE_HOME": str(cache)}).start()
    warning = api.wait_for_message(ANNA, "niet omgezet in tekst", timeout=20)
    assert "SHA-256" in warning["text"]
    assert bot.log_count("transcription is off") == 1
    onboard(api)
    voice = api.send_voice(ANNA, (AUDIO / "nl_taalcafe.ogg").read_bytes(), duration=12)
    api.wait_for_message(ANNA, "Bewaard als notitie")
    settle(api)
    db = sqlite3.connect(tmp_path / "veldgids.db")
    api.wait_for(lambda: db.execute("SELECT download FROM notes").fetchone() == ("ok",))
    assert db.execute("SELECT status FROM transcriptions").fetchall() == [("queued",)]
    assert not [m for m in api.bot_messages(ANNA)
                if (m.get("reply_to_message") or {}).get("message_id") == voice["message_id"]]
    assert bot.log_count("transcription worker started") == 0
