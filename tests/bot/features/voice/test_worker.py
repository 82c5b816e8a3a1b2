"""The queue and the worker on a real database: claimed once, retried a bounded number of
times, a dead worker's job resumed, a stopped worker's job given back."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.features.voice.engine import Transcriber, Transcript
from bot.features.voice.worker import Stop, Worker
from storage.store import Store
from storage.talk import TalkRepo
from storage.transcriptions import MAX_ATTEMPTS, TranscriptionRepo
from tests.bot.features.voice.recordings import AUDIO, heard


def voice_note(store: Store, path: Path | None) -> tuple[int, int]:
    with store.atomic():
        user = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                                 telegram_id=None, console_name=f"anna-{path}")
        talk = TalkRepo(store)
        note = talk.add_media_note(user.id, None, "voice", "FILE", "", 1)
        if path is not None:
            talk.downloaded("notes", note, str(path))
        TranscriptionRepo(store).queue(user.id, "notes", note, "nl")
    return user.id, note


def status(store: Store) -> list[tuple[str, int]]:
    return [tuple(r) for r in store.db.execute(  # type: ignore[misc]
        "SELECT status, attempts FROM transcriptions ORDER BY id").fetchall()]


class Flaky:
    """The real model, after `fails` crashes of a kind the worker retries."""

    def __init__(self, real: Transcriber, fails: int, error: BaseException) -> None:
        self.real, self.fails, self.error = real, fails, error

    def transcribe(self, path: Path, language: str, prompt: str | None = None) -> Transcript:
        if self.fails:
            self.fails -= 1
            raise self.error
        return self.real.transcribe(path, language, prompt)


def test_a_transient_failure_is_retried_then_done(store: Store,
                                                  transcriber: Transcriber) -> None:
    voice_note(store, AUDIO / "nl_taalcafe.ogg")
    worker = Worker(store, Flaky(transcriber, 1, MemoryError()), "w1")
    assert worker.run_one()
    assert status(store) == [("queued", 1)]
    assert worker.run_one()
    assert status(store) == [("done", 2)]
    assert not worker.run_one()


def test_a_failing_file_is_tried_a_bounded_number_of_times(store: Store,
                                                           transcriber: Transcriber) -> None:
    voice_note(store, AUDIO / "nl_taalcafe.ogg")
    worker = Worker(store, Flaky(transcriber, 99, RuntimeError("decoder crashed")), "w1")
    while worker.run_one():
        pass
    assert status(store) == [("failed", MAX_ATTEMPTS)]


def test_a_job_left_running_by_a_dead_worker_is_resumed_and_done_once(
        store: Store, transcriber: Transcriber) -> None:
    repo = TranscriptionRepo(store)
    _, note = voice_note(store, AUDIO / "nl_taalcafe.ogg")
    job = repo.claim("dead-worker")  # claimed, then the process was killed
    assert job is not None and status(store) == [("running", 1)]
    assert repo.claim("other") is None  # a running job is nobody else's
    assert repo.requeue_running() == 1
    worker = Worker(store, transcriber, "w2")
    assert worker.run_one() and not worker.run_one()
    assert status(store) == [("done", 2)]
    assert not repo.finish(job, "dead-worker", "done", text="late")  # the dead one's result
    assert heard("nl_taalcafe.ogg", store.notes(1)[-1].text)
    assert note == store.notes(1)[-1].id


def test_a_file_that_kills_every_worker_ends_failed(store: Store) -> None:
    repo = TranscriptionRepo(store)
    voice_note(store, AUDIO / "nl_taalcafe.ogg")
    for n in range(MAX_ATTEMPTS):
        assert repo.claim(f"w{n}") is not None
        repo.requeue_running()
    assert status(store) == [("failed", MAX_ATTEMPTS)]
    assert repo.claim("w9") is None


def test_a_stopped_worker_gives_its_job_back_uncounted(store: Store,
                                                      transcriber: Transcriber) -> None:
    voice_note(store, AUDIO / "nl_taalcafe.ogg")
    with pytest.raises(Stop):
        Worker(store, Flaky(transcriber, 1, Stop()), "w1").run_one()
    assert status(store) == [("queued", 0)]


def test_a_missing_file_fails_and_a_withdrawn_note_writes_nothing(store: Store,
                                                                 transcriber: Transcriber,
                                                                 tmp_path: Path) -> None:
    voice_note(store, tmp_path / "gone.ogg")
    worker = Worker(store, transcriber, "w1")
    assert worker.run_one()
    assert status(store) == [("failed", 1)]
    repo = TranscriptionRepo(store)
    user, _ = voice_note(store, AUDIO / "silent.ogg")
    job = repo.claim("w1")
    assert job is not None
    with store.atomic():
        store.db.execute("DELETE FROM users WHERE id = ?", (user,))  # /forget meanwhile
    assert not repo.finish(job, "w1", "done", text="Ze organiseert")
    assert store.db.execute("SELECT count(*) FROM notes WHERE text != ''").fetchone() == (0,)


def test_a_second_worker_waits_for_the_first_and_never_takes_its_job(
        store: Store, db_path: Path, tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    from bot.features.voice.worker import lock

    voice_note(store, AUDIO / "nl_taalcafe.ogg")
    data = tmp_path / "data"
    held = lock(data)  # a live worker ...
    repo = TranscriptionRepo(store)
    assert repo.claim("alive") is not None  # ... busy with the only job
    second = subprocess.Popen([sys.executable, "-m", "bot.features.voice.worker", "--db",
    str(db_path),
                               "--data-dir", str(data), "--once"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 30
        while "-> FLOCK" not in Path("/proc/locks").read_text():  # blocked on the lock
            assert second.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        assert status(store) == [("running", 1)]  # not taken from the live worker
        held.close()  # the first worker is gone
        out, _ = second.communicate(timeout=120)
    finally:
        second.kill()
    assert '"stopped": 1' in out
    assert status(store) == [("done", 2)]
