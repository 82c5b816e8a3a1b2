"""Activities on a real SQLite file, and the goals that count them."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from storage.activities import ActivityRepo
from storage.goals import GoalRepo
from storage.store import Store


def _setup(store: Store) -> tuple[int, int, int]:
    anna = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=1).id
    community = store.create_community(anna, "Taalcafé", "taal")
    goal = GoalRepo(store).add_goal(
        anna, community, specific="taalcafé-avonden", metric="avonden", baseline=0,
        target=10, achievable="", relevant="", relevant_part=None, deadline=date(2027, 6, 1))
    return anna, community, goal


def log(repo: ActivityRepo, user: int, community: int, kind: str, n: int) -> int:
    return repo.add(user, community, kind=kind, day=date(2026, 11, 20), what="avond",
                    participants=n, led_by="ambassadeur", note=None)[0]


def test_a_goal_linked_before_any_activity_starts_at_its_baseline(store: Store) -> None:
    anna, _, goal = _setup(store)
    link = ActivityRepo(store).link(anna, goal, "count", "taalcafé")
    assert link is not None and (link.value, link.activities) == (0, 0)


def test_counting_and_summing_follow_logging_and_deleting(store: Store) -> None:
    anna, community, goal = _setup(store)
    repo = ActivityRepo(store)
    sums = GoalRepo(store).add_goal(
        anna, community, specific="deelnemers", metric="deelnemers", baseline=5, target=100,
        achievable="", relevant="", relevant_part=None, deadline=date(2027, 6, 1))
    repo.link(anna, goal, "count", "taalcafé")
    repo.link(anna, sums, "sum", None)
    first = log(repo, anna, community, "taalcafé", 12)
    log(repo, anna, community, "taalcafé", 8)
    _, moved = repo.add(anna, community, kind="workshop", day=date(2026, 11, 21), what="x",
                        participants=3, led_by="bibliotheek", note=None)
    assert [m.goal_id for m in moved] == [sums]  # a workshop is not a taalcafé evening
    goals = {g.id: g for g in GoalRepo(store).goals(anna)}
    assert goals[goal].current == 2 and goals[sums].current == 5 + 12 + 8 + 3
    gone, moved = repo.delete(anna, first)
    assert gone is not None and {m.goal_id for m in moved} == {goal, sums}
    goals = {g.id: g for g in GoalRepo(store).goals(anna)}
    assert goals[goal].current == 1 and goals[sums].current == 5 + 8 + 3
    assert [v for _, v in GoalRepo(store).progress(goal)] == [0, 1, 2, 1]


def test_another_users_activity_cannot_be_deleted(store: Store) -> None:
    anna, community, _ = _setup(store)
    bram = store.create_user(name="Bram", language="nl", timezone="UTC", telegram_id=2).id
    repo = ActivityRepo(store)
    mine = log(repo, anna, community, "taalcafé", 5)
    assert repo.delete(bram, mine) == (None, [])
    assert repo.get(anna, mine) is not None


def test_distinct_participants_sum_the_first_timers_capped_at_each_activitys_participants(
        store: Store) -> None:
    anna, community, goal = _setup(store)
    repo = ActivityRepo(store)
    link = repo.link(anna, goal, "distinct", None)
    assert link is not None and link.measure == "distinct"
    for people, first in ((12, 12), (8, 3), (9, None), (4, 7)):
        repo.add(anna, community, kind="taalcafé", day=date(2026, 11, 20), what="avond",
                 participants=people, first_time=first, led_by="Anna", note=None)
    assert GoalRepo(store).goal(anna, goal).current == 12 + 3 + 0 + 4  # type: ignore[union-attr]
    assert [a.first_time for a in repo.of(anna, community)] == [7, None, 3, 12]


def test_an_older_database_keeps_its_links_and_activities_and_can_count_distinct(
        db_path: Path) -> None:
    from sqlite_utils import Database

    from storage.schema import SQL_FUNCTIONS, migration_sets

    old = Database(db_path)
    for function in SQL_FUNCTIONS:
        old.register_function(function, deterministic=True, replace=True)
    for sets in migration_sets():
        sets.apply(old, stop_before="m002_distinct_participants")
    old.execute("INSERT INTO users (id, name, created_at) VALUES (7, 'Anna', '2026-01-01')")
    old.execute("INSERT INTO communities (id, user_id, name, created_at)"
                " VALUES (3, 7, 'Taalcafé', '2026-01-01')")
    old.execute("INSERT INTO members (community_id, user_id, role, joined_at)"
                " VALUES (3, 7, 'owner', '2026-01-01')")
    old.execute("INSERT INTO goals (id, user_id, community_id, specific, metric, baseline,"
                " target, deadline, created_at) VALUES (5, 7, 3, 'bezoeken', 'bezoeken', 0, 50,"
                " '2027-06-01', '2026-01-01')")
    old.execute("INSERT INTO goal_links (goal_id, user_id, measure, kind) VALUES (5, 7, 'sum',"
                " NULL)")
    old.execute("INSERT INTO activities (user_id, community_id, kind, day, what, participants,"
                " led_by, created_at) VALUES (7, 3, 'taalcafé', '2026-11-20', 'avond', 14, 'Anna',"
                " '2026-11-20')")
    old.conn.commit()
    old.close()
    store = Store(db_path)
    try:
        repo = ActivityRepo(store)
        kept = repo.linked(7, 5)
        assert kept is not None and (kept.measure, kept.value) == ("sum", 14)
        assert [a.first_time for a in repo.of(7, 3)] == [None]  # not recorded, not 0
        assert repo.link(7, 5, "distinct", None) is not None
        assert store.one("SELECT measure FROM goal_links") == {"measure": "distinct"}
        with pytest.raises(sqlite3.IntegrityError):
            store.db.execute("UPDATE goal_links SET measure = 'bogus'")
    finally:
        store.close()
