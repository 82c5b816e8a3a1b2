"""What a librarian leaves behind in shared communities when they ask to be forgotten.

Either their contributions stay with the team, written by "a former colleague": every row
they wrote in a community they were a *member* of (not its owner) moves to one stand-in
`users` row that has no name, no Telegram id and no access, and their media files move to
the stand-in's folder; nothing that names them is left for `privacy.erase` to miss. Or the
contributions go with them (`privacy.erase` deletes every row with their `user_id`), and
the team is told that some entries were withdrawn (`withdrawn` counts them first).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from storage.db import Connection
from storage.membership import FORMER
from storage.privacy import plain_tables, user_dir


def former_id(store: Connection) -> int:
    """The stand-in for every former colleague (made once)."""
    row = store.one("SELECT id FROM users WHERE status = ? ORDER BY id LIMIT 1", (FORMER,))
    if row is not None:
        return int(row["id"])
    cursor = store.db.execute(
        "INSERT INTO users (name, status, created_at) VALUES ('', ?, ?)", (FORMER, store.now()))
    return int(cursor.lastrowid or 0)


def _shared_sql() -> str:
    """Communities the user (:uid) is a member of but does not own."""
    return "SELECT community_id FROM members WHERE user_id = :uid AND role = 'member'"


def _tables(store: Connection) -> list[str]:
    """Tables whose rows have an author (`user_id`) and a community."""
    out = []
    for table in plain_tables(store.db):
        cols = {r[1] for r in store.db.execute(f'PRAGMA table_info("{table}")').fetchall()}
        if {"user_id", "community_id"} <= cols and table != "members":
            out.append(table)
    return out


def withdrawn(store: Connection, user_id: int) -> dict[int, int]:
    """How many rows the user wrote in each community they are a member of (not owner)."""
    counts: dict[int, int] = {}
    for table in _tables(store):
        for row in store.rows(f'SELECT community_id, count(*) AS n FROM "{table}"'
                              f" WHERE user_id = :uid AND community_id IN ({_shared_sql()})"
                              " GROUP BY community_id", {"uid": user_id}):
            counts[row["community_id"]] = counts.get(row["community_id"], 0) + row["n"]
    return counts


def keep_contributions(store: Connection, user_id: int, data_dir: Path) -> int:
    """Hand the user's rows in shared communities to the stand-in; returns how many moved.
    Call inside `store.atomic()`, before `privacy.erase`."""
    former = former_id(store)
    params = {"uid": user_id, "former": former}
    db = store.db
    moved = 0
    old_dir, new_dir = user_dir(data_dir, user_id).resolve(), user_dir(data_dir, former)
    # Transcript turns and search entries follow their conversation or community.
    turns = ("user_id = :uid AND conversation_id IN (SELECT id FROM conversations"
             f" WHERE user_id = :uid AND community_id IN ({_shared_sql()}))")
    _move_files(store, "transcript", turns, params, old_dir, new_dir)
    db.execute(f"UPDATE transcript SET user_id = :former WHERE {turns}", params)
    db.execute("UPDATE goal_links SET user_id = :former WHERE user_id = :uid AND goal_id IN"
               f" (SELECT id FROM goals WHERE community_id IN ({_shared_sql()}))", params)
    # Search entries follow by themselves: the index triggers rewrite them with the row.
    rows = f"user_id = :uid AND community_id IN ({_shared_sql()})"
    for table in _tables(store):
        cols = {r[1] for r in db.execute(f'PRAGMA table_info("{table}")').fetchall()}
        if "file_path" in cols:
            _move_files(store, table, rows, params, old_dir, new_dir)
        moved += db.execute(f'UPDATE "{table}" SET user_id = :former WHERE user_id = :uid'
                            f" AND community_id IN ({_shared_sql()})", params).rowcount
    db.execute("UPDATE actions SET assigned_to = NULL WHERE assigned_to = :uid", params)
    return moved


def _move_files(store: Connection, table: str, where: str, params: dict[str, int], old_dir: Path,
                new_dir: Path) -> None:
    """Files of the rows `where` selects move from the user's folder to the stand-in's."""
    rows = store.rows(f'SELECT id, file_path FROM "{table}" WHERE {where}'
                      " AND file_path IS NOT NULL", params)
    for row in rows:
        path = Path(row["file_path"]).resolve()
        if not path.is_relative_to(old_dir) or not path.is_file():
            continue
        target = new_dir.resolve() / path.relative_to(old_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
        store.db.execute(f'UPDATE "{table}" SET file_path = ? WHERE id = ?',
                         (str(target), row["id"]))
