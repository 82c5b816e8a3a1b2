"""Everything stored about one user, found generically: for /mydata, /forget and exports.

Tables are discovered from the schema instead of listed by hand, so a feature that adds a
table with a `user_id` column, or a foreign key to `users`, `communities` or another table
that does, is covered without changes here. Full-text indexes are kept in sync by their
triggers and are compacted after an erase, so no deleted text lingers in index segments.
"""

from __future__ import annotations

import base64
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from storage.db import Connection
from storage.users import find_user

# Rows in the inbox hold a whole Telegram update as JSON; they are matched by sender id.
INBOX = "inbox"
SKIP = frozenset({INBOX})
MAX_PASSES = 10


@dataclass(frozen=True)
class Owned:
    """A table with rows that belong to a user: `where` selects them (parameter :uid)."""

    table: str
    where: str
    parents: frozenset[str] = frozenset()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _virtual(db: Database) -> list[str]:
    rows = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    return [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]


def plain_tables(db: Database) -> list[str]:
    """Ordinary tables, without SQLite's own, migration bookkeeping and FTS shadow tables."""
    virtual = _virtual(db)
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()]
    return [n for n in names if not n.startswith(("sqlite_", "_")) and n not in virtual
            and not any(n.startswith(v + "_") for v in virtual)]


# A foreign key as (parent table, column here, column there; None for the parent's rowid).
ForeignKey = tuple[str, str, str | None]


def owned_tables(db: Database) -> list[Owned]:
    """Every table holding a user's rows, children before parents (the order to delete in)."""
    tables = [t for t in plain_tables(db) if t not in SKIP]
    columns = {t: _columns(db, t) for t in tables}
    fks: dict[str, list[ForeignKey]] = {t: [(r[2], r[3], r[4]) for r in db.execute(
        f"PRAGMA foreign_key_list({_q(t)})").fetchall()] for t in tables}
    where: dict[str, str] = {"users": "id = :uid"} if "users" in tables else {}
    parents: dict[str, set[str]] = {"users": set()}
    for _ in range(MAX_PASSES):
        # A table is found through a parent found in an earlier pass: repeat until none is new.
        if not _widen(tables, columns, fks, where, parents):
            break
    owned = [Owned(t, where[t], frozenset(parents.get(t, set()) - {t}))
             for t in tables if t in where]
    return _children_first(owned)


def _widen(tables: list[str], columns: dict[str, list[str]], fks: dict[str, list[ForeignKey]],
           where: dict[str, str], parents: dict[str, set[str]]) -> bool:
    """One pass: every table's condition from what is known so far (`where` and `parents`
    are updated); whether any changed."""
    changed = False
    for table in tables:
        if table == "users":
            continue
        conds, refs = _conditions(table, columns[table], fks[table], where)
        if conds:
            clause = " OR ".join(f"({c})" for c in conds)
            if where.get(table) != clause:
                where[table] = clause
                parents[table] = refs
                changed = True
    return changed


def _conditions(table: str, cols: list[str], fks: list[ForeignKey],
                where: dict[str, str]) -> tuple[list[str], set[str]]:
    """The ways a row of `table` belongs to the user (:uid), given the tables whose rows
    are known to (`where`), and the tables it reaches them through."""
    conds: list[str] = []
    refs: set[str] = set()
    linked = {src for _, src, _ in fks}
    for parent, src, dest in fks:
        if parent == table or parent not in where:
            continue
        refs.add(parent)
        if parent == "users":
            conds.append(f"{_q(src)} = :uid")
        else:
            conds.append(f"{_q(src)} IN (SELECT {_q(dest or 'rowid')} FROM {_q(parent)}"
                         f" WHERE {where[parent]})")
    if "user_id" in cols and "user_id" not in linked:
        conds.append('"user_id" = :uid')
    if "community_id" in cols and "community_id" not in linked and "communities" in where:
        refs.add("communities")
        conds.append(f'"community_id" IN (SELECT id FROM communities'
                     f' WHERE {where["communities"]})')
    return conds, refs


def _children_first(owned: list[Owned]) -> list[Owned]:
    by_name = {o.table: o for o in owned}
    done: list[Owned] = []
    seen: set[str] = set()

    def visit(name: str, path: set[str]) -> None:
        if name in seen or name in path:
            return
        path.add(name)
        # Whoever references `name` must go first.
        for other in owned:
            if name in other.parents and other.table != "users":
                visit(other.table, path)
        seen.add(name)
        done.append(by_name[name])

    for item in sorted(owned, key=lambda o: o.table == "users"):
        visit(item.table, set())
    users = [o for o in done if o.table == "users"]
    return [o for o in done if o.table != "users"] + users


