"""The export's phase 6 sections of a community: activities, people with a role and
outcomes, each activity and outcome with the files that go with it (storage/attachments.py).
Only when their tables exist, so an export of an older database still works."""

from __future__ import annotations

from typing import Any

from storage.db import Connection
from storage.membership import readable_sql

TABLES = frozenset({"activities", "roles", "outcomes", "record_files"})


def _files(store: Connection, user_id: int, column: str, ident: int, tables: set[str],
           mine: str) -> list[dict[str, Any]]:
    if "record_files" not in tables:
        return []
    return store.rows(
        "SELECT n.id AS note_id, n.kind, n.media_name AS name, n.file_path AS file"
        " FROM record_files f JOIN notes n ON n.id = f.note_id"
        f" WHERE f.{column} = ? AND {readable_sql('n.community_id')}"
        + mine.replace("user_id", "f.user_id") + " ORDER BY f.id", (ident, user_id))


def sections(store: Connection, user_id: int, community_id: int, tables: set[str], *,
             contributed: bool = False) -> dict[str, list[dict[str, Any]]]:
    """Every member's records of a community the user may read; with `contributed`, only
    the ones the user made (/mydata)."""
    mine = f" AND user_id = {int(user_id)}" if contributed else ""
    where = f" WHERE community_id = ? AND {readable_sql()}{mine}"
    out: dict[str, list[dict[str, Any]]] = {"activities": [], "roles": [], "outcomes": []}
    if "activities" in tables:
        out["activities"] = [
            {**row, "starred": bool(row["starred"]),
             "files": _files(store, user_id, "activity_id", row["id"], tables, mine)}
            for row in store.rows(
                "SELECT id, kind, day, what, participants, first_time, led_by, note, starred,"
                f" created_at FROM activities{where} ORDER BY day, id", (community_id, user_id))]
    if "roles" in tables:
        out["roles"] = store.rows(f"SELECT name, role, person_id, created_at FROM roles{where}"
                                  " ORDER BY role, id", (community_id, user_id))
    if "outcomes" in tables:
        out["outcomes"] = [
            {**row, "files": _files(store, user_id, "outcome_id", row["id"], tables, mine)}
            for row in store.rows(f"SELECT id, kind, text, goal_id, created_at FROM outcomes{where}"
                                  " ORDER BY id", (community_id, user_id))]
    return out
