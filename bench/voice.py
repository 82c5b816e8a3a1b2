"""Section 7 of docs/benchmarks.md: voice transcription.

- Real-time factor (seconds of audio per second of work) of the packaged base model with the
  worker's own settings (int8, `worker_threads()` threads), for a 12 s and a 60 s note, in a
  worker process at the worker's priority.
- The worker's peak memory (ru_maxrss) for one 60 s note and for the ten-minute recording.
- Time from a voice note to its transcript in the chat, through the real bot process, its
  worker and the fake Bot API server: the first note (worker start and model load included)
  and the next one.
- Another librarian's reply latency (text notes, one after another) at rest and while the
  worker transcribes, so the worker's settings can be judged against "≤ 1.5× at rest".
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.fake import TimedFakeBotAPI
from bench.procs import BotProcess, admit
from bench.report import Figure, Section
from bench.stats import Runs, percentile
from bench.voice_isa import table
from bot.features.voice.engine import worker_threads
from storage.store import Store
from storage.talk import TalkRepo
from storage.transcriptions import TranscriptionRepo
from tests.bot.features.voice.isa import available, run
from tests.bot.features.voice.recordings import AUDIO

LIBRARIAN, OTHER = 5001, 5002
NOTES = {"12 s": "nl_12s.ogg", "60 s": "nl_60s.ogg", "10 min": "long.ogg"}


def log(message: str) -> None:
    print(f"[bench voice] {message}", file=sys.stderr, flush=True)


def worker_run(name: str, repeat: int, workdir: Path) -> tuple[list[float], float]:
    """Transcribe one recording `repeat` times in a real worker process (`--once`); returns
    the real-time factor of each job and the worker's peak memory in MiB."""
    db = workdir / f"rtf-{name}.db"
    store = Store(db)
    try:
        with store.atomic():
            user = store.create_user(name="Bench", language="nl", timezone="Europe/Amsterdam",
                                     console_name="bench")
            talk, repo = TalkRepo(store), TranscriptionRepo(store)
            for _ in range(repeat):
                note = talk.add_media_note(user.id, None, "voice", "F", "", None)
                talk.downloaded("notes", note, str(AUDIO / name))
                repo.queue(user.id, "notes", note, "nl")
    finally:
        store.close()
    done = subprocess.run([sys.executable, "-m", "bot.features.voice.worker", "--db", str(db),
                           "--data-dir", str(workdir / "data"), "--once"],
                          capture_output=True, text=True, check=True)
    said = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    peak = float(next(m["peak_mb"] for m in said if "peak_mb" in m))
    store = Store(db)
    try:
        rows = store.rows("SELECT duration FROM transcriptions ORDER BY id")
    finally:
        store.close()
    # Timestamps are stored to the second, so the worker's own log gives the precise time.
    spent = [float(line.split(" in ")[1].split(" s")[0]) for line in done.stderr.splitlines()
             if "transcribed job" in line]
    return [row["duration"] / s for row, s in zip(rows, spent, strict=True)], peak


def wait_reply(api: TimedFakeBotAPI, chat: int, after: int, timeout: float = 120) -> float:
    """Seconds until the bot sent a message in `chat` replying to message `after`."""
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        for message in api.bot_messages(chat):
            if (message.get("reply_to_message") or {}).get("message_id") == after:
                return time.perf_counter() - began
        time.sleep(0.01)
    raise RuntimeError("no transcript arrived")


def latencies(api: TimedFakeBotAPI, count: int) -> list[float]:
    """Another librarian's text notes, each sent once the previous one was answered."""
    out: list[float] = []
    for n in range(count):
        before = len(api.bot_messages(OTHER))
        began = time.perf_counter()
        api.send_text(OTHER, f"notitie {n} over het taalcafé")
        while len(api.bot_messages(OTHER)) == before:
            time.sleep(0.001)
        out.append((time.perf_counter() - began) * 1000)
    return out


def in_chat(quick: bool, workdir: Path) -> tuple[list[float], list[float], list[float],
                                                 list[float]]:
    """Voice note to transcript (first and next), and the other librarian's latencies."""
    count = 20 if quick else 60
    with TimedFakeBotAPI() as api:
        admit(workdir / "veldgids.db", [LIBRARIAN, OTHER])
        bot = BotProcess(api, "veldgids", workdir, {"VELDGIDS_POLL_TIMEOUT": "1"}).start()
        try:
            api.send_text(OTHER, "eerste notitie")
            while not api.bot_messages(OTHER):
                time.sleep(0.01)
            rest = latencies(api, count)
            firsts: list[float] = []
            nexts: list[float] = []
            voice = api.send_voice(LIBRARIAN, (AUDIO / NOTES["12 s"]).read_bytes(), duration=12)
            firsts.append(wait_reply(api, LIBRARIAN, voice["message_id"]))
            for _ in range(1 if quick else 3):
                voice = api.send_voice(LIBRARIAN, (AUDIO / NOTES["12 s"]).read_bytes(),
                                       duration=12)
                nexts.append(wait_reply(api, LIBRARIAN, voice["message_id"]))
            # Keep the worker busy with long speech while the other librarian writes.
            sent = [api.send_voice(LIBRARIAN, (AUDIO / NOTES["60 s"]).read_bytes(),
                                   duration=60) for _ in range(2 if quick else 4)]
            time.sleep(1.5)  # the download and the claim: the worker is transcribing now
            busy = latencies(api, count)
            for message in sent:
                wait_reply(api, LIBRARIAN, message["message_id"], timeout=600)
        finally:
            bot.stop()
    return firsts, nexts, rest, busy


