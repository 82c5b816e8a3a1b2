"""Transcripts, edits and full-text search on a real SQLite file."""

from __future__ import annotations

import pytest

from dialogs.textsearch import fts_query
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
    assert [(t["who"], t["kind"]) for t in turns] == [("bot", "text"), ("librarian", "text"),
                                                      ("librarian", "photo")]
    assert turns[2]["download"] == "pending" and turns[2]["file_id"] == "F1"
    assert repo.open_conversation(uid)["person_name"] == "Fatima"  # type: ignore[index]


def test_an_edit_updates_the_note_and_keeps_history(store: Store, repo: TalkRepo) -> None:
    uid, cid = make_user(store, 1)
    note = store.add_note(uid, cid, "Sane wil een leesclub", [], chat_message_id=42)
    assert repo.apply_edit(uid, 42, "Sanne wil een leesclub") == 0
    assert store.notes(uid)[0]["text"] == "Sanne wil een leesclub"
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


def test_index_follows_deletes_and_summaries(store: Store, repo: TalkRepo) -> None:
    uid, cid = make_user(store, 1)
    note = store.add_note(uid, cid, "vergeten notitie over zwemles", [])
    store.db.execute("DELETE FROM notes WHERE id = ?", (note,))
    assert not search(repo, uid, "zwemles")
    conversation = repo.start(uid, cid, repo.add_person(uid, cid, "Jan", None, None), None)
    repo.set_summary(conversation, "Kern: buurtmoestuin en vrijwilligers", ["moestuin"])
    assert search(repo, uid, "vrijwilligers")
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
    assert [(r["source"], r["id"]) for r in repo.pending_downloads(uid)] == [("notes", note)]
    repo.downloaded("notes", note, "/data/users/1/notes-1.ogg")
    assert repo.pending_downloads(uid) == []
