"""Activities on a real SQLite file, and the goals that count them."""

from __future__ import annotations

from datetime import date

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
