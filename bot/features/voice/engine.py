"""Speech to text with faster-whisper (CTranslate2, int8 on CPU) and its voice-activity filter.

Audio is decoded by PyAV (bundled FFmpeg; no system ffmpeg) into 16 kHz mono, in windows of
at most WINDOW_SECONDS cut at the quietest moment near the window's end, so a long
recording never sits in memory whole (faster-whisper would decode it all and compute its
spectrogram at once). Runs in the worker process only (bot/features/voice/worker.py).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.features.voice.model import ModelChoice, ModelError, choose, packaged_base

log = logging.getLogger("veldgids.voice")

SAMPLE_RATE = 16000
WINDOW_SECONDS = 120
CUT_SEARCH_SECONDS = 5  # where in a window's last seconds to look for a quiet moment
# Whisper follows the style and words of the text before it: a line like a librarian's note
# makes it write "taalcafé" and "nieuwkomers" as words, not phonetic guesses.
PROMPTS = {
    "nl": "Notities over de bibliotheek, het taalcafé en nieuwkomers. Actie: bellen.",
    "en": "Notes about the library, the language café and newcomers. Action: call back.",
}
_FOLLOW_UP = re.compile(r"(?i)^(actie|action|to ?do|to-do)\b[\s,.:;!-]*(?P<rest>.*)$")
_SENTENCES = re.compile(r"(?<=[.!?…])\s+")


class AudioError(Exception):
    """The file holds no decodable sound (corrupt, or not audio at all)."""


@dataclass(frozen=True)
class Decoding:
    """How Whisper searches for the words. The default was picked by measuring the Dutch and
    English recordings of tests/bot/features/voice under three CPU instruction sets (`python -m
    bench.voice_isa`, docs/benchmarks.md): beam search with the librarian's-note prompt and
    the voice-activity filter scored best or level on every one of them."""

    beam_size: int = 5
    prompt: bool = True  # a line like a librarian's note before the audio (PROMPTS)
    vad_filter: bool = True  # skip silence, so long pauses make no invented words
    # Whisper's fallback: decode again, less greedily, when a window comes out as a loop.
    temperatures: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


DECODING = Decoding()


@dataclass(frozen=True)
class Transcript:
    text: str  # empty when no speech was heard
    duration: float  # seconds of audio


def worker_threads() -> int:
    """Half the cores, at least one: the bot and other librarians keep the rest."""
    return max(1, (os.cpu_count() or 2) // 2)


def prompt_for(language: str, community: str | None = None) -> str:
    base = PROMPTS.get(language, PROMPTS["nl"])
    return f"{community}. {base}" if community else base


def mark_follow_ups(text: str) -> str:
    """A dictated "Actie, ruimte navragen." (or "Actie. Ruimte navragen.") becomes a line
    "actie: ruimte navragen.", so summaries list it as a follow-up like a typed one."""
    lines: list[str] = []
    current: list[str] = []
    marker: str | None = None  # "Actie." said on its own: the next sentence is the action
    for sentence in _SENTENCES.split(text.strip()):
        match = _FOLLOW_UP.match(sentence)
        if match is None and marker is None:
            current.append(sentence)
            continue
        if current:
            lines.append(" ".join(current))
            current = []
        if match is None:
            word, rest = marker, sentence
        else:
            word, rest = match.group(1).lower(), match.group("rest").strip()
        if not rest.strip(" .,:;!?-"):
            marker = word
            continue
        marker = None
        lines.append(f"{word}: {rest}")  # case kept: "Sanne bellen" stays a name
    if marker is not None:
        current.append(marker.capitalize() + ".")
    if current:
        lines.append(" ".join(current))
    return "\n".join(line for line in lines if line)


def windows(path: str | Path, seconds: int = WINDOW_SECONDS) -> Iterator[Any]:
    """The recording as float32 arrays of at most `seconds`, 16 kHz mono."""
    import av
    import numpy as np

    limit = seconds * SAMPLE_RATE
    search = CUT_SEARCH_SECONDS * SAMPLE_RATE
    try:
        container = av.open(str(path), mode="r", metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError) as exc:
        raise AudioError(f"not a sound file ({type(exc).__name__})") from None
    with container:
        if not container.streams.audio:
            raise AudioError("the file has no sound track")
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        held = np.zeros(0, dtype=np.int16)

        def frames() -> Iterator[Any]:
            decoded = container.decode(audio=0)
            while True:
                try:
                    frame = next(decoded)
                except StopIteration:
                    break
                except av.error.InvalidDataError:
                    continue  # a damaged packet: skip it, keep the rest
                frame.pts = None
                yield frame
            yield None  # flushes the resampler

        try:
            for frame in frames():
                for out in resampler.resample(frame):
                    held = np.concatenate([held, out.to_ndarray().reshape(-1)])
                while len(held) > limit:
                    cut = _quiet_cut(held[limit - search: limit]) + limit - search
                    yield held[:cut].astype(np.float32) / 32768.0
                    held = held[cut:]
        except av.FFmpegError as exc:
            raise AudioError(f"the sound could not be decoded ({type(exc).__name__})") from None
        if len(held):
            yield held.astype(np.float32) / 32768.0


def _quiet_cut(tail: Any) -> int:
    """Offset in `tail` of its quietest 20 ms, where cutting splits no word."""
    import numpy as np

    step = SAMPLE_RATE // 50
    frames = len(tail) // step
    if frames == 0:
        return len(tail)
    blocks = tail[: frames * step].astype(np.float32).reshape(frames, step)
    return int(np.argmin((blocks ** 2).mean(axis=1))) * step + step // 2


class Transcriber:
    """A loaded model. Build with `load`; `transcribe` one file at a time."""

    def __init__(self, model: Any, label: str) -> None:
        self.model = model
        self.label = label

    @classmethod
    def load(cls, setting: str = "", threads: int | None = None,
             cache: Path | None = None) -> Transcriber:
        from faster_whisper import WhisperModel

        choice = choose(setting, cache)
        threads = threads or worker_threads()
        try:
            return cls(WhisperModel(choice.source, device="cpu", compute_type="int8",
                                    cpu_threads=threads, num_workers=1), choice.label)
        except Exception as exc:  # noqa: BLE001 - faster-whisper/hub raise many kinds
            if not choice.fallback:
                raise ModelError(f"the model {choice.label} could not be loaded:"
                                 f" {type(exc).__name__}") from None
            log.warning("could not fetch the Whisper model %r (%s); using the packaged base"
                        " model instead", choice.source, type(exc).__name__)
        folder = packaged_base(cache)
        fallback = ModelChoice(str(folder), "base (packaged, instead of " + choice.label + ")")
        return cls(WhisperModel(fallback.source, device="cpu", compute_type="int8",
                                cpu_threads=threads, num_workers=1), fallback.label)

    def transcribe(self, path: str | Path, language: str = "nl", prompt: str | None = None,
                   decoding: Decoding = DECODING) -> Transcript:
        """The words spoken in the file; raises AudioError for a file that is not sound."""
        parts: list[str] = []
        samples = 0
        for audio in windows(path):
            samples += len(audio)
            segments, _info = self.model.transcribe(
                audio, language=language, task="transcribe", beam_size=decoding.beam_size,
                vad_filter=decoding.vad_filter, without_timestamps=True,
                temperature=list(decoding.temperatures),
                initial_prompt=(prompt or prompt_for(language)) if decoding.prompt else None)
            parts += [segment.text.strip() for segment in segments]
        text = " ".join(p for p in parts if p)
        return Transcript(mark_follow_ups(text), samples / SAMPLE_RATE)
