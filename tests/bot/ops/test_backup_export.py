"""A backup from another process while the console runs (the README: "safe while the bot
runs"), and exports before, during and after it: a real SQLite file, a real `veldgids
backup` process."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import docx as python_docx
import pytest

import bot.features.export.job
from bot.app.registry import FEATURES, Service
from bot.console.chat import Console
from bot.features.export.job import export_file
from dialogs.catalog import Catalog
from storage.store import Store

ROOT = Path(__file__).resolve().parents[3]


def backup(db: Path, target: Path) -> None:
    """`veldgids backup TARGET` in a process of its own, as from another shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VELDGIDS_", "TELEGRAM_"))}
    env.update(VELDGIDS_DB=str(db), VELDGIDS_DATA_DIR=str(db.parent))
    done = subprocess.run([sys.executable, "-m", "bot.ops.cli", "backup", str(target)], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def words(path: Path) -> str:
    return "\n".join(p.text for p in python_docx.Document(io.BytesIO(path.read_bytes())).paragraphs)


def notes_in(db: Path) -> list[str]:
    """The notes a fresh connection finds in the file: what survives the console."""
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("SELECT text FROM notes ORDER BY id")]
    finally:
        conn.close()


class Session:
    """`veldgids chat` for Anna: each line typed, every word shown kept."""

    def __init__(self, db: Path, catalog: Catalog) -> None:
        self.store = Store(db)
        self.out: list[str] = []
        self.console = Console(Service(self.store, catalog, features=FEATURES), "anna", "nl",
                               write=self.out.append)
        self.console.send("/start")

    def type(self, *lines: str) -> str:
        start = len(self.out)
        for line in lines:
            self.console.send(line)
        return "\n".join(self.out[start:])

    def tap(self, label: str) -> str:
        """Type the number of the button whose label holds `label`."""
        number = next(n for n, button in self.console.buttons.items() if label in button.label)
        return self.type(str(number))

    def export_word(self) -> Path:
        """/export → the community → with the appendix → Word; the path of the file the
        console saved."""
        self.type("/export")
        self.tap("Taalcafé Noord")
        self.tap("Bijlage erbij")
        shown = self.tap("Word")
        saved = [line for line in shown.splitlines() if line.startswith("📎 ")]
        assert saved, shown
        return Path(saved[-1].removeprefix("📎 "))


@pytest.fixture
def session(tmp_path: Path, catalog: Catalog) -> Session:
    chat = Session(tmp_path / "veldgids.db", catalog)
    chat.type("Taalcafé Noord", "taal en ontmoeting", "Fatima helpt op dinsdag mee")
    return chat


def test_an_export_after_a_backup_from_another_shell_holds_what_was_noted_since(
        session: Session, tmp_path: Path) -> None:
    db = tmp_path / "veldgids.db"
    assert "Fatima helpt op dinsdag mee" in words(session.export_word())
    backup(db, tmp_path / "copy.db")
    assert "Genoteerd bij Taalcafé Noord" in session.type("Ahmed komt volgende week kijken")
    # Before: "veldgids: error: database: cannot commit - no transaction is active" here,
    # the console gone, and every later export failing the same way.
    second = words(session.export_word())
    assert "Fatima helpt op dinsdag mee" in second and "Ahmed komt volgende week kijken" in second
    assert "Ahmed komt volgende week kijken" in words(session.export_word())
    session.store.close()
    # What was noted after the backup is in the file, not only in the console's memory.
    assert notes_in(db) == ["Fatima helpt op dinsdag mee", "Ahmed komt volgende week kijken"]
    assert notes_in(tmp_path / "copy.db") == ["Fatima helpt op dinsdag mee"]


def test_a_backup_while_an_export_is_reading_is_safe_for_both(
        session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "veldgids.db"
    real: Callable[..., object] = bot.features.export.job.snapshot

    def backup_meanwhile(*args: object) -> object:
        read = real(*args)  # the export's read transaction is still open here
        backup(db, tmp_path / "copy.db")
        return read

    monkeypatch.setattr(bot.features.export.job, "snapshot", backup_meanwhile)
    assert "Fatima helpt op dinsdag mee" in words(session.export_word())
    monkeypatch.undo()
    session.type("Ahmed komt volgende week kijken")
    assert "Ahmed komt volgende week kijken" in words(session.export_word())
    session.store.close()
    assert notes_in(tmp_path / "copy.db") == ["Fatima helpt op dinsdag mee"]
    assert notes_in(db) == ["Fatima helpt op dinsdag mee", "Ahmed komt volgende week kijken"]


def test_a_failed_read_is_told_as_itself_not_as_a_commit_without_transaction(
        session: Session, tmp_path: Path, catalog: Catalog) -> None:
    """The export's read must not hide the error that ended it. Here the disk I/O error is
    made the way the console used to make it: something in the process opens and closes the
    database file, which drops SQLite's locks on it, and a backup deletes the log."""
    db = tmp_path / "veldgids.db"
    os.close(os.open(db, os.O_RDONLY))
    backup(db, tmp_path / "copy.db")
    session.type("Ahmed komt volgende week kijken")
    user = session.store.user_by_console("anna")
    assert user is not None
    with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
        export_file(str(db), user.id, None, catalog, "docx", session.store.clock())
