"""Upgrading: a database made by the previous release opens with today's code, which applies
the missing migrations; a migration that fails leaves the database as it was before it.

The old database is a committed SQL dump (fixtures/release_6e46f3f.sql, made by that
release's own code), not generated from git at test time.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from bot.app.registry import FEATURES, Service
from bot.app.service import Defaults, Incoming, Who
from dialogs.catalog import Catalog
from storage import ops
from storage.store import StorageError, Store
from tests.storage.test_schema import SNAPSHOT, schema

RELEASE = Path(__file__).with_name("fixtures") / "release_6e46f3f.sql"


def old_database(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(RELEASE.read_text(encoding="utf-8"))
    conn.close()
    return path


def migrations_of(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT migration_set, name FROM _sqlite_migrations"
                            " ORDER BY rowid").fetchall()
    finally:
        conn.close()


def test_the_previous_release_database_upgrades_and_keeps_everything(
        tmp_path: Path, catalog: Catalog) -> None:
    path = old_database(tmp_path / "veldgids.db")
    before = migrations_of(path)
    assert ("veldgids-ops", "m001_health_probe") not in before
    store = Store(path)
    try:
        assert store.integrity() == "ok"
        # The upgraded schema is exactly what a fresh database gets.
        assert schema(store) == SNAPSHOT.read_text(encoding="utf-8")
        after = migrations_of(path)
        assert after[:len(before)] == before and len(after) > len(before)
        anna = store.user_by_telegram(1001)
        assert anna is not None and anna.name == "Anna"
        assert [n.text for n in store.notes(anna.id)] == [
            "Sanne van het buurthuis wil meedoen #buurthuis",
            "Koffie met de wijkagent over de leesclub"]
        # The librarian carries on where she was: her notes are found, her tick is there.
        service = Service(store, catalog, Defaults(admins=(1001,)), features=FEATURES)
        anna_there = Who(telegram_id=1001, name="Anna", language_code="nl")
        # Update ids above the old ones: those were handled by the old release.
        found = service.handle(anna_there, Incoming(kind="command", command="search",
                                                     args="buurthuis", update_id=90001))
        assert "Sanne van het <b>buurthuis</b>" in found.replies[0].text
        phases = service.handle(anna_there, Incoming(kind="command", command="phase",
                                                      update_id=90002))
        assert "1. Strategie in kaart · 1/5" in [b.label for row in phases.replies[0].buttons
                                                  for b in row]
    finally:
        store.close()
    # A second start has nothing left to do.
    assert migrations_of(path) == after
    Store(path).close()
    assert migrations_of(path) == after


def test_a_failed_migration_leaves_the_database_as_before_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = old_database(tmp_path / "veldgids.db")
    broken = Migrations(ops.migrations.name)
    broken()(ops.m001_health_probe)

    @broken()
    def m002_broken(db: Database) -> None:
        db.execute("CREATE TABLE half_done (x INTEGER)")
        db.execute("INSERT INTO no_such_table VALUES (1)")

    monkeypatch.setattr(ops, "migrations", broken)
    with pytest.raises(StorageError, match="no such table: no_such_table"):
        Store(path)
    conn = sqlite3.connect(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "half_done" not in tables  # the failed migration's work is rolled back
        assert "health_probe" in tables  # the ones before it stay applied
        assert conn.execute("SELECT count(*) FROM notes").fetchone() == (2,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    assert ("veldgids-ops", "m002_broken") not in migrations_of(path)
    monkeypatch.undo()
    # Today's code (without the broken migration) opens it as if nothing happened.
    store = Store(path)
    try:
        assert store.integrity() == "ok" and len(store.notes(1)) == 2
    finally:
        store.close()
