"""The transcription queue: one row per voice note, from queued to shown in the chat.

A job is queued when a voice note's file has arrived, claimed by the worker process with one
conditional UPDATE (so no job runs twice at once), and finished in one transaction with the
note's new text. A worker that dies mid-job leaves its row 'running'; the next worker puts it
back in the queue (it holds a lock only one worker can hold), and after MAX_ATTEMPTS claims
the file is marked failed instead of tried forever. The bot shows finished jobs in the chat
and records the messages it sent, so a reply to one of them corrects that note.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from search.terms import strip_markers
from storage.db import Connection
from storage.migrations import run_statements
from storage.transcription_records import Finished, Job, Spoken

migrations = Migrations("veldgids-transcriptions")

__all__ = ["FINISHED", "MAX_ATTEMPTS", "SOURCES", "SPOKEN_KINDS", "Finished", "Job", "Spoken",
           "TranscriptionRepo", "migrations"]

#: Claims of one file before it is marked failed (a file that kills the worker counts too).
MAX_ATTEMPTS = 3
#: Kinds of media that carry speech.
SPOKEN_KINDS = ("voice", "audio", "video_note")
SOURCES = ("notes", "transcript")
FINISHED = ("done", "empty", "failed")


@migrations()
def m001_transcriptions(db: Database) -> None:
    run_statements(db, """
        CREATE TABLE transcriptions (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            ref_id INTEGER NOT NULL,
            language TEXT NOT NULL,
            prompt TEXT NOT NULL DEFAULT '',
            caption TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'queued',
            attempts INTEGER NOT NULL DEFAULT 0,
            worker TEXT,
            error TEXT,
            text TEXT,
            duration REAL,
            notify INTEGER NOT NULL DEFAULT 1,
            queued_at TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            shown_at TEXT,
            corrected_at TEXT,
            UNIQUE (source, ref_id)
        );
        CREATE INDEX transcriptions_queue ON transcriptions(status, id);
        CREATE INDEX transcriptions_unshown ON transcriptions(id) WHERE shown_at IS NULL;
        CREATE TABLE transcription_messages (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            message_id INTEGER NOT NULL,
            transcription_id INTEGER NOT NULL REFERENCES transcriptions(id) ON DELETE CASCADE,
            PRIMARY KEY (user_id, message_id)
        )
    """)


# A voice note sent at a question: its job waits for the file ('download') and remembers the
# step, so the transcript can be offered as the answer with one tap.
@migrations()
def m002_answers(db: Database) -> None:
    db.execute("ALTER TABLE transcriptions ADD COLUMN answer_for TEXT")


class TranscriptionRepo:
    def __init__(self, store: Connection) -> None:
        self.store = store
        self.db = store.db

    # queueing
    def queue(self, user_id: int, source: str, ref_id: int, language: str, prompt: str = "",
              *, notify: bool = True) -> bool:
        """Queue a note's file; False when it has a job already (a download retried)."""
        assert source in SOURCES
        row = self.store.one(f"SELECT text, kind FROM {source} WHERE id = ? AND user_id = ?",
                             (ref_id, user_id))
        if row is None or row["kind"] not in SPOKEN_KINDS:
            return False
        cursor = self.db.execute(
            "INSERT INTO transcriptions (user_id, source, ref_id, language, prompt,"
            " caption, notify, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (source, ref_id) DO UPDATE SET status = 'queued',"
            " prompt = excluded.prompt, caption = excluded.caption WHERE status = 'download'",
            (user_id, source, ref_id, language, prompt, row["text"] or "", int(notify),
             self.store.now()))
        return cursor.rowcount == 1

    def expect_answer(self, user_id: int, note_id: int, language: str, answer_for: str) -> None:
        """A voice note sent at a question: queued once its file is here, its transcript
        then offered as the answer."""
        self.db.execute(
            "INSERT OR IGNORE INTO transcriptions (user_id, source, ref_id, language, status,"
            " answer_for, queued_at) VALUES (?, 'notes', ?, ?, 'download', ?, ?)",
            (user_id, note_id, language, answer_for, self.store.now()))

    def answer(self, user_id: int, job_id: int) -> tuple[str, str] | None:
        """(question it was sent at, transcript) of a done job of this user."""
        row = self.store.one("SELECT answer_for, text FROM transcriptions WHERE id = ?"
                             " AND user_id = ? AND status = 'done'", (job_id, user_id))
        return (row["answer_for"] or "", row["text"] or "") if row else None

    def community_name(self, source: str, ref_id: int) -> str | None:
        """The name of the community a note (or a conversation's turn) belongs to."""
        assert source in SOURCES
        link = ("SELECT community_id FROM notes WHERE id = ?" if source == "notes" else
                "SELECT c.community_id FROM transcript t JOIN conversations c"
                " ON c.id = t.conversation_id WHERE t.id = ?")
        row = self.store.one(f"SELECT name FROM communities WHERE id = ({link})", (ref_id,))
        return str(row["name"]) if row else None

    def untranscribed(self) -> list[tuple[int, str, int, str]]:
        """Downloaded spoken notes without a job: (user id, source, id, user's language)."""
        out: list[tuple[int, str, int, str]] = []
        for source in SOURCES:
            kinds = ", ".join(f"'{k}'" for k in SPOKEN_KINDS)
            out += [(r["user_id"], source, r["id"], r["language"]) for r in self.store.rows(
                f"SELECT s.id, s.user_id, u.language FROM {source} s"
                " JOIN users u ON u.id = s.user_id"
                f" WHERE s.kind IN ({kinds}) AND s.download = 'ok' AND NOT EXISTS"
                " (SELECT 1 FROM transcriptions t WHERE t.source = ? AND t.ref_id = s.id)"
                " ORDER BY s.id", (source,))]
        return out

    def waiting_downloads(self) -> int:
        """Spoken notes whose file has not arrived yet (they are queued once it has)."""
        kinds = ", ".join(f"'{k}'" for k in SPOKEN_KINDS)
        return sum(int((self.store.one(
            f"SELECT count(*) AS n FROM {source} WHERE kind IN ({kinds})"
            " AND download = 'pending'") or {"n": 0})["n"]) for source in SOURCES)

    def queued_count(self) -> int:
        """Jobs waiting or running: the queue depth (for /metrics)."""
        row = self.store.one("SELECT count(*) AS n FROM transcriptions"
                             " WHERE status IN ('queued', 'running')")
        return int(row["n"]) if row else 0

    # the worker's side
    def requeue_running(self) -> int:
        """Jobs a dead worker left 'running' go back in the queue, or fail after too many
        tries. Only the worker holding the worker lock may call this."""
        with self.store.atomic():
            failed = self.db.execute(
                "UPDATE transcriptions SET status = 'failed', finished_at = ?,"
                " error = 'the worker stopped during this file ' || attempts || ' times'"
                " WHERE status = 'running' AND attempts >= ?",
                (self.store.now(), MAX_ATTEMPTS)).rowcount
            again = self.db.execute("UPDATE transcriptions SET status = 'queued', worker = NULL"
                                    " WHERE status = 'running'").rowcount
        return int(again) + int(failed)

    def claim(self, worker: str) -> Job | None:
        """The oldest queued job, now 'running' for this worker, its attempt counted."""
        with self.store.atomic():
            row = self.store.one(
                "UPDATE transcriptions SET status = 'running', attempts = attempts + 1,"
                " worker = ?, started_at = ? WHERE id = (SELECT id FROM transcriptions"
                " WHERE status = 'queued' ORDER BY id LIMIT 1)"
                " RETURNING id, user_id, source, ref_id, language, prompt, attempts",
                (worker, self.store.now()))
            if row is None:
                return None
            assert row["source"] in SOURCES
            found = self.store.one(f"SELECT file_path FROM {row['source']} WHERE id = ?",
                                   (row["ref_id"],))
        return Job(**row, file_path=found["file_path"] if found else None)

    def finish(self, job: Job, worker: str, status: str, *, text: str | None = None,
               duration: float | None = None, error: str | None = None) -> bool:
        """Record the outcome and, when words were heard, make them the note's text; one
        transaction. False when the job is no longer this worker's (or the note is gone)."""
        assert status in FINISHED
        with self.store.atomic():
            cursor = self.db.execute(
                "UPDATE transcriptions SET status = ?, text = ?, duration = ?, error = ?,"
                " finished_at = ?, worker = NULL WHERE id = ? AND status = 'running'"
                " AND worker = ?",
                (status, text, duration, error, self.store.now(), job.id, worker))
            if cursor.rowcount != 1:
                return False
            if status == "done" and text:
                caption = self.store.one("SELECT caption FROM transcriptions WHERE id = ?",
                                         (job.id,))
                joined = "\n".join(p for p in ((caption or {}).get("caption"), text) if p)
                self.db.execute(f"UPDATE {job.source} SET text = ? WHERE id = ? AND user_id = ?",
                                (strip_markers(joined), job.ref_id, job.user_id))
        return True

    def retry(self, job: Job, worker: str, error: str) -> str:
        """A transient failure: back in the queue, or failed after MAX_ATTEMPTS."""
        status = "failed" if job.attempts >= MAX_ATTEMPTS else "queued"
        self.db.execute(
            "UPDATE transcriptions SET status = ?, error = ?, worker = NULL,"
            " finished_at = CASE WHEN ? = 'failed' THEN ? END"
            " WHERE id = ? AND status = 'running' AND worker = ?",
            (status, error, status, self.store.now(), job.id, worker))
        return status

    def release(self, job: Job, worker: str) -> None:
        """The worker was asked to stop mid-job: back in the queue, this try not counted."""
        self.db.execute("UPDATE transcriptions SET status = 'queued', worker = NULL,"
                        " attempts = max(attempts - 1, 0) WHERE id = ? AND status = 'running'"
                        " AND worker = ?", (job.id, worker))

    def job_status(self, source: str, ref_id: int) -> dict[str, Any] | None:
        """The job row of a note, as stored (for tests and the command line)."""
        return self.store.one("SELECT * FROM transcriptions WHERE source = ? AND ref_id = ?",
                              (source, ref_id))

    # the bot's side
    def unshown(self, limit: int = 20) -> list[Finished]:
        rows = self.store.rows(
            "SELECT t.id, t.user_id, u.telegram_id, u.language, t.source, t.ref_id, t.status,"
            " t.text, t.notify, coalesce(n.chat_message_id, tr.chat_message_id) AS message_id,"
            " tr.conversation_id, t.answer_for FROM transcriptions t"
            " JOIN users u ON u.id = t.user_id"
            " LEFT JOIN notes n ON t.source = 'notes' AND n.id = t.ref_id"
            " LEFT JOIN transcript tr ON t.source = 'transcript' AND tr.id = t.ref_id"
            " WHERE t.shown_at IS NULL AND t.status IN ('done', 'empty', 'failed')"
            " ORDER BY t.id LIMIT ?", (limit,))
        return [Finished(**{**row, "notify": bool(row["notify"])}) for row in rows]

    def shown(self, job_id: int, user_id: int, message_ids: list[int]) -> None:
        with self.store.atomic():
            self.db.execute("UPDATE transcriptions SET shown_at = ? WHERE id = ?",
                            (self.store.now(), job_id))
            for message_id in message_ids:
                self.db.execute("INSERT OR REPLACE INTO transcription_messages (user_id,"
                                " message_id, transcription_id) VALUES (?, ?, ?)",
                                (user_id, message_id, job_id))

    def shown_before(self, user_id: int) -> int:
        row = self.store.one("SELECT count(*) AS n FROM transcriptions WHERE user_id = ?"
                             " AND status = 'done' AND shown_at IS NOT NULL AND notify = 1",
                             (user_id,))
        return int(row["n"]) if row else 0

    # corrections
    def by_message(self, user_id: int, message_id: int) -> dict[str, Any] | None:
        """The job whose transcript the bot showed in this message, with its note."""
        return self.store.one(
            "SELECT t.* FROM transcription_messages m JOIN transcriptions t"
            " ON t.id = m.transcription_id WHERE m.user_id = ? AND m.message_id = ?",
            (user_id, message_id))

    def correct(self, user_id: int, job_id: int, text: str) -> tuple[bool, int | None]:
        """Replace the note's text by the librarian's correction; the text it had stays in
        its history. Returns (changed, conversation id of a transcript turn)."""
        job = self.store.one("SELECT * FROM transcriptions WHERE id = ? AND user_id = ?",
                             (job_id, user_id))
        if job is None:
            return False, None
        source = job["source"]
        assert source in SOURCES
        extra = "conversation_id" if source == "transcript" else "NULL AS conversation_id"
        note = self.store.one(f"SELECT text, {extra} FROM {source} WHERE id = ? AND user_id = ?",
                              (job["ref_id"], user_id))
        if note is None:
            return False, None
        new = strip_markers("\n".join(p for p in (job["caption"], text.strip()) if p))
        if new == note["text"]:
            return False, note["conversation_id"]
        self.db.execute("INSERT INTO edits (user_id, source, source_id, old_text, edited_at)"
                        " VALUES (?, ?, ?, ?, ?)",
                        (user_id, source, job["ref_id"], note["text"], self.store.now()))
        self.db.execute(f"UPDATE {source} SET text = ? WHERE id = ?", (new, job["ref_id"]))
        self.db.execute("UPDATE transcriptions SET corrected_at = ? WHERE id = ?",
                        (self.store.now(), job_id))
        return True, note["conversation_id"]

    # what the summaries and exports mark
    def spoken(self, user_id: int, source: str) -> dict[int, Spoken]:
        """Notes (or transcript turns) of this user whose text came, or was to come, from
        speech, by id."""
        return {r["ref_id"]: Spoken(r["status"], r["corrected_at"] is not None)
                for r in self.store.rows(
                    "SELECT ref_id, status, corrected_at FROM transcriptions"
                    " WHERE user_id = ? AND source = ?", (user_id, source))}
