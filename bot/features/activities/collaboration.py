"""Phase 6's people with a role (ambassadors, partners) and the outcomes a community
produced: recorded from /activiteit, listed under phase 6's items, and in the exports.

They do not tick those items: "Rollen" asks for the library's role too, and "Hoe je de
opbrengsten vastlegt" for a plan, not one result; the librarian writes those there.

Buttons carry "co:role" or "co:out"; the records are the presser's own.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from bot.app.events import Outcome, Turn
from bot.app.feature import Ask, Feature, effect, listed, press
from bot.app.host import Host
from bot.app.ids import parse_id
from bot.app.offers import Roles
from dialogs.replies import Reply, shorten
from storage.attachments import WINDOW, AttachmentRepo
from storage.collaboration import OUTCOMES, ROLES, CollaborationRepo
from storage.fieldwork import ItemRepo
from storage.goals import GoalRepo
from storage.store import User
from storage.talk import TalkRepo

CO = "co"


class Collaboration(Feature, Roles):
    name = "collaboration"

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.repo = CollaborationRepo(service.store)
        self.items = ItemRepo(service.store)

    def t(self, user: User, key: str, **params: object) -> str:
        return self.service.t(user, key, **params)

    @press(CO)
    def press_co(self, turn: Turn, payload: str) -> Outcome:
        if not turn.user.active_community:
            return self.service.need_community(turn)
        step = {"role": "role_who", "out": "outcome_kind"}.get(payload)
        if step is None:
            return Outcome(notice=self.t(turn.user, "stale_button"))
        return self.service.begin(turn, "activity", step=step)

    @effect("add_role")
    def add_role(self, user: User, data: dict[str, Any],
                 _turn: Turn | None = None) -> list[Reply]:
        role, name = str(data.get("role", "")), str(data.get("role_name", "")).strip()
        person = None
        if name.startswith("#") and name[1:].isdigit():  # someone met, tapped
            person = TalkRepo(self.service.store).person(user.id, int(name[1:]))
            name = person.name if person is not None else ""
        if not user.active_community or role not in ROLES or not name:
            return []
        self.repo.add_role(user.id, user.active_community, name, role,
                           person_id=person.id if person is not None else None)
        return [Reply(text=self.t(user, "role_added", name=name,
                                  role=self.t(user, f"role_{role}")), lead=True)]

    @effect("add_outcome")
    def add_outcome(self, user: User, data: dict[str, Any],
                    _turn: Turn | None = None) -> list[Reply]:
        """Stored once its goal is known: after the text when the community has no goals,
        else after "Bij welk doel hoort dit?" (a goal, or none)."""
        kind, text = str(data.get("outcome_kind", "")), str(data.get("outcome_text", "")).strip()
        community = user.active_community
        if not community or kind not in OUTCOMES or not text:
            return []
        goals = GoalRepo(self.service.store)
        if "outcome_goal" not in data and goals.goals(user.id, community):
            return []  # the goal is asked next
        ident = parse_id(str(data.get("outcome_goal", "")))
        goal = goals.goal(user.id, ident) if ident is not None else None
        goal = goal if goal is not None and goal.community_id == community else None
        outcome_id = self.repo.add_outcome(user.id, community, kind, text,
                                           goal_id=goal.id if goal else None)
        AttachmentRepo(self.service.store).aim(  # a file sent next goes with it
            user.id, "outcome", outcome_id, self.service.clock().astimezone(UTC) + WINDOW)
        said = (self.t(user, "outcome_added_goal", goal=shorten(goal.specific, 60)) if goal
                else self.t(user, "outcome_added"))
        return [Reply(text=said + "\n" + self.t(user, "attach_hint_outcome"), lead=True)]

    def roles_line(self, user: User) -> str:
        roles = self.repo.roles(user.id, user.active_community or 0)
        if not roles:
            return ""
        return self.t(user, "roles_line", names=", ".join(
            f"{r.name} ({self.t(user, f'role_{r.role}')})" for r in roles))

    @listed
    def under_items(self, ask: Ask) -> dict[str, list[str]]:
        community = ask.community
        if community is None:
            return {}
        user = ask.user
        roles = [f"{r.name} ({self.t(user, f'role_{r.role}')})"
                 for r in self.repo.roles(user.id, community.id)]
        outcomes = [f"{self.t(user, f'outcome_{o.kind}')}: {shorten(o.text, 80)}"
                    for o in self.repo.outcomes(user.id, community.id)]
        return {key: lines for key, lines in (("p6.roles", roles), ("p6.record", outcomes))
                if lines}
