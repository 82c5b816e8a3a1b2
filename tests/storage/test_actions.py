"""Actions on a real SQLite file: open ones due first, done kept, another's ids find
nothing, and notes marked "actie:" before this release become actions once."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from storage.actions import ActionRepo
from storage.store import Store
from tests.storage.test_upgrade import migrations_of, old_database


def _two_users(store: Store) -> tuple[int, int, int]:
    anna = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=1).id
    bram = store.create_user(name="Bram", language="nl", timezone="UTC", telegram_id=2).id
    return anna, bram, store.create_community(anna, "Taalcafé", "taal")


def test_open_actions_due_first_done_ones_kept(store: Store) -> None:
    anna, _, community = _two_users(store)
    repo = ActionRepo(store)
    late = repo.add(anna, community, "zaal boeken", due=date(2027, 2, 1))
    undated = repo.add(anna, community, "flyers")
    soon = repo.add(anna, community, "Fatima mailen", due=date(2026, 11, 27), who="Fatima")
    assert [a.id for a in repo.open(anna, community)] == [soon, late, undated]
    assert repo.done(anna, soon)
    assert not repo.done(anna, soon)  # done twice: nothing changes
    assert [a.id for a in repo.open(anna, community)] == [late, undated]
    kept = repo.get(anna, soon)
    assert kept is not None and kept.done_at is not None and kept.who == "Fatima"
    assert [a.what for a in repo.due_by(anna, date(2027, 2, 1))] == ["zaal boeken"]


def test_later_on_a_done_or_deleted_action_changes_nothing(store: Store) -> None:
    anna, _, community = _two_users(store)
    repo = ActionRepo(store)
    gone = repo.add(anna, community, "weg")
    finished = repo.add(anna, community, "klaar")
    repo.delete(anna, gone)
    repo.done(anna, finished)
    assert not repo.move(anna, gone, date(2027, 1, 1))
    assert not repo.move(anna, finished, date(2027, 1, 1))
    assert repo.get(anna, finished) is not None
    assert repo.get(anna, finished).due is None  # type: ignore[union-attr]


def test_another_users_action_cannot_be_touched(store: Store) -> None:
    anna, bram, community = _two_users(store)
    repo = ActionRepo(store)
    mine = repo.add(anna, community, "Fatima mailen")
    assert repo.get(bram, mine) is None
    assert not repo.done(bram, mine) and not repo.move(bram, mine, date(2027, 1, 1))
    assert not repo.delete(bram, mine)
    assert repo.open(anna, community)[0].done_at is None


def test_marked_notes_of_the_previous_release_become_actions_once(tmp_path: Path) -> None:
    path = old_database(tmp_path / "veldgids.db")
    conn = sqlite3.connect(path)
    user = conn.execute("INSERT INTO users (name, language, timezone, telegram_id, created_at)"
                        " VALUES ('Anna', 'nl', 'UTC', 99, '2026-01-01')").lastrowid
    community = conn.execute("INSERT INTO communities (user_id, name, theme, created_at)"
                             " VALUES (?, 'Wijk', NULL, '2026-01-01')", (user,)).lastrowid
    for text in ("ACTIE - Fatima mailen", "todo: flyers drukken", "gewone notitie"):
        conn.execute("INSERT INTO notes (user_id, community_id, text, tags, created_at)"
                     " VALUES (?, ?, ?, '', '2026-01-02')", (user, community, text))
    conn.commit()
    conn.close()
    store = Store(path)
    assert sorted(a.what for a in ActionRepo(store).open(user, community)) == [
        "Fatima mailen", "flyers drukken"]
    store.close()
    again = Store(path)  # reopening does not convert them a second time
    assert len(ActionRepo(again).open(user, community)) == 2
    again.close()
    assert ("veldgids-actions", "m002_actions_from_notes") in migrations_of(path)
