"""Membership: one access rule for every read, invitations and their bad inputs, handover,
and a search index that does not move when someone joins or leaves."""

from __future__ import annotations

import importlib
import inspect
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from search.terms import fts_query
from storage.action_days import DailyRepo
from storage.actions import ActionRepo
from storage.activities import ActivityRepo
from storage.collaboration import CollaborationRepo
from storage.export import everything, snapshot
from storage.goals import GoalRepo
from storage.membership import Members
from storage.people import PeopleRepo
from storage.search import SearchIndex
from storage.store import Store
from storage.talk import TalkRepo

SECRET = "Kievitsbloem"  # in every text of Anna's community


def user(store: Store, telegram_id: int, name: str) -> int:
    return store.create_user(name=name, language="nl", timezone="Europe/Amsterdam",
                             telegram_id=telegram_id).id


def annas_community(store: Store) -> dict[str, int]:
    """Anna's community with a record of every kind, each naming SECRET."""
    anna = user(store, 1001, "Anna")
    cid = store.create_community(anna, f"Wijk {SECRET}", SECRET)
    talk, goals = TalkRepo(store), GoalRepo(store)
    note_id = store.add_note(anna, cid, f"{SECRET} bij de markt", ["buurt"])
    person = talk.add_person(anna, cid, f"{SECRET}-Persoon", "voorzitter", None)
    conv = talk.start(anna, cid, person, "buurthuis")
    talk.add_turn(conv, anna, "librarian", "work", f"{SECRET} in gesprek")
    talk.set_summary(conv, f"Samenvatting {SECRET}", [SECRET])
    goals.save_vision(cid, "bieb", "deelnemers", f"Visie {SECRET}", "buren")
    goal = goals.add_goal(anna, cid, specific=f"Doel {SECRET}", metric="bezoekers", baseline=0,
                          target=10, achievable="", relevant="", relevant_part=None,
                          deadline=date(2026, 12, 31))
    goals.log_progress(anna, goal, 3, SECRET)
    action = ActionRepo(store).add(anna, cid, f"Bel {SECRET}", due=date(2025, 3, 4))
    activity, _ = ActivityRepo(store).add(anna, cid, kind=f"{SECRET}-kind", day=date(2025, 3, 3),
                                       what=f"Leesclub {SECRET}", participants=4, note=None,
                                       led_by="library")
    collab = CollaborationRepo(store)
    role = collab.add_role(anna, cid, f"{SECRET}-Ambassadeur", "ambassador")
    outcome = collab.add_outcome(anna, cid, "knowledge", f"Uitkomst {SECRET}")
    store.set_answer(cid, "phase1.q", SECRET)
    return {"anna": anna, "community_id": cid, "note_id": note_id, "person_id": person,
            "conversation_id": conv, "goal_id": goal, "action_id": action,
            "activity_id": activity, "role_id": role, "outcome_id": outcome}


# Values for parameters that do not name a record.
SAMPLES: dict[str, Any] = {"str": "x", "float": 1.0, "int": 1, "date": date(2025, 3, 10),
                           "bool": True, "datetime": datetime(2025, 3, 10)}
