"""Handing over, for admins (🔑 under /gebruikers): every community a leaving colleague owns
moves to another colleague in one go, so months of conversations stay with the library.

The leaving colleague's private communities (shared with nobody) are listed first and
named in the confirmation, so none is handed over by surprise. Ownership moves (nothing is
copied); the leaving colleague stays a member until they leave or are forgotten, and is
told. Press data: "ho:who:<page>", "ho:to:<leaver>:<page>", "ho:ask|yes:<leaver>:<heir>".
"""

from __future__ import annotations

from bot.app.events import Outcome, Turn
from bot.app.feature import Feature, press
from bot.app.host import Host
from bot.app.ids import parse_id
from bot.app.offers import Handovers
from dialogs import paging
from dialogs.replies import Button, Reply, label
from storage.access import AccessRepo
from storage.membership import Members
from storage.store import User
from storage.team import Outbox

HANDOVER = "ho"


class Handover(Feature, Handovers):
    name = "handover"

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.store = service.store
        self.members = Members(service.store)

    def t(self, user: User, key: str, **params: object) -> str:
        return self.service.t(user, key, **params)

    def handover_button(self, admin: User) -> Button:
        return Button(label=self.t(admin, "users_handover_button"), data=f"{HANDOVER}:who:0")

    def _admin(self, user: User) -> bool:
        return user.is_admin or user.telegram_id in self.service.defaults.admins

    def _owned(self, user_id: int) -> tuple[list[str], list[str], list[int]]:
        """(private names, shared names, ids) of the communities this user owns."""
        shared = set(self.members.owned_shared(user_id))
        own = [c for c in self.store.communities(user_id)
               if self.members.role(user_id, c.id) == "owner"]
        return ([c.name for c in own if c.id not in shared],
                [c.name for c in own if c.id in shared], [c.id for c in own])

    def _people(self, admin: User, step: str, leaver: int | None, number: int, *,
                edit: bool) -> Reply:
        """A page of colleagues: whose communities move ("who"), or to whom ("to")."""
        if step == "to":  # whoever may use the bot now
            everyone = [(uid, name) for uid, name in self.members.colleagues(leaver or 0)]
        else:  # anyone who owns a community, access revoked or not
            everyone = [(u.id, u.name or u.console_name or "") for u in AccessRepo(
                self.store).users() if self._owned(u.id)[2]]
        prefix = f"{HANDOVER}:ask:{leaver}" if step == "to" else f"{HANDOVER}:to"
        items = [Button(label=label(name) or "—", data=f"{prefix}:{uid}") for uid, name in everyone]
        shown = paging.page(items, number)
        back = f"{HANDOVER}:{step}:" + (f"{leaver}:" if step == "to" else "")
        nav = shown.nav(lambda n: f"{back}{n}", lambda key: self.t(admin, key))
        rows = [[b] for b in shown.items] + ([nav] if nav else [])
        if step == "who":
            text = self.t(admin, "handover_who" if items else "handover_nobody")
        else:
            private, shared, _ = self._owned(leaver or 0)
            text = self.t(admin, "handover_to", name=self._name(leaver),
                          private=", ".join(private) or "—", shared=", ".join(shared) or "—")
        return Reply(text=text, buttons=rows, edit=edit)

    def _name(self, user_id: int | None) -> str:
        found = self.store.user(user_id or 0)
        return (found.name or found.console_name or "—") if found else "—"

    @press(HANDOVER)
    def press_handover(self, turn: Turn, payload: str) -> Outcome:
        admin = turn.user
        if not self._admin(admin):
            return Outcome(notice=self.t(admin, "access_admins_only"))
        step, *rest = payload.split(":")
        ids = [parse_id(part) for part in rest]
        if None in ids or not ids:
            return Outcome(notice=self.t(admin, "stale_button"))
        if step == "who" and len(ids) == 1:
            return Outcome([self._people(admin, "who", None, ids[0] or 0, edit=True)])
        leaver = self.store.user(ids[0] or 0)
        if leaver is None or not self._owned(leaver.id)[2]:
            return Outcome([Reply(text=self.t(admin, "handover_nothing"), edit=True)],
                           notice=self.t(admin, "stale_button"))
        if step == "to" and len(ids) in (1, 2):
            page = ids[1] if len(ids) == 2 else 0
            return Outcome([self._people(admin, "to", leaver.id, page or 0, edit=True)])
        return self._to_heir(admin, step, leaver, ids[1] if len(ids) == 2 else None)

    def _to_heir(self, admin: User, step: str, leaver: User, heir_id: int | None) -> Outcome:
        """"ask" shows what moves to whom; "yes" moves it."""
        heir = self.store.user(heir_id) if heir_id is not None else None
        if heir is None or heir.id == leaver.id or heir.status != "active":
            return Outcome(notice=self.t(admin, "stale_button"))
        if step == "ask":
            return self._ask(admin, leaver, heir)
        if step != "yes":
            return Outcome(notice=self.t(admin, "stale_button"))
        return self._hand_over(admin, leaver, heir)

    def _ask(self, admin: User, leaver: User, heir: User) -> Outcome:
        private, shared, _ = self._owned(leaver.id)
        return Outcome([Reply(text=self.t(
            admin, "handover_ask", name=leaver.name, heir=heir.name,
            private=", ".join(private) or "—", shared=", ".join(shared) or "—"),
            buttons=[[Button(label=self.t(admin, "handover_yes", heir=label(heir.name, 24)),
                             data=f"{HANDOVER}:yes:{leaver.id}:{heir.id}")]], edit=True)])

    def _hand_over(self, admin: User, leaver: User, heir: User) -> Outcome:
        """Every community the leaver owns moves to the heir; both are told."""
        private, shared, owned = self._owned(leaver.id)
        for community_id in owned:
            self.members.hand_over(community_id, leaver.id, heir.id)
        names = ", ".join(private + shared)
        outbox = Outbox(self.store)
        outbox.put(leaver.id, self.t(leaver, "handover_told_leaver", heir=heir.name,
                                     communities=names))
        outbox.put(heir.id, self.t(heir, "handover_told_heir", name=leaver.name,
                                   communities=names))
        done = self.service.catalog.counted("handover_done", admin.language, len(owned),
                                            name=leaver.name, heir=heir.name)
        return Outcome([Reply(text=done, edit=True)])
