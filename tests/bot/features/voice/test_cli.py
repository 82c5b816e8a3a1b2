"""`veldgids transcribe FILE | --pending` and the two settings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.ops.cli import main
from bot.ops.settings import Settings
from storage.store import Store
from storage.talk import TalkRepo
from tests.bot.features.voice.recordings import AUDIO, heard


def test_transcribe_prints_the_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["transcribe", str(AUDIO / "en_volunteers.ogg"), "--language", "en"]) == 0
    assert "We met the volunteers at the library" in capsys.readouterr().out


def test_transcribe_refuses_what_is_not_sound_in_one_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("geen geluid")
    assert main(["transcribe", str(text)]) == 1
    assert main(["transcribe", str(tmp_path / "gone.ogg")]) == 1
    assert main(["transcribe"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"veldgids: error: {text}: not a sound file (InvalidDataError)",
                   f"veldgids: error: no file {tmp_path / 'gone.ogg'}",
                   "veldgids: error: give an audio FILE or --pending (not both)"]


def test_pending_transcribes_old_voice_notes_without_chat_messages(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    db, data = tmp_path / "veldgids.db", tmp_path / "data"
    monkeypatch.setenv("VELDGIDS_DB", str(db))
    monkeypatch.setenv("VELDGIDS_DATA_DIR", str(data))
    store = Store(db)
    with store.atomic():  # a voice note from before transcription, and one still downloading
        user = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                                 telegram_id=1001)
        talk = TalkRepo(store)
        old = talk.add_media_note(user.id, None, "voice", "OLD", "", 5)
        kept = data / "users" / str(user.id) / f"notes-{old}.oga"
        kept.parent.mkdir(parents=True)
        shutil.copy(AUDIO / "nl_taalcafe.ogg", kept)
        talk.downloaded("notes", old, str(kept))
        talk.add_media_note(user.id, None, "voice", "NEW", "", 6)
    store.close()
    assert main(["transcribe", "--pending"]) == 0
    assert capsys.readouterr().out.strip() == (
        "Queued 1 voice note(s), transcribed 1; 1 wait for their download"
        " (the running bot fetches them).")
    store = Store(db)
    try:
        assert heard("nl_taalcafe.ogg", store.notes(user.id)[0].text)
        row = store.one("SELECT notify, shown_at FROM transcriptions")
        assert row is not None and row["notify"] == 0 and row["shown_at"]  # no chat message
    finally:
        store.close()
    assert main(["transcribe", "--pending"]) == 0  # nothing twice
    assert capsys.readouterr().out.startswith("Queued 0 voice note(s), transcribed 0")


def test_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(_env_file=None).transcribe is True  # type: ignore[call-arg]
    monkeypatch.setenv("VELDGIDS_TRANSCRIBE", "off")
    monkeypatch.setenv("VELDGIDS_WHISPER_MODEL", "small")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.transcribe is False and settings.whisper_model == "small"
