"""The benchmark's generated database: heavy writers' searches read shared communities too,
so section 6 measures a search over every community a librarian is a member of."""

from __future__ import annotations

from pathlib import Path

from bench import dataset
from search.terms import fts_query
from storage.membership import Members
from storage.search import SearchIndex
from storage.store import Store


def test_heavy_writers_are_members_of_shared_communities(tmp_path: Path) -> None:
    data = dataset.build(tmp_path / "bench.db", light=3, notes_per_user=20, heavy=2, shared=2)
    assert (data.notes, data.shared) == (3 * 20 + 2 * 10 * 20, 2)
    store = Store(tmp_path / "bench.db")
    try:
        members, index = Members(store), SearchIndex(store)
        heavy = [store.user_by_telegram(t) for t in data.heavy]
        light = [store.user_by_telegram(t) for t in data.light]
        assert all(u is not None for u in heavy + light)
        shared = [cid for u in light if u for cid in members.communities(u.id)]
        first, second = (u.id for u in heavy if u)
        # Heavy writer n joins light writers n and n + 1's communities, besides its own.
        assert set(members.communities(first)) > {shared[0], shared[1]}
        assert set(members.communities(second)) > {shared[1], shared[2]}
        # own key, the library's frame, own community, two shared
        assert len(index.scopes(first)) == 2 + 1 + 2
        # A note in a shared community is found by the heavy writer, not by an outsider.
        owner = light[0]
        assert owner is not None and light[2] is not None
        store.add_note(owner.id, shared[0], "Boekenruilkast bij de bakker", [])
        match = fts_query("boekenruilkast", "nl")
        assert match is not None
        assert [hit.community for hit in index.search(first, match)] == ["Taalcafé 0"]
        assert index.search(light[2].id, match) == []
    finally:
        store.close()