def repositories() -> list[type]:
    """Every class of a storage module that is built from a Store (a repository), found
    rather than listed, so a new one is driven by the test below as soon as it exists."""
    import pkgutil

    import storage

    found: list[type] = [Store]
    for info in pkgutil.iter_modules(storage.__path__):
        module = importlib.import_module(f"storage.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or cls is Store:
                continue
            params = list(inspect.signature(cls.__init__).parameters)
            if params[1:] == ["store"]:
                found.append(cls)
    return found


REPOS = repositories()


# Methods that create new rows: they write into the librarian's active community, which
# only `switch_community` sets (membership-checked) and a removal clears; an invitation is
# sent only after the press was checked with `Members.may(..., "manage")`.
CREATING = ("add", "create", "start", "save", "queue", "expect", "schedule", "keep", "invite",
            "put")


def calls(store: Store, ids: dict[str, int], outsider: int) -> list[tuple[str, Any]]:
    """Every public method taking a `user_id`, called as the outsider with Anna's ids."""
    made = []
    for repo_class in REPOS:
        repo = store if repo_class is Store else repo_class(store)
        for name, method in inspect.getmembers(repo, inspect.ismethod):
            if name.startswith(("_",) + CREATING):
                continue
            params = inspect.signature(method).parameters
            if "user_id" not in params:
                continue
            args: dict[str, Any] = {}
            for pname, param in params.items():
                if pname == "user_id":
                    args[pname] = outsider
                elif pname in ids:
                    args[pname] = ids[pname]
                elif pname == "match":
                    args[pname] = fts_query(SECRET, "nl")
                elif param.default is not inspect.Parameter.empty:
                    continue
                elif str(param.annotation).split(" ")[0] in SAMPLES:
                    args[pname] = SAMPLES[str(param.annotation).split(" ")[0]]
                else:
                    args = {}
                    break
            if args:
                made.append((f"{repo_class.__name__}.{name}", method(**args)))
    return made


def dump(store: Store) -> str:
    return repr([store.rows(f"SELECT * FROM {t}") for t in (
        "notes", "conversations", "transcript", "goals", "goal_progress", "actions",
        "activities", "roles", "outcomes", "people", "answers", "communities", "members")])


def test_a_non_member_reaches_nothing_through_any_repository(store: Store) -> None:
    """Drives every read (and id-keyed write) of every repository as a librarian who is not
    a member: nothing of Anna's comes back and nothing of hers changes. A method that keys
    by author or owner instead of asking membership fails this as soon as it is added."""
    with store.atomic():
        ids = annas_community(store)
        bram = user(store, 1002, "Bram")
    before = dump(store)
    with store.atomic():
        results = calls(store, ids, bram)
    assert len(results) > 30  # the reads are really driven, not skipped
    for repo in (TalkRepo, GoalRepo, ActionRepo, DailyRepo, ActivityRepo, CollaborationRepo,
                 PeopleRepo, SearchIndex, Members):
        assert repo in REPOS
    leaks = [name for name, result in results
             if SECRET in repr(result) or result is True or (
                 isinstance(result, int) and not isinstance(result, bool) and result > 0)]
    assert leaks == []
    assert dump(store) == before
    with pytest.raises(Exception, match="not yours"):
        snapshot(store, bram, ids["community_id"])
    assert SECRET not in repr(everything(store, bram))


def test_a_member_reads_everything_and_may_not_manage(store: Store) -> None:
    with store.atomic():
        ids = annas_community(store)
        bram = user(store, 1002, "Bram")
        members = Members(store)
        assert members.invite(ids["anna"], ids["community_id"], bram) is None
        invitation = members.pending(ids["community_id"])[0]
        assert members.accept(invitation.id, bram) != "gone"
    cid = ids["community_id"]
    assert members.may(bram, cid, "read") and members.may(bram, cid, "write")
    assert not members.may(bram, cid, "manage")
    assert [m.name for m in members.of(cid)] == ["Anna", "Bram"]
    data = snapshot(store, bram, cid)["communities"][0]
    assert {n["author"] for n in data["notes"]} == {"Anna"}
    for section in ("notes", "people", "goals", "conversations", "actions"):
        assert SECRET in repr(data[section]), section
    assert [h.snippet for h in TalkRepo(store).search(bram, fts_query(SECRET, "nl"))]
    # Bram's /mydata holds his membership, not Anna's notes (those are in the export).
    mine = everything(store, bram)
    assert mine["memberships"] == [{"community": f"Wijk {SECRET}", "role": "member"}]
    assert f"{SECRET} bij de markt" not in repr(mine)


@pytest.fixture
def pair(store: Store) -> tuple[Members, int, int, int]:
    with store.atomic():
        anna, bram = user(store, 1001, "Anna"), user(store, 1002, "Bram")
        cid = store.create_community(anna, "Wijk", None)
    return Members(store), anna, bram, cid


def test_sharing_refuses_oneself_twice_and_someone_without_access(
        store: Store, pair: tuple[Members, int, int, int]) -> None:
    members, anna, bram, cid = pair
    with store.atomic():
        console = store.create_user(name="Cees", language="nl", timezone="Europe/Amsterdam",
                                    console_name="cees").id
        revoked = user(store, 1003, "Dirk")
        store.db.execute("UPDATE users SET status = 'revoked' WHERE id = ?", (revoked,))
        assert members.invite(anna, cid, anna) == "self"
        assert members.invite(anna, cid, revoked) == "no_access"
        assert members.invite(anna, cid, console) == "no_access"
        assert members.invite(anna, cid, 999) == "no_access"
        assert members.invite(anna, cid, bram) is None
        assert members.invite(anna, cid, bram) == "invited"
        members.accept(members.pending(cid)[0].id, bram)
        assert members.invite(anna, cid, bram) == "member"


def test_an_invitation_withdrawn_or_handed_over_meanwhile_is_void(
        store: Store, pair: tuple[Members, int, int, int]) -> None:
    members, anna, bram, cid = pair
    with store.atomic():
        cees = user(store, 1003, "Cees")
        members.invite(anna, cid, bram)
        first = members.pending(cid)[0]
        assert members.withdraw(cid, bram)
        assert members.accept(first.id, bram) == "gone"
        members.invite(anna, cid, bram)
        members.invite(anna, cid, cees)
        members.accept(members.pending(cid)[1].id, cees)
        second = members.pending(cid)[0]
        assert members.hand_over(cid, anna, cees)
        assert members.accept(second.id, bram) == "gone"
    assert not members.may(bram, cid, "read")
    assert members.role(cees, cid) == "owner" and members.role(anna, cid) == "member"
    assert store.community(cees, cid) is not None
    assert store.one("SELECT user_id FROM communities WHERE id = ?", (cid,)) == {"user_id": cees}


def test_removed_member_loses_access_and_the_last_owner_is_held(
        store: Store, pair: tuple[Members, int, int, int]) -> None:
    members, anna, bram, cid = pair
    with store.atomic():
        assert members.owned_shared(anna) == []  # alone: may leave with it
        members.invite(anna, cid, bram)
        members.accept(members.pending(cid)[0].id, bram)
        store.switch_community(bram, cid)
        assert members.owned_shared(anna) == [cid]
        assert not members.remove(cid, anna)  # the owner is not removed, only handed over
        assert members.remove(cid, bram)
    assert store.community(bram, cid) is None
    assert store.user(bram).active_community is None  # type: ignore[union-attr]
    assert not store.switch_community(bram, cid)


def test_existing_communities_get_their_owner_as_member(db_path: Path) -> None:
    from sqlite_utils import Database

    from search.terms import owned_terms
    from storage.store import MIGRATION_SETS

    old = Database(db_path)
    old.register_function(owned_terms, deterministic=True)
    for module in MIGRATION_SETS:
        if module != "storage.membership":
            importlib.import_module(module).migrations.apply(old)
    old.execute("INSERT INTO users (id, name, created_at) VALUES (7, 'A', '2024-01-01')")
    old.execute("INSERT INTO communities (id, user_id, name, created_at)"
                " VALUES (3, 7, 'Leesclub', '2024-01-02')")
    old.conn.commit()
    old.close()
    store = Store(db_path)
    try:
        assert [(m.user_id, m.role, m.joined_at) for m in Members(store).of(3)] == [
            (7, "owner", "2024-01-02")]
    finally:
        store.close()


def test_joining_and_leaving_do_not_touch_the_search_index(store: Store) -> None:
    """At 20,000 notes a join and a leave write no row of the index or its documents; the
    new member finds the notes at once and the removed one no longer does."""
    n = 20_000
    with store.atomic():
        anna, bram = user(store, 1001, "Anna"), user(store, 1002, "Bram")
        cid = store.create_community(anna, "Wijk", None)
        store.db.conn.executemany(
            "INSERT INTO notes (user_id, community_id, text, created_at) VALUES (?, ?, ?, ?)",
            [(anna, cid, f"notitie {i} over de markt", "2025-03-03") for i in range(n)])
    index = SearchIndex(store)
    index.index_pending()
    members = Members(store)

    def index_state() -> tuple[Any, ...]:
        return tuple(store.one(f"SELECT count(*) AS n, total(length({c})) AS s FROM {t}")
                     for t, c in (("search_docs", "text"), ("search_docs_fts_data", "block")))

    before = index_state()
    changes = store.db.conn.total_changes
    with store.atomic():
        members.invite(anna, cid, bram)
        members.accept(members.pending(cid)[0].id, bram)
    assert store.db.conn.total_changes - changes <= 3  # invitation in and out, member in
    assert index_state() == before
    assert index.search(bram, fts_query("markt", "nl"))
    with store.atomic():
        members.remove(cid, bram)
    assert index_state() == before
    assert index.search(bram, fts_query("markt", "nl")) == []
