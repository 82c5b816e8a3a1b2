"""Transcripts, edits and full-text search on a real SQLite file."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from search.terms import fts_query
from storage.store import Store
from storage.talk import TalkRepo


@pytest.fixture
def repo(store: Store) -> TalkRepo:
    return TalkRepo(store)


def make_user(store: Store, telegram_id: int) -> tuple[int, int]:
    user = store.create_user(name="A", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=telegram_id)
    return user.id, store.create_community(user.id, "Taalcafé", None)


def search(repo: TalkRepo, user_id: int, words: str) -> list[str]:
    match = fts_query(words, "nl")
    assert match is not None
    return [h.snippet.replace("\x02", "").replace("\x03", "") for h in repo.search(user_id, match)]


def test_transcript_keeps_every_turn_in_order(store: Store, repo: TalkRepo) -> None:
    uid, cid = make_user(store, 1)
    person = repo.add_person(uid, cid, "Fatima", "voorzitter", None)
    conversation = repo.start(uid, cid, person, "buurthuis")
    repo.add_turn(conversation, uid, "bot", "work", "Wat voor werk doe je?")
    repo.add_turn(conversation, uid, "librarian", "work", "Ze geeft taalles", chat_message_id=9)
    repo.add_turn(conversation, uid, "librarian", "work", "", kind="photo", file_id="F1")
    turns = repo.transcript(conversation)
    assert [(t.who, t.kind) for t in turns] == [("bot", "text"), ("librarian", "text"),
                                                      ("librarian", "photo")]
    assert turns[2].download == "pending" and turns[2].file_id == "F1"
    assert repo.open_conversation(uid).person_name == "Fatima"  # type: ignore[union-attr]


def test_an_edit_updates_the_note_and_keeps_history(store: Store, repo: TalkRepo) -> None:
    uid, cid = make_user(store, 1)
    note = store.add_note(uid, cid, "Sane wil een leesclub", [], chat_message_id=42)
    assert repo.apply_edit(uid, 42, "Sanne wil een leesclub") == 0
    assert store.notes(uid)[0].text == "Sanne wil een leesclub"
    assert repo.history(uid, "notes", note) == ["Sane wil een leesclub"]
    assert search(repo, uid, "Sanne") and not search(repo, uid, "Sane")
    assert repo.apply_edit(uid, 43, "unknown") is None
    assert repo.apply_edit(2, 42, "someone else's edit") is None


def test_search_is_case_and_accent_friendly(store: Store, repo: TalkRepo) -> None:
    uid, cid = make_user(store, 1)
    store.add_note(uid, cid, "Afspraak in de Bibliotheek over het café", [])
    assert search(repo, uid, "bibliotheek")
    assert search(repo, uid, "cafe")
    assert search(repo, uid, "CAFÉ")


def test_search_never_shows_another_users_notes(store: Store, repo: TalkRepo) -> None:
    anna, a_c = make_user(store, 1)
    bram, b_c = make_user(store, 2)
    store.add_note(anna, a_c, "geheim plan voor de moestuin", [])
    store.add_note(bram, b_c, "openbaar plan voor de moestuin", [])
    assert search(repo, bram, "moestuin") == ["openbaar plan voor de moestuin"]


def test_index_follows_deletes_and_leaves_summaries_out(store: Store, repo: TalkRepo) -> None:
    uid, cid = make_user(store, 1)
    note = store.add_note(uid, cid, "vergeten notitie over zwemles", [])
    store.db.execute("DELETE FROM notes WHERE id = ?", (note,))
    assert not search(repo, uid, "zwemles")
    conversation = repo.start(uid, cid, repo.add_person(uid, cid, "Jan", None, None), None)
    repo.add_turn(conversation, uid, "librarian", "work", "Ze zoeken vrijwilligers")
    # The summary repeats her notes: found once, as the note in the conversation.
    repo.set_summary(conversation, "Kern: buurtmoestuin\n• Ze zoeken vrijwilligers", ["moestuin"])
    assert search(repo, uid, "vrijwilligers") == ["Ze zoeken vrijwilligers"]
    assert not search(repo, uid, "buurtmoestuin")  # the bot's words are not hers
    bot_turn = repo.add_turn(conversation, uid, "bot", "work", "Wat voor werk doe je?")
    assert bot_turn and not search(repo, uid, "werk doe")  # prompts are not search results


@pytest.mark.parametrize("query", ['"', "*", "NEAR", "-", "a OR", 'x" AND (', "^:", "NEAR(a b)"])
def test_fts_syntax_characters_never_raise(store: Store, repo: TalkRepo, query: str) -> None:
    uid, cid = make_user(store, 1)
    store.add_note(uid, cid, 'Een "NEAR" notitie - met * tekens', [])
    match = fts_query(query, "nl")
    if match is not None:
        repo.search(uid, match)


def test_pending_downloads_and_marking_done(store: Store, repo: TalkRepo) -> None:
    uid, cid = make_user(store, 1)
    note = repo.add_media_note(uid, cid, "voice", "V1", "", 5)
    assert [(r.source, r.id) for r in repo.pending_downloads(uid)] == [("notes", note)]
    repo.downloaded("notes", note, "/data/users/1/notes-1.ogg")
    assert repo.pending_downloads(uid) == []


def test_search_ranks_the_better_match_first(store: Store, repo: TalkRepo) -> None:
    uid, cid = make_user(store, 1)
    store.add_note(uid, cid, "moestuin", [])
    store.add_note(uid, cid, "De buurt wil een moestuin, en de moestuin heeft een moestuinclub", [])
    store.add_note(uid, cid, "Lang verhaal over de wijk, de school, het buurthuis en ergens"
                             " ook nog een moestuin achter de kerk bij het station", [])
    store.add_note(uid, cid, "Alleen over de kerk", [])
    found = search(repo, uid, "moestuin kerk")
    assert found == ["…en ergens ook nog een moestuin achter de kerk bij het station"]
    ranked = search(repo, uid, "moestuin")  # often and in few words beats once in many
    assert ranked[0] == "moestuin" and ranked[-1].endswith("bij het station")


def test_search_ranks_the_newest_matches(store: Store, repo: TalkRepo,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("storage.search.SEARCH_POOL", 3)
    uid, cid = make_user(store, 1)
    store.add_note(uid, cid, "moestuin", [])  # the best match, but older than the pool
    for n in range(4):
        store.add_note(uid, cid, f"een lange notitie {n} over de wijk en de moestuin", [])
    found = search(repo, uid, "moestuin")
    assert len(found) == 3 and "moestuin" not in found
    assert not any("notitie 0" in text for text in found)


def test_prefix_search_stays_within_the_librarian(store: Store, repo: TalkRepo) -> None:
    users = [make_user(store, telegram_id) for telegram_id in range(1, 13)]
    (one, one_c), (twelve, twelve_c) = users[0], users[11]
    assert (one, twelve) == (1, 12)  # owner keys u1 and u12: one a prefix of the other
    store.add_note(twelve, twelve_c, "koffieochtend in de wijk", [])
    store.add_note(one, one_c, "koffie met de wijkagent", [])
    assert search(repo, one, "koff") == ["koffie met de wijkagent"]
    assert search(repo, twelve, "koff") == ["koffieochtend in de wijk"]
    assert search(repo, one, "wijk") == ["koffie met de wijkagent"]


def test_snippet_shows_the_librarians_words_with_hits_marked(store: Store,
                                                             repo: TalkRepo) -> None:
    uid, cid = make_user(store, 1)
    store.add_note(uid, cid, "Mehmet wil een Café-avond voor nieuwkomers", [])
    match = fts_query("cafe nieuwkom", "nl")
    assert match is not None
    [hit] = repo.search(uid, match)
    assert hit.snippet == ("Mehmet wil een \x02Café\x03-avond voor \x02nieuwkomers\x03")
    assert hit.community == "Taalcafé" and hit.kind == "note"


def test_a_database_with_the_shared_index_is_upgraded(db_path: Path) -> None:
    from sqlite_utils import Database

    import storage.talk
    from storage.store import MIGRATION_SETS

    old = Database(db_path)
    for module in MIGRATION_SETS:
        sets = importlib.import_module(module).migrations
        if module == "storage.talk":
            sets.apply(old, stop_before="m003_search_by_owner")
        elif module not in LATER_SETS:
            sets.apply(old)
    old.execute("INSERT INTO users (id, name, created_at) VALUES (7, 'A', '2024-01-01')")
    old.execute("INSERT INTO notes (user_id, text, created_at)"
                " VALUES (7, 'Voorleesuur in de bibliotheek', '2024-01-01')")
    old.conn.commit()
    assert "owner" in old.table("search_docs_fts").columns_dict
    old.close()
    store = Store(db_path)
    try:
        repo = storage.talk.TalkRepo(store)
        assert search(repo, 7, "bibliothe") == ["Voorleesuur in de bibliotheek"]
        store.add_note(7, None, "Nog een bibliotheek", [])
        assert len(search(repo, 7, "bibliotheek")) == 2
    finally:
        store.close()


# Migration sets that came after the index keyed by owner; an old database has none of them.
LATER_SETS = ("storage.search", "storage.downloads", "storage.membership",
              "storage.search_sources")


def test_a_database_with_the_index_keyed_by_librarian_is_upgraded(db_path: Path) -> None:
    """The index keyed by librarian (`u7x…`, built by Python's idea of a word) is rebuilt
    keyed by community, with words SQLite's tokenizer cannot split."""
    from sqlite_utils import Database

    import storage.talk
    from search.terms import owned_terms
    from storage.store import MIGRATION_SETS

    old = Database(db_path)
    old.register_function(owned_terms, deterministic=True)
    for module in MIGRATION_SETS:
        if module not in LATER_SETS:
            importlib.import_module(module).migrations.apply(old)
    old.execute("INSERT INTO users (id, name, created_at) VALUES (7, 'A', '2024-01-01')")
    old.execute("INSERT INTO communities (id, user_id, name, created_at)"
                " VALUES (3, 7, 'Leesclub', '2024-01-01')")
    old.execute("INSERT INTO notes (user_id, community_id, text, created_at)"
                " VALUES (7, 3, 'Voorleesuur in de bibliotheek', '2024-01-01')")
    old.execute("INSERT INTO notes (user_id, text, created_at)"
                " VALUES (7, 'Bibliotheekbus buiten een community', '2024-01-01')")
    old.conn.commit()
    assert old.execute("SELECT owner FROM search_docs").fetchall() == [("u7",), ("u7",)]
    old.close()
    store = Store(db_path)
    try:
        scopes = store.rows("SELECT scope, user_id FROM search_docs ORDER BY id")
        assert scopes == [{"scope": "c3", "user_id": 7}, {"scope": "u7", "user_id": 7}]
        repo = storage.talk.TalkRepo(store)
        assert sorted(search(repo, 7, "bibliothe")) == ["Bibliotheekbus buiten een community",
                                                        "Voorleesuur in de bibliotheek"]
        store.add_note(7, 3, "Nog een bibliotheek", [])
        assert len(search(repo, 7, "bibliotheek")) == 3  # the bus too: a prefix match
        _index_is_sound(store)
    finally:
        store.close()


def _index_is_sound(store: Store) -> None:
    store.db.execute("INSERT INTO search_docs_fts (search_docs_fts, rank)"
                     " VALUES ('integrity-check', 0)")


@pytest.mark.parametrize("indexed_first", [False, True])
def test_edits_and_deletes_reach_search_whether_or_not_indexed_yet(
        store: Store, repo: TalkRepo, indexed_first: bool) -> None:
    """Notes join the index in batches; an edit or delete before or after that batch
    shows in the next search all the same, and the index stays sound."""
    uid, cid = make_user(store, 1)
    note = store.add_note(uid, cid, "Sane wil een leesclub", [], chat_message_id=42)
    gone = store.add_note(uid, cid, "Zwemles op woensdag", [])
    if indexed_first:
        assert repo.index_pending() == 2
    assert repo.apply_edit(uid, 42, "Sanne wil een leesclub") == 0
    store.db.execute("DELETE FROM notes WHERE id = ?", (gone,))
    assert search(repo, uid, "Sanne") == ["Sanne wil een leesclub"]
    assert not search(repo, uid, "Sane") and not search(repo, uid, "zwemles")
    assert store.db.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
    store.db.execute("DELETE FROM notes WHERE id = ?", (note,))
    assert not search(repo, uid, "Sanne")
    _index_is_sound(store)


def test_a_note_is_found_even_before_its_batch_is_indexed(store: Store,
                                                         repo: TalkRepo) -> None:
    uid, cid = make_user(store, 1)
    store.add_note(uid, cid, "Buurtmoestuin zoekt vrijwilligers", [])
    assert store.db.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 1
    assert search(repo, uid, "vrijwilligers")
    assert repo.index_pending() == 0  # the search took the batch along
    _index_is_sound(store)


def test_own_notes_move_and_stars_are_kept_per_librarian(store: Store, repo: TalkRepo) -> None:
    uid, cid = make_user(store, 1)
    other, _ = make_user(store, 2)
    person = repo.add_person(uid, cid, "Ahmed", None, None)
    conversation = repo.start(uid, cid, person, None)
    said = repo.add_turn(conversation, uid, "librarian", None, "Hij zoekt een plek om te oefenen")
    own = repo.add_turn(conversation, uid, "own", "problems", "Ik woonde zelf in Spanje")
    assert [(t.who, t.starred) for t in repo.transcript(conversation)] == [
        ("librarian", False), ("own", False)]
    # a move keeps who said it; a question or none ("Zonder vraag")
    assert repo.move_note(uid, own, "work") and repo.move_note(uid, said, "changes")
    assert repo.move_note(uid, said, None)
    assert [(t.who, t.question) for t in repo.transcript(conversation)] == [
        ("librarian", None), ("own", "work")]
    # a quote is the person's words: her own note is never one
    assert repo.star_note(uid, said, True) and not repo.star_note(uid, own, True)
    assert [t.starred for t in repo.transcript(conversation)] == [True, False]
    # another librarian's ids find nothing
    assert not repo.move_note(other, said, "work") and not repo.star_note(other, said, False)
    assert repo.note(other, said) is None and repo.note(uid, said) is not None
    assert repo.transcript(conversation)[0].starred
