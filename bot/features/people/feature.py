"""People met, and forgetting one of them (issue 13, point 12).

From /community → "People you met" the librarian picks someone and sees their entry; when
that person asks to be forgotten, "Forget this person" first shows what mentions them (their
record, conversations with them, notes, transcript lines and summaries with their name) and,
after one confirmation, removes the record, unlinks the conversations and replaces the name
everywhere (storage/people.py). Exports and search find nothing of the name afterwards.
"""

from __future__ import annotations

from typing import Any

from bot.app.events import Turn
from bot.app.feature import Ask, Feature, effect, provides
from bot.app.host import Host
from bot.app.ids import parse_id
from dialogs.replies import label
from dialogs.state import Choice
from storage.people import Mentions, PeopleRepo
from storage.store import User
from storage.talk_records import Person

KIND_ORDER = ("notes", "turns", "summaries", "other")


class People(Feature):
    name = "people"

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.repo = PeopleRepo(service.store)

    def t(self, user: User, key: str, **params: object) -> str:
        return self.service.t(user, key, **params)

    def counted(self, user: User, key: str, n: int) -> str:
        """A text with a singular and a plural form ("1 notitie|{n} notities")."""
        one, _, many = self.t(user, key, n=n).partition("|")
        return one if n == 1 else many or one

    def _picked(self, ask: Ask) -> Person | None:
        state = ask.state
        if state is None or state.dialog != "people":
            return None
        person_id = parse_id(str(state.data.get("person_id", "")))
        return self.repo.person(ask.user.id, person_id) if person_id is not None else None

    @provides(choices=("people_met",), values=("people_intro",))
    def people(self, ask: Ask) -> dict[str, Any]:
        community = ask.community
        name = community.name if community else "—"
        people = self.repo.people(ask.user.id, community.id if community else None)
        key = "people_intro" if people else "people_none"
        return {"people_met": [Choice(id=str(p.id), label=label(p.name)) for p in people],
                "people_intro": self.t(ask.user, key, community=name)}

    @provides(facts=("person_known",), values=("person_card", "person_preview"))
    def person(self, ask: Ask) -> dict[str, Any]:
        person = self._picked(ask)
        if person is None:
            return {"person_known": False, "person_card": "…", "person_preview": "…"}
        user = ask.user
        found = self.repo.mentions(user.id, person)
        details = ", ".join(p for p in (person.role, person.organisation) if p)
        conversations = (str(found.conversations) if found.conversations
                         else self.t(user, "person_no_conversations"))
        return {
            "person_known": True,
            "person_card": self.t(user, "person_card", name=person.name,
                                  details=f" ({details})" if details else "",
                                  conversations=conversations),
            "person_preview": self.t(user, "person_preview", name=person.name,
                                     what=self._what(user, person, found),
                                     mark=self.t(user, "person_removed_name")),
        }

    def _what(self, user: User, person: Person, found: Mentions) -> str:
        lines = [self.t(user, "person_what_record", name=person.name)]
        if found.conversations:
            key = ("person_what_conversations_one" if found.conversations == 1
                   else "person_what_conversations")
            lines.append(self.t(user, key, n=found.conversations, name=person.name))
        if found.total:
            where = ", ".join(self.counted(user, f"person_kind_{kind}", found.texts[kind])
                              for kind in KIND_ORDER if found.texts.get(kind))
            key = "person_what_texts_one" if found.total == 1 else "person_what_texts"
            lines.append(self.t(user, key, n=found.total, where=where))
        return "\n".join(lines)

    @effect("show_person")
    def show(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        """Nothing to record: the entry is rendered with the person just picked."""

    @effect("forget_person")
    def forget(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        person_id = parse_id(str(data.get("person_id", "")))
        if data.get("decision") != "yes" or person_id is None:
            return
        self.repo.forget(user.id, person_id, self.t(user, "person_removed_name"))
