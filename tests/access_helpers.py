"""Helpers for access, export and privacy tests: a movable clock, a fully installed service,
and a scan that proves nothing about a user remains in the database or the data folder."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app.registry import FEATURES, Service
from bot.app.service import Defaults
from dialogs.catalog import Catalog
from storage.store import Store


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2025, 3, 3, 9, 30, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def full_service(store: Store, catalog: Catalog, data_dir: Path,
                 admins: tuple[int, ...] = ()) -> Service:
    """The service as `veldgids run` builds it, with every feature installed."""
    service = Service(store, catalog, Defaults(data_dir=data_dir, admins=admins),
                      features=FEATURES)
    return service


def leftovers(db_path: Path, data_dir: Path, needles: list[str], telegram_id: int,
              user_id: int) -> list[str]:
    """Every place (table cell or file) that still holds a needle, the Telegram id, or the
    internal user id in a column that refers to users."""
    found: list[str] = []
    # The id as a whole number: "1002" inside a timestamp's "17:55:40.100250" is not it.
    tid = re.compile(rf"(?<!\d){telegram_id}(?!\d)")
    tid_bytes = re.compile(rf"(?<!\d){telegram_id}(?!\d)".encode())
    db = sqlite3.connect(db_path)
    try:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            cols = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
            refs = {r[3] for r in db.execute(f'PRAGMA foreign_key_list("{table}")')
                    if r[2] == "users"} | {c for c in cols if c == "user_id"}
            if table == "users":
                refs.add("id")
            for row in db.execute(f'SELECT * FROM "{table}"'):
                for col, value in zip(cols, row, strict=False):
                    if col == "update_id":
                        continue  # Telegram's sequence number, not a person's id
                    where = f"{table}.{col}"
                    if isinstance(value, bytes):
                        text = value.decode("utf-8", "replace")
                    else:
                        text = str(value) if value is not None else ""
                    if any(n in text for n in needles) or tid.search(text):
                        found.append(f"{where} = {text[:60]!r}")
                    if col in refs and value == user_id:
                        found.append(f"{where} = user id {user_id}")
                    if table == "search_docs" and text == f"u{user_id}":
                        found.append(f"{where} = owner u{user_id}")
    finally:
        db.close()
    if data_dir.exists():
        for path in data_dir.rglob("*"):
            if path.is_file():
                blob = path.read_bytes()
                if any(n.encode() in blob for n in needles) or tid_bytes.search(blob):
                    found.append(f"file {path}")
            if path.name == str(user_id) and path.parent.name == "users":
                found.append(f"folder {path}")
    return found
