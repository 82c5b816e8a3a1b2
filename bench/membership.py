"""Section 10: joining and leaving a shared community at 100,000 notes.

Search keys words by community (storage/search.py), so a join or a leave writes one
`members` row and leaves the index alone. Measured: the time of a join (invite + accept) and
of a leave, and the new member's first search; the baseline is what a reindex of the
community's notes would cost (rebuilding its index entries), which a design keyed by
librarian would have to do on every join.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.report import Figure, Section
from bench.stats import Runs
from search.terms import fts_query
from storage.membership import Members
from storage.search import SearchIndex, reindex
from storage.store import Store


def section(quick: bool) -> Section:
    notes = 10_000 if quick else 100_000
    runs = 1 if quick else 5
    joins: list[float] = []
    leaves: list[float] = []
    firsts: list[float] = []
    rebuilds: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        with store.atomic():
            anna = store.create_user(name="Anna", language="nl", timezone="UTC",
                                     telegram_id=1).id
            bram = store.create_user(name="Bram", language="nl", timezone="UTC",
                                     telegram_id=2).id
            cid = store.create_community(anna, "Wijk", None)
            store.db.conn.executemany(
                "INSERT INTO notes (user_id, community_id, text, created_at)"
                " VALUES (?, ?, ?, '2025-03-03')",
                [(anna, cid, f"notitie {i} over de markt en de bieb") for i in range(notes)])
        index, members = SearchIndex(store), Members(store)
        index.index_pending()
        match = fts_query("markt", "nl")
        assert match is not None
        for _ in range(runs):
            began = time.perf_counter()
            with store.atomic():
                members.invite(anna, cid, bram)
                members.accept(members.pending(cid)[0].id, bram)
            joins.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            found = index.search(bram, match)
            firsts.append((time.perf_counter() - began) * 1000)
            assert found
            began = time.perf_counter()
            with store.atomic():
                members.remove(cid, bram)
            leaves.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        with store.atomic():
            reindex(store.db)
        rebuilds.append((time.perf_counter() - began) * 1000)
        store.close()
    base = Runs.of(rebuilds)
    label = f"reindexing {notes:,} notes"
    return Section(
        title="10. Sharing: join and leave at scale",
        before=[f"A community of {notes:,} notes; a colleague joins and leaves it {runs}×."],
        figures=[
            Figure("join (invite + accept)", Runs.of(joins), "ms", base, label,
                   "< 50 ms", Runs.of(joins).median < 50, fmt="{:.2f}", ratio=False),
            Figure("leave", Runs.of(leaves), "ms", base, label, "< 50 ms",
                   Runs.of(leaves).median < 50, fmt="{:.2f}", ratio=False),
            Figure("new member's first search", Runs.of(firsts), "ms", fmt="{:.1f}",
                   ratio=False),
        ])
