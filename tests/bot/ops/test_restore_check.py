"""`veldgids restore-check FILE`: the restore drill. A sound backup prints its counts and
exits 0; anything else is one clear line and exit 1; the file is never changed."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from bot.ops.cli import main
from storage.store import Store
from tests.storage.test_upgrade import old_database


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["restore-check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def backup(tmp_path: Path) -> Path:
    store = Store(tmp_path / "live.db")
    with store.atomic():
        anna = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                                 telegram_id=1001)
        community = store.create_community(anna.id, "Taalcafé", None)
        store.add_note(anna.id, community, "Sanne wil meedoen", [])
        store.add_note(anna.id, community, "Koffie met de wijkagent", [])
    store.backup(tmp_path / "backup.db")
    store.close()
    return tmp_path / "backup.db"


def test_a_sound_backup_prints_counts_and_changes_nothing(
        backup: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(backup)
    code, out, err = run(capsys, str(backup))
    assert code == 0 and err == ""
    assert "  integrity: ok" in out and "  migrations: all " in out
    assert "users 1" in out and "communities 1" in out and "notes 2" in out
    assert "Sanne" not in out and "Anna" not in out  # counts, never contents
    assert digest(backup) == before
    assert sorted(p.name for p in backup.parent.iterdir()) == ["backup.db", "live.db"]


def test_a_backup_of_the_previous_release_lists_what_the_next_start_applies(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = old_database(tmp_path / "old.db")
    code, out, _ = run(capsys, str(path))
    assert code == 0
    pending = next(line for line in out.splitlines() if "to apply at the next start:" in line)
    assert "veldgids-ops/m001_health_probe" in pending
    assert "notes 2" in out


def test_a_backup_of_a_newer_release_is_refused(
        backup: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(backup)
    with conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                     " VALUES ('veldgids', 'm099_from_the_future', '2030-01-01')")
    conn.close()
    code, out, err = run(capsys, str(backup))
    assert code == 1
    assert "1 unknown to this version (a backup of a newer release): veldgids/m099" in out
    assert err.strip().splitlines() == [
        f"veldgids: error: {backup} failed the restore check; keep the bot on its current "
        "database and try an older backup"]


def test_a_damaged_backup_fails_with_one_line(
        backup: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(backup)  # an index that no longer matches its table
    with conn:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = replace(sql, '(user_id, community_id)',"
                     " '(text)') WHERE name = 'notes_user'")
    conn.close()
    code, out, err = run(capsys, str(backup))
    assert code == 1 and "integrity: " in out and "integrity: ok" not in out
    assert len(err.strip().splitlines()) == 1 and "failed the restore check" in err


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100, None])
def test_what_is_not_a_backup_is_one_clear_line(
        tmp_path: Path, backup: Path, content: bytes | None,
        capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "candidate.db"
    if content is None:  # cut off half-way, as by a full disk
        data = backup.read_bytes()
        target.write_bytes(data[: len(data) // 2])
    else:
        target.write_bytes(content)
    code, out, err = run(capsys, str(target))
    assert code == 1 and "Traceback" not in err
    assert err.startswith(f"veldgids: error: {target} ") and len(err.splitlines()) == 1


def test_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(tmp_path / "nergens.db"))
    assert code == 1 and err == f"veldgids: error: no backup at {tmp_path / 'nergens.db'}\n"
