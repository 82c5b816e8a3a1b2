"""Phase 6's records besides activities: the people with a role (ambassadors, partners)
and the outcomes a community produced (knowledge, a product, an event series, a change)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import Connection
from storage.membership import readable_sql
from storage.migrations import run_statements

migrations = Migrations("veldgids-collaboration")
ROLES = ("ambassador", "partner")
OUTCOMES = ("knowledge", "product", "series", "change")


@migrations()
def m001_roles_outcomes(db: Database) -> None:
    run_statements(db, """
        CREATE TABLE roles (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('ambassador', 'partner')),
            created_at TEXT NOT NULL
        );
        CREATE INDEX roles_community ON roles(community_id, id);
        CREATE TABLE outcomes (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('knowledge', 'product', 'series', 'change')),
            text TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX outcomes_community ON outcomes(community_id, id)
    """)


@migrations()
def m002_role_people(db: Database) -> None:
    """An ambassador or partner tapped from the people met in conversations keeps the link."""
    db.execute("ALTER TABLE roles ADD COLUMN person_id INTEGER"
               " REFERENCES people(id) ON DELETE SET NULL")


@migrations()
def m003_outcome_goal(db: Database) -> None:
    """An outcome can belong to a SMART goal (a sub-goal); a goal deleted leaves it untied."""
    run_statements(db, """
        ALTER TABLE outcomes ADD COLUMN goal_id INTEGER REFERENCES goals(id) ON DELETE SET NULL;
        CREATE INDEX outcomes_goal ON outcomes(goal_id)
    """)


@dataclass(frozen=True)
class Role:
    id: int
    name: str
    role: str


@dataclass(frozen=True)
class Outcome:
    id: int
    kind: str
    text: str
    created_at: str
    goal_id: int | None = None  # the sub-goal it belongs to; None: none (or deleted)


class CollaborationRepo:
    def __init__(self, store: Connection) -> None:
        self.store = store
        self.db = store.db

    def add_role(self, user_id: int, community_id: int, name: str, role: str, *,
                 person_id: int | None = None) -> int:
        if role not in ROLES:
            raise ValueError(role)
        cursor = self.db.execute(
            "INSERT INTO roles (user_id, community_id, name, role, person_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", (user_id, community_id, name, role, person_id,
                                           self.store.now()))
        return int(cursor.lastrowid or 0)

    def roles(self, user_id: int, community_id: int) -> list[Role]:
        return [Role(**r) for r in self.store.rows(
            f"SELECT id, name, role FROM roles WHERE community_id = ? AND {readable_sql()}"
            " ORDER BY role, id", (community_id, user_id))]

    def add_outcome(self, user_id: int, community_id: int, kind: str, text: str, *,
                    goal_id: int | None = None) -> int:
        """Record one; `goal_id` ties it to a goal of the same community (else untied)."""
        if kind not in OUTCOMES:
            raise ValueError(kind)
        if goal_id is not None and self.store.one(
                "SELECT 1 AS x FROM goals WHERE id = ? AND community_id = ?",
                (goal_id, community_id)) is None:
            goal_id = None
        cursor = self.db.execute(
            "INSERT INTO outcomes (user_id, community_id, kind, text, goal_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", (user_id, community_id, kind, text, goal_id,
                                           self.store.now()))
        return int(cursor.lastrowid or 0)

    def outcomes(self, user_id: int, community_id: int) -> list[Outcome]:
        return [Outcome(**r) for r in self.store.rows(
            "SELECT id, kind, text, created_at, goal_id FROM outcomes WHERE community_id = ?"
            f" AND {readable_sql()} ORDER BY id", (community_id, user_id))]

    def outcome(self, user_id: int, outcome_id: int) -> Outcome | None:
        row = self.store.one("SELECT id, kind, text, created_at, goal_id FROM outcomes"
                             " WHERE id = ?"
                             f" AND {readable_sql()}", (outcome_id, user_id))
        return Outcome(**row) if row else None
