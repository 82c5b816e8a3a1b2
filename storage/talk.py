"""Conversations, transcripts, people met, media notes, edit history and full-text search.

Long: the talk tables' six migrations stay in this set, in the order they ran, next to TalkRepo.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from search.terms import FTS_TOKENIZE, owned_terms, strip_markers
from storage.db import Connection
from storage.downloads import DownloadRepo
from storage.membership import readable_sql, visible_sql
from storage.migrations import run_statements
from storage.search import SearchIndex
from storage.talk_records import Conversation, Hit, PendingDownload, Person, TranscriptTurn

migrations = Migrations("veldgids-talk")
# Called by the search index's triggers; storage/schema.py registers it on every connection.
SQL_FUNCTIONS = (owned_terms,)

__all__ = ["NOTES", "Conversation", "Hit", "PendingDownload", "Person", "TalkRepo",
           "TranscriptTurn", "migrations"]

@migrations()
def m001_conversations(db: Database) -> None:
    run_statements(db, """
        CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            community_id INTEGER REFERENCES communities(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            role TEXT,
            organisation TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            community_id INTEGER REFERENCES communities(id) ON DELETE CASCADE,
            person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
            place TEXT,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            status TEXT NOT NULL DEFAULT 'open',
            shared_own INTEGER NOT NULL DEFAULT 0,
            reflection TEXT,
            summary TEXT,
            keywords TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX conversations_user ON conversations(user_id, status);
        CREATE TABLE transcript (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            who TEXT NOT NULL,
            question TEXT,
            kind TEXT NOT NULL DEFAULT 'text',
            text TEXT NOT NULL DEFAULT '',
            file_id TEXT,
            file_path TEXT,
            download TEXT,
            chat_message_id INTEGER,
            created_at TEXT NOT NULL
        );
        CREATE INDEX transcript_conversation ON transcript(conversation_id, id);
        CREATE INDEX transcript_message ON transcript(user_id, chat_message_id);
        ALTER TABLE notes ADD COLUMN kind TEXT NOT NULL DEFAULT 'text';
        ALTER TABLE notes ADD COLUMN file_id TEXT;
        ALTER TABLE notes ADD COLUMN file_path TEXT;
        ALTER TABLE notes ADD COLUMN download TEXT;
        CREATE INDEX notes_message ON notes(user_id, chat_message_id);
        CREATE TABLE edits (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            source_id INTEGER NOT NULL,
            old_text TEXT NOT NULL,
            edited_at TEXT NOT NULL
        );
        CREATE TABLE search_docs (
            id INTEGER PRIMARY KEY,
            owner TEXT NOT NULL,
            kind TEXT NOT NULL,
            ref_id INTEGER NOT NULL,
            text TEXT NOT NULL,
            UNIQUE (kind, ref_id)
        )
    """)
    # One searchable table fed by triggers, so ranking is shared across notes, transcript
    # turns and summaries. `owner` is indexed too: a query is always restricted to one user.
    for source, kind, text, where in (
        ("notes", "note", "new.text", "1"),
        ("transcript", "turn", "new.text", "new.who = 'librarian' AND new.text != ''"),
        ("conversations", "summary", "coalesce(new.summary, '')", "new.summary IS NOT NULL"),
    ):
        db.execute(f"""
            CREATE TRIGGER {source}_search_ins AFTER INSERT ON {source} WHEN {where} BEGIN
                INSERT INTO search_docs (owner, kind, ref_id, text)
                VALUES ('u' || new.user_id, '{kind}', new.id, {text});
            END""")
        db.execute(f"""
            CREATE TRIGGER {source}_search_upd AFTER UPDATE ON {source} BEGIN
                DELETE FROM search_docs WHERE kind = '{kind}' AND ref_id = old.id;
                INSERT INTO search_docs (owner, kind, ref_id, text)
                SELECT 'u' || new.user_id, '{kind}', new.id, {text} WHERE {where};
            END""")
        db.execute(f"""
            CREATE TRIGGER {source}_search_del AFTER DELETE ON {source} BEGIN
                DELETE FROM search_docs WHERE kind = '{kind}' AND ref_id = old.id;
            END""")


# enable_fts runs scripts, which commit; so this step runs outside a transaction and is
# safe to repeat (replace=True rebuilds the index from search_docs).
@migrations(transactional=False)
def m002_search_index(db: Database) -> None:
    db.table("search_docs").enable_fts(["text", "owner"], tokenize=FTS_TOKENIZE,
                                       create_triggers=True, replace=True)


# Each librarian's words are index terms of their own (`u12xkoffie`): the doclists a search
# reads, its prefix expansion and bm25's document counts then hold only that librarian's
# entries, however many librarians share the database. The index keeps no text (contentless):
# its triggers compute the terms from `search_docs`, and snippets are cut from the plain text
# at search time. Changing `owned_terms` needs a migration that runs `reindex_search` again.
@migrations()
def m003_search_by_owner(db: Database) -> None:
    for trigger in ("search_docs_ai", "search_docs_ad", "search_docs_au"):
        db.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
    db.execute("DROP TABLE IF EXISTS search_docs_fts")
    db.execute("CREATE VIRTUAL TABLE search_docs_fts USING fts5("
               f"terms, tokenize='{FTS_TOKENIZE}', content='')")
    add = ("INSERT INTO search_docs_fts (rowid, terms)"
           " VALUES (new.id, owned_terms(new.owner, new.text));")
    drop = ("INSERT INTO search_docs_fts (search_docs_fts, rowid, terms)"
            " VALUES ('delete', old.id, owned_terms(old.owner, old.text));")
    db.execute(f"CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN {add} END")
    db.execute(f"CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN {drop} END")
    db.execute(f"CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN {drop} {add}"
               " END")
    _reindex_by_owner(db)


def _reindex_by_owner(db: Database) -> None:
    """The index as m003 built it (storage/search.py rebuilds it keyed by community)."""
    db.execute("INSERT INTO search_docs_fts (search_docs_fts) VALUES ('delete-all')")
    db.execute("INSERT INTO search_docs_fts (rowid, terms)"
               " SELECT id, owned_terms(owner, text) FROM search_docs")
    if db["search_pending"].exists():
        db.execute("DELETE FROM search_pending")


# A note is written while the librarian waits for the bot's answer; adding it to the index
# there (a new FTS5 segment per transaction) was a third of that time. So new and changed
# entries only go on a list, `search_pending`, and `TalkRepo.index_pending` adds them in
# batches: before every search (so a search always sees everything) and every few seconds
# in the bot. An entry still on the list was never indexed, so removing it from the index
# is skipped when it is deleted or changed.
@migrations()
def m004_search_pending(db: Database) -> None:
    db.execute("CREATE TABLE search_pending (id INTEGER PRIMARY KEY)")
    for trigger in ("search_docs_ai", "search_docs_ad", "search_docs_au"):
        db.execute(f'DROP TRIGGER "{trigger}"')
    unindex = ("INSERT INTO search_docs_fts (search_docs_fts, rowid, terms)"
               " SELECT 'delete', old.id, owned_terms(old.owner, old.text)"
               " WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE id = old.id);"
               " DELETE FROM search_pending WHERE id = old.id;")
    pending = "INSERT OR IGNORE INTO search_pending (id) VALUES (new.id);"
    db.execute(f"CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN {pending} END")
    db.execute(f"CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN {unindex} END")
    db.execute(f"CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN {unindex}"
               f" {pending} END")


# Media notes say what they are in exports: a document's file name, a recording's length.
@migrations()
def m005_media_details(db: Database) -> None:
    run_statements(db, """
        ALTER TABLE notes ADD COLUMN media_name TEXT;
        ALTER TABLE notes ADD COLUMN duration INTEGER;
        ALTER TABLE transcript ADD COLUMN media_name TEXT;
        ALTER TABLE transcript ADD COLUMN duration INTEGER
    """)


# Who said what: a note the librarian shared herself is `who = 'own'` (the person's words, as
# she noted them, stay 'librarian'); a note she marked ⭐ is a quote of the person's
# (`starred`), which the conversation's summary shows first and the community's synthesis and
# the report show as the person's words. Only the person's notes are ever starred.
@migrations()
def m006_own_notes_and_quotes(db: Database) -> None:
    db.execute("ALTER TABLE transcript ADD COLUMN starred INTEGER NOT NULL DEFAULT 0")


#: The `who` of the notes of a conversation: the person's words, and what she shared herself.
NOTES = ("librarian", "own")

_CONVERSATIONS = ("SELECT c.*, p.name AS person_name, p.role AS person_role,"
                  " p.organisation AS person_org FROM conversations c"
                  " LEFT JOIN people p ON p.id = c.person_id")


class TalkRepo:
    """Queries for conversations and search; every one is scoped to one user."""

    def __init__(self, store: Connection) -> None:
        self.store = store
        self.db = store.db
        self.index = SearchIndex(store)
        self.downloads = DownloadRepo(store)

    # people
    def people(self, user_id: int, community_id: int | None) -> list[Person]:
        """The 20 people met last (in this community, if given), newest first."""
        return [Person.from_row(row) for row in self.store.rows(
            "SELECT * FROM people WHERE (community_id IS ? OR ? IS NULL) AND"
            f" {visible_sql()} ORDER BY id DESC LIMIT 20",
            (community_id, community_id, user_id, user_id))]

    def named(self, user_id: int, community_id: int | None, name: str) -> Person | None:
        """The one person met in this community whose name, or else whose first name, is
        `name` (any case); None when nobody or more than one is."""
        wanted = " ".join(name.split()).casefold()
        if not wanted:
            return None
        rows = self.store.rows(f"SELECT * FROM people WHERE community_id IS ? AND"
                               f" {visible_sql()} ORDER BY id DESC",
                               (community_id, user_id, user_id))
        people = [Person.from_row(row) for row in rows]
        for same in ([p for p in people if " ".join(p.name.split()).casefold() == wanted],
                     [p for p in people if p.name.split()[:1] == [wanted]
                      or p.name.casefold().split()[:1] == [wanted]]):
            if same:
                return same[0] if len(same) == 1 else None
        return None

    def person(self, user_id: int, person_id: int) -> Person | None:
        row = self.store.one(f"SELECT * FROM people WHERE id = ? AND {visible_sql()}",
                             (person_id, user_id, user_id))
        return Person.from_row(row) if row else None

    def add_person(self, user_id: int, community_id: int | None, name: str, role: str | None,
                   organisation: str | None) -> int:
        cursor = self.db.execute(
            "INSERT INTO people (user_id, community_id, name, role, organisation, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (user_id, community_id, name, role, organisation, self.store.now()))
        return int(cursor.lastrowid or 0)

    def update_person(self, user_id: int, person_id: int, *, role: str | None = None,
                      organisation: str | None = None) -> None:
        """Set the role and/or organisation given (None leaves one as it is)."""
        self.db.execute(
            "UPDATE people SET role = coalesce(?, role), organisation = coalesce(?, organisation)"
            f" WHERE id = ? AND {visible_sql()}", (role, organisation, person_id, user_id,
                                                   user_id))

    # conversations
    def open_conversation(self, user_id: int) -> Conversation | None:
        row = self.store.one(_CONVERSATIONS + " WHERE c.user_id = ? AND c.status = 'open'"
                             " ORDER BY c.id DESC LIMIT 1", (user_id,))
        return Conversation.from_row(row) if row else None

    def conversation(self, user_id: int, conversation_id: int) -> Conversation | None:
        row = self.store.one(_CONVERSATIONS + f" WHERE c.id = ? AND {visible_sql('c')}",
                             (conversation_id, user_id, user_id))
        return Conversation.from_row(row) if row else None

    def conversations(self, user_id: int, community_id: int | None) -> list[Conversation]:
        """The conversations in this community, every member's (None: the user's own outside
        any community), oldest first."""
        if community_id is None:
            return [Conversation.from_row(row) for row in self.store.rows(
                _CONVERSATIONS + " WHERE c.user_id = ? AND c.community_id IS NULL"
                " ORDER BY c.id", (user_id,))]
        return [Conversation.from_row(row) for row in self.store.rows(
            _CONVERSATIONS + f" WHERE c.community_id = ? AND {readable_sql('c.community_id')}"
            " ORDER BY c.id", (community_id, user_id))]

    def start(self, user_id: int, community_id: int | None, person_id: int,
              place: str | None) -> int:
        cursor = self.db.execute(
            "INSERT INTO conversations (user_id, community_id, person_id, place, started_at)"
            " VALUES (?, ?, ?, ?, ?)", (user_id, community_id, person_id, place, self.store.now()))
        return int(cursor.lastrowid or 0)

    def finish(self, user_id: int, conversation_id: int, reflection: dict[str, Any]) -> None:
        self.db.execute(
            "UPDATE conversations SET status = 'ended', ended_at = ?, reflection = ?"
            " WHERE id = ? AND user_id = ?",
            (self.store.now(), json.dumps(reflection, ensure_ascii=False), conversation_id,
             user_id))

    def set_summary(self, conversation_id: int, summary: str, keywords: list[str]) -> None:
        self.db.execute("UPDATE conversations SET summary = ?, keywords = ? WHERE id = ?",
                        (strip_markers(summary), ", ".join(keywords), conversation_id))

    def set_place(self, user_id: int, conversation_id: int, place: str) -> None:
        self.db.execute("UPDATE conversations SET place = ? WHERE id = ? AND user_id = ?",
                        (place, conversation_id, user_id))

    def mark_shared(self, conversation_id: int) -> None:
        self.db.execute("UPDATE conversations SET shared_own = 1 WHERE id = ?",
                        (conversation_id,))

    # transcript
    def add_turn(self, conversation_id: int, user_id: int, who: str, question: str | None,
                 text: str, *, kind: str = "text", file_id: str | None = None,
                 chat_message_id: int | None = None, media_name: str | None = None,
                 duration: int | None = None) -> int:
        cursor = self.db.execute(
            "INSERT INTO transcript (conversation_id, user_id, who, question, kind, text,"
            " file_id, download, chat_message_id, created_at, media_name, duration)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (conversation_id, user_id, who, question, kind, strip_markers(text), file_id,
             "pending" if file_id else None, chat_message_id, self.store.now(), media_name,
             duration))
        return int(cursor.lastrowid or 0)

    def transcript(self, conversation_id: int) -> list[TranscriptTurn]:
        return [TranscriptTurn.from_row(row) for row in self.store.rows(
            "SELECT * FROM transcript WHERE conversation_id = ? ORDER BY id", (conversation_id,))]

    def note(self, user_id: int, turn_id: int) -> TranscriptTurn | None:
        """One of this librarian's own notes (the person's words or her own), else None."""
        row = self.store.one("SELECT * FROM transcript WHERE id = ? AND user_id = ?"
                             " AND who IN ('librarian', 'own')", (turn_id, user_id))
        return TranscriptTurn.from_row(row) if row else None

    def move_note(self, user_id: int, turn_id: int, question: str | None) -> bool:
        """The note under another question (None: no question); who said it stays."""
        return self.db.execute(
            "UPDATE transcript SET question = ? WHERE id = ? AND user_id = ?"
            " AND who IN ('librarian', 'own')", (question, turn_id, user_id)).rowcount == 1

    def star_note(self, user_id: int, turn_id: int, starred: bool) -> bool:
        """⭐ on or off a note of the person's; False for her own notes and others' ids."""
        return self.db.execute(
            "UPDATE transcript SET starred = ? WHERE id = ? AND user_id = ?"
            " AND who = 'librarian'", (int(starred), turn_id, user_id)).rowcount == 1

    def said(self, user_id: int, community_id: int) -> list[tuple[int, str, str, bool]]:
        """What the people met in this community said, as (conversation id, question, text,
        starred), in the order noted: only the librarian's notes of their words (`who`
        'librarian'; her own remarks are kept apart), only where this user may read.
        `starred`: the note was marked ⭐ as a quote."""
        rows = self.store.rows(
            "SELECT t.conversation_id, coalesce(t.question, '') AS question, t.text,"
            " t.starred FROM transcript t"
            " JOIN conversations c ON c.id = t.conversation_id"
            f" WHERE c.community_id = ? AND {readable_sql('c.community_id')}"
            " AND t.who = 'librarian' AND t.text != '' ORDER BY t.id",
            (community_id, user_id))
        return [(r["conversation_id"], r["question"], r["text"], bool(r["starred"]))
                for r in rows]

    # edits: a Telegram message edit updates its note or transcript turn, keeping history
    def apply_edit(self, user_id: int, chat_message_id: int, text: str) -> int | None:
        """Returns the conversation id when a transcript turn changed (0 for a field note)."""
        clean = strip_markers(text)
        for source, extra in (("notes", "NULL"), ("transcript", "conversation_id")):
            row = self.store.one(
                f"SELECT id, text, {extra} AS conversation_id FROM {source}"
                " WHERE user_id = ? AND chat_message_id = ? ORDER BY id DESC LIMIT 1",
                (user_id, chat_message_id))
            if row is None:
                continue
            if row["text"] != clean:
                self.db.execute("INSERT INTO edits (user_id, source, source_id, old_text,"
                                " edited_at) VALUES (?, ?, ?, ?, ?)",
                                (user_id, source, row["id"], row["text"], self.store.now()))
                self.db.execute(f"UPDATE {source} SET text = ? WHERE id = ?", (clean, row["id"]))
            return int(row["conversation_id"] or 0)
        return None

    def history(self, user_id: int, source: str, source_id: int) -> list[str]:
        rows = self.store.rows("SELECT old_text FROM edits WHERE user_id = ? AND source = ?"
                               " AND source_id = ? ORDER BY id", (user_id, source, source_id))
        return [r["old_text"] for r in rows]

    # media downloads
    def add_media_note(self, user_id: int, community_id: int | None, kind: str, file_id: str,
                       caption: str, chat_message_id: int | None, *,
                       media_name: str | None = None, duration: int | None = None,
                       tags: str = "") -> int:
        cursor = self.db.execute(
            "INSERT INTO notes (user_id, community_id, text, tags, chat_message_id, created_at,"
            " kind, file_id, download, media_name, duration)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
            (user_id, community_id, strip_markers(caption), tags, chat_message_id,
             self.store.now(), kind, file_id, media_name, duration))
        return int(cursor.lastrowid or 0)

    def pending_downloads(self, user_id: int | None = None,
                          limit: int = 20) -> list[PendingDownload]:
        """Files due for a download attempt (storage/downloads.py)."""
        return self.downloads.due(user_id, limit)

    def pending_download_count(self) -> int:
        """Files still to fetch, for everyone (a queue depth for /metrics)."""
        rows = [self.store.one(f"SELECT count(*) AS n FROM {source} WHERE download = 'pending'")
                for source in ("notes", "transcript")]
        return sum(int(row["n"]) for row in rows if row)

    def downloaded(self, source: str, row_id: int, path: str) -> bool:
        """Record the file; False when the note is gone meanwhile (e.g. the user was erased)."""
        return self.downloads.done(source, row_id, path)

    # search (storage/search.py)
    def index_pending(self) -> int:
        """Add what was written since the last call to the search index; returns how many."""
        return self.index.index_pending()

    def search(self, user_id: int, match: str, limit: int = 8) -> list[Hit]:
        """The best `limit` of the newest matches among what this librarian may read."""
        return self.index.search(user_id, match, limit)