def _columns(db: Database, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA table_info({_q(table)})").fetchall()]


def jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    return value


def records(store: Connection, user_id: int, *, contributed: bool = False
            ) -> dict[str, list[dict[str, Any]]]:
    """Every stored row of this user, table by table, as plain JSON values. With
    `contributed`, rows that name an author are only theirs (not a colleague's note in a
    community they own)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for owned in owned_tables(store.db):
        where = owned.where
        if contributed and owned.table != "users" and "user_id" in _columns(store.db, owned.table):
            where = '"user_id" = :uid'
        rows = store.rows(f"SELECT * FROM {_q(owned.table)} WHERE {where}", {"uid": user_id})
        if rows:
            out[owned.table] = [{k: jsonable(v) for k, v in row.items()} for row in rows]
    user = find_user(store, user_id)
    inbox = inbox_rows(store, user.telegram_id) if user and user.telegram_id else []
    if inbox:
        out[INBOX] = inbox
    return out


def _mentions(node: Any, telegram_id: int) -> bool:
    """Whether a Telegram update (as JSON) was sent by, or is about, this Telegram user."""
    if isinstance(node, dict):
        for key in ("from", "user", "chat"):
            inner = node.get(key)
            if isinstance(inner, dict) and inner.get("id") == telegram_id:
                return True
        return any(_mentions(v, telegram_id) for v in node.values())
    if isinstance(node, list):
        return any(_mentions(v, telegram_id) for v in node)
    return False


def inbox_rows(store: Connection, telegram_id: int) -> list[dict[str, Any]]:
    if INBOX not in plain_tables(store.db):
        return []
    rows = store.rows(f"SELECT * FROM {INBOX} ORDER BY update_id")
    return [row for row in rows if _mentions(json.loads(row["payload"]), telegram_id)]


def counts(store: Connection, user_id: int) -> dict[str, int]:
    """How many rows per table belong to the user (for the /forget explanation)."""
    out: dict[str, int] = {}
    for owned in owned_tables(store.db):
        row = store.one(f"SELECT count(*) AS n FROM {_q(owned.table)} WHERE {owned.where}",
                         {"uid": user_id})
        if row and row["n"]:
            out[owned.table] = int(row["n"])
    return out


def user_dir(data_dir: Path, user_id: int) -> Path:
    """Agreed with bot/telegram/media.py: all files of one librarian live under data/users/<id>/."""
    return Path(data_dir) / "users" / str(user_id)


def _stored_files(store: Connection, user_id: int, data_dir: Path) -> list[Path]:
    """Files named in the user's rows (columns ending in `path`) that lie in the data dir."""
    root = Path(data_dir).resolve()
    found: list[Path] = []
    for rows in records(store, user_id).values():
        for row in rows:
            for key, value in row.items():
                if key.endswith("path") and isinstance(value, str) and value:
                    path = Path(value).resolve()
                    if path.is_relative_to(root) and path != root:
                        found.append(path)
    return found


@dataclass
class Erased:
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0


def erase(store: Connection, user_id: int, data_dir: Path) -> Erased:
    """Delete every row and file of the user. Call inside `store.atomic()`."""
    result = Erased()
    user = find_user(store, user_id)
    if user is None:
        return result
    files = _stored_files(store, user_id, data_dir)
    db = store.db
    # Which updates were handled stays known, unlinked from the person: Telegram may offer
    # one of them again (after a crash, for up to a day), and it must not be handled twice.
    db.execute("UPDATE processed_updates SET user_id = NULL WHERE user_id = ?", (user_id,))
    # Freed pages are zeroed: `Connection` switches secure_delete on (storage/db.py).
    for owned in owned_tables(db):
        cursor = db.execute(f"DELETE FROM {_q(owned.table)} WHERE {owned.where}",
                            {"uid": user_id})
        if cursor.rowcount > 0:
            result.rows[owned.table] = result.rows.get(owned.table, 0) + cursor.rowcount
    if user.telegram_id is not None:
        for row in inbox_rows(store, user.telegram_id):
            db.execute(f"DELETE FROM {INBOX} WHERE update_id = ?", (row["update_id"],))
            result.rows[INBOX] = result.rows.get(INBOX, 0) + 1
    compact_indexes(db)
    # After the commit the write-ahead log is emptied, so it keeps no copy of the erased
    # pages; if a reader keeps it from that, `store.wipe_pending` says so
    # (bot/features/upkeep/feature.py).
    store.checkpoint()
    for path in files:
        if path.is_file():
            path.unlink()
            result.files += 1
    folder = user_dir(data_dir, user_id)
    if folder.exists():
        result.files += sum(1 for p in folder.rglob("*") if p.is_file())
        shutil.rmtree(folder)
    return result


def compact_indexes(db: Database) -> None:
    """Merge every full-text index's segments, so deleted or replaced text is dropped."""
    for table in _virtual(db):
        _optimize(db, table)


def _optimize(db: Database, table: str) -> None:
    """Merge FTS segments so deleted documents' tokens are dropped from the index."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    if "fts5" in sql.lower() or "fts4" in sql.lower() or "fts3" in sql.lower():
        db.execute(f"INSERT INTO {_q(table)} ({_q(table)}) VALUES ('optimize')")