def section(quick: bool) -> Section:
    repeat = 1 if quick else 3
    threads = worker_threads()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        rtf12, _ = worker_run(NOTES["12 s"], repeat, workdir)
        rtf60, peak60 = worker_run(NOTES["60 s"], repeat, workdir)
        rtf10m, peak10m = worker_run(NOTES["10 min"], 1, workdir)
        log(f"real-time factor: 12 s {statistics.median(rtf12):.1f}×, 60 s"
            f" {statistics.median(rtf60):.1f}×; peak {peak60:.0f} / {peak10m:.0f} MiB")
        chat_dir = workdir / "chat"
        chat_dir.mkdir()
        firsts, nexts, rest, busy = in_chat(quick, chat_dir)
    p50_rest, p50_busy = statistics.median(rest), statistics.median(busy)
    p95_rest, p95_busy = percentile(rest, 95), percentile(busy, 95)
    log(f"others' replies: p50 {p50_rest:.1f} → {p50_busy:.1f} ms,"
        f" p95 {p95_rest:.1f} → {p95_busy:.1f} ms")
    return Section("7. Voice transcription", [
        Figure(f"real-time factor, 12 s note (base, int8, {threads} thread)", Runs.of(rtf12),
               "× real time", target="≥ 1×", met=min(rtf12) >= 1, ratio=False),
        Figure(f"real-time factor, 60 s note (base, int8, {threads} thread)", Runs.of(rtf60),
               "× real time", target="≥ 1×", met=min(rtf60) >= 1, ratio=False),
        Figure("real-time factor, 10-minute note (12 s of speech)", Runs.of(rtf10m),
               "× real time", ratio=False, fmt="{:.0f}"),
        Figure("worker peak memory, 60 s note", Runs.of([peak60]), "MiB", fmt="{:.0f}"),
        Figure("worker peak memory, 10-minute note", Runs.of([peak10m]), "MiB",
               target="bounded: ≤ 60 s note + 100 MiB", met=peak10m <= peak60 + 100,
               fmt="{:.0f}"),
        Figure("voice note to transcript shown, first (worker start, model load)",
               Runs.of(firsts), "s", fmt="{:.1f}"),
        Figure("voice note to transcript shown, next", Runs.of(nexts), "s", fmt="{:.1f}"),
        Figure("another librarian's reply p50 while transcribing", Runs.of([p50_busy]), "ms",
               Runs.of([p50_rest]), "at rest", "≤ 1.5× at rest",
               p50_busy <= 1.5 * p50_rest),
        Figure("another librarian's reply p95 while transcribing", Runs.of([p95_busy]), "ms",
               Runs.of([p95_rest]), "at rest", "≤ 1.5× at rest",
               p95_busy <= 1.5 * p95_rest),
    ], before=[
        "The packaged Whisper base model with the worker's settings: int8 on CPU,"
        f" {threads} thread(s) (half the cores), SCHED_IDLE, one job at a time. Real-time factor:"
        " seconds of audio per second of transcription in a real worker process"
        f" (`python -m bot.features.voice.worker --once`), {repeat} job(s) each; the recordings are"
        " tests/bot/features/voice/audio/ nl_12s and nl_60s (espeak-ng speech). Memory: the"
        " worker's"
        " ru_maxrss. In the chat:"
        " the real bot process and its worker against the fake Bot API server, from the voice"
        " note's arrival to the silent reply (the bot looks for finished jobs every second)."
        f" Others' replies: {20 if quick else 60} text notes of a second librarian, one after"
        " another, at rest and while the worker transcribes 60 s notes.",
    ], after=overlaps(quick))


def overlaps(quick: bool) -> list[str]:
    """The word overlap of each spoken recording per CPU path, with the worker's decoding
    (`python -m bench.voice_isa` compares the other settings too)."""
    paths = available()[:1] if quick else available()
    heard = [h for path in paths for h in run(path, ["chosen"])]
    log("overlaps: " + ", ".join(f"{h.path} {h.recording} {h.overlap:.2f}" for h in heard))
    return ["", "Share of the spoken words in the transcript, per CPU path (CTranslate2's"
            " `CT2_FORCE_CPU_ISA`; the last column AVX512 with oneDNN instead of MKL). The"
            " Dutch recordings are voiced by MBROLA's nl2 (a man) and nl3 (a woman), the English"
            " one by espeak-ng; the voice tests' bars are the lowest of each row less two words"
            " (tests/bot/features/voice/recordings.py).", "", table(heard, paths, ["chosen"])]
