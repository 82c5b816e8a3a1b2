"""Voice notes as a librarian meets them: the real handlers' bot on the fake Bot API server
(in process), the real download, the real worker and model, the service with every feature."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import jsonschema

from bot.app.service import Incoming, Media, Outcome
from bot.features.export.files import csv_rows, render
from bot.features.export.options import Options
from bot.telegram.media import fetch_pending
from storage.export import everything, schema, snapshot
from storage.talk import TalkRepo
from storage.transcriptions import TranscriptionRepo
from tests.bot.features.voice.conftest import ANNA, Field
from tests.bot.features.voice.recordings import AUDIO, heard


def markdown_report(data: dict[str, Any], catalog: Any) -> str:
    return render(data, catalog, "md", Options(appendix=True)).decode("utf-8")


async def voice_note(field: Field, name: str, *, download: bool = True) -> dict:
    """Anna sends a recording; the bot keeps it (and fetches the file, unless told not to)."""
    message = field.api.send_voice(ANNA, (AUDIO / name).read_bytes())
    field.chat._go(Incoming(kind="other", other="voice", message_id=message["message_id"],
                            media=Media(kind="voice", file_id=message["voice"]["file_id"])))
    if download:
        await fetch_pending(field.bot, field.service)
    return message


async def transcribe(field: Field) -> None:
    while field.worker.run_one():
        pass
    await field.voice.show(field.messenger)


def reply(field: Field, text: str, to: int) -> Outcome:
    return field.chat._go(Incoming(kind="text", text=text, reply_to=to))


def jobs(field: Field) -> list[tuple[str, int]]:
    return [tuple(r) for r in field.store.db.execute(  # type: ignore[misc]
        "SELECT status, attempts FROM transcriptions ORDER BY id").fetchall()]


async def test_a_field_note_becomes_its_transcript_shown_as_a_silent_reply(field: Field) -> None:
    field.chat.onboard()
    message = await voice_note(field, "nl_taalcafe.ogg")
    assert "Bewaard als notitie" in field.chat.text()  # acknowledged at once, as before
    await transcribe(field)
    [shown] = field.replies_to(message["message_id"])
    assert shown["text"].startswith("🎙 ") and heard("nl_taalcafe.ogg", shown["text"])
    call = next(c for c in field.api.calls_to("sendMessage") if c["text"] == shown["text"])
    assert call["disable_notification"] is True
    note = field.store.notes(field.store.user_by_telegram(ANNA).id)[-1]  # type: ignore[union-attr]
    assert heard("nl_taalcafe.ogg", note.text) and Path(note.file_path or "").is_file()
    assert note.text in shown["text"]  # the note holds what the chat showed
    field.chat.send("/zoek taalcafé nieuwkomers")
    assert "nieuwkomers" in field.chat.text()
    data = snapshot(field.store, note.user_id)
    assert f"🎙 {note.text}" in markdown_report(data, field.service.catalog)
    row = csv_rows(data, field.service.catalog)[1]
    assert row[-1][-1] == f"Spraakbericht: 🎙 {note.text}"
    assert data["communities"][0]["notes"][-1]["speech"] == "automatic"
    jsonschema.validate(data, schema())
    await field.voice.show(field.messenger)  # shown once
    assert len(field.replies_to(message["message_id"])) == 1


async def test_a_failed_download_is_transcribed_once_the_retry_succeeds(field: Field) -> None:
    field.chat.onboard()
    message = await voice_note(field, "nl_taalcafe.ogg", download=False)
    field.api.fail_file(message["voice"]["file_id"], 500)
    assert await fetch_pending(field.bot, field.service) == 0
    assert jobs(field) == []  # nothing to transcribe before the file is here
    field.api.fail_file(message["voice"]["file_id"], 0)  # reachable again
    real = field.store.clock
    field.store.clock = lambda: real() + timedelta(minutes=2)  # past the retry's wait
    assert await fetch_pending(field.bot, field.service) == 1
    assert jobs(field) == [("queued", 0)]
    await transcribe(field)
    assert jobs(field) == [("done", 1)]
    [shown] = field.replies_to(message["message_id"])
    assert heard("nl_taalcafe.ogg", shown["text"])


async def test_silence_and_an_empty_recording_say_so_and_keep_the_audio(field: Field) -> None:
    field.chat.onboard()
    silent = await voice_note(field, "silent.ogg")
    empty = await voice_note(field, "empty.ogg")
    await transcribe(field)
    assert jobs(field) == [("empty", 1), ("empty", 1)]
    for message in (silent, empty):
        [shown] = field.replies_to(message["message_id"])
        assert shown["text"] == ("🎙 In dit bericht hoor ik geen woorden."
                                 " Het geluid blijft bewaard bij je notitie.")
    user = field.store.user_by_telegram(ANNA)
    assert user is not None
    notes = field.store.notes(user.id)
    assert all(n.text == "" and Path(n.file_path or "").is_file() for n in notes[-2:])
    text = markdown_report(snapshot(field.store, user.id), field.service.catalog)
    assert text.count("🎙 (geen woorden gehoord)") == 2


async def test_a_file_that_is_not_audio_fails_once_and_is_said_once(field: Field) -> None:
    field.chat.onboard()
    message = field.api.send_voice(ANNA, b"%PDF-1.4 not a recording at all")
    field.chat._go(Incoming(kind="other", other="voice", message_id=message["message_id"],
                            media=Media(kind="voice", file_id=message["voice"]["file_id"])))
    await fetch_pending(field.bot, field.service)
    await transcribe(field)
    await field.voice.show(field.messenger)
    assert jobs(field) == [("failed", 1)]  # the same bytes fail the same way: not retried
    [shown] = field.replies_to(message["message_id"])
    assert "kon ik niet omzetten in tekst" in shown["text"]
    user = field.store.user_by_telegram(ANNA)
    assert user is not None
    note = field.store.notes(user.id)[-1]
    assert Path(note.file_path or "").read_bytes().startswith(b"%PDF")  # the file is kept
    header, rows = csv_rows(snapshot(field.store, user.id), field.service.catalog)
    assert rows[-1][-1] == "Spraakbericht: 🎙 (niet omgezet in tekst)"


async def test_a_correction_replaces_the_transcript_and_keeps_the_automatic_text(
        field: Field) -> None:
    field.chat.onboard()
    message = await voice_note(field, "nl_taalcafe.ogg")
    await transcribe(field)
    [shown] = field.replies_to(message["message_id"])
    fixed = "Ze organiseert elke week een taalcafé voor nieuwkomers in de bibliotheek."
    user = field.store.user_by_telegram(ANNA)
    assert user is not None
    automatic = field.store.notes(user.id)[-1].text
    assert heard("nl_taalcafe.ogg", automatic) and automatic != fixed
    first = reply(field, fixed, shown["message_id"])
    again = reply(field, fixed, shown["message_id"])  # sent twice: applied once
    assert first.ack and again.ack and not first.replies and not again.replies
    note = field.store.notes(user.id)[-1]
    assert note.text == fixed
    history = TalkRepo(field.store).history(user.id, "notes", note.id)
    assert history == [automatic]  # the model's words are kept beside the correction
    data = snapshot(field.store, user.id)
    assert data["communities"][0]["notes"][-1]["speech"] == "corrected"
    assert "🎙" not in markdown_report(data, field.service.catalog)  # the librarian's now
    reply(field, "Gewoon een notitie als antwoord op iets anders", 1)
    assert "Genoteerd" in field.chat.text()  # a reply to any other message is a note


async def test_a_live_voice_note_fills_the_summary_with_its_follow_up(field: Field) -> None:
    field.chat.onboard()
    start_talk(field)
    message = field.api.send_voice(ANNA, (AUDIO / "nl_actie.ogg").read_bytes())
    outcome = field.chat._go(Incoming(
        kind="other", other="voice", message_id=message["message_id"],
        media=Media(kind="voice", file_id=message["voice"]["file_id"])))
    assert outcome.ack and not outcome.replies  # live mode stays quiet
    await fetch_pending(field.bot, field.service)
    end_talk(field)  # ended before the transcript came: the summary is made again after it
    await transcribe(field)
    summary = field.store.db.execute("SELECT summary FROM conversations").fetchone()[0]
    assert "🎙" in summary and "in de bibliotheek regelen" in summary
    user = field.store.user_by_telegram(ANNA)
    assert user is not None
    data = snapshot(field.store, user.id)
    [turn] = [t for t in data["communities"][0]["conversations"][0]["turns"]
              if t["kind"] == "voice"]
    assert turn["speech"] == "automatic"
    assert "🎙 " in markdown_report(data, field.service.catalog)
    jsonschema.validate(data, schema())
    assert summary.index("in de bibliotheek regelen") > summary.index("Vervolgacties")

    [shown] = field.replies_to(message["message_id"])
    reply(field, "Ze wil graag meedoen.\nactie: de zaal in de bibliotheek reserveren",
          shown["message_id"])  # a correction after the conversation has ended
    summary = field.store.db.execute("SELECT summary FROM conversations").fetchone()[0]
    assert "de zaal in de bibliotheek reserveren" in summary and "🎙" not in summary


async def test_forget_removes_jobs_transcripts_and_audio(field: Field) -> None:
    field.chat.onboard()
    message = await voice_note(field, "nl_taalcafe.ogg")
    await transcribe(field)
    user = field.store.user_by_telegram(ANNA)
    assert user is not None
    records = everything(field.store, user.id)["records"]  # /mijngegevens holds it all
    assert heard("nl_taalcafe.ogg", records["transcriptions"][0]["text"])
    assert records["transcription_messages"][0]["message_id"] == field.replies_to(
        message["message_id"])[0]["message_id"]
    audio = Path(field.store.notes(user.id)[-1].file_path or "")
    assert audio.is_file()
    field.chat.send("/vergeetmij")
    field.chat.press("Ja, wis alles")
    for table in ("transcriptions", "transcription_messages", "notes", "edits"):
        assert field.store.db.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
    assert not audio.exists()


async def test_transcription_off_queues_nothing(field: Field) -> None:
    from dataclasses import replace

    field.service.defaults = replace(field.service.defaults, transcribe=False)
    field.chat.onboard()
    await voice_note(field, "nl_taalcafe.ogg")
    assert jobs(field) == []
    repo = TranscriptionRepo(field.store)
    assert [r[1] for r in repo.untranscribed()] == ["notes"]  # for `transcribe --pending`


def start_talk(field: Field) -> None:
    for text in ("/gesprek", "Fatima", "voorzitter", "Vrouwen van de Wijk", "Buurthuis"):
        field.chat.send(text)


def end_talk(field: Field) -> None:
    field.chat.press("Einde")
    for _ in range(2):
        field.chat.press("Ja")
        field.chat.press("Overslaan")
    field.chat.press("Overslaan")


async def test_an_english_librarian_gets_english_words_and_texts(field: Field) -> None:
    field.chat.onboard()
    user = field.store.user_by_telegram(ANNA)
    assert user is not None
    with field.store.atomic():
        field.store.set_language(user.id, "en")
    message = await voice_note(field, "en_volunteers.ogg")
    await transcribe(field)
    [shown] = field.replies_to(message["message_id"])
    assert shown["text"].startswith("🎙 ") and heard("en_volunteers.ogg", shown["text"])
    assert "Reply to this message with the right text" in shown["text"]


async def test_a_voice_note_at_a_question_becomes_the_answer_with_one_tap(field: Field) -> None:
    field.chat.onboard()
    field.chat.send("/doelen")
    field.chat.press("🔭 Visie")
    field.chat.press("Visie formuleren")
    assert "Het doel voor de bibliotheek" in field.chat.text()
    message = await voice_note(field, "nl_taalcafe.ogg")
    assert "met één tik als antwoord" in field.chat.text()  # kept, and the question waits
    await transcribe(field)
    [shown] = field.replies_to(message["message_id"])
    [[button]] = shown["reply_markup"]["inline_keyboard"]
    assert button["text"] == "✅ Als antwoord gebruiken"
    field.chat.press_data(button["callback_data"])
    assert "Het doel voor de deelnemers" in field.chat.text() or "2/4" in field.chat.text()
    user = field.store.user_by_telegram(ANNA)
    assert user is not None and user.active_community is not None
    answer = field.store.answers(user.active_community)["vision.library_goal"]
    assert heard("nl_taalcafe.ogg", answer) and answer in shown["text"]
    again = field.chat.press_data(button["callback_data"])  # the question has passed
    assert again.notice == (
        "Je bent al verder dan die vraag; je spraakbericht is bewaard als notitie.")
    assert field.store.notes(user.id)[-1].text == answer  # kept as a note


async def test_an_audio_file_and_a_round_video_note_are_transcribed_too(field: Field) -> None:
    field.chat.onboard()
    audio = field.api.send_audio(ANNA, (AUDIO / "nl_taalcafe.ogg").read_bytes(),
                                 file_name="gesprek.ogg", caption="na afloop")
    video = field.api.send_video_note(ANNA, (AUDIO / "round_video.mp4").read_bytes())
    for message, kind in ((audio, "audio"), (video, "video_note")):
        field.chat._go(Incoming(kind="other", other=kind, message_id=message["message_id"],
                                media=Media(kind=kind, file_id=message[kind]["file_id"],
                                            caption=message.get("caption", ""))))
    await fetch_pending(field.bot, field.service)
    await transcribe(field)
    for message in (audio, video):
        [shown] = field.replies_to(message["message_id"])
        assert heard("nl_taalcafe.ogg", shown["text"])
    user = field.store.user_by_telegram(ANNA)
    assert user is not None
    audio_note, video_note = field.store.notes(user.id)[-2:]
    caption, _, spoken = audio_note.text.partition("\n")
    assert caption == "na afloop" and heard("nl_taalcafe.ogg", spoken)  # the caption first
    assert audio_note.file_path and audio_note.file_path.endswith(".ogg")
    assert video_note.file_path and video_note.file_path.endswith(".mp4")
