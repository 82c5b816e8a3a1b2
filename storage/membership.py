"""Who may see and change a community: its members, their roles, and invitations to join.

`members` is the one source of truth. `communities.user_id` stays as the owner column (the
owner's erase takes a private community with it, and a handover updates both in one
transaction); every read of community data asks `Members.may`, or uses `readable_sql`, the
same rule as SQL, so a query cannot fetch rows first and check afterwards.

Rights: "read" and "write" belong to every member; "manage" (share, remove a member, hand
over) to the owner only. An admin gets nothing here: the team overview counts without reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import Connection
from storage.users import find_user

migrations = Migrations("veldgids-membership")

Right = Literal["read", "write", "manage"]
Role = Literal["owner", "member"]
_ROLES: dict[Right, tuple[str, ...]] = {"read": ("owner", "member"),
                                        "write": ("owner", "member"), "manage": ("owner",)}


#: The status of the one users row that stands in for every librarian who left with
#: /forget but left their contributions to the team: it has no name and no Telegram id.
FORMER = "former"


FORMER_AUTHOR = "a former colleague"  # as the JSON export names the stand-in


def author_sql(alias: str) -> str:
    """The author's name as exports show it; the stand-in is "a former colleague"."""
    return (f"CASE WHEN {alias}.status = '{FORMER}' THEN '{FORMER_AUTHOR}'"
            f" ELSE {alias}.name END")


def readable_sql(column: str = "community_id", user: str = "?") -> str:
    """`may(user, column, "read")` as an SQL condition, for queries over many rows."""
    return (f"{column} IN (SELECT community_id FROM members WHERE user_id = {user})")


#: An action that is this user's to do (takes the user id twice): assigned to them, or
#: written by them and assigned to nobody.
ASSIGNED_MINE = "(assigned_to = ? OR (assigned_to IS NULL AND user_id = ?))"


def visible_sql(alias: str = "") -> str:
    """A row one may read: one's own (also outside any community), or in a community one is
    a member of. Takes the user id twice."""
    prefix = f"{alias}." if alias else ""
    return f"({prefix}user_id = ? OR {readable_sql(prefix + 'community_id')})"


@migrations()
def m001_members(db: Database) -> None:
    db.execute("""CREATE TABLE members (
        community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('owner', 'member')),
        joined_at TEXT NOT NULL,
        PRIMARY KEY (community_id, user_id)
    )""")
    db.execute("CREATE INDEX members_user ON members(user_id, community_id)")
    # Every existing community: its owner is its first member.
    db.execute("INSERT INTO members (community_id, user_id, role, joined_at)"
               " SELECT id, user_id, 'owner', created_at FROM communities")
    # Whom an action is assigned to; no foreign key, so a member's erase does not take a
    # colleague's action along (their /vergeetmij clears it instead).
    db.execute("ALTER TABLE actions ADD COLUMN assigned_to INTEGER")
    db.execute("""CREATE TABLE invitations (
        id INTEGER PRIMARY KEY,
        community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        invited_by INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        UNIQUE (community_id, user_id)
    )""")


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str
    role: Role
    joined_at: str


@dataclass(frozen=True)
class Invitation:
    id: int
    community_id: int
    community: str
    user_id: int
    name: str
    invited_by: int


InviteProblem = Literal["no_access", "self", "member", "invited"]
AcceptProblem = Literal["gone", "no_access"]


