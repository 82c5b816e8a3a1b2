"""The real pipeline on real recordings: PyAV decodes Telegram's Ogg/Opus, faster-whisper
with the packaged base model and the worker's thread setting transcribes it. No mocks."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from bot.features.voice.engine import (
    SAMPLE_RATE,
    WINDOW_SECONDS,
    AudioError,
    Transcriber,
    mark_follow_ups,
    windows,
)
from tests.bot.features.voice.isa import SPEECH, available, run
from tests.bot.features.voice.recordings import (
    AUDIO,
    KEY_WORDS,
    LANGUAGE,
    SPOKEN,
    bar,
    heard,
    overlap,
    words,
)


@pytest.mark.parametrize("name", SPEECH)
def test_each_recording_is_heard_with_its_key_words(transcriber: Transcriber, name: str) -> None:
    """On this machine's own CPU path, with the worker's threads (the bars: recordings.py)."""
    transcript = transcriber.transcribe(AUDIO / name, LANGUAGE[name])
    text = transcript.text
    assert heard(name, text), (text, overlap(SPOKEN[name], text), bar(name))
    assert 4 < transcript.duration < 12


@pytest.mark.parametrize("path", available())
def test_every_cpu_path_hears_the_key_words(path: str) -> None:
    """Another server's CPU takes other kernels: each one this CPU can run, in its own
    process, must give a transcript a librarian can rely on (tests/bot/features/voice/isa.py)."""
    results = run(path, ["chosen"])
    assert {r.recording for r in results} == set(SPEECH)
    for result in results:
        assert heard(result.recording, result.text), result


def test_the_bars_mean_something() -> None:
    """A transcript of another recording, or a few key words alone, does not pass."""
    taalcafe, ouders = SPOKEN["nl_taalcafe.ogg"], SPOKEN["nl_ouders.ogg"]
    assert heard("nl_taalcafe.ogg", taalcafe) and not heard("nl_taalcafe.ogg", ouders)
    assert not heard("nl_taalcafe.ogg", " ".join(KEY_WORDS["nl_taalcafe.ogg"]))
    assert not heard("nl_ouders.ogg", ouders.replace("huiswerk", "huis werk"))
    assert all(0.6 < bar(name) < max(0.9, 1 - 1 / len(words(SPOKEN[name])))
               for name in SPEECH)


def test_dutch_words_come_out_whole(transcriber: Transcriber) -> None:
    # Words a phonetic guess would spell otherwise ("taal café", "nieuwe commerce").
    text = transcriber.transcribe(AUDIO / "nl_taalcafe.ogg", "nl").text
    assert "taalcafé" in text and "nieuwkomers" in text, text


def test_a_dictated_action_becomes_a_follow_up_line(transcriber: Transcriber) -> None:
    heard = transcriber.transcribe(AUDIO / "nl_actie.ogg", "nl")
    actions = [line for line in heard.text.splitlines() if line.startswith("actie: ")]
    assert len(actions) == 1 and "in de bibliotheek regelen" in actions[0].lower(), heard.text


@pytest.mark.parametrize("name", ["silent.ogg", "empty.ogg"])
def test_silence_and_a_zero_second_recording_give_no_words(transcriber: Transcriber,
                                                           name: str) -> None:
    heard = transcriber.transcribe(AUDIO / name, "nl")
    assert heard.text == ""
    assert heard.duration == (0.0 if name == "empty.ogg" else 3.0)


def _png() -> bytes:
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + header
            + struct.pack(">I", zlib.crc32(b"IHDR" + header)))


@pytest.mark.parametrize("content", [b"this is not a recording\n", _png(),
                                     (AUDIO / "nl_taalcafe.ogg").read_bytes()[:300], b""],
                         ids=["text", "png", "truncated-ogg", "empty-file"])
def test_a_corrupt_or_non_audio_file_is_refused_clearly(transcriber: Transcriber,
                                                        tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "voice.ogg"
    path.write_bytes(content)
    try:
        heard = transcriber.transcribe(path, "nl")
    except AudioError as exc:
        assert str(exc)
    else:  # a cut-off Ogg may hold a few decodable milliseconds: then no words, no crash
        assert heard.text == "" and heard.duration < 1


def test_a_ten_minute_recording_is_decoded_in_bounded_windows() -> None:
    sizes = [len(window) for window in windows(AUDIO / "long.ogg")]
    assert sum(sizes) / SAMPLE_RATE == pytest.approx(604.1, abs=0.1)
    assert max(sizes) <= WINDOW_SECONDS * SAMPLE_RATE  # never the whole recording at once
    assert len(sizes) == 6


def test_follow_up_markers_in_dictation() -> None:
    assert mark_follow_ups("Ze doet mee. Actie, ruimte navragen. Verder niets.") == (
        "Ze doet mee.\nactie: ruimte navragen.\nVerder niets.")
    assert mark_follow_ups("Action: call Sanne back.") == "action: call Sanne back."
    assert mark_follow_ups("De actievoerders kwamen ook.") == "De actievoerders kwamen ook."
    assert mark_follow_ups("Fijn gesprek. Actie. Een ruimte regelen.") == (
        "Fijn gesprek.\nactie: Een ruimte regelen.")
    assert mark_follow_ups("Dat was het. Actie.") == "Dat was het.\nActie."
