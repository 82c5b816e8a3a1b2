"""A database full of librarians' notes, built fast through the real schema and triggers.

Users and communities go through `Store`; notes are inserted with one prepared statement,
so the schema's own triggers fill `search_docs` exactly as `Store.add_note` would. Only the
FTS5 index over it is built in one go at the end (`reindex_search`), which leaves it fully
merged, where a database grown note by note has a few more index segments. Each note also
leaves a handled update id behind, as a chatted note does. Heavy writers can also be members
of other librarians' communities (`shared`), so their searches read those too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.textgen import Notes
from storage.membership import Members
from storage.search import reindex as reindex_search
from storage.store import Store

FIRST_TELEGRAM_ID = 900_001
FIRST_UPDATE_ID = 10**9  # the benchmarks' own update ids, above the dataset's
START = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
HEAVY_FACTOR = 10


@dataclass(frozen=True)
class Dataset:
    path: Path
    notes: int
    light: tuple[int, ...]  # Telegram ids of librarians with `notes_per_user` notes
    heavy: tuple[int, ...]  # ... and of those with ten times as many
    notes_per_user: int
    seconds: float  # time it took to build
    shared: int = 0  # other librarians' communities each heavy writer is a member of


def build(path: Path, light: int, notes_per_user: int, heavy: int = 0, seed: int = 7,
          batch: int = 20_000, shared: int = 0) -> Dataset:
    """`light` librarians with `notes_per_user` notes each and `heavy` ones with ten times
    as many, one community each, their notes interleaved over time as in real use; each
    heavy writer is invited to and joins `shared` light writers' communities."""
    began = time.perf_counter()
    store = Store(path)
    # Building test data, not measuring: a big page cache and no syncing make it faster.
    store.db.execute("PRAGMA cache_size = -262144")
    store.db.execute("PRAGMA synchronous = OFF")
    ids = tuple(range(FIRST_TELEGRAM_ID, FIRST_TELEGRAM_ID + light + heavy))
    try:
        with store.atomic():
            owners: list[tuple[int, int]] = []
            for n, telegram_id in enumerate(ids):
                user = store.create_user(name=f"Bibliothecaris {n}", language="nl",
                                         timezone="Europe/Amsterdam", telegram_id=telegram_id)
                community = store.create_community(user.id, f"Taalcafé {n}", "taal")
                owners.append((user.id, community))
            _share(store, owners[:light], owners[light:], shared)
        # The search index is filled by triggers on `search_docs`; for a bulk load, building
        # it in one go afterwards is ten times faster. Their SQL is put back unchanged.
        fts_triggers = [row[0] for row in store.db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'search_docs'")]
        names = [row[0] for row in store.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'search_docs'")]
        with store.atomic():
            for name in names:
                store.db.execute(f'DROP TRIGGER "{name}"')
        # One round gives every light writer one note and every heavy writer ten.
        cycle = owners[:light] + [o for o in owners[light:] for _ in range(HEAVY_FACTOR)]
        total = len(cycle) * notes_per_user
        texts = iter(Notes(seed))
        rows: list[tuple[int, int, str, str, int, str]] = []
        for index in range(total):
            user_id, community_id = cycle[index % len(cycle)]
            text = next(texts)
            tags = " ".join(w for w in text.split() if w.startswith("#"))
            when = (START + timedelta(minutes=index)).isoformat(timespec="seconds")
            rows.append((user_id, community_id, text, tags, index + 1, when))
            if len(rows) == batch or index == total - 1:
                _insert(store, rows)
                rows = []
        with store.atomic():
            reindex_search(store.db)
            for sql in fts_triggers:
                store.db.execute(sql)
    finally:
        store.close()
    return Dataset(path, total, ids[:light], ids[light:], notes_per_user,
                   time.perf_counter() - began, shared)


def _share(store: Store, light: list[tuple[int, int]], heavy: list[tuple[int, int]],
           shared: int) -> None:
    """Heavy writer n joins the communities of light writers n, n + 1, …: through an
    invitation, as a librarian would."""
    members = Members(store)
    for n, (user_id, _) in enumerate(heavy):
        for k in range(min(shared, len(light))):
            owner, community = light[(n + k) % len(light)]
            assert members.invite(owner, community, user_id) is None
            invitation = next(i for i in members.pending(community) if i.user_id == user_id)
            assert not isinstance(members.accept(invitation.id, user_id), str)


def _insert(store: Store, rows: list[tuple[int, int, str, str, int, str]]) -> None:
    with store.atomic():
        conn = store.db.conn
        conn.executemany(
            "INSERT INTO notes (user_id, community_id, text, tags, chat_message_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", rows)
        conn.executemany(
            "INSERT INTO processed_updates (update_id, user_id, processed_at) VALUES (?, ?, ?)",
            [(r[4], r[0], r[5]) for r in rows])
