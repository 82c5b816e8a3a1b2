"""Storage on a real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from storage.migrations import migrations
from storage.store import StorageError, Store


def test_migrations_apply_twice_without_change(db_path: Path) -> None:
    Store(db_path).close()
    before = Database(db_path).execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    second = Store(db_path)
    after = second.db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    assert before == after
    assert migrations.pending(second.db) == []
    second.close()


def test_database_uses_wal_and_foreign_keys(store: Store) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_state_and_step_data_survive_reopening(db_path: Path) -> None:
    store = Store(db_path)
    user = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=42)
    community = store.create_community(user.id, "Taalcafé", "taal")
    with store.atomic():
        store.set_tick(community, "p1.policy", True)
        store.set_answer(community, "phase1.frame", "Leesplezier voor iedereen ✨")
        store.save_state(user.id, "phase1", "checklist", {"x": "ü"}, 7)
    store.close()
    again = Store(db_path)
    assert again.state(user.id).step == "checklist" and again.state(user.id).rev == 7
    assert again.state(user.id).data == {"x": "ü"}
    assert again.ticks(community) == {"p1": {"policy"}}
    assert again.answers(community) == {"phase1.frame": "Leesplezier voor iedereen ✨"}
    again.close()


def test_a_failed_transaction_leaves_nothing_half_written(store: Store) -> None:
    user = store.create_user(name="B", language="nl", timezone="UTC", telegram_id=7)
    with pytest.raises(RuntimeError), store.atomic():
        store.save_state(user.id, "phase1", "checklist", {}, 1)
        store.mark_processed(99, user.id)
        raise RuntimeError("crash between writes")
    assert store.state(user.id).dialog is None
    assert not store.is_processed(99)


def test_communities_belong_to_their_owner(store: Store) -> None:
    anna = store.create_user(name="Anna", language="nl", timezone="UTC", telegram_id=1)
    bram = store.create_user(name="Bram", language="nl", timezone="UTC", telegram_id=2)
    hers = store.create_community(anna.id, "Taalcafé", None)
    assert store.switch_community(bram.id, hers) is False
    assert store.rename_community(bram.id, hers, "gekaapt") is False
    assert store.community(bram.id, hers) is None
    assert store.communities(anna.id)[0].name == "Taalcafé"


def test_processed_updates_and_inbox(store: Store) -> None:
    store.inbox_add([(10, {"update_id": 10}), (11, {"update_id": 11})])
    store.inbox_add([(10, {"update_id": 10})])
    assert [u["update_id"] for u in store.inbox()] == [10, 11]
    with store.atomic():
        store.mark_processed(10, None)
    assert [u["update_id"] for u in store.inbox()] == [11]
    store.inbox_add([(10, {"update_id": 10})])
    assert [u["update_id"] for u in store.inbox()] == [11]
    assert store.last_update_id() == 11


def test_backup_is_a_consistent_copy(store: Store, tmp_path: Path) -> None:
    user = store.create_user(name="A", language="nl", timezone="UTC", telegram_id=3)
    store.create_community(user.id, "Moestuin", None)
    store.backup(tmp_path / "copy.db")
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT name FROM communities").fetchall() == [("Moestuin",)]
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "not.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError, match="cannot open database"):
        Store(bad)


def test_a_user_read_twice_in_a_transaction_shows_every_change(db_path: Path) -> None:
    """One event reads its user several times; a change made in between, by this
    connection or a savepoint that was rolled back, is always what the next read shows."""
    store = Store(db_path)
    user = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=42)
    with store.atomic():
        assert store.user_by_telegram(42) == user
        store.set_language(user.id, "en")
        assert store.user(user.id).language == "en"  # type: ignore[union-attr]
        assert store.user_by_telegram(42).language == "en"  # type: ignore[union-attr]
        with pytest.raises(RuntimeError), store.atomic():
            store.set_name(user.id, "Ans")
            assert store.user(user.id).name == "Ans"  # type: ignore[union-attr]
            raise RuntimeError("the event failed half-way")
        assert store.user(user.id).name == "Anna"  # type: ignore[union-attr]
    store.close()


def test_a_change_by_another_process_is_seen_by_the_next_transaction(db_path: Path) -> None:
    store = Store(db_path)
    user = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=42)
    with store.atomic():
        assert store.user(user.id).language == "nl"  # type: ignore[union-attr]
    other = sqlite3.connect(db_path)
    other.execute("UPDATE users SET language = 'en' WHERE id = ?", (user.id,))
    other.commit()
    other.close()
    with store.atomic():
        assert store.user(user.id).language == "en"  # type: ignore[union-attr]
    assert store.user_by_telegram(42).language == "en"  # type: ignore[union-attr]
    store.close()
