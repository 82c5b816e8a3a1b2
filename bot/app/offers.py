"""What one feature offers the others, declared once: a feature that offers one of these
interfaces says so by subclassing it, and the others ask the host for it
(`Host.offered(Admins)`) rather than importing the feature. Without the offering feature
installed the answer is None, and the asking feature does without (as a service built with
fewer features does).
"""

from __future__ import annotations

from bot.app.host import Host
from dialogs.replies import Button
from storage.store import User


class Admins:
    """Who administers this bot (the access feature)."""

    def is_admin(self, user: User) -> bool:
        raise NotImplementedError


class PhaseOneLeads:
    """The line summaries and the weekly overview open with while phase 1 of a community is
    not done (the library feature, which knows the library's own frame)."""

    def phase_one_lead(self, user: User, community_id: int | None,
                       ticks: dict[str, set[str]] | None = None) -> str:
        raise NotImplementedError


class DictatedActions:
    """Actions spoken in a voice note ("Actie, …") made into actions (the actions feature)."""

    def from_transcript(self, user: User, transcription_id: int, text: str) -> str:
        raise NotImplementedError


class Conversations:
    """A conversation's summary made again once a transcript of it arrives or an action made
    during it changes (the talk feature)."""

    def rebuild_if_ended(self, user: User, conversation_id: int) -> None:
        raise NotImplementedError


class HeardNeeds:
    """The needs a community's conversations keep coming back to: the themes that recur across
    people in "Wat we hoorden" (the talk feature), for a SMART goal to say which it answers."""

    def recurring_needs(self, user: User, community_id: int) -> list[str]:
        raise NotImplementedError


class Handovers:
    """The button that starts handing a leaving librarian's communities over (the sharing
    feature's handover), for the admins' list of users."""

    def handover_button(self, admin: User) -> Button:
        raise NotImplementedError


class Roles:
    """The line on who does what together in a community (the collaboration feature)."""

    def roles_line(self, user: User) -> str:
        raise NotImplementedError


def is_admin(host: Host, user: User) -> bool:
    admins = host.offered(Admins)
    return admins is not None and admins.is_admin(user)


def phase_one_lead(host: Host, user: User, community_id: int | None) -> str:
    """The phase 1 lead line ("" once phase 1 is done, or without the library feature)."""
    leads = host.offered(PhaseOneLeads)
    if leads is None or community_id is None:
        return ""
    return leads.phase_one_lead(user, community_id)
