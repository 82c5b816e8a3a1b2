"""Open conversations (phase 4): starting one in seconds, live notes, transcripts, media,
edits, follow-ups, phase 4 ticked by the conversation itself, summaries and search.

One feature in parts: this module starts conversations and records the live step's
effects; ending.py ends them (summary, phase 4), curate.py moves and stars notes from the
summary, heard.py brings conversations together ("Wat we hoorden"), media.py takes media and
edits, search.py searches; base.py holds what they share.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.app.events import Outcome, Turn
from bot.app.feature import Ask, command, effect, provides
from bot.app.offers import Conversations, HeardNeeds
from bot.app.users import lang_of, zone_of
from bot.features.talk.conversation import PersonLine, Refused, follow_up, listed
from bot.features.talk.conversation import read_person as read_person_line
from bot.features.talk.curate import TalkCurate
from bot.features.talk.heard import TalkHeard
from bot.features.talk.media import TalkMedia
from bot.features.talk.search import TalkSearch
from dialogs.replies import Reply, label
from dialogs.rules.dates import short_date, short_moment
from dialogs.rules.talk import EXTENSION
from dialogs.state import Begin, Choice
from storage.store import User
from storage.talk import Conversation, Person


class Talk(TalkHeard, TalkCurate, TalkMedia, TalkSearch, Conversations, HeardNeeds):
    name = "talk"
    extensions = (EXTENSION,)

    def rebuild_if_ended(self, user: User, conversation_id: int) -> None:
        """A transcript of an ended conversation arrived, or an action made during it changed:
        its summary is made again, in the words of the librarian who held it (a colleague may
        have ticked the action off)."""
        conversation = self.repo.conversation(user.id, conversation_id)
        if conversation is None or conversation.status != "ended":
            return
        author = (user if conversation.user_id == user.id
                  else self.service.store.user(conversation.user_id))
        if author is not None:
            self.summaries.rebuild(author, conversation_id)

    # context for the dialogs
    @provides(facts=("has_people",), choices=("people",))
    def people(self, ask: Ask) -> dict[str, Any]:
        community_id = ask.user.active_community or None
        people = self.repo.people(ask.user.id, community_id)
        return {"people": [Choice(id=f"#{p.id}", label=label(_who(p))) for p in people],
                "has_people": bool(people)}

    @provides(choices=("conversations",))
    def conversations(self, ask: Ask) -> dict[str, Any]:
        """The last ten conversations, dated as the summaries date them, a follow-up marked."""
        community_id = ask.user.active_community or None
        user = ask.user
        zone, lang = zone_of(user), lang_of(user)
        today = self.service.clock().astimezone(zone).date()
        mark = self.service.t(user, "talk_follow_up_mark")
        met: set[int | None] = set()
        choices = []
        for c in self.repo.conversations(user.id, community_id):
            who = c.person_name or "?"
            if c.person_id in met:
                who += f" ({mark})"
            met.add(c.person_id)
            when = short_moment(c.started_at, zone, lang, today)
            choices.append(Choice(id=str(c.id), label=label(f"{when} · {who}")))
        return {"conversations": choices[-10:]}

    @provides(facts=("talk_pending",), values=("person",))
    def open_talk(self, ask: Ask) -> dict[str, Any]:
        pending = bool(ask.state and ask.state.dialog == "talk"
                       and ask.state.data.get("pending_line"))
        current = self.repo.open_conversation(ask.user.id)
        return {"talk_pending": pending,
                "person": (current.person_name if current else None) or "…"}

    @provides(values=("last_summary",))
    def last_summary(self, ask: Ask) -> dict[str, Any]:
        """The summary of the conversation just finished (shown above the next one's offer)."""
        ended = [c for c in self.repo.conversations(ask.user.id, ask.user.active_community)
                 if c.status == "ended"]
        last = max(ended, key=lambda c: c.ended_at or c.started_at) if ended else None
        return {"last_summary": (last.summary or "") if last else ""}

    # starting a conversation
    @command("talk", aliases=("gesprek",), group="field", order=1)
    def cmd_talk(self, turn: Turn) -> Outcome:
        """/talk: ask who (someone met before is one tap); /talk Name: straight to the first
        question; with a conversation still open: carry on with it or wrap it up first."""
        user = turn.user
        if not user.active_community:
            return self.service.need_community(turn)
        line = turn.event.args.strip()
        current = self.repo.open_conversation(user.id)
        if current is not None:
            return self._while_open(turn, current, line)
        if not line:
            return self._ask_who(turn)
        found = self._person(user, line)
        if isinstance(found, Refused):
            # Kept as a note, so a long line typed after /talk is not lost.
            self.service.add_note(user, line, turn.event.message_id)
            above = (self.service.t(user, "kept_as_note") + " "
                     + self.service.t(user, found.key, **found.params))
            return self._ask_who(turn, above)
        return self._start(turn, *found)

    def _ask_who(self, turn: Turn, above: str | None = None) -> Outcome:
        people = self.repo.people(turn.user.id, turn.user.active_community)
        outcome = self.service.run(turn, Begin(dialog="talk", step="who" if people else "who_new"))
        return outcome.above(above) if above else outcome

    def _person(self, user: User, line: str) -> tuple[Person | None, PersonLine] | Refused:
        """Someone met before ("#12", as their button sends), or who the line names."""
        if line.startswith("#") and line[1:].isdigit():
            person = self.repo.person(user.id, int(line[1:]))
            if person is not None:
                return person, PersonLine(name=person.name)
        found = read_person_line(line)
        if isinstance(found, Refused):
            return found
        # "/gesprek Fatima" after meeting Fatima: a follow-up with her, not a second Fatima.
        return self.repo.named(user.id, user.active_community, found.name), found

    def _while_open(self, turn: Turn, current: Conversation, line: str) -> Outcome:
        user = turn.user
        data = self._resume_data(current)
        found = self._person(user, line) if line else None
        same = isinstance(found, tuple) and (
            (found[0] is not None and found[0].id == current.person_id)
            or found[1].name.casefold() == (current.person_name or "").casefold())
        if same or not line:
            if same:  # /talk Fatima while Fatima's conversation is open: carry on with it
                data["opening"] = self.service.t(user, "talk_resumed",
                                                 person=current.person_name or "?",
                                                 day=self._day(user, current.started_at))
                return self.service.run(turn, Begin(dialog="talk", step="live", data=data))
            return self.service.run(turn, Begin(dialog="talk", step="open_exists", data=data))
        name = found[1].name if isinstance(found, tuple) else line.split(",")[0].strip()
        data.update(pending_line=line, pending_name=name[:120])
        return self.service.run(turn, Begin(dialog="talk", step="open_pending", data=data))

    def _start(self, turn: Turn, person: Person | None, line: PersonLine) -> Outcome:
        user = turn.user
        community = user.active_community
        if person is None:
            person_id = self.repo.add_person(user.id, community, line.name, line.role,
                                             line.organisation)
            name, role, organisation = line.name, line.role, line.organisation
        else:
            person_id, name = person.id, person.name
            role, organisation = person.role, person.organisation
        earlier = [c for c in self.repo.conversations(user.id, community)
                   if c.person_id == person_id]
        self.repo.start(user.id, community, person_id, line.place)
        order = list(self.questions)
        later = follow_up(order, earlier, self.repo.transcript)
        t = self.service.t
        data: dict[str, Any] = {"person_name": name, "q": 0, "role": role,
                                "organisation": organisation, "place": line.place}
        if later is None:
            lines = [t(user, "talk_opening", person=name),
                     t(user, "talk_first_meeting", person=name)]
            if not (line.role or line.organisation or line.place or person):
                lines.append(t(user, "talk_details_later"))
        elif later.open:
            numbers = [order.index(q) + 1 for q in later.open]
            joiner = t(user, "talk_and")
            lines = [self.service.catalog.counted(
                "talk_follow_up", user.language, len(numbers), person=name,
                day=self._day(user, later.last.started_at), covered=later.covered,
                total=len(order), open=listed(numbers, joiner), first=numbers[0])]
            data.update(q=numbers[0] - 1, open=later.open)
        else:
            lines = [t(user, "talk_follow_up_covered", person=name,
                       day=self._day(user, later.last.started_at))]
            data["q"] = -1  # no question chosen: notes belong to the conversation
        data["opening"] = "\n".join(lines)
        return self.service.run(turn, Begin(dialog="talk", step="live", data=data))

    def _resume_data(self, conversation: Conversation) -> dict[str, Any]:
        """Rebuild live-mode data from the transcript, so /talk can resume after /cancel."""
        order = list(self.questions)
        noted: dict[str, int] = {}
        skipped: list[str] = []
        last: str | None = None
        for turn in self.repo.transcript(conversation.id):
            question = turn.question
            if turn.who == "bot" and question in self.questions:
                last = question
            elif turn.who == "librarian" and question:
                noted[question] = noted.get(question, 0) + 1
            elif turn.who == "mark" and turn.text == "skipped" and question:
                skipped.append(question)
        q = order.index(last) if last else -1
        return {"q": q, "prompted": q, "noted": noted, "skipped": skipped,
                "shared": conversation.shared_own, "nudged": conversation.shared_own,
                "person_name": conversation.person_name or "",
                "role": conversation.person_role, "organisation": conversation.person_org,
                "place": conversation.place}

    def _day(self, user: User, moment: datetime) -> str:
        return short_date(moment, zone_of(user), lang_of(user))

    # the conversation's effects
    @effect("update_person")
    def update_person(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        """Role, organisation or place added from the conversation's 👤 button."""
        current = self.repo.open_conversation(user.id)
        if current is None:
            return
        if current.person_id is not None and (data.get("role") or data.get("organisation")):
            self.repo.update_person(user.id, current.person_id, role=data.get("role"),
                                    organisation=data.get("organisation"))
        if data.get("place"):
            self.repo.set_place(user.id, current.id, str(data["place"]))

    @effect("live_prompt")
    def prompt(self, user: User, data: dict[str, Any], turn: Turn | None = None) -> None:
        if (cid := self._open_id(user)) is not None:
            self.repo.add_turn(cid, user.id, "bot", data["question"], data["text"])

    @effect("live_note")
    def note(self, user: User, data: dict[str, Any],
             turn: Turn | None = None) -> list[Reply]:
        message_id = turn.event.message_id if turn else None
        cid = self._open_id(user)
        if cid is None:  # no open conversation after all: keep it as a field note
            return self.service.keep_note(user, data["text"], message_id)[1]
        # What she shared herself (🙋, "ik:") is hers: never the person's answer.
        who = "own" if data.get("own") else "librarian"
        self.repo.add_turn(cid, user.id, who, data["question"], data["text"],
                           chat_message_id=message_id)
        # "actie: …" stays in the transcript and becomes an action, said so at once.
        return [r for hook in self.service.noted for r in hook(user, None, data["text"])]

    @effect("live_mark")
    def mark(self, user: User, data: dict[str, Any], turn: Turn | None = None) -> None:
        if (cid := self._open_id(user)) is None:
            return
        self.repo.add_turn(cid, user.id, "mark", data["question"], data["mark"], kind="mark")
        if data["mark"] == "shared":
            self.repo.mark_shared(cid)


def _who(person: Person) -> str:
    return f"{person.name} ({person.role})" if person.role else person.name
