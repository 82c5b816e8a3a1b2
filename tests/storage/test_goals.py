"""Goal, progress and reminder rows on real SQLite files, including two connections racing."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from storage.goals import GoalRepo
from storage.reminder_rows import CLAIM_LEASE, Finished, Reminder
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


def claimed(repo: GoalRepo, token: str, now: datetime) -> list[int]:
    return [r.user_id for r in repo.claim_due(token, now, 10)]


def test_claim_once_then_finish_moves_the_row_on(store: Store) -> None:
    repo = GoalRepo(store)
    anna = _user(store)
    row = _due_row(repo, anna)
    assert [r.user_id for r in repo.due(NOW)] == [anna]
    assert claimed(repo, "process-a", NOW) == [anna]
    assert claimed(repo, "process-b", NOW) == []
    assert repo.due(NOW) == []  # a claimed row is not due for anyone else
    assert repo.finish(row, "process-a", outcome="sent", next_due=NOW + timedelta(days=7),
                       now=NOW)
    again = repo.reminder(anna)
    assert again is not None and again.next_due == NOW + timedelta(days=7)
    assert again.last_sent == NOW
    assert claimed(repo, "process-b", NOW) == []  # the old due moment is gone
    assert [e.outcome for e in repo.log(anna)] == ["sent"]


def test_released_row_stays_due_and_a_lost_claim_expires(store: Store) -> None:
    repo = GoalRepo(store)
    anna = _user(store)
    row = _due_row(repo, anna)
    assert claimed(repo, "a", NOW) == [anna]
    repo.release(row, "a")
    assert repo.due(NOW) and claimed(repo, "b", NOW) == [anna]
    # "b" died while sending: after the lease another process may take the row.
    assert not repo.due(NOW + CLAIM_LEASE - timedelta(seconds=1))
    assert claimed(repo, "c", NOW + CLAIM_LEASE) == [anna]
    assert not repo.finish(row, "b", outcome="sent", next_due=NOW, now=NOW)


def test_blocked_user_is_paused_and_settings_drop_a_claim(store: Store) -> None:
    repo = GoalRepo(store)
    anna = _user(store)
    row = _due_row(repo, anna)
    claimed(repo, "a", NOW)
    repo.release(row, "a", pause=True)
    assert repo.reminder(anna).paused and repo.due(NOW) == []  # type: ignore[union-attr]
    repo.update_reminder(anna, weekday=2, local_time=time(8), tz="Europe/Amsterdam",
                         paused=False, next_due=NOW)
    row = repo.reminder(anna)  # type: ignore[assignment]
    assert claimed(repo, "a", NOW) == [anna]
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
    assert store.rows("SELECT * FROM reminders") == []


def test_claim_due_takes_a_batch_earliest_first_and_only_once(store: Store) -> None:
    repo = GoalRepo(store)
    users = [_user(store, 6000 + n) for n in range(5)]
    for n, user in enumerate(users):
        _due_row(repo, user, NOW - timedelta(minutes=n))  # the last user is the most overdue
    later = _user(store, 6100)
    _due_row(repo, later, NOW + timedelta(minutes=1))
    paused = _user(store, 6200)
    _due_row(repo, paused)
    repo.update_reminder(paused, weekday=0, local_time=time(9), tz="Europe/Amsterdam",
                         paused=True, next_due=NOW)
    first = repo.claim_due("a", NOW, 3)
    assert [r.user_id for r in first] == users[:1:-1]
    assert [r.user_id for r in repo.claim_due("b", NOW, 10)] == users[1::-1]
    assert repo.claim_due("c", NOW, 10) == []
    assert repo.holds(users[4], "a") and not repo.holds(users[4], "b")
    repo.release_all(first[:2], "b")  # not b's: nothing happens
    assert repo.claim_due("c", NOW, 10) == []
    repo.release_all(first[:2], "a")
    assert [r.user_id for r in repo.claim_due("c", NOW, 10)] == users[:2:-1]
    # Claims expire after the lease; by then the later row is due too.
    assert [r.user_id for r in repo.claim_due("d", NOW + CLAIM_LEASE, 10)] == [*users[::-1],
                                                                             later]


def test_finish_all_records_several_rows_in_one_go(store: Store) -> None:
    repo = GoalRepo(store)
    anna, bert, cas = (_user(store, 7000 + n) for n in range(3))
    for user in (anna, bert, cas):
        _due_row(repo, user)
    rows = repo.claim_due("a", NOW, 10)
    repo.update_reminder(bert, weekday=3, local_time=time(8), tz="Europe/Amsterdam",
                         paused=False, next_due=NOW + timedelta(days=2))  # drops a's claim
    store.db.execute("DELETE FROM users WHERE id = ?", (cas,))  # erased meanwhile
    week = NOW + timedelta(days=7)
    moved = repo.finish_all([Finished(row, outcome, week, NOW) for row, outcome
                             in zip(rows, ("sent", "sent", "nudge"), strict=True)], "a")
    assert moved == 1
    assert repo.reminder(anna).next_due == week  # type: ignore[union-attr]
    assert repo.reminder(anna).last_sent == NOW  # type: ignore[union-attr]
    assert repo.reminder(bert).next_due == NOW + timedelta(days=2)  # type: ignore[union-attr]
    assert [e.outcome for e in repo.log(anna)] == ["sent"]
    assert store.rows("SELECT * FROM reminder_log WHERE user_id = ?", (cas,)) == []


def test_batch_reads_what_the_reminders_need(store: Store) -> None:
    repo = GoalRepo(store)
    anna, bert = _user(store), _user(store, 2002)
    taal = store.create_community(anna, "Taalcafé", None)
    moestuin = store.create_community(anna, "Moestuin", None)  # now anna's active one
    store.set_tick(moestuin, "p1.policy", True)
    store.set_tick(taal, "p2.choose", True)
    first = _goal(repo, anna, taal)
    done = _goal(repo, anna, moestuin, target=5)
    repo.log_progress(anna, done, 5, None)
    second = _goal(repo, anna, moestuin)
    repo.log_progress(anna, second, 6, None)
    started = NOW.isoformat()
    for reflection in (None, "{}", '{"worth": "ja"}'):
        store.db.execute("INSERT INTO conversations (user_id, community_id, started_at,"
                         " status, reflection) VALUES (?, ?, ?, 'ended', ?)",
                         (anna, taal, started, reflection))
    batch = repo.batch([anna, bert])
    assert set(batch.users) == {anna, bert} and batch.users[anna].active_community == moestuin
    assert [(g.id, g.current, g.logged) for g in batch.goals[anna]] == [(first, 4, 0),
                                                                        (second, 6, 1)]
    assert batch.communities == {anna: {taal: "Taalcafé", moestuin: "Moestuin"}}
    assert batch.ticks == {moestuin: {"p1": {"policy"}}}  # the active community's only
    assert batch.reflections == {anna: [started[:10]] * 2}
    assert bert not in batch.goals and repo.batch([]).users == {}


def test_two_connections_racing_claim_batches_get_each_row_exactly_once(db_path: Path) -> None:
    setup = Store(db_path)
    repo = GoalRepo(setup)
    for n in range(60):
        _due_row(repo, _user(setup, 8000 + n))
    setup.close()

    won: dict[str, list[int]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def process(name: str) -> None:
        store = Store(db_path)
        mine = GoalRepo(store)
        start.wait()
        while rows := mine.claim_due(name, NOW, 7):
            won[name] += [r.user_id for r in rows]
            mine.finish_all([Finished(r, "sent", NOW + timedelta(days=7), NOW) for r in rows],
                            name)
        store.close()

    threads = [threading.Thread(target=process, args=(name,)) for name in won]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    claimed = won["a"] + won["b"]
    assert len(claimed) == 60 and len(set(claimed)) == 60
    check = Store(db_path)
    assert check.one("SELECT count(*) AS n FROM reminder_log")["n"] == 60  # type: ignore[index]
    assert GoalRepo(check).due(NOW) == []
    check.close()


def test_a_goal_keeps_the_needs_it_answers_in_order(store: Store) -> None:
    repo = GoalRepo(store)
    anna = _user(store)
    community = store.create_community(anna, "Taalcafé", None)
    needs = ["een plek om Nederlands te oefenen", "kinderopvang", "مكان للتدريب 🇳🇱"]
    goal_id = repo.add_goal(anna, community, specific="taalcafé", metric="deelnemers",
                            baseline=4, target=12, achievable="", relevant="",
                            relevant_part=None, deadline=date(2027, 6, 1), needs=needs)
    assert repo.goal(anna, goal_id).needs == tuple(needs)  # type: ignore[union-attr]
    assert repo.goal(anna, _goal(repo, anna, community)).needs == ()  # type: ignore[union-attr]
