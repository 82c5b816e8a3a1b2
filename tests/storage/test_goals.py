"""Goal, progress and reminder rows on real SQLite files, including two connections racing."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from storage.goals import CLAIM_LEASE, GoalRepo, Reminder
from storage.store import Store

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _user(store: Store, telegram_id: int = 1001) -> int:
    return store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=telegram_id).id


def _goal(repo: GoalRepo, user_id: int, community_id: int, target: float = 12) -> int:
    return repo.add_goal(user_id, community_id, specific="taalcafé", metric="deelnemers",
                         baseline=4, target=target, achievable="vrijwilligers", relevant="",
                         relevant_part=None, deadline=date(2027, 6, 1))


def _due_row(repo: GoalRepo, user_id: int, due: datetime = NOW) -> Reminder:
    repo.create_reminder(user_id, weekday=0, local_time=time(9), tz="Europe/Amsterdam",
                         next_due=due)
    row = repo.reminder(user_id)
    assert row is not None
    return row


def test_goal_progress_status_and_ownership(store: Store) -> None:
    repo = GoalRepo(store)
    anna, bert = _user(store), _user(store, 2002)
    community = store.create_community(anna, "Taalcafé", None)
    goal_id = _goal(repo, anna, community)
    assert repo.goal(bert, goal_id) is None  # someone else's goal is invisible
    assert not repo.log_progress(bert, goal_id, 5, None)
    assert repo.log_progress(anna, goal_id, 7, "drukke avond")
    goal = repo.goal(anna, goal_id)
    assert goal is not None and goal.current == 7 and goal.status == "active" and goal.logged == 1
    repo.log_progress(anna, goal_id, 12, None)
    assert repo.goal(anna, goal_id).status == "done"  # type: ignore[union-attr]
    repo.log_progress(anna, goal_id, 11, None)
    assert repo.goal(anna, goal_id).status == "active"  # type: ignore[union-attr]
    assert [v for _, v in repo.progress(goal_id)] == [7, 12, 11]
    assert not repo.delete_goal(bert, goal_id)
    assert repo.delete_goal(anna, goal_id)
    assert repo.progress(goal_id) == []  # the log goes with the goal


def test_reduction_goal_is_done_below_target(store: Store) -> None:
    repo = GoalRepo(store)
    anna = _user(store)
    goal_id = _goal(repo, anna, store.create_community(anna, "Wachtlijst", None), target=2)
    repo.log_progress(anna, goal_id, 1, None)
    assert repo.goal(anna, goal_id).status == "done"  # type: ignore[union-attr]


def test_vision_per_community_is_replaced(store: Store) -> None:
    repo = GoalRepo(store)
    anna = _user(store)
    community = store.create_community(anna, "Taalcafé", None)
    repo.save_vision(community, "a", "b", "c", "")
    repo.save_vision(community, "a2", "b2", "c2", "Sanne")
    vision = repo.vision(community)
    assert vision is not None and (vision.vision, vision.formulated_with) == ("c2", "Sanne")


def test_claim_once_then_finish_moves_the_row_on(store: Store) -> None:
    repo = GoalRepo(store)
    anna = _user(store)
    row = _due_row(repo, anna)
    assert [r.user_id for r in repo.due(NOW)] == [anna]
    assert repo.claim(row, "process-a", NOW)
    assert not repo.claim(row, "process-b", NOW)
    assert repo.due(NOW) == []  # a claimed row is not due for anyone else
    assert repo.finish(row, "process-a", outcome="sent", next_due=NOW + timedelta(days=7),
                       now=NOW)
    again = repo.reminder(anna)
    assert again is not None and again.next_due == NOW + timedelta(days=7)
    assert again.last_sent == NOW
    assert not repo.claim(row, "process-b", NOW)  # the old due moment is gone
    assert [e["outcome"] for e in repo.log(anna)] == ["sent"]


def test_released_row_stays_due_and_a_lost_claim_expires(store: Store) -> None:
    repo = GoalRepo(store)
    anna = _user(store)
    row = _due_row(repo, anna)
    assert repo.claim(row, "a", NOW)
    repo.release(row, "a")
    assert repo.due(NOW) and repo.claim(row, "b", NOW)
    # "b" died while sending: after the lease another process may take the row.
    assert not repo.due(NOW + CLAIM_LEASE - timedelta(seconds=1))
    assert repo.claim(row, "c", NOW + CLAIM_LEASE)
    assert not repo.finish(row, "b", outcome="sent", next_due=NOW, now=NOW)


def test_blocked_user_is_paused_and_settings_drop_a_claim(store: Store) -> None:
    repo = GoalRepo(store)
    anna = _user(store)
    row = _due_row(repo, anna)
    repo.claim(row, "a", NOW)
    repo.release(row, "a", pause=True)
    assert repo.reminder(anna).paused and repo.due(NOW) == []  # type: ignore[union-attr]
    repo.update_reminder(anna, weekday=2, local_time=time(8), tz="Europe/Amsterdam",
                         paused=False, next_due=NOW)
    row = repo.reminder(anna)  # type: ignore[assignment]
    assert repo.claim(row, "a", NOW)
    repo.update_reminder(anna, weekday=3, local_time=time(8), tz="Europe/Amsterdam",
                         paused=False, next_due=NOW + timedelta(days=2))
    # The sender finishing the old slot must not overwrite what the librarian just chose.
    assert not repo.finish(row, "a", outcome="sent", next_due=NOW + timedelta(days=7), now=NOW)
    assert repo.reminder(anna).next_due == NOW + timedelta(days=2)  # type: ignore[union-attr]


def test_console_users_and_erased_users_have_no_reminders(store: Store) -> None:
    repo = GoalRepo(store)
    anna = _user(store)
    store.create_user(name="Console", language="nl", timezone="UTC", console_name="c")
    assert repo.without_reminder() == [(anna, "Europe/Amsterdam")]
    _due_row(repo, anna)
    assert repo.without_reminder() == []
    store.db.execute("DELETE FROM users WHERE id = ?", (anna,))
    assert store._all("SELECT * FROM reminders") == []


def test_two_connections_racing_claim_a_row_exactly_once(db_path: Path) -> None:
    """Two bot processes on one database file: every due row is claimed by exactly one."""
    setup = Store(db_path)
    repo = GoalRepo(setup)
    rows = []
    for n in range(20):
        rows.append(_due_row(repo, _user(setup, 5000 + n)))
    setup.close()

    won: dict[str, list[int]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def process(name: str) -> None:
        store = Store(db_path)  # its own connection, used only in this thread
        mine = GoalRepo(store)
        start.wait()
        for row in rows:
            if mine.claim(row, name, NOW):
                won[name].append(row.user_id)
                mine.finish(row, name, outcome="sent", next_due=NOW + timedelta(days=7),
                            now=NOW)
        store.close()

    threads = [threading.Thread(target=process, args=(name,)) for name in won]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    claimed = won["a"] + won["b"]
    assert sorted(claimed) == sorted(r.user_id for r in rows)  # each exactly once
    check = Store(db_path)
    assert check._one("SELECT count(*) AS n FROM reminder_log")["n"] == 20  # type: ignore[index]
    assert GoalRepo(check).due(NOW) == []
    check.close()
