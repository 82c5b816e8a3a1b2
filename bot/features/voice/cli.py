"""`veldgids transcribe FILE | --pending`: the model tried by hand, and old voice notes."""

from __future__ import annotations

import fcntl
from pathlib import Path

from bot.features.voice.engine import AudioError, Transcriber, prompt_for
from bot.features.voice.feature import Voice
from bot.features.voice.model import ModelError
from bot.features.voice.worker import LOCK_NAME, Worker
from bot.ops.errors import CliError
from bot.ops.settings import Settings
from storage.transcriptions import TranscriptionRepo


class TranscribeError(CliError):
    """One line for the user: the file or the model can't be used."""


def transcribe_file(path: Path, language: str, model: str) -> str:
    if not path.is_file():
        raise TranscribeError(f"no file {path}")
    try:
        result = Transcriber.load(model).transcribe(path, language, prompt_for(language))
    except (ModelError, AudioError) as exc:
        raise TranscribeError(f"{path}: {exc}") from None
    return result.text or "(no speech heard)"


def pending(settings: Settings) -> str:
    """Queue every downloaded voice note without a transcript (no chat message for these
    old notes) and transcribe them here, unless the running bot's worker has the lock."""
    if not Path(settings.db).exists():
        raise TranscribeError(f"no database at {settings.db}")
    from bot.app.registry import build_service

    service = build_service(settings)
    store = service.store
    try:
        repo = TranscriptionRepo(store)
        queued = 0
        with store.atomic():
            for user_id, source, ref_id, language in repo.untranscribed():
                queued += repo.queue(user_id, source, ref_id, language,
                                     prompt_for(language, repo.community_name(source, ref_id)),
                                     notify=False)
        waiting = repo.waiting_downloads()
        later = f"; {waiting} wait for their download (the running bot fetches them)" \
            if waiting else ""
        data_dir = Path(settings.data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        with (data_dir / LOCK_NAME).open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return (f"Queued {queued} voice note(s){later}; the running bot's worker"
                        " transcribes them.")
            repo.requeue_running()
            try:
                worker = Worker(store, Transcriber.load(settings.whisper_model))
            except ModelError as exc:
                raise TranscribeError(str(exc)) from None
            worker.loop(once=True)
            voice = service.features["voice"]
            assert isinstance(voice, Voice)
            for item in repo.unshown(limit=10_000):
                if not item.notify:  # the bot shows the others in the chat
                    voice.settle(item)
                    repo.shown(item.id, item.user_id, [])
        return f"Queued {queued} voice note(s), transcribed {worker.done}{later}."
    finally:
        store.close()
