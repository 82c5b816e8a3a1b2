"""Sharing a community with colleagues: 🤝 in /community invites, accepts, removes,
hands over and leaves; and the job that delivers messages to colleagues.

Every press names the community and is checked with `Members.may` before anything is read,
so an old button of a removed member, or a forged one, shows nothing and changes nothing.
Press data: "sh:<what>:<community>[:<user or page>]", "sh:yes|no:<invitation>".
"""

from __future__ import annotations

import logging

from bot.app.events import Outcome, Turn
from bot.app.feature import Feature, command, job, press
from bot.app.host import Host
from bot.app.ids import parse_id
from bot.app.messenger import Delivery, Messenger, Sender
from dialogs import paging
from dialogs.replies import Button, Reply, label
from storage.membership import Members
from storage.store import User
from storage.team import Outbox

log = logging.getLogger("veldgids.sharing")

SHARE = "sh"


class Sharing(Feature):
    name = "sharing"

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.store = service.store
        self.members = Members(service.store)
        self.outbox = Outbox(service.store)

    def t(self, user: User, key: str, **params: object) -> str:
        return self.service.t(user, key, **params)

    def tell(self, user_id: int, key: str, buttons: list[list[tuple[str, str]]] | None = None,
             **params: object) -> None:
        """Queue a message to a colleague, in their language (sent by `deliver`)."""
        other = self.store.user(user_id)
        if other is not None:
            self.outbox.put(user_id, self.t(other, key, **params), buttons)

    # 🤝 in /community: its route "/share" lands here (not in the command menu)
    @command("share")
    def share(self, turn: Turn) -> Outcome:
        user = turn.user
        if not user.active_community:
            return self.service.need_community(turn)
        return Outcome([self.screen(user, user.active_community, edit=False)])

    def screen(self, user: User, community_id: int, *, edit: bool) -> Reply:
        """Who shares the community; the owner's buttons to invite, remove, withdraw and
        hand over, a member's to leave."""
        community = self.store.community(user.id, community_id)
        assert community is not None
        people = self.members.of(community_id)
        lines = [f"• {m.name}" + (self.t(user, "share_owner_mark") if m.role == "owner" else "")
                 for m in people]
        pending = self.members.pending(community_id)
        lines += [f"• {i.name} {self.t(user, 'share_pending_mark')}" for i in pending]
        text = self.t(user, "share_intro", community=community.name, members="\n".join(lines))
        rows: list[list[Button]] = []
        c = community_id
        if self.members.may(user.id, c, "manage"):
            rows.append([Button(label=self.t(user, "share_invite"), data=f"{SHARE}:pick:{c}:0")])
            for m in people:
                if m.role != "owner":
                    rows.append([
                        Button(label=self.t(user, "share_remove", name=label(m.name, 24)),
                               data=f"{SHARE}:rm:{c}:{m.user_id}"),
                        Button(label=self.t(user, "share_hand_over", name=label(m.name, 24)),
                               data=f"{SHARE}:ho:{c}:{m.user_id}")])
            for i in pending:
                rows.append([Button(label=self.t(user, "share_withdraw", name=label(i.name, 24)),
                                    data=f"{SHARE}:wd:{c}:{i.user_id}")])
        else:
            rows.append([Button(label=self.t(user, "share_leave"), data=f"{SHARE}:leave:{c}")])
        rows.append([Button(label=self.t(user, "share_back"), data=f"{SHARE}:back:{c}")])
        return Reply(text=text, buttons=rows, edit=edit)

    def _colleagues(self, user: User, community_id: int, number: int) -> Reply:
        taken = {m.user_id for m in self.members.of(community_id)}
        taken |= {i.user_id for i in self.members.pending(community_id)}
        items = [Button(label=label(name) or "—", data=f"{SHARE}:inv:{community_id}:{uid}")
                 for uid, name in self.members.colleagues(user.id) if uid not in taken]
        if not items:
            return Reply(text=self.t(user, "share_nobody"), edit=True, buttons=[[
                Button(label=self.t(user, "share_back"), data=f"{SHARE}:show:{community_id}")]])
        shown = paging.page(items, number)
        nav = shown.nav(lambda n: f"{SHARE}:pick:{community_id}:{n}",
                        lambda key: self.t(user, key))
        rows = [[b] for b in shown.items] + ([nav] if nav else [])
        rows.append([Button(label=self.t(user, "share_back"),
                            data=f"{SHARE}:show:{community_id}")])
        return Reply(text=self.t(user, "share_pick"), buttons=rows, edit=True)

    @press(SHARE)
    def press_share(self, turn: Turn, payload: str) -> Outcome:
        user = turn.user
        what, _, rest = payload.partition(":")
        if what in ("yes", "no"):
            return self._answer(user, what == "yes", parse_id(rest))
        first, _, second = rest.partition(":")
        community_id = parse_id(first)
        other = parse_id(second) if second else None
        if community_id is None or not self.members.may(user.id, community_id, "read"):
            # Removed meanwhile, or a forged id: nothing of the community is shown.
            return Outcome([Reply(text=self.t(user, "share_not_yours"))],
                           notice=self.t(user, "stale_button"))
        if what == "back":
            return self.service.begin(turn, "community")
        if what == "show":
            return Outcome([self.screen(user, community_id, edit=True)])
        if what == "leave":
            return self._leave(user, community_id)
        if not self.members.may(user.id, community_id, "manage") or other is None:
            return Outcome([self.screen(user, community_id, edit=True)],
                           notice=self.t(user, "share_owner_only"))
        if what == "pick":
            return Outcome([self._colleagues(user, community_id, other)])
        if what == "inv":
            return self._invite(user, community_id, other)
        if what == "rm":
            return self._remove(user, community_id, other)
        if what == "wd":
            self.members.withdraw(community_id, other)
            return Outcome([self.screen(user, community_id, edit=True)])
        if what in ("ho", "hoy"):
            return self._hand_over(user, community_id, other, confirmed=what == "hoy")
        return Outcome(notice=self.t(user, "stale_button"))

    def _name(self, community_id: int) -> str:
        row = self.store.one("SELECT name FROM communities WHERE id = ?", (community_id,))
        return row["name"] if row else "—"

    def _invite(self, user: User, community_id: int, other: int) -> Outcome:
        problem = self.members.invite(user.id, community_id, other)
        invitee = self.store.user(other)
        name = invitee.name if invitee else "—"
        if problem is not None:
            return Outcome([self.screen(user, community_id, edit=True)
                            ]).above(self.t(user, f"share_refused_{problem}", name=name))
        invitation = next(i for i in self.members.pending(community_id) if i.user_id == other)
        assert invitee is not None
        self.tell(other, "share_invited", [
            [(self.t(invitee, "share_accept"), f"{SHARE}:yes:{invitation.id}"),
             (self.t(invitee, "share_decline"), f"{SHARE}:no:{invitation.id}")]],
            owner=user.name, community=self._name(community_id))
        return Outcome([self.screen(user, community_id, edit=True)]).above(
            self.t(user, "share_sent", name=name))

    def _answer(self, user: User, yes: bool, invitation_id: int | None) -> Outcome:
        if invitation_id is None:
            return Outcome(notice=self.t(user, "stale_button"))
        if not yes:
            found = self.members.decline(invitation_id, user.id)
            if found is not None:
                self.tell(found.invited_by, "share_declined_owner", name=user.name,
                          community=found.community)
            return Outcome([Reply(text=self.t(user, "share_declined"), edit=True)])
        result = self.members.accept(invitation_id, user.id)
        if isinstance(result, str):
            return Outcome([Reply(text=self.t(user, "share_invitation_gone"), edit=True)])
        self.tell(result.invited_by, "share_joined_owner", name=user.name,
                  community=result.community)
        self.store.switch_community(user.id, result.community_id)
        return Outcome([Reply(text=self.t(user, "share_joined", community=result.community),
                              edit=True)])

    def _remove(self, user: User, community_id: int, other: int) -> Outcome:
        if self.members.remove(community_id, other):
            self.tell(other, "share_removed", owner=user.name,
                      community=self._name(community_id))
        return Outcome([self.screen(user, community_id, edit=True)])

    def _leave(self, user: User, community_id: int) -> Outcome:
        if self.members.role(user.id, community_id) == "owner":
            return Outcome([self.screen(user, community_id, edit=True)],
                           notice=self.t(user, "share_owner_stays"))
        name = self._name(community_id)
        self.members.remove(community_id, user.id)
        for m in self.members.of(community_id):
            if m.role == "owner":
                self.tell(m.user_id, "share_left_owner", name=user.name, community=name)
        return Outcome([Reply(text=self.t(user, "share_left", community=name), edit=True)])

    def _hand_over(self, user: User, community_id: int, other: int, *,
                   confirmed: bool) -> Outcome:
        heir = self.store.user(other)
        if heir is None or self.members.role(other, community_id) != "member":
            return Outcome([self.screen(user, community_id, edit=True)],
                           notice=self.t(user, "stale_button"))
        name = self._name(community_id)
        if not confirmed:
            return Outcome([Reply(
                text=self.t(user, "share_hand_over_ask", name=heir.name, community=name),
                buttons=[[Button(label=self.t(user, "share_hand_over_yes",
                                              name=label(heir.name, 24)),
                                 data=f"{SHARE}:hoy:{community_id}:{other}")],
                         [Button(label=self.t(user, "share_back"),
                                 data=f"{SHARE}:show:{community_id}")]], edit=True)])
        self.members.hand_over(community_id, user.id, other)
        self.tell(other, "share_handed_to_you", owner=user.name, community=name)
        return Outcome([self.screen(user, community_id, edit=True)]).above(
            self.t(user, "share_handed", name=heir.name, community=name))

    # delivery of messages to colleagues
    @job("team-messages", "reminder_tick", first=2.0)
    async def deliver(self, messenger: Messenger) -> None:
        await deliver_waiting(self.service, messenger.send)


async def deliver_waiting(service: Host, send: Sender) -> int:
    """Send every queued message to a colleague once; returns how many went out."""
    outbox = Outbox(service.store)
    sent = 0
    for message in outbox.waiting():
        if message.telegram_id is None:
            outbox.done(message.id)
            continue
        reply = Reply(text=message.text, buttons=[
            [Button(label=label, data=data) for label, data in row] for row in message.buttons])
        outcome = await send(message.telegram_id, [reply])
        if outcome == Delivery.RETRY:
            break
        outbox.done(message.id)  # sent, or refused for good (blocked): not again
        sent += outcome == Delivery.SENT
    return sent