class Members:
    """Membership reads and changes; writes are meant to run inside `store.atomic()`."""

    def __init__(self, store: Connection) -> None:
        self.store = store
        self.db = store.db

    def may(self, user_id: int, community_id: int, right: Right) -> bool:
        """Whether this user may `right` this community: the one check every read and every
        button of community data goes through."""
        row = self.store.one("SELECT role FROM members WHERE community_id = ? AND user_id = ?",
                             (community_id, user_id))
        return row is not None and row["role"] in _ROLES[right]

    def of(self, community_id: int) -> list[Member]:
        """The members, owner first, then in the order they joined."""
        rows = self.store.rows(
            "SELECT m.user_id, u.name, m.role, m.joined_at FROM members m"
            " JOIN users u ON u.id = m.user_id WHERE m.community_id = ?"
            " ORDER BY m.role = 'member', m.joined_at, m.user_id", (community_id,))
        return [Member(**row) for row in rows]

    def communities(self, user_id: int) -> list[int]:
        """Every community this user may see."""
        return [row["community_id"] for row in self.store.rows(
            "SELECT community_id FROM members WHERE user_id = ? ORDER BY community_id",
            (user_id,))]

    def role(self, user_id: int, community_id: int) -> Role | None:
        row = self.store.one("SELECT role FROM members WHERE community_id = ? AND user_id = ?",
                             (community_id, user_id))
        return row["role"] if row else None

    def shared(self, community_id: int) -> bool:
        row = self.store.one("SELECT count(*) AS n FROM members WHERE community_id = ?",
                             (community_id,))
        return bool(row and row["n"] > 1)

    def shared_of(self, user_id: int) -> list[int]:
        """The communities of this user that have other members too."""
        return [row["community_id"] for row in self.store.rows(
            "SELECT m.community_id FROM members m WHERE m.user_id = ? AND EXISTS (SELECT 1"
            " FROM members o WHERE o.community_id = m.community_id AND o.user_id != ?)",
            (user_id, user_id))]

    def add_owner(self, community_id: int, user_id: int) -> None:
        self.db.execute("INSERT OR REPLACE INTO members (community_id, user_id, role, joined_at)"
                        " VALUES (?, ?, 'owner', ?)", (community_id, user_id, self.store.now()))

    # invitations
    def invite(self, owner_id: int, community_id: int, user_id: int) -> InviteProblem | None:
        """Invite a colleague; None when done, else why not. The owner's right is checked by
        the caller (a press names the community)."""
        if user_id == owner_id:
            return "self"
        user = find_user(self.store, user_id)
        if user is None or user.status != "active" or user.telegram_id is None:
            return "no_access"
        if self.role(user_id, community_id) is not None:
            return "member"
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO invitations (community_id, user_id, invited_by, created_at)"
            " VALUES (?, ?, ?, ?)", (community_id, user_id, owner_id, self.store.now()))
        return None if cursor.rowcount == 1 else "invited"

    def invitation(self, invitation_id: int, user_id: int) -> Invitation | None:
        """An invitation to this user that still stands: the one who sent it still owns the
        community (a handover or a withdrawal meanwhile makes it void)."""
        row = self.store.one(
            "SELECT i.id, i.community_id, c.name AS community, i.user_id, u.name,"
            " i.invited_by FROM invitations i JOIN communities c ON c.id = i.community_id"
            " JOIN users u ON u.id = i.user_id JOIN members m ON m.community_id ="
            " i.community_id AND m.user_id = i.invited_by AND m.role = 'owner'"
            " WHERE i.id = ? AND i.user_id = ?", (invitation_id, user_id))
        return Invitation(**row) if row else None

    def pending(self, community_id: int) -> list[Invitation]:
        rows = self.store.rows(
            "SELECT i.id, i.community_id, c.name AS community, i.user_id, u.name,"
            " i.invited_by FROM invitations i JOIN communities c ON c.id = i.community_id"
            " JOIN users u ON u.id = i.user_id WHERE i.community_id = ? ORDER BY i.id",
            (community_id,))
        return [Invitation(**row) for row in rows]

    def accept(self, invitation_id: int, user_id: int) -> Invitation | AcceptProblem:
        found = self.invitation(invitation_id, user_id)
        self.db.execute("DELETE FROM invitations WHERE id = ? AND user_id = ?",
                        (invitation_id, user_id))
        if found is None:
            return "gone"
        user = find_user(self.store, user_id)
        if user is None or user.status != "active":
            return "no_access"
        self.db.execute("INSERT OR IGNORE INTO members (community_id, user_id, role, joined_at)"
                        " VALUES (?, ?, 'member', ?)",
                        (found.community_id, user_id, self.store.now()))
        return found

    def decline(self, invitation_id: int, user_id: int) -> Invitation | None:
        found = self.invitation(invitation_id, user_id)
        self.db.execute("DELETE FROM invitations WHERE id = ? AND user_id = ?",
                        (invitation_id, user_id))
        return found

    def withdraw(self, community_id: int, user_id: int) -> bool:
        return self.db.execute("DELETE FROM invitations WHERE community_id = ? AND user_id = ?",
                               (community_id, user_id)).rowcount == 1

    # leaving and handing over
    def remove(self, community_id: int, user_id: int) -> bool:
        """Take a member (never the owner) out; their active community moves off it."""
        removed = self.db.execute(
            "DELETE FROM members WHERE community_id = ? AND user_id = ? AND role = 'member'",
            (community_id, user_id)).rowcount == 1
        if removed:
            self.db.execute("UPDATE users SET active_community = NULL WHERE id = ?"
                            " AND active_community = ?", (user_id, community_id))
            # Their actions there go back to whoever wrote them, so none is left undone.
            self.db.execute("UPDATE actions SET assigned_to = NULL WHERE community_id = ?"
                            " AND assigned_to = ?", (community_id, user_id))
        return removed

    def hand_over(self, community_id: int, from_id: int, to_id: int) -> bool:
        """Ownership moves to `to_id` (who becomes a member first if not one yet); the old
        owner stays a member. Nothing is copied. Pending invitations are void."""
        if self.role(from_id, community_id) != "owner" or from_id == to_id:
            return False
        now = self.store.now()
        self.db.execute("INSERT INTO members (community_id, user_id, role, joined_at)"
                        " VALUES (?, ?, 'owner', ?) ON CONFLICT (community_id, user_id)"
                        " DO UPDATE SET role = 'owner'", (community_id, to_id, now))
        self.db.execute("UPDATE members SET role = 'member' WHERE community_id = ?"
                        " AND user_id = ?", (community_id, from_id))
        self.db.execute("UPDATE communities SET user_id = ? WHERE id = ?", (to_id, community_id))
        self.db.execute("DELETE FROM invitations WHERE community_id = ?", (community_id,))
        return True

    def owned_shared(self, user_id: int) -> list[int]:
        """Communities this user owns that others are members of: they cannot leave those
        until someone else owns them."""
        return [row["community_id"] for row in self.store.rows(
            "SELECT m.community_id FROM members m WHERE m.user_id = ? AND m.role = 'owner'"
            " AND EXISTS (SELECT 1 FROM members o WHERE o.community_id = m.community_id"
            " AND o.user_id != m.user_id) ORDER BY m.community_id", (user_id,))]

    def colleagues(self, user_id: int) -> list[tuple[int, str]]:
        """Everyone else with access to the bot, by name: whom a community can be shared with."""
        return [(row["id"], row["name"]) for row in self.store.rows(
            "SELECT id, name FROM users WHERE id != ? AND status = 'active'"
            " AND telegram_id IS NOT NULL ORDER BY name COLLATE NOCASE, id", (user_id,))]

    # actions: whose to do
    def assign(self, user_id: int, action_id: int, to_id: int | None) -> bool:
        """Assign an action of a community `user_id` may write to one of its members (None:
        back to whoever wrote it)."""
        row = self.store.one("SELECT community_id FROM actions WHERE id = ?", (action_id,))
        if row is None or not self.may(user_id, row["community_id"], "write"):
            return False
        if to_id is not None and self.role(to_id, row["community_id"]) is None:
            return False
        self.db.execute("UPDATE actions SET assigned_to = ?, updated_at = ? WHERE id = ?",
                        (to_id, self.store.now(), action_id))
        return True

    def assigned_to(self, action_id: int) -> int | None:
        row = self.store.one("SELECT assigned_to FROM actions WHERE id = ?", (action_id,))
        return row["assigned_to"] if row else None
