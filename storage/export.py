"""One user's data as a JSON-able snapshot: the source of every export format.

The shape is described by `export_schema.json` (bump SCHEMA_VERSION when it changes).
Sections for conversations appear only when their tables exist; rows of tables this module
does not know yet (a new feature's) are still exported, under `other`.
"""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path
from typing import Any

from storage.export_together import TABLES as TOGETHER
from storage.export_together import sections
from storage.goals import needs_of
from storage.library import FrameRepo
from storage.membership import Members, author_sql, readable_sql
from storage.privacy import jsonable, owned_tables, plain_tables, records
from storage.store import Store
from storage.transcriptions import TranscriptionRepo

# 2: media details, tick sources and the texts items hold; 3: actions; 4: activities, roles
# and outcomes (with their files) in sections of their own; 5: the library's frame;
# 6: members of a community, authors of notes and conversations, /mydata memberships;
# 7: the needs from the conversations each goal answers; 8: each activity's first-timers
# (`first_time`, null when not recorded), a conversation's person by id, the period the
# file covers, whether it is the version to share (`shareable`), in the JSON file each
# community's page-1 figures (`at_a_glance`), an outcome's goal (`goal_id`) and an
# activity's ⭐ (`starred`)
SCHEMA_VERSION = 8
SCHEMA_FILE = Path(__file__).with_name("export_schema.json")

# Rendered in their own sections.
KNOWN = frozenset({"communities", "answers", "checklist", "notes", "conversations",
                   "transcript", "people", "visions", "goals", "goal_progress", "item_texts",
                   "actions", "members"}) | TOGETHER
# Bookkeeping and settings, not the librarian's content: only in /mydata's raw records.
TECHNICAL = frozenset({"users", "dialog_state", "processed_updates", "inbox", "invites",
                       "search_docs", "stranger_counts", "reminders", "reminder_log",
                       "undelivered", "failed_updates", "transcriptions",
                       "transcription_messages", "attach_to", "library_frame_taken",
                       "invitations", "team_messages", "drafts"})
HIDDEN_COLUMNS = frozenset({"user_id", "community_id"})


class ExportError(Exception):
    """The export cannot be made (e.g. the community is not this user's)."""


def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return data


def _tags(raw: str | None) -> list[str]:
    return [t for t in (raw or "").split() if t]


def _note(row: dict[str, Any], speech: str | None = None) -> dict[str, Any]:
    return {"id": row["id"], "text": row["text"], "tags": _tags(row.get("tags")),
            "kind": row.get("kind") or "text", "created_at": row["created_at"],
            "file": row.get("file_path"), "media_name": row.get("media_name"),
            "duration": row.get("duration"), **({"speech": speech} if speech else {}),
            **({"author": row["author"]} if row.get("author") else {})}


