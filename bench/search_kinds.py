"""Section 3's search again on a database as large, whose records are of every kind /zoek
finds (storage/search_sources.py) rather than notes alone: a third notes, the rest
conversation notes, actions, activities, checklist texts, outcomes, roles, people, goals and
progress notes, written with the same Dutch-like text. Built like bench/dataset.py: the
rows go in through the schema's own triggers (so `search_docs` is filled as the bot fills
it), the FTS5 index over it in one go at the end."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from bench import dataset
from bench.textgen import Notes
from storage.search import reindex as reindex_search
from storage.store import Store

# How many of every 60 records that are not notes are of each kind (turns most: a
# conversation holds many notes).
MIX = {"turn": 24, "action": 5, "activity": 5, "item": 5, "outcome": 4, "role": 2,
       "person": 4, "goal": 3, "progress": 8}
TURNS_PER_CONVERSATION = 20
DAY = "2024-06-01"


@dataclass
class IndexSize:
    bytes: int  # search_docs, its indexes and the FTS5 tables, pages in use
    records: int  # rows of search_docs


def index_size(path: Path) -> IndexSize:
    store = Store(path)
    try:
        used = store.db.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_docs%'"
            " OR name LIKE 'sqlite_autoindex_search_docs%'").fetchone()[0]
        rows = store.db.execute("SELECT count(*) FROM search_docs").fetchone()[0]
        return IndexSize(int(used or 0), int(rows))
    finally:
        store.close()


def build(path: Path, light: int, records_per_user: int) -> dataset.Dataset:
    """`light` librarians with `records_per_user` records each, a third of them notes."""
    began = time.perf_counter()
    notes = max(1, records_per_user // 3)
    base = dataset.build(path, light, notes)
    store = Store(path)
    store.db.execute("PRAGMA synchronous = OFF")
    try:
        triggers = [row[0] for row in store.db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'search_docs'")]
        with store.atomic():
            for (name,) in store.db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                    " AND tbl_name = 'search_docs'").fetchall():
                store.db.execute(f'DROP TRIGGER "{name}"')
            owners = store.db.execute("SELECT user_id, id FROM communities ORDER BY id").fetchall()
            texts = iter(Notes(11))
            kinds = [k for k, n in MIX.items() for _ in range(n)]
            for user_id, community_id in owners:
                _records(store, user_id, community_id, records_per_user - notes, kinds, texts)
            reindex_search(store.db)
            for sql in triggers:
                store.db.execute(sql)
    finally:
        store.close()
    return replace(base, notes=light * records_per_user, seconds=time.perf_counter() - began)


def _records(store: Store, uid: int, cid: int, count: int, kinds: list[str],
             texts: Iterator[str]) -> None:
    """`count` records of the kinds in MIX, in its proportions, for one librarian."""
    db = store.db.conn
    now = "2024-06-01T08:00:00+00:00"
    conversation = goal = 0
    for n in range(count):
        kind, text = kinds[n % len(kinds)], next(texts)
        if kind == "turn":
            if n % TURNS_PER_CONVERSATION == 0 or not conversation:
                conversation = db.execute(
                    "INSERT INTO conversations (user_id, community_id, started_at)"
                    " VALUES (?, ?, ?)", (uid, cid, now)).lastrowid or 0
            db.execute("INSERT INTO transcript (conversation_id, user_id, who, question, text,"
                       " created_at) VALUES (?, ?, 'librarian', 'work', ?, ?)",
                       (conversation, uid, text, now))
        elif kind in ("goal", "progress") and (kind == "goal" or not goal):
            goal = db.execute(
                "INSERT INTO goals (user_id, community_id, specific, metric, baseline, target,"
                " deadline, created_at) VALUES (?, ?, ?, 'deelnemers', 0, 10, '2025-01-01', ?)",
                (uid, cid, text, now)).lastrowid or 0
        elif kind == "progress":
            db.execute("INSERT INTO goal_progress (goal_id, value, note, logged_at)"
                       " VALUES (?, 1, ?, ?)", (goal, text, now))
        else:
            sql, args = _plain(kind, uid, cid, text, now)
            db.execute(sql, args)


def _plain(kind: str, uid: int, cid: int, text: str, now: str) -> tuple[str, tuple[object, ...]]:
    words = text.split()
    return {
        "action": ("INSERT INTO actions (user_id, community_id, what, created_at, updated_at)"
                   " VALUES (?, ?, ?, ?, ?)", (uid, cid, text, now, now)),
        "activity": ("INSERT INTO activities (user_id, community_id, kind, day, what,"
                     " participants, led_by, note, created_at) VALUES (?, ?, 'Taalcafé', ?,"
                     " 'Samen praten', 10, 'library', ?, ?)", (uid, cid, DAY, text, now)),
        "item": ("INSERT INTO item_texts (community_id, item, text, created_at, updated_at)"
                 " VALUES (?, 'p2.scan', ?, ?, ?)", (cid, text, now, now)),
        "outcome": ("INSERT INTO outcomes (user_id, community_id, kind, text, created_at)"
                    " VALUES (?, ?, 'knowledge', ?, ?)", (uid, cid, text, now)),
        "role": ("INSERT INTO roles (user_id, community_id, name, role, created_at)"
                 " VALUES (?, ?, ?, 'partner', ?)", (uid, cid, " ".join(words[:3]), now)),
        "person": ("INSERT INTO people (user_id, community_id, name, role, organisation,"
                   " created_at) VALUES (?, ?, ?, 'vrijwilliger', ?, ?)",
                   (uid, cid, " ".join(words[:2]), " ".join(words[2:8]), now)),
    }[kind]
