"""Giving an action of a shared community to one of its members (👤 under the action in
/acties): it is then in that member's weekly overview and daily message, not the writer's.

Press data: "as:<action>" (who?), "as:<action>:<member>" (0: back to whoever wrote it).
The action is read through membership, so a forged or old button of someone who is no
longer a member finds nothing.
"""

from __future__ import annotations

from bot.app.events import Outcome, Turn
from bot.app.feature import Feature, press
from bot.app.host import Host
from bot.app.ids import parse_id
from dialogs.replies import Button, Reply, label
from storage.actions import Action, ActionRepo
from storage.membership import Members
from storage.store import User
from storage.team import Outbox

ASSIGN = "as"


def assign_button(members: Members, action: Action) -> list[Button]:
    """The 👤 button, in a shared community only."""
    return [Button(label="👤", data=f"{ASSIGN}:{action.id}")] \
        if members.shared(action.community_id) else []


def assignee_text(service: Host, user: User, action: Action) -> str:
    """"voor Bram" when the action was given to a member, else nothing."""
    to = Members(service.store).assigned_to(action.id)
    other = service.store.user(to) if to else None
    return service.t(user, "assign_for", name=other.name) if other and other.name else ""


class Assign(Feature):
    name = "assign"

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.store = service.store
        self.members = Members(service.store)
        self.actions = ActionRepo(service.store)

    def t(self, user: User, key: str, **params: object) -> str:
        return self.service.t(user, key, **params)

    @press(ASSIGN)
    def press_assign(self, turn: Turn, payload: str) -> Outcome:
        user = turn.user
        first, _, second = payload.partition(":")
        action_id = parse_id(first)
        action = self.actions.get(user.id, action_id) if action_id is not None else None
        if action is None:
            return Outcome([Reply(text=self.t(user, "assign_gone"))],
                           notice=self.t(user, "stale_button"))
        people = self.members.of(action.community_id)
        if not second:
            rows = [[Button(label=label(m.name) or "—", data=f"{ASSIGN}:{action.id}:{m.user_id}")]
                    for m in people]
            rows.append([Button(label=self.t(user, "assign_nobody"),
                                data=f"{ASSIGN}:{action.id}:0")])
            return Outcome([Reply(text=self.t(user, "assign_who", what=action.what),
                                  buttons=rows)])
        to = parse_id(second)
        target = next((m for m in people if m.user_id == to), None)
        if to != 0 and target is None:  # not (or no longer) a member
            return Outcome(notice=self.t(user, "stale_button"))
        self.members.assign(user.id, action.id, target.user_id if target else None)
        if target is None:
            return Outcome([Reply(text=self.t(user, "assign_cleared", what=action.what),
                                  edit=True)])
        if target.user_id != user.id:
            other = self.store.user(target.user_id)
            if other is not None:
                Outbox(self.store).put(other.id, self.t(
                    other, "assign_told", name=user.name, what=action.what,
                    community=self._community(user, action)))
        return Outcome([Reply(text=self.t(user, "assign_done", name=target.name,
                                          what=action.what), edit=True)])

    def _community(self, user: User, action: Action) -> str:
        found = self.store.community(user.id, action.community_id)
        return found.name if found else "—"