def _loads(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _frame(store: Store) -> dict[str, Any] | None:
    """The library's frame: the phase 1 answers of communities that took it over refer to it."""
    frame = FrameRepo(store).current()
    return None if frame is None else {"version": frame.version, "text": frame.text,
                                       "set_at": frame.set_at}


class Snapshot:
    """Reads what one user may read: their communities (own and shared, every member's
    contributions), or with `contributed` only the rows they wrote themselves (/mydata)."""

    def __init__(self, store: Store, user_id: int, *, contributed: bool = False) -> None:
        self.store = store
        self.user_id = user_id
        self.contributed = contributed
        self.tables = set(plain_tables(store.db))
        repo = TranscriptionRepo(store)
        # Whether a note's text came from speech (automatic or corrected), or why it has none.
        self.speech = {source: {ref: s.label for ref, s in repo.spoken(user_id, source).items()}
                       for source in ("notes", "transcript")}

    def mine(self, alias: str = "") -> str:
        """The author condition /mydata adds, so it holds no colleague's rows."""
        prefix = f"{alias}." if alias else ""
        return f" AND {prefix}user_id = {int(self.user_id)}" if self.contributed else ""

    def build(self, community_id: int | None = None) -> dict[str, Any]:
        user = self.store.user(self.user_id)
        if user is None:
            raise ExportError("no such user")
        communities = self.store.communities(self.user_id)
        if community_id is not None:
            communities = [c for c in communities if c.id == community_id]
            if not communities:
                raise ExportError("that community is not yours")
        data: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "generator": "veldgids",
            "exported_at": self.store.clock().astimezone(UTC).isoformat(timespec="seconds"),
            "scope": "all" if community_id is None else "community",
            "librarian": {"name": user.name, "language": user.language,
                          "timezone": user.timezone},
            "library_frame": _frame(self.store),
            "communities": [self._community(c.id) for c in communities],
        }
        if community_id is None:
            data["loose_notes"] = [_note(r, self.speech["notes"].get(r["id"]))
                                   for r in self.store.rows(
                "SELECT * FROM notes WHERE user_id = ? AND community_id IS NULL ORDER BY id",
                (self.user_id,))]
            data["loose_conversations"] = self._conversations(None)
            data["other"] = self._other(None)
        return data

    def _community(self, community_id: int) -> dict[str, Any]:
        row = self.store.one("SELECT * FROM communities WHERE id = ? AND"
                             f" {readable_sql('id')}", (community_id, self.user_id))
        assert row is not None
        return {
            "id": row["id"], "name": row["name"], "theme": row["theme"],
            "members": [{"name": m.name, "role": m.role, "joined_at": m.joined_at}
                        for m in Members(self.store).of(community_id)],
            "created_at": row["created_at"],
            "answers": self.store.rows("SELECT key, value, updated_at FROM answers"
                                       " WHERE community_id = ? ORDER BY key", (community_id,)),
            "ticks": self.store.rows("SELECT item, done_at, source FROM checklist"
                                     " WHERE community_id = ? ORDER BY item", (community_id,)),
            "item_texts": self._item_texts(community_id),
            "actions": self._actions(community_id),
            "notes": [_note(r, self.speech["notes"].get(r["id"]))
                      for r in self.store.rows(
                f"SELECT n.*, {author_sql('u')} AS author FROM notes n"
                " JOIN users u ON u.id = n.user_id"
                f" WHERE n.community_id = ? AND {readable_sql('n.community_id')}"
                + self.mine("n") + " ORDER BY n.id",
                (community_id, self.user_id))],
            "people": self._people(community_id),
            "vision": self._vision(community_id),
            "goals": self._goals(community_id),
            "conversations": self._conversations(community_id),
            **sections(self.store, self.user_id, community_id, self.tables,
                       contributed=self.contributed),
            "other": self._other(community_id),
        }

    def _item_texts(self, community_id: int) -> list[dict[str, Any]]:
        if "item_texts" not in self.tables:
            return []
        return self.store.rows("SELECT item, text, created_at FROM item_texts"
                               " WHERE community_id = ? ORDER BY id", (community_id,))

    def _actions(self, community_id: int) -> list[dict[str, Any]]:
        if "actions" not in self.tables:
            return []
        return self.store.rows("SELECT what, who, due, done_at, created_at FROM actions"
                               f" WHERE community_id = ? AND {readable_sql()}" + self.mine()
                               + " ORDER BY id", (community_id, self.user_id))

    def _people(self, community_id: int) -> list[dict[str, Any]]:
        if "people" not in self.tables:
            return []
        rows = self.store.rows("SELECT * FROM people WHERE community_id = ? AND"
                               f" {readable_sql()}" + self.mine() + " ORDER BY id",
                               (community_id, self.user_id))
        return [{"id": r["id"], "name": r["name"], "role": r.get("role"),
                 "organisation": r.get("organisation"), "created_at": r["created_at"]}
                for r in rows]

    def _vision(self, community_id: int) -> dict[str, Any] | None:
        if "visions" not in self.tables:
            return None
        row = self.store.one("SELECT v.* FROM visions v JOIN communities c"
                              " ON c.id = v.community_id WHERE v.community_id = ?"
                             f" AND {readable_sql('c.id')}", (community_id, self.user_id))
        if row is None:
            return None
        return {k: row.get(k) for k in ("library_goal", "participant_goal", "vision",
                                        "formulated_with", "updated_at")}

    def _goals(self, community_id: int) -> list[dict[str, Any]]:
        if not {"goals", "goal_progress"} <= self.tables:
            return []
        rows = self.store.rows("SELECT * FROM goals WHERE community_id = ? AND"
                               f" {readable_sql()}" + self.mine() + " ORDER BY id",
                               (community_id, self.user_id))
        out = []
        for r in rows:
            progress = self.store.rows("SELECT value, note, logged_at FROM goal_progress"
                                       " WHERE goal_id = ? ORDER BY logged_at, id", (r["id"],))
            link = (self.store.one("SELECT measure, kind FROM goal_links WHERE goal_id = ?",
                                   (r["id"],)) if "goal_links" in self.tables else None)
            out.append({k: r.get(k) for k in (
                "id", "specific", "metric", "baseline", "target", "achievable", "relevant",
                "deadline", "status", "created_at")} | {"needs": list(needs_of(r.get("needs"))),
                                                        "progress": progress, "counts": link})
        return out

    def _conversations(self, community_id: int | None) -> list[dict[str, Any]]:
        if not {"conversations", "transcript"} <= self.tables:
            return []
        people = "people" in self.tables
        rows = self.store.rows(
            f"SELECT c.*, {author_sql('u')} AS author"
            + (", p.name AS person_name, p.role AS person_role,"
               " p.organisation AS person_org" if people else "")
            + " FROM conversations c JOIN users u ON u.id = c.user_id"
            + (" LEFT JOIN people p ON p.id = c.person_id"
               if people else "")
            + (" WHERE c.user_id = ? AND c.community_id IS NULL" if community_id is None
               else f" WHERE c.community_id = ? AND {readable_sql('c.community_id')}")
            + self.mine("c") + " ORDER BY c.id",
            (self.user_id,) if community_id is None else (community_id, self.user_id))
        out = []
        for r in rows:
            turns = self.store.rows("SELECT * FROM transcript WHERE conversation_id = ?"
                                    " ORDER BY id", (r["id"],))
            person = ({"id": r["person_id"], "name": r["person_name"],
                       "role": r.get("person_role"),
                       "organisation": r.get("person_org")}
                      if r.get("person_name") else None)
            out.append({
                "id": r["id"], "author": r["author"], "person": person, "place": r.get("place"),
                "started_at": r.get("started_at"), "ended_at": r.get("ended_at"),
                "status": r.get("status"), "summary": r.get("summary"),
                "keywords": r.get("keywords") or "", "reflection": _loads(r.get("reflection")),
                "turns": [{"id": t["id"], "who": t.get("who"), "question": t.get("question"),
                           "kind": t.get("kind") or "text", "text": t.get("text") or "",
                           "created_at": t["created_at"], "media_name": t.get("media_name"),
                           "duration": t.get("duration"), "starred": bool(t.get("starred")),
                           **({"speech": s} if (s := self.speech["transcript"].get(t["id"]))
                              else {})} for t in turns],
            })
        return out

    def _other(self, community_id: int | None) -> dict[str, list[dict[str, Any]]]:
        """Rows of tables without a section of their own, so nothing is left out."""
        out: dict[str, list[dict[str, Any]]] = {}
        for owned in owned_tables(self.store.db):
            if owned.table in KNOWN | TECHNICAL:
                continue
            cols = [r[1] for r in self.store.db.execute(
                f'PRAGMA table_info("{owned.table}")').fetchall()]
            if community_id is not None:
                if "community_id" not in cols:
                    continue
                sql = (f'SELECT * FROM "{owned.table}" WHERE community_id = :cid'
                       f" AND {readable_sql(user=':uid')}"
                       + (" AND user_id = :uid" if self.contributed and "user_id" in cols
                          else ""))
            elif "community_id" in cols:
                sql = (f'SELECT * FROM "{owned.table}" WHERE ({owned.where})'
                       " AND community_id IS NULL")
            else:
                sql = f'SELECT * FROM "{owned.table}" WHERE {owned.where}'
            rows = self.store.rows(sql + " ORDER BY rowid",
                                   {"uid": self.user_id, "cid": community_id})
            if rows:
                out[owned.table] = [{k: jsonable(v) for k, v in row.items()
                                     if k not in HIDDEN_COLUMNS} for row in rows]
        return out


def snapshot(store: Store, user_id: int, community_id: int | None = None) -> dict[str, Any]:
    return Snapshot(store, user_id).build(community_id)


def everything(store: Store, user_id: int) -> dict[str, Any]:
    """/mydata: the full export plus the account and every raw row stored about the user."""
    data = Snapshot(store, user_id, contributed=True).build()
    data["memberships"] = [
        {"community": c.name, "role": Members(store).role(user_id, c.id)}
        for c in store.communities(user_id)]
    account = store.one("SELECT * FROM users WHERE id = ?", (user_id,)) or {}
    data["account"] = {k: jsonable(v) for k, v in account.items()}
    data["records"] = records(store, user_id, contributed=True)
    return data
