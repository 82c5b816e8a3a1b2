"""The transcription worker: a process of its own, never the bot's event loop.

    python -m bot.features.voice.worker --db data/veldgids.db --data-dir data [--model small]

It runs only on time the bot leaves (SCHED_IDLE, or nice 10 where that is refused) with half
the cores (`worker_threads`), so a librarian's reply never waits on someone else's
transcription. Jobs are rows in SQLite
(storage/transcriptions.py): it claims the oldest queued one, transcribes its file and
records the text in one transaction. Only one worker runs at a time: it holds a file lock
beside the data, and only the holder puts jobs a dead worker left 'running' back in the
queue. It tells its parent (the bot) how it is on stdout, one JSON object per line:
{"ready": model}, {"off": reason} when the model can't be used, {"stopped": ..., "peak_mb": …}.
It stops when the bot that started it is gone, after IDLE_EXIT seconds without work, on
SIGTERM (a job in hand goes back to the queue, that try not counted), or with --once when
the queue is empty.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import logging
import os
import resource
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from storage.store import Store
from storage.transcriptions import TranscriptionRepo

log = logging.getLogger("veldgids.voice")

NICENESS = 10
POLL_SECONDS = 0.5
IDLE_EXIT = 300.0  # a worker without work for five minutes frees its memory
LOCK_NAME = "transcriber.lock"


class Stop(Exception):
    """SIGTERM: finish quickly, giving back the job in hand."""


def emit(out: TextIO, **message: Any) -> None:
    out.write(json.dumps(message) + "\n")
    out.flush()


def _stop(_signum: int, _frame: FrameType | None) -> None:
    raise Stop


def lock(data_dir: Path) -> Any:
    """The worker lock (held until the process ends, whatever way it ends)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    handle = (data_dir / LOCK_NAME).open("a")
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Worker:
    def __init__(self, store: Store, transcriber: Any, name: str | None = None) -> None:
        self.repo = TranscriptionRepo(store)
        self.transcriber = transcriber
        self.name = name or str(os.getpid())
        self.done = 0

    def run_one(self) -> bool:
        """Claim and transcribe the oldest queued job; False when there is none."""
        from bot.features.voice.engine import AudioError

        job = self.repo.claim(self.name)
        if job is None:
            return False
        path = Path(job.file_path) if job.file_path else None
        if path is None or not path.is_file():
            self.repo.finish(job, self.name, "failed", error="the audio file is missing")
            log.warning("job %s: the audio file is missing", job.id)
            return True
        started = time.monotonic()
        try:
            result = self.transcriber.transcribe(path, job.language, job.prompt or None)
        except AudioError as exc:  # the same bytes fail the same way: no retry
            self.repo.finish(job, self.name, "failed", error=str(exc))
            log.warning("job %s: %s", job.id, exc)
            return True
        except Stop:
            self.repo.release(job, self.name)
            raise
        except Exception as exc:  # noqa: BLE001 - anything else may pass: try again later
            status = self.repo.retry(job, self.name, type(exc).__name__)
            log.exception("job %s failed (attempt %s, now %s)", job.id, job.attempts, status)
            return True
        spent = time.monotonic() - started
        status = "done" if result.text else "empty"
        if self.repo.finish(job, self.name, status, text=result.text or None,
                            duration=result.duration):
            self.done += 1
            log.info("transcribed job %s: %.2f s of audio in %.2f s (%s)", job.id,
                     result.duration, spent, status)
        else:
            log.info("job %s was withdrawn meanwhile (the note or its owner is gone)", job.id)
        return True

    def loop(self, *, once: bool = False, parent: int | None = None,
             idle_exit: float = IDLE_EXIT) -> None:
        idle_since = time.monotonic()
        while True:
            if parent is not None and os.getppid() != parent:
                log.info("the bot that started this worker is gone; stopping")
                return
            if self.run_one():
                idle_since = time.monotonic()
                continue
            if once or time.monotonic() - idle_since > idle_exit:
                return
            time.sleep(POLL_SECONDS)


def yield_to_the_bot() -> None:
    """Transcribe only on time nobody else wants: under Linux's SCHED_IDLE policy a waking
    bot takes the core at once, where at nice 10 it could wait for the scheduler's next turn.
    Elsewhere (or where the policy is refused) nice 10."""
    try:
        # Every thread: numpy's BLAS starts one on import, before this runs.
        for task in os.listdir("/proc/self/task"):
            os.sched_setscheduler(int(task), os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        os.nice(NICENESS)


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.features.voice.worker")
    parser.add_argument("--db", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--model", default="")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--parent", type=int)
    parser.add_argument("--once", action="store_true")
    parser.add_argument("--idle-exit", type=float, default=IDLE_EXIT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=os.environ.get("VELDGIDS_LOG_LEVEL", "INFO").upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    signal.signal(signal.SIGTERM, _stop)
    yield_to_the_bot()
    from bot.features.voice.engine import Transcriber, worker_threads
    from bot.features.voice.model import ModelError

    held = lock(Path(args.data_dir))
    store = Store(args.db)
    try:
        requeued = TranscriptionRepo(store).requeue_running()
        if requeued:
            log.info("%d job(s) left by a stopped worker are queued again", requeued)
        threads = args.threads or worker_threads()
        try:
            transcriber = Transcriber.load(args.model, threads)
        except ModelError as exc:
            log.error("transcription is off: %s", exc)
            emit(out, off=str(exc))
            return 3
        emit(out, ready=transcriber.label, threads=threads)
        worker = Worker(store, transcriber)
        try:
            worker.loop(once=args.once, parent=args.parent, idle_exit=args.idle_exit)
        except Stop:
            log.info("asked to stop; the job in hand is queued again")
        emit(out, stopped=worker.done, peak_mb=round(peak_mb(), 1))
        return 0
    finally:
        store.close()
        held.close()


if __name__ == "__main__":
    sys.exit(main())
