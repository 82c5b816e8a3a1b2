"""Full-text search over every text a librarian wrote (storage/search_sources.py), keyed by
community.

Every indexed word carries the key of the community its text belongs to (`c12xkoffie`), or
of the librarian for text outside any community (`u5x…`), or of the library for its frame
(`l0x…`, read by everyone); see `search.terms`. A search asks
for the words under the keys the librarian may read, so the ranked window of newest matches
(`SEARCH_POOL`) holds nothing but their own entries: another librarian's rows can neither
be found nor push theirs out.

Sharing a community costs the index nothing: every member reads the same community key, and
which keys a librarian reads comes from `members` when they search (`scopes`). Joining or
leaving is one row in `members`; no indexed word changes, so it is as fast at 100,000 notes
as at ten (tests/storage/test_membership.py counts the index's rows around a join and a
leave). Only text outside any community stays under the author's own key.

The index (`search_docs_fts`, contentless) is fed by triggers through `search_pending` and
`TalkRepo.index_pending`; the plain text stays in `search_docs`, with the author's `user_id`
(so erasing a librarian finds their rows) and the `scope` key.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from search.terms import FTS_TOKENIZE, owned_query, snippet_sql
from storage.db import Connection
from storage.membership import FORMER, Members
from storage.search_sources import BY_KIND, LIBRARY_SCOPE, details
from storage.talk_records import Hit

migrations = Migrations("veldgids-search")

#: Matches ranked per search: the newest ones, so a search costs the same however much a
#: librarian has written; bm25 picks the best of them.
SEARCH_POOL = 200

# Snippets are cut by FTS5 from the plain text of the few hits shown, in a scratch table
# of this connection (never in the database file).
_SNIPPETS = "search_snippets"

_NOTE_SCOPE = "coalesce('c' || new.community_id, 'u' || new.user_id)"
_TURN_SCOPE = ("coalesce((SELECT 'c' || community_id FROM conversations"
               " WHERE id = new.conversation_id), 'u' || new.user_id)")


# Until now words were keyed by librarian and built by Python's idea of a word, which
# differs from SQLite's tokenizer for a few code points: a note could then produce index
# terms of another librarian's key and blank their searches. Words are now encoded so the
# tokenizer never splits them (`search.terms.encode`), keyed by community, and the index is
# rebuilt. The index triggers are dropped first, so the rewrite of `search_docs` does not
# try to remove words from the index under the new encoding.
@migrations()
def m001_key_by_community(db: Database) -> None:
    for trigger in ("search_docs_ai", "search_docs_ad", "search_docs_au"):
        db.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
    for source in ("notes", "transcript", "conversations"):
        for event in ("ins", "upd", "del"):
            db.execute(f'DROP TRIGGER IF EXISTS "{source}_search_{event}"')
    db.execute("ALTER TABLE search_docs RENAME COLUMN owner TO scope")
    db.execute("ALTER TABLE search_docs ADD COLUMN user_id INTEGER"
               " REFERENCES users(id) ON DELETE CASCADE")
    db.execute("UPDATE search_docs SET user_id = CAST(substr(scope, 2) AS INTEGER)")
    for kind, source in (("note", "FROM notes n"), ("summary", "FROM conversations n"),
                         ("turn", "FROM transcript t LEFT JOIN conversations n"
                                  " ON n.id = t.conversation_id")):
        author = "t.user_id" if kind == "turn" else "n.user_id"
        ref = "t.id" if kind == "turn" else "n.id"
        db.execute(f"UPDATE search_docs SET scope = coalesce((SELECT coalesce('c' ||"
                   f" n.community_id, 'u' || {author}) {source} WHERE {ref} ="
                   f" search_docs.ref_id), scope) WHERE kind = ?", (kind,))
    db.execute("CREATE INDEX search_docs_user ON search_docs(user_id)")
    for source, kind, text, where, scope in (
        ("notes", "note", "new.text", "1", _NOTE_SCOPE),
        ("transcript", "turn", "new.text", "new.who = 'librarian' AND new.text != ''",
         _TURN_SCOPE),
        ("conversations", "summary", "coalesce(new.summary, '')", "new.summary IS NOT NULL",
         _NOTE_SCOPE),
    ):
        values = f"SELECT new.user_id, {scope}, '{kind}', new.id, {text}"
        insert = "INSERT INTO search_docs (user_id, scope, kind, ref_id, text)"
        db.execute(f"""
            CREATE TRIGGER {source}_search_ins AFTER INSERT ON {source} WHEN {where} BEGIN
                {insert} {values};
            END""")
        db.execute(f"""
            CREATE TRIGGER {source}_search_upd AFTER UPDATE ON {source} BEGIN
                DELETE FROM search_docs WHERE kind = '{kind}' AND ref_id = old.id;
                {insert} {values} WHERE {where};
            END""")
        db.execute(f"""
            CREATE TRIGGER {source}_search_del AFTER DELETE ON {source} BEGIN
                DELETE FROM search_docs WHERE kind = '{kind}' AND ref_id = old.id;
            END""")
    unindex = ("INSERT INTO search_docs_fts (search_docs_fts, rowid, terms)"
               " SELECT 'delete', old.id, owned_terms(old.scope, old.text)"
               " WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE id = old.id);"
               " DELETE FROM search_pending WHERE id = old.id;")
    pending = "INSERT OR IGNORE INTO search_pending (id) VALUES (new.id);"
    db.execute(f"CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN {pending} END")
    db.execute(f"CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN {unindex} END")
    db.execute(f"CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN {unindex}"
               f" {pending} END")
    reindex(db)


def reindex(db: Database) -> None:
    """Build the search index from `search_docs` afresh (also after a bulk load that
    bypassed its triggers)."""
    db.execute("INSERT INTO search_docs_fts (search_docs_fts) VALUES ('delete-all')")
    db.execute("INSERT INTO search_docs_fts (rowid, terms)"
               " SELECT id, owned_terms(scope, text) FROM search_docs")
    if db["search_pending"].exists():
        db.execute("DELETE FROM search_pending")


class SearchIndex:
    """Indexing batches and searches; a search covers the keys one librarian may read."""

    def __init__(self, store: Connection) -> None:
        self.store = store
        self.db = store.db

    def scopes(self, user_id: int) -> list[str]:
        """The keys a librarian's search reads: their communities, and their own key for
        notes outside any community."""
        return [f"u{user_id}", LIBRARY_SCOPE,
                *(f"c{cid}" for cid in Members(self.store).communities(user_id))]

    def index_pending(self) -> int:
        """Add what was written since the last call to the search index; returns how many."""
        with self.store.atomic():
            added = self.db.execute(
                "INSERT INTO search_docs_fts (rowid, terms) SELECT d.id,"
                " owned_terms(d.scope, d.text) FROM search_pending p"
                " JOIN search_docs d ON d.id = p.id").rowcount
            self.db.execute("DELETE FROM search_pending")
        return added

    def search(self, user_id: int, match: str, limit: int = 8) -> list[Hit]:
        """The best `limit` of the newest `SEARCH_POOL` records matching `match` (an
        `fts_query` expression), best first, each text once."""
        self.index_pending()
        scopes = self.scopes(user_id)
        ranked = [row[0] for row in self.db.execute(
            "SELECT id FROM (SELECT rowid AS id, bm25(search_docs_fts) AS score"
            " FROM search_docs_fts WHERE search_docs_fts MATCH :match"
            " ORDER BY rowid DESC LIMIT :pool) ORDER BY score, id DESC LIMIT :limit",
            {"match": owned_query(match, scopes), "pool": SEARCH_POOL, "limit": limit * 2})]
        if not ranked:
            return []
        keys = ", ".join("?" * len(scopes))
        docs = {row["id"]: row for row in self.store.rows(f"""
            SELECT d.id, d.kind, d.ref_id, d.text,
                   CASE WHEN d.user_id IS NULL OR d.user_id = ? THEN NULL
                        WHEN u.status = '{FORMER}' THEN '' ELSE u.name END AS author
            FROM search_docs d LEFT JOIN users u ON u.id = d.user_id
            WHERE d.scope IN ({keys}) AND d.id IN ({", ".join("?" * len(ranked))})
        """, (user_id, *scopes, *ranked))}
        where = self._whereabouts(list(docs.values()))
        found = [i for i in ranked if i in docs and (docs[i]["kind"], docs[i]["ref_id"]) in where]
        # An "actie:" note is left out where the action made of it is found: the action
        # says the same, and opens where it can be ticked off or moved.
        made = {place["context"] for (kind, _), place in where.items() if kind == "action"}
        found = _one_per_text([i for i in found if docs[i]["kind"] != "note"
                               or docs[i]["ref_id"] not in made], docs)[:limit]
        snippets = self._snippets(match, {i: docs[i]["text"] for i in found})
        hits = []
        for i in found:
            doc, place = docs[i], where[docs[i]["kind"], docs[i]["ref_id"]]
            hits.append(Hit(kind=doc["kind"], ref_id=doc["ref_id"],
                            snippet=snippets.get(i, doc["text"]), author=doc["author"],
                            text=doc["text"], **place))
        return hits

    def found(self, user_id: int, kind: str, ref_id: int) -> Hit | None:
        """One record the librarian may still read, as a hit with its whole text (what a
        hit's button opens); None once it is gone or out of her reach."""
        scopes = self.scopes(user_id)
        doc = self.store.one(
            "SELECT id, kind, ref_id, text FROM search_docs WHERE kind = ? AND ref_id = ?"
            f" AND scope IN ({', '.join('?' * len(scopes))})", (kind, ref_id, *scopes))
        place = self._whereabouts([doc]).get((kind, ref_id)) if doc else None
        if doc is None or place is None:
            return None
        return Hit(kind=kind, ref_id=ref_id, snippet=doc["text"], text=doc["text"], **place)

    def _whereabouts(self, docs: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
        """Where each hit was found (when, which community, what it opens), by kind and
        ref_id: one small query per kind among the hits."""
        refs: dict[str, list[int]] = {}
        for doc in docs:
            refs.setdefault(doc["kind"], []).append(doc["ref_id"])
        out: dict[tuple[str, int], dict[str, Any]] = {}
        for kind, ids in refs.items():
            source = BY_KIND.get(kind)
            if source is None:
                continue
            for row in self.store.rows(details(source, len(ids)), tuple(ids)):
                out[kind, row["ref_id"]] = {
                    "created_at": row["at"] or "", "community_id": row["community_id"],
                    "context": row["context"],
                    "title": None if row["title"] is None else str(row["title"])}
        communities = {p["community_id"] for p in out.values() if p["community_id"]}
        names = {row["id"]: row["name"] for row in self.store.rows(
            f"SELECT id, name FROM communities WHERE id IN ({', '.join('?' * len(communities))})",
            tuple(communities))} if communities else {}
        conversations = {p["context"] for (kind, _), p in out.items()
                         if kind in ("turn", "conversation") and p["context"]}
        people = {row["id"]: row["name"] for row in self.store.rows(
            "SELECT c.id, p.name FROM conversations c JOIN people p ON p.id = c.person_id"
            f" WHERE c.id IN ({', '.join('?' * len(conversations))})",
            tuple(conversations))} if conversations else {}
        for (kind, _), place in out.items():
            place["community"] = names.get(place["community_id"])
            conversation = kind in ("turn", "conversation")
            place["person"] = people.get(place["context"]) if conversation else None
        return out

    def _snippets(self, match: str, texts: dict[int, str]) -> dict[int, str]:
        """FTS5's snippets of these texts for `match`, by id."""
        if not texts:
            return {}
        conn = self.db.conn
        conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{_SNIPPETS}"
                     f" USING fts5(text, tokenize='{FTS_TOKENIZE}')")
        # In a transaction of its own when there is none: FTS5 keeps a reader of the table
        # open until a transaction ends, and while it is open the write-ahead log cannot be
        # emptied (which forgetting needs).
        own = not conn.in_transaction
        if own:
            conn.execute("BEGIN")
        try:
            conn.executemany(f"INSERT INTO temp.{_SNIPPETS} (rowid, text) VALUES (?, ?)",
                             texts.items())
            return dict(conn.execute(
                f"SELECT rowid, {snippet_sql(_SNIPPETS, column=0)} FROM temp.{_SNIPPETS}"
                f" WHERE {_SNIPPETS} MATCH ?", (match,)).fetchall())
        finally:
            conn.execute(f"DELETE FROM temp.{_SNIPPETS}")
            if own:
                conn.execute("COMMIT")


def _one_per_text(ids: list[int], docs: dict[int, dict[str, Any]]) -> list[int]:
    """The hits, each text once: a text found again (the library's frame a community took
    over as its own) is shown at its best hit."""
    seen: set[str] = set()
    out = []
    for i in ids:
        key = " ".join(docs[i]["text"].split()).casefold()
        if key not in seen:
            seen.add(key)
            out.append(i)
    return out
