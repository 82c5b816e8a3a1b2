"""Every kind of text a librarian writes is found, follows each edit and delete, and is found
once; on a real SQLite file."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from search.terms import fts_query
from storage.actions import ActionRepo
from storage.activities import ActivityRepo
from storage.collaboration import CollaborationRepo
from storage.fieldwork import ItemRepo
from storage.goals import GoalRepo
from storage.library import FrameRepo
from storage.store import MIGRATION_SETS, Store
from storage.talk import Hit, TalkRepo

# kind -> (table, column, plant(store, user, community, text) -> rowid)
Plant = Callable[[Store, int, int, str], int]


def _turn(store: Store, uid: int, cid: int, text: str) -> int:
    repo = TalkRepo(store)
    conversation = repo.start(uid, cid, None, None)
    return repo.add_turn(conversation, uid, "librarian", "goals", text)


def _own_turn(store: Store, uid: int, cid: int, text: str) -> int:
    repo = TalkRepo(store)
    return repo.add_turn(repo.start(uid, cid, None, None), uid, "own", "goals", text)


def _conversation(store: Store, uid: int, cid: int, text: str) -> int:
    repo = TalkRepo(store)
    conversation = repo.start(uid, cid, None, "Buurthuis")
    repo.finish(uid, conversation, {"value_both": "yes", "value_why": text})
    return conversation


def _goal(store: Store, uid: int, cid: int, text: str) -> int:
    return GoalRepo(store).add_goal(uid, cid, specific=text, metric="deelnemers", baseline=0,
                                    target=10, achievable="", relevant="", relevant_part=None,
                                    deadline=date(2027, 6, 1))


def _progress(store: Store, uid: int, cid: int, text: str) -> int:
    goals = GoalRepo(store)
    goal = _goal(store, uid, cid, "Meer deelnemers")
    goals.log_progress(uid, goal, 3, text)
    return int(store.db.execute("SELECT max(id) FROM goal_progress").fetchone()[0])


def _answer(store: Store, uid: int, cid: int, text: str) -> int:
    store.set_answer(cid, "phase1.frame", text)
    return int(store.db.execute("SELECT rowid FROM answers WHERE key = 'phase1.frame'"
                                ).fetchone()[0])


KINDS: dict[str, tuple[str, str, Plant]] = {
    "note": ("notes", "text", lambda s, u, c, t: s.add_note(u, c, t, [])),
    "turn": ("transcript", "text", _turn),
    "own turn": ("transcript", "text", _own_turn),
    "conversation": ("conversations", "reflection", _conversation),
    "person": ("people", "organisation",
               lambda s, u, c, t: TalkRepo(s).add_person(u, c, "Ahmed", "vrijwilliger", t)),
    "action": ("actions", "what", lambda s, u, c, t: ActionRepo(s).add(u, c, t)),
    "activity": ("activities", "note", lambda s, u, c, t: ActivityRepo(s).add(
        u, c, kind="Kookavond", day=date(2026, 12, 6), what="Samen koken", participants=12,
        led_by="community", note=t)[0]),
    "role": ("roles", "name",
             lambda s, u, c, t: CollaborationRepo(s).add_role(u, c, t, "ambassador")),
    "outcome": ("outcomes", "text",
                lambda s, u, c, t: CollaborationRepo(s).add_outcome(u, c, "knowledge", t)),
    "goal": ("goals", "specific", _goal),
    "progress": ("goal_progress", "note", _progress),
    "answer": ("answers", "value", _answer),
    "item": ("item_texts", "text", lambda s, u, c, t: ItemRepo(s).add(c, "p2.scan", t)),
    "frame": ("library_frame", "text", lambda s, u, c, t: FrameRepo(s).set(t)),
}


def make_user(store: Store, telegram_id: int) -> tuple[int, int]:
    user = store.create_user(name="A", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=telegram_id)
    return user.id, store.create_community(user.id, "Taalcafé", None)


def hits(store: Store, user_id: int, words: str) -> list[Hit]:
    match = fts_query(words, "nl")
    assert match is not None
    return TalkRepo(store).search(user_id, match)


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_is_found_follows_an_edit_and_leaves_when_deleted(store: Store,
                                                                    kind: str) -> None:
    table, column, plant = KINDS[kind]
    uid, cid = make_user(store, 1)
    rowid = plant(store, uid, cid, "Met Vluchtelingenwerk gesproken")
    [hit] = hits(store, uid, "vluchtelingenwerk")
    assert hit.kind == kind.removeprefix("own ")
    assert "Vluchtelingenwerk" in hit.text
    store.db.execute(f'UPDATE "{table}" SET "{column}" = replace("{column}",'
                     " 'Vluchtelingenwerk', 'Humanitas') WHERE rowid = ?", (rowid,))
    assert hits(store, uid, "vluchtelingenwerk") == []
    assert len(hits(store, uid, "humanitas")) == 1
    store.db.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
    assert hits(store, uid, "humanitas") == []


def test_a_hit_says_where_it_was_found(store: Store) -> None:
    uid, cid = make_user(store, 1)
    KINDS["activity"][2](store, uid, cid, "Er was baklava")
    [hit] = hits(store, uid, "baklava")
    assert (hit.kind, hit.title, hit.community) == ("activity", "Kookavond", "Taalcafé")
    assert hit.created_at == "2026-12-06" and hit.community_id == cid
    progress = _progress(store, uid, cid, "Flyers van Sanne werkten")
    [hit] = hits(store, uid, "flyers")
    assert (hit.kind, hit.ref_id, hit.title) == ("progress", progress, "Meer deelnemers")


def test_the_bots_prompts_and_a_tapped_choice_are_not_hers(store: Store) -> None:
    uid, cid = make_user(store, 1)
    repo = TalkRepo(store)
    conversation = repo.start(uid, cid, None, None)
    repo.add_turn(conversation, uid, "bot", "work", "Wat voor werk doe je?")
    repo.finish(uid, conversation, {"value_both": "not_yet", "value_why": "Eerst kennismaken"})
    assert hits(store, uid, "werk") == [] and hits(store, uid, "not_yet") == []
    assert [h.kind for h in hits(store, uid, "kennismaken")] == ["conversation"]


def test_the_library_frame_is_one_hit_for_everyone(store: Store) -> None:
    anna, cid = make_user(store, 1)
    bram, _ = make_user(store, 2)
    frames = FrameRepo(store)
    frames.set("Wij verbinden mensen met taal")
    frames.extend("En met elkaar")
    assert [h.kind for h in hits(store, bram, "verbinden")] == ["frame"]
    # A community that took it over holds the same text: found once.
    store.set_answer(cid, "phase1.frame", "Wij verbinden mensen met taal\n\nEn met elkaar")
    assert len(hits(store, anna, "verbinden")) == 1


def test_an_existing_database_gets_every_record_indexed_once(db_path: Path) -> None:
    from sqlite_utils import Database

    old = Database(db_path)
    for function in importlib.import_module("storage.schema").SQL_FUNCTIONS:
        old.register_function(function, deterministic=True, replace=True)
    for module in MIGRATION_SETS:
        if module != "storage.search_sources":
            importlib.import_module(module).migrations.apply(old)
    old.execute("INSERT INTO users (id, name, created_at) VALUES (7, 'A', '2026-01-01')")
    old.execute("INSERT INTO communities (id, user_id, name, created_at)"
                " VALUES (3, 7, 'Taalcafé', '2026-01-01')")
    old.execute("INSERT INTO members (community_id, user_id, role, joined_at)"
                " VALUES (3, 7, 'owner', '2026-01-01')")
    old.execute("INSERT INTO activities (user_id, community_id, kind, day, what, participants,"
                " led_by, note, created_at) VALUES (7, 3, 'Kookavond', '2026-12-06', 'Koken',"
                " 9, 'community', 'Er was baklava', '2026-12-06')")
    old.execute("INSERT INTO conversations (id, user_id, community_id, started_at, summary)"
                " VALUES (1, 7, 3, '2026-12-01', 'Samenvatting: taalles')")
    old.execute("INSERT INTO transcript (conversation_id, user_id, who, question, text,"
                " created_at) VALUES (1, 7, 'librarian', 'work', 'Ze geeft taalles', '2026-12-01')")
    old.conn.commit()
    old.close()
    store = Store(db_path)
    try:
        assert [h.kind for h in hits(store, 7, "baklava")] == ["activity"]
        assert [h.kind for h in hits(store, 7, "taalles")] == ["turn"]  # no summary twice
    finally:
        store.close()


def test_a_phrase_and_a_prefix_find_what_she_wrote(store: Store) -> None:
    uid, cid = make_user(store, 1)
    store.add_note(uid, cid, "Drie mensen willen een plek om Nederlands te oefenen", [])
    store.add_note(uid, cid, "Een plek voor koffie, om te praten", [])
    assert [h.text for h in hits(store, uid, '"een plek om"')] == [
        "Drie mensen willen een plek om Nederlands te oefenen"]
    assert len(hits(store, uid, "plek")) == 2
    assert len(hits(store, uid, "nederl* oefenen")) == 1


def test_an_action_typed_as_a_note_is_one_hit(store: Store) -> None:
    uid, cid = make_user(store, 1)
    note = store.add_note(uid, cid, "actie: presentielijst maken over twee weken", [])
    ActionRepo(store).add(uid, cid, "presentielijst maken", note_id=note)
    assert [h.kind for h in hits(store, uid, "presentielijst")] == ["action"]
    assert [h.kind for h in hits(store, uid, "weken")] == ["note"]


@pytest.mark.parametrize("kind", list(KINDS))
def test_bad_records_of_each_kind_are_indexed_and_found(store: Store, kind: str) -> None:
    _table, _column, plant = KINDS[kind]
    uid, cid = make_user(store, 1)
    long = ("Een heel lang verhaal over de wijk en de bieb. " * 110)[:4986] + " Zeldzaamwoord"
    assert len(long) == 5000
    # One at a time: an answer and the library's frame hold one text, the newest.
    plant(store, uid, cid, long)
    [hit] = hits(store, uid, "zeldzaamwoord")
    assert len(hit.snippet) < 300 and hit.text.endswith("Zeldzaamwoord")
    plant(store, uid, cid, "पुस्तकालय 图书馆很好 ห้องสมุด المكتبة")
    for word in ("पुस्तकालय", "图书馆很好", "图书馆", "ห้องสมุด", "المكتبة"):
        assert len(hits(store, uid, word)) == 1, word
    plant(store, uid, cid, "😀🎉🙏")  # emoji only: nothing to find, nothing breaks
    assert len(hits(store, uid, "zeldzaamwoord")) == (kind not in ("answer", "frame"))
    assert fts_query("😀🎉🙏", "nl") is None
