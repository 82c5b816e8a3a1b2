"""Forgetting a person met: their record, the conversations' link to them, their name.

Field notes are about real people, and a member of a community may ask the librarian to
remove what was noted about them. What mentions a person is found the way /forget finds a
librarian's rows (storage/privacy.py): every text column of every table holding the
librarian's rows, so text a later feature stores is covered too. Their name (and each part
of it that is a name on its own, "Fatima" of "Fatima Yilmaz") is replaced by a neutral mark
in every such text, whole words only and regardless of case; their record goes, and the
conversations with them keep their notes but no longer point to anyone. The search index
follows through its triggers, is compacted, and the write-ahead log is emptied, as after an
erase, so the name stays in no free page, index segment or log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storage.db import Connection
from storage.membership import visible_sql
from storage.privacy import INBOX, compact_indexes, owned_tables
from storage.talk_records import Person

# Tables whose text is not what the librarian wrote or was shown (bookkeeping), or is
# rebuilt by triggers from the tables that are searched here.
SKIP = frozenset({INBOX, "search_docs", "processed_updates", "invites", "undelivered",
                  "users"})
# Which tables count as what, for the preview ("3 notes, 5 lines of conversations...").
KINDS = {"notes": "notes", "transcript": "turns", "conversations": "summaries",
         "edits": "notes"}


def name_pattern(name: str) -> re.Pattern[str] | None:
    """The whole name, and each part that is a name of its own (three letters or more,
    capitalised, so "de" and "van" stay), as whole words, any case."""
    full = " ".join(name.split())
    if len(full) < 2:
        return None
    parts = [p for p in full.split(" ") if len(p) >= 3 and p[0].isupper()]
    variants = sorted({full, *parts}, key=len, reverse=True)
    words = "|".join(re.escape(v) for v in variants)
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)


@dataclass
class Mentions:
    """What mentions a person: conversations with them, and texts with their name."""

    conversations: int = 0
    texts: dict[str, int] = field(default_factory=dict)  # by kind: notes, turns, summaries...

    @property
    def total(self) -> int:
        return sum(self.texts.values())


class PeopleRepo:
    def __init__(self, store: Connection) -> None:
        self.store = store
        self.db = store.db

    def people(self, user_id: int, community_id: int | None) -> list[Person]:
        """Everyone the librarian met in this community (or outside any), by name."""
        return [Person.from_row(row) for row in self.store.rows(
            "SELECT * FROM people WHERE community_id IS ? AND"
            f" {visible_sql()} AND (community_id IS NOT NULL OR user_id = ?)"
            " ORDER BY name COLLATE NOCASE, id", (community_id, user_id, user_id, user_id))]

    def person(self, user_id: int, person_id: int) -> Person | None:
        row = self.store.one(f"SELECT * FROM people WHERE id = ? AND {visible_sql()}",
                             (person_id, user_id, user_id))
        return Person.from_row(row) if row else None

    def _in_community(self, table: str) -> str:
        """Rows of `table` in community :cid, directly or through the row they belong to
        (a transcript turn through its conversation); "0" when it has no community."""
        cols = {r[1] for r in self.db.execute(f'PRAGMA table_info("{table}")')}
        if "community_id" in cols:
            return "community_id = :cid"
        for r in self.db.execute(f'PRAGMA foreign_key_list("{table}")').fetchall():
            parent, src = r[2], r[3]
            if "community_id" in {c[1] for c in self.db.execute(f'PRAGMA table_info("{parent}")')}:
                return f'"{src}" IN (SELECT id FROM "{parent}" WHERE community_id = :cid)'
        return "0"

    def _texts(self, user_id: int, community_id: int | None = None
               ) -> list[tuple[str, str, list[tuple[int, str]]]]:
        """(table, column, [(rowid, text)]) for every text column of the librarian's rows,
        and of every member's rows in the person's community (a shared one included)."""
        out = []
        for owned in owned_tables(self.db):
            if owned.table in SKIP:
                continue
            columns = [r[1] for r in self.db.execute(f'PRAGMA table_info("{owned.table}")')
                       if (r[2] or "").upper() == "TEXT"]
            shared = self._in_community(owned.table) if community_id is not None else "0"
            for column in columns:
                rows = self.db.execute(
                    f'SELECT rowid, "{column}" FROM "{owned.table}" WHERE (({owned.where})'
                    f' OR {shared}) AND "{column}" IS NOT NULL',
                    {"uid": user_id, "cid": community_id}).fetchall()
                out.append((owned.table, column, rows))
        return out

    def mentions(self, user_id: int, person: Person) -> Mentions:
        found = Mentions(conversations=self._conversations(user_id, person.id))
        pattern = name_pattern(person.name)
        if pattern is None:
            return found
        rows_hit: set[tuple[str, int]] = set()  # a row counts once, whichever columns
        for table, _column, rows in self._texts(user_id, person.community_id):
            if table == "people":
                continue
            rows_hit |= {(table, rowid) for rowid, text in rows
                         if isinstance(text, str) and pattern.search(text)}
        for table, _ in rows_hit:
            kind = KINDS.get(table, "other")
            found.texts[kind] = found.texts.get(kind, 0) + 1
        return found

    def _conversations(self, user_id: int, person_id: int) -> int:
        row = self.store.one("SELECT count(*) AS n FROM conversations WHERE person_id = ?"
                             f" AND {visible_sql()}", (person_id, user_id, user_id))
        return int(row["n"]) if row else 0

    def forget(self, user_id: int, person_id: int, mark: str) -> Mentions | None:
        """Replace the person's name by `mark` everywhere, unlink their conversations and
        delete their record. Call inside `store.atomic()`; None if there is no such person."""
        person = self.person(user_id, person_id)
        if person is None:
            return None
        done = self.mentions(user_id, person)
        pattern = name_pattern(person.name)
        # The person was found through membership above: every member's links to them go.
        self.db.execute("UPDATE conversations SET person_id = NULL WHERE person_id = ?",
                        (person_id,))
        self.db.execute("DELETE FROM people WHERE id = ?", (person_id,))
        if pattern is not None:
            for table, column, rows in self._texts(user_id, person.community_id):
                for rowid, text in rows:
                    if isinstance(text, str) and pattern.search(text):
                        self.db.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?',
                                        (pattern.sub(mark, text), rowid))
        compact_indexes(self.db)
        self.store.checkpoint()  # after the commit: the log keeps no copy of the name
        return done
