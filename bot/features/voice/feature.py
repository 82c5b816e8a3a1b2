"""Voice notes become text: the bot's side of transcription.

The bot never transcribes itself. When a voice note's file has arrived (bot/telegram/media.py), a
job
is queued in SQLite; a worker process (bot/features/voice/worker.py), started by this feature when
there is work, turns it into text. Every second the feature looks for finished jobs and
shows each quietly, as a silent reply to the voice message; a reply to that message with
text corrects the note. If the model can't be used, voice notes are still kept and queued,
the log says why, and so does a message to each admin (once per start).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import logging
import os
import signal
import sys
import time

from bot.app.events import Outcome, Turn
from bot.app.feature import Feature, job, media, press, reply
from bot.app.host import Host
from bot.app.messenger import Blocked, Messenger, Refused, Undelivered
from bot.app.offers import Conversations, DictatedActions
from bot.app.users import lang_of
from bot.features.voice.engine import prompt_for
from bot.features.voice.model import ModelError, choose
from dialogs.replies import Button
from dialogs.state import Say
from storage.access import AccessRepo
from storage.store import User
from storage.talk import TalkRepo
from storage.transcriptions import SPOKEN_KINDS, Finished, TranscriptionRepo

log = logging.getLogger("veldgids.voice")

TICK_SECONDS = 1.0
RESTART_DELAYS = (2.0, 10.0, 30.0, 60.0)  # after a worker died unexpectedly
HINT_TIMES = 2  # the first transcripts say how to correct them


def queue_transcription(service: Host, source: str, ref_id: int, user_id: int) -> bool:
    """Queue a spoken note whose file has arrived (call in the download's transaction)."""
    if not service.defaults.transcribe:
        return False
    user = service.store.user(user_id)
    if user is None:
        return False
    repo = TranscriptionRepo(service.store)
    language = lang_of(user)
    return repo.queue(user_id, source, ref_id, language,
                      prompt_for(language, repo.community_name(source, ref_id)))


class Voice(Feature):
    name = "voice"

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.repo = TranscriptionRepo(service.store)
        self.enabled = service.defaults.transcribe
        self.checked = False
        self.off: str | None = None
        self.proc: asyncio.subprocess.Process | None = None
        self.ready: str | None = None
        self.crashes = 0
        self.not_before = 0.0
        self.worker_pid: int | None = None
        self.off_pending: str | None = None
        self.watcher: asyncio.Task[None] | None = None

    # the worker
    @job("transcripts", TICK_SECONDS, first=0.5)
    async def tick(self, messenger: Messenger) -> None:
        """Start the worker when there is work, and show what it finished."""
        if self.enabled:
            if not self.checked:
                await self.check(messenger)
            if self.off is None and self.proc is None and time.monotonic() >= self.not_before \
                    and self.repo.queued_count():
                await self.start_worker()
        await self.show(messenger)

    async def check(self, messenger: Messenger) -> None:
        """Whether the model can be used at all; if not, the log and the admins hear why."""
        self.checked = True
        try:
            await asyncio.to_thread(choose, self.service.defaults.whisper_model, None, False)
        except ModelError as exc:
            await self.turn_off(messenger, str(exc))

    async def turn_off(self, messenger: Messenger, reason: str) -> None:
        self.off = reason
        log.error("transcription is off: %s (voice notes are kept and queued)", reason)
        for telegram_id, language in self.admins():
            text = self.service.catalog.text("voice_off_admin", language, reason=reason)
            try:
                await messenger.send_message(telegram_id, text)
            except Exception as exc:  # noqa: BLE001 - an admin who never wrote the bot
                log.warning("could not tell admin %s: %s", telegram_id, _named(exc))

    def admins(self) -> list[tuple[int, str]]:
        found: dict[int, str] = {tid: self.service.defaults.language
                                 for tid in self.service.defaults.admins}
        for user in AccessRepo(self.service.store).users():
            if user.is_admin and user.status == "active" and user.telegram_id is not None:
                found[user.telegram_id] = user.language
        return sorted(found.items())

    async def start_worker(self) -> None:
        store = self.service.store
        args = [sys.executable, "-m", "bot.features.voice.worker", "--db", str(store.path),
                "--data-dir", str(self.service.defaults.data_dir),
                "--model", self.service.defaults.whisper_model, "--parent", str(os.getpid())]
        self.ready = None
        self.proc = await asyncio.create_subprocess_exec(*args, stdout=asyncio.subprocess.PIPE,
                                                         stdin=asyncio.subprocess.DEVNULL)
        if self.worker_pid is None:  # once: the bot's exit asks the worker to stop
            atexit.register(self.stop_worker)
        self.worker_pid = self.proc.pid
        log.info("transcription worker started (pid %s)", self.proc.pid)
        # Kept: the event loop holds tasks only weakly.
        self.watcher = asyncio.get_running_loop().create_task(self.watch(self.proc))

    async def watch(self, proc: asyncio.subprocess.Process) -> None:
        """Read what the worker says; when it ends, note whether it meant to."""
        assert proc.stdout is not None
        off: str | None = None
        async for raw in proc.stdout:
            try:
                message = json.loads(raw)
            except ValueError:
                continue
            if "ready" in message:
                self.ready = message["ready"]
                self.crashes = 0
                log.info("transcription worker ready: model %s, %s thread(s)",
                         message["ready"], message.get("threads"))
            elif "off" in message:
                off = str(message["off"])
        code = await proc.wait()
        self.proc = None
        if off is not None:
            self.off_pending = off  # said on the next tick, which has the messenger
        elif code != 0:
            delay = RESTART_DELAYS[min(self.crashes, len(RESTART_DELAYS) - 1)]
            self.crashes += 1
            self.not_before = time.monotonic() + delay
            log.warning("transcription worker ended with %s; restarting in %.0f s if there"
                        " is work", code, delay)

    def stop_worker(self) -> None:
        """At exit: ask the worker to stop (a job in hand goes back to the queue)."""
        proc = self.proc
        if proc is not None and proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)

    # showing finished jobs
    async def show(self, messenger: Messenger) -> None:
        if self.off_pending is not None:
            off, self.off_pending = self.off_pending, None
            await self.turn_off(messenger, off)
        for item in self.repo.unshown():
            self.settle(item)
            if not item.notify or item.telegram_id is None or item.message_id is None:
                self.repo.shown(item.id, item.user_id, [])
                continue
            try:
                sent = await self.send(messenger, item)
            except (Blocked, Refused) as exc:  # blocked, chat gone: don't retry
                log.warning("transcript %s not shown: %s", item.id, _named(exc))
                self.repo.shown(item.id, item.user_id, [])
                continue
            except Exception as exc:  # noqa: BLE001 - Telegram trouble: try on the next tick
                log.warning("transcript %s not shown yet: %s", item.id, _named(exc))
                return
            self.repo.shown(item.id, item.user_id, sent)

    def settle(self, item: Finished) -> None:
        """A transcript turn of an ended conversation: its summary is made again; dictated
        actions ("Actie, …") become actions (once)."""
        user = self.service.store.user(item.user_id)
        self.dictated(item)
        if item.status == "done" and item.conversation_id is not None and user is not None:
            with self.service.store.atomic():
                self._rebuild_if_ended(user, item.conversation_id)

    def dictated(self, item: Finished) -> str:
        """The actions the transcript dictated, made once; the lines saying so."""
        actions = self.service.offered(DictatedActions)
        user = self.service.store.user(item.user_id)
        if item.status != "done" or not item.text or user is None or actions is None:
            return ""
        return actions.from_transcript(user, item.id, item.text)

    def text(self, item: Finished) -> str:
        catalog = self.service.catalog
        if item.status == "done":
            text = catalog.text("voice_transcript", item.language, text=item.text or "")
            if said := self.dictated(item):
                text += "\n\n" + said
            if self.answerable(item):
                text += "\n\n" + catalog.text("voice_answer_hint", item.language)
            elif self.repo.shown_before(item.user_id) < HINT_TIMES:
                text += "\n\n" + catalog.text("voice_correct_hint", item.language)
            return text
        return catalog.text("voice_empty" if item.status == "empty" else "voice_failed",
                            item.language)

    def answerable(self, item: Finished) -> bool:
        """Sent at a question the librarian is still at: the transcript may answer it."""
        if item.status != "done" or not item.answer_for:
            return False
        saved = self.service.store.state(item.user_id)
        return f"{saved.dialog}/{saved.step}" == item.answer_for

    async def send(self, messenger: Messenger, item: Finished) -> list[int]:
        assert item.telegram_id is not None and item.message_id is not None
        text = self.text(item)
        use = [[Button(label=self.service.catalog.text("voice_use_answer", item.language),
                       data=f"voice:use:{item.id}")]] if self.answerable(item) else []
        return await messenger.answer_quietly(item.telegram_id, text, item.message_id, use)

    # a voice note at a question
    @media
    def spoken_answer(self, turn: Turn) -> Outcome | None:
        """At a question, a voice note is kept as a note; its transcript, when it comes, can
        be the answer with one tap (the question waits; typing an answer works as ever)."""
        event, state, user = turn.event, turn.state, turn.user
        if (event.media is None or state is None or event.media.kind not in SPOKEN_KINDS
                or not self.service.defaults.transcribe):
            return None
        if self.service.catalog.dialog(state.dialog).step(state.step).kind != "question":
            return None
        note = TalkRepo(self.service.store).add_media_note(
            user.id, user.active_community, event.media.kind, event.media.file_id,
            event.media.caption, event.message_id)
        self.repo.expect_answer(user.id, note, lang_of(user),
                                f"{state.dialog}/{state.step}")
        return self.service.say(user, "voice_answer_kept")

    @press("voice")
    def use(self, turn: Turn, payload: str) -> Outcome:
        """"Use as answer" under a transcript."""
        action, _, raw = payload.partition(":")
        found = self.repo.answer(turn.user.id, int(raw)) if action == "use" and raw.isdigit() \
            else None
        state = turn.state
        if found is None or state is None or found[0] != f"{state.dialog}/{state.step}":
            return Outcome(notice=self.service.t(turn.user, "voice_answer_stale"))
        return self.service.run(turn, Say(text=found[1]))

    # corrections
    @reply
    def correction(self, turn: Turn) -> Outcome | None:
        """A reply to a transcript with text replaces the transcript."""
        reply_to = turn.event.reply_to
        if reply_to is None:
            return None
        job_row = self.repo.by_message(turn.user.id, reply_to)
        if job_row is None:
            return None
        text = turn.event.text.strip()
        if not text:
            return None
        _changed, conversation_id = self.repo.correct(turn.user.id, job_row["id"], text)
        if conversation_id:
            self._rebuild_if_ended(turn.user, conversation_id)
        return Outcome(ack=True)

    def _rebuild_if_ended(self, user: User, conversation_id: int) -> None:
        talk = self.service.offered(Conversations)
        if talk is not None:
            talk.rebuild_if_ended(user, conversation_id)


def _named(exc: BaseException) -> str:
    """The kind of trouble for the log: the messenger's own error where it gave one."""
    cause = exc.__cause__ if isinstance(exc, Undelivered) else None
    return type(cause or exc).__name__
