"""The database under pressure (issue 13): another writer, a damaged page, reused ids,
forgotten text in free pages or the write-ahead log, file permissions, growth."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.delivery import DeliveryLog
from storage.privacy import erase
from storage.store import Store

SECRET = "GEHEIM-7f3a-Fatima-woont-op-de-Lindelaan"


def holding_the_write_lock(path: Path, seconds: float) -> tuple[threading.Thread, threading.Event]:
    """Another process's writer: BEGIN EXCLUSIVE, a write, `seconds` of holding it, commit."""
    started = threading.Event()

    def hold() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        other.execute("INSERT INTO stranger_counts (day, count) VALUES ('2026-01-01', 1)")
        started.set()
        threading.Event().wait(seconds)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert started.wait(5)
    return thread, started


def test_a_write_waits_for_another_process_instead_of_failing(db_path: Path) -> None:
    """inbox_add reads (is this update processed?) and then writes: in a deferred
    transaction SQLite answers "database is locked" at once when another process wrote
    meanwhile. The transaction takes the write lock first and waits for it instead."""
    store = Store(db_path)
    try:
        thread, _ = holding_the_write_lock(db_path, 1.0)
        store.inbox_add([(1, {"update_id": 1, "message": {"text": "hallo"}})])
        thread.join()
        assert [u["update_id"] for u in store.inbox()] == [1]
        store.inbox_drop(1)  # a single write outside a transaction waits too
        assert store.inbox() == []
    finally:
        store.close()


