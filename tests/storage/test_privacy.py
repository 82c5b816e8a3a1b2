"""Finding and erasing everything about one user, including tables added by later features."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from search.terms import fts_query
from storage.privacy import counts, erase, owned_tables, records
from storage.store import Store
from storage.talk import TalkRepo
from tests.access_helpers import leftovers

SECRET = "Zwanenbloem"
OTHER = "Kievitsbloem"
ANNA_TG, BRAM_TG = 770_011_223, 880_022_334


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = Store(db_path)
    # A later feature's tables, unknown to the privacy code: found from the schema alone.
    for sql in (
        "CREATE TABLE future_goals (id INTEGER PRIMARY KEY, community_id INTEGER NOT NULL"
        " REFERENCES communities(id) ON DELETE CASCADE, text TEXT NOT NULL)",
        "CREATE TABLE future_progress (id INTEGER PRIMARY KEY, goal_id INTEGER NOT NULL"
        " REFERENCES future_goals(id) ON DELETE CASCADE, note TEXT)",
        "CREATE TABLE future_reminders (user_id INTEGER PRIMARY KEY, weekday INTEGER, note TEXT)",
    ):
        s.db.execute(sql)
    yield s
    s.close()


def fill(store: Store, telegram_id: int, word: str, data_dir: Path) -> int:
    user = store.create_user(name=f"{word}-naam", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=telegram_id)
    community = store.create_community(user.id, f"{word} club", "taal")
    store.set_tick(community, "p1.policy", True)
    store.set_answer(community, "phase1.frame", f"Kapstok {word}")
    store.add_note(user.id, community, f"Notitie over {word} #tag", ["tag"], 11)
    store.add_note(user.id, None, f"Losse notitie {word}", [])
    talk = TalkRepo(store)
    person = talk.add_person(user.id, community, f"{word} persoon", "voorzitter", None)
    conversation = talk.start(user.id, community, person, f"{word} buurthuis")
    talk.add_turn(conversation, user.id, "librarian", "work", f"Gesprek {word}")
    talk.set_summary(conversation, f"Samenvatting {word}", [word])
    goal = store.db.execute("INSERT INTO future_goals (community_id, text) VALUES (?, ?)",
                            (community, f"Doel {word}")).lastrowid
    store.db.execute("INSERT INTO future_progress (goal_id, note) VALUES (?, ?)",
                     (goal, f"Voortgang {word}"))
    store.db.execute("INSERT INTO future_reminders (user_id, weekday, note) VALUES (?, 1, ?)",
                     (user.id, f"Herinnering {word}"))
    store.save_state(user.id, "menu", "main", {"x": word}, 3)
    store.mark_processed(1000 + telegram_id % 1000, user.id)
    store.inbox_add([(2000 + telegram_id % 1000, {"update_id": 1, "message": {
        "from": {"id": telegram_id}, "chat": {"id": telegram_id}, "text": word}})])
    store.db.execute("INSERT INTO invites (code_hash, kind, created_at, used_by, used_at)"
                     " VALUES (?, 'invite', '2025-01-01', ?, '2025-01-01')", (word, user.id))
    folder = data_dir / "users" / str(user.id)
    folder.mkdir(parents=True)
    (folder / "notes-1.ogg").write_bytes(f"voice {word}".encode())
    return user.id


def test_discovery_finds_every_table_with_user_rows(store: Store) -> None:
    tables = {o.table for o in owned_tables(store.db)}
    assert {"users", "communities", "checklist", "answers", "notes", "dialog_state",
            "processed_updates", "people", "conversations", "transcript", "edits",
            "search_docs", "invites", "goals", "goal_progress", "reminders", "visions",
            "future_goals", "future_progress", "future_reminders"} <= tables
    assert not any(t.startswith("search_docs_fts") for t in tables)
    order = [o.table for o in owned_tables(store.db)]
    assert order[-1] == "users"
    assert order.index("future_progress") < order.index("future_goals") < order.index(
        "communities")


def test_records_hold_every_row_of_the_user_and_none_of_another(store: Store,
                                                                tmp_path: Path) -> None:
    anna = fill(store, ANNA_TG, SECRET, tmp_path)
    fill(store, BRAM_TG, OTHER, tmp_path)
    found = records(store, anna)
    dumped = json.dumps(found, ensure_ascii=False)
    assert OTHER not in dumped and str(BRAM_TG) not in dumped
    for table in ("future_goals", "future_progress", "future_reminders", "notes", "transcript",
                  "inbox", "checklist", "answers", "search_docs"):
        assert table in found and SECRET in dumped, table
    assert counts(store, anna)["notes"] == 2


def test_erase_leaves_nothing_of_the_user_and_everything_of_the_other(
        store: Store, db_path: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    anna = fill(store, ANNA_TG, SECRET, data_dir)
    bram = fill(store, BRAM_TG, OTHER, data_dir)
    before = counts(store, bram)
    with store.atomic():
        erased = erase(store, anna, data_dir)
    assert erased.rows["notes"] == 2 and erased.files == 1 and erased.rows["inbox"] == 1
    assert leftovers(db_path, data_dir, [SECRET], ANNA_TG, anna) == []
    assert counts(store, bram) == before
    other, secret = fts_query(OTHER, "nl"), fts_query(SECRET, "nl")
    assert other and secret
    assert TalkRepo(store).search(bram, other)  # the other's search index still works
    assert not TalkRepo(store).search(anna, secret)
    raw = db_path.read_bytes() + (db_path.with_name(db_path.name + "-wal").read_bytes()
                                  if db_path.with_name(db_path.name + "-wal").exists() else b"")
    assert SECRET.encode() not in raw and SECRET.lower().encode() not in raw
    assert OTHER.encode() in raw
    assert store.integrity() == "ok"


def test_erase_removes_files_named_in_rows_inside_the_data_dir_only(
        store: Store, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("keep me")
    anna = fill(store, ANNA_TG, SECRET, data_dir)
    media = data_dir / "media" / "photo.jpg"
    media.parent.mkdir(parents=True)
    media.write_bytes(b"jpeg")
    store.db.execute("UPDATE notes SET file_path = ? WHERE user_id = ? AND community_id IS NULL",
                     (str(media), anna))
    store.db.execute("UPDATE notes SET file_path = ? WHERE user_id = ? AND community_id"
                     " IS NOT NULL", (str(outside), anna))
    with store.atomic():
        erase(store, anna, data_dir)
    assert not media.exists() and outside.exists()


def test_erasing_an_unknown_user_does_nothing(store: Store, tmp_path: Path) -> None:
    with store.atomic():
        assert erase(store, 12345, tmp_path).rows == {}