def test_quick_check_finds_a_damaged_page(db_path: Path) -> None:
    store = Store(db_path)
    user = store.create_user(name="A", language="nl", timezone="UTC", telegram_id=1)
    with store.atomic():
        for n in range(400):
            store.add_note(user.id, None, f"notitie {n} " + "x" * 200, [])
    assert store.quick_check() == []
    pages = [row["pageno"] for row in store.rows(
        "SELECT pageno FROM dbstat WHERE name = 'notes' AND pagetype = 'leaf'")]
    page_size = store.one("PRAGMA page_size")["page_size"]  # type: ignore[index]
    store.checkpoint()
    store.close()
    with open(db_path, "r+b") as handle:  # scribble over the middle of one leaf page
        handle.seek((pages[len(pages) // 2] - 1) * page_size + 8)
        handle.write(b"\xff\x00" * 600)
    damaged = Store(db_path)  # it opens: only that page is bad
    try:
        assert damaged.quick_check() != []
    finally:
        damaged.close()


def test_ids_of_forgotten_users_are_never_handed_out_again(store: Store, tmp_path: Path) -> None:
    store.create_user(name="Admin", language="nl", timezone="UTC", telegram_id=1)
    bram = store.create_user(name="Bram", language="nl", timezone="UTC", telegram_id=2)
    with store.atomic():
        erase(store, bram.id, tmp_path)
    carla = store.create_user(name="Carla", language="nl", timezone="UTC", telegram_id=3)
    assert carla.id > bram.id


def test_deleted_text_is_zeroed_even_where_sqlite_keeps_it_by_default(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Upstream SQLite leaves secure_delete off: a processed inbox row (the whole update,
    message text included) would stay readable in a free page."""
    connect = sqlite3.connect

    def upstream_default(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)  # type: ignore[arg-type]
        conn.execute("PRAGMA secure_delete = OFF")
        return conn

    monkeypatch.setattr("sqlite_utils.db.sqlite3.connect", upstream_default)
    store = Store(db_path)
    try:
        for n in range(1, 40):
            store.inbox_add([(n, {"update_id": n, "message": {"text": f"{SECRET} {n}"}})])
            with store.atomic():
                store.mark_processed(n, None)  # removes the inbox row
        assert store.checkpoint()
        assert not any(SECRET.encode() in p.read_bytes() for p in db_path.parent.iterdir()
                       if p.name.startswith(db_path.name))
    finally:
        store.close()


def test_an_erase_under_a_reader_says_the_log_still_holds_it_until_it_is_emptied(
        db_path: Path, tmp_path: Path) -> None:
    store = Store(db_path)
    try:
        anna = store.create_user(name="Anna", language="nl", timezone="UTC", telegram_id=5)
        store.add_note(anna.id, None, SECRET, [])
        backup_tool = sqlite3.connect(db_path)  # a streaming backup keeps a read open
        backup_tool.execute("BEGIN")
        backup_tool.execute("SELECT count(*) FROM notes").fetchone()
        with store.atomic():
            erase(store, anna.id, tmp_path)
        assert store.wipe_pending  # the log could not be emptied: the caller must know
        assert not store.checkpoint()
        backup_tool.execute("COMMIT")
        backup_tool.close()
        assert store.checkpoint() and not store.wipe_pending
        wal = Path(f"{db_path}-wal")
        assert not wal.exists() or wal.stat().st_size == 0
        assert SECRET.encode() not in db_path.read_bytes()
    finally:
        store.close()


def test_the_database_and_its_folder_are_for_the_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new" / "data" / "veldgids.db"
    store = Store(path)
    try:
        store.create_user(name="A", language="nl", timezone="UTC", telegram_id=1)
        for made in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert stat.S_IMODE(made.stat().st_mode) == 0o600, made
        for folder in (path.parent, path.parent.parent):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        copy = tmp_path / "backups" / "copy.db"
        store.backup(copy)
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
    finally:
        store.close()


def test_processed_ids_are_pruned_after_telegrams_redelivery_window(db_path: Path) -> None:
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    clock = [now - timedelta(days=3)]
    store = Store(db_path, clock=lambda: clock[0])
    try:
        with store.atomic():
            for n in (10, 11):
                store.mark_processed(n, None)
        clock[0] = now
        with store.atomic():
            store.mark_processed(12, None)
        day_ago = (now - timedelta(hours=25)).isoformat(timespec="seconds")
        assert store.prune_processed(day_ago) == 2
        assert not store.is_processed(10) and store.is_processed(12)
        clock[0] = now + timedelta(days=9)
        assert store.prune_processed(store.now()) == 0  # the newest id always stays
        assert store.last_update_id() == 12
    finally:
        store.close()


def test_failed_updates_are_pruned_after_their_retention(store: Store) -> None:
    log = DeliveryLog(store)
    user = store.create_user(name="A", language="nl", timezone="UTC", telegram_id=7)
    store.inbox_add([(3, {"update_id": 3, "message": {"text": "x"}})])
    with store.atomic():
        assert log.quarantine(3, 7, "KeyError")
    assert [f.update_id for f in log.failed(user.id)] == [3]
    assert log.prune_failed(store.now()) == 0  # not older than the moment itself
    later = (datetime.fromisoformat(store.now()) + timedelta(seconds=1)).isoformat()
    assert log.prune_failed(later) == 1 and log.failed() == []


def test_os_umask_does_not_widen_modes(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        store = Store(tmp_path / "u" / "v.db")
        store.close()
        assert stat.S_IMODE((tmp_path / "u" / "v.db").stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / "u").stat().st_mode) == 0o700
    finally:
        os.umask(old)


def test_sqlites_own_full_disk_error_is_told_apart(db_path: Path) -> None:
    """What the bot waits out on a full disk is SQLite's SQLITE_FULL, here for real: the
    database may not grow (max_page_count), as when the disk has no room left."""
    from storage.faults import trouble

    store = Store(db_path)
    try:
        user = store.create_user(name="A", language="nl", timezone="UTC", telegram_id=1)
        pages = store.one("PRAGMA page_count")["page_count"]  # type: ignore[index]
        store.db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(sqlite3.OperationalError) as failed, store.atomic():
            for n in range(50):
                store.add_note(user.id, None, f"notitie {n} " + "ruimte " * 500, [])
        assert trouble(failed.value) == "full" and "full" in str(failed.value)
        assert store.notes(user.id) == []  # rolled back: nothing half-written
        store.db.execute("PRAGMA max_page_count = 1073741823")
        store.add_note(user.id, None, "weer ruimte", [])
        assert [n.text for n in store.notes(user.id)] == ["weer ruimte"]
    finally:
        store.close()
