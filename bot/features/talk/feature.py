"""Open conversations (phase 4): starting one in seconds, live notes, transcripts, media,
edits, follow-ups, phase 4 ticked by the conversation itself, summaries and search."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from bot.app.events import Outcome, Turn
from bot.app.feature import Ask, Feature, command, effect, job, media, provides, slot
from bot.app.host import Host
from bot.app.offers import Conversations, phase_one_lead
from bot.app.users import lang_of, zone_of
from bot.features.talk.conversation import PersonLine, Refused, follow_up, listed, phase4_ticks
from bot.features.talk.conversation import read_person as read_person_line
from bot.features.talk.summary import Summaries
from dialogs.replies import Reply, label
from dialogs.rules.dates import day_month_year, short_date, short_moment
from dialogs.rules.talk import EXTENSION
from dialogs.state import Begin, Choice
from search.terms import fts_query, highlight
from storage.fieldwork import ItemRepo
from storage.store import User
from storage.talk import Conversation, Person, TalkRepo

MEDIA_KINDS = ("photo", "voice", "audio", "video", "video_note", "document")
MAX_SEARCH_HITS = 8
INDEX_SECONDS = 5.0
REFLECTION = ("value_both", "value_why", "motivated", "motivated_why", "success_line")


class Talk(Feature, Conversations):
    name = "talk"
    extensions = (EXTENSION,)

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.repo = TalkRepo(service.store)
        self.items = ItemRepo(service.store)
        self.summaries = Summaries(service, self.repo)
        live = service.catalog.dialog("talk").step("live")
        self.questions = {q.id: q for q in live.questions}
        answers = service.catalog.dialog("talk").step("reflect_value").options
        self.answer_labels = {o.id: o.label for o in answers}

    @job("search-index", INDEX_SECONDS)
    async def index(self, _bot: Any) -> None:
        """New notes join the search index in batches, a few seconds after they are written
        (a search takes any still waiting along, so it never misses one)."""
        self.repo.index_pending()

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

    # effects
    def rebuild_if_ended(self, user: User, conversation_id: int) -> None:
        """A transcript of an ended conversation arrived: its summary is made again."""
        conversation = self.repo.conversation(user.id, conversation_id)
        if conversation is not None and conversation.status == "ended":
            self.summaries.rebuild(user, conversation_id)

    def _open_id(self, user: User) -> int | None:
        current = self.repo.open_conversation(user.id)
        return current.id if current else None

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
        self.repo.add_turn(cid, user.id, "librarian", data["question"], data["text"],
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

    @effect("end_conversation")
    def end(self, user: User, data: dict[str, Any], turn: Turn | None = None) -> list[Reply]:
        cid = self._open_id(user)
        if cid is None:
            return []
        self.repo.finish(user.id, cid, {k: data[k] for k in REFLECTION if data.get(k)})
        summary = self.summaries.rebuild(user, cid)
        if summary is None:
            return []
        ticked = self._tick_phase4(user, cid, summary.note_count)
        # With someone waiting (/talk Jan while Fatima's was open) the next step shows it.
        if data.get("pending_line"):
            return []
        first = phase_one_lead(self.service, user, user.active_community)
        return [Reply(text="\n\n".join(p for p in (summary.text, ticked, first) if p))]

    def _tick_phase4(self, user: User, conversation_id: int, notes: int) -> str:
        """Phase 4 ticks itself from the conversation: the person met, the conversation, the
        🙋 press, the reflection; returns the line saying so ("" when nothing was ticked)."""
        conversation = self.repo.conversation(user.id, conversation_id)
        community = user.active_community
        if conversation is None or community is None:
            return ""
        lang = lang_of(user)
        day = day_month_year(conversation.started_at.astimezone(zone_of(user)).date(), lang)
        ticks = phase4_ticks(conversation, notes, lambda key, **kw: self.service.t(
            user, key, **kw), day, lambda answer: self.answer_labels[answer].get(lang)
            if answer in self.answer_labels else answer)
        # Only what this conversation changed: items ticked before keep their tick and source.
        before = self.service.store.ticks(community).get("p4", set())
        new = [tick for tick in ticks if tick.item.partition(".")[2] not in before]
        for tick in new:
            self.items.tick(community, tick.item, tick.source)
        if not new:
            return ""
        items = self.service.catalog.checklists.get("p4", frozenset())
        done = len(self.service.store.ticks(community).get("p4", set()) & items)
        return self.service.catalog.counted("p4_ticked", user.language, len(new),
                                            progress=f"{done}/{len(items)}")

    @effect("show_conversation")
    def show(self, user: User, data: dict[str, Any], turn: Turn | None = None) -> list[Reply]:
        raw = str(data.get("conversation_id", ""))
        conversation = self.repo.conversation(user.id, int(raw)) if raw.isdigit() else None
        if conversation is None:
            return []
        if conversation.summary:
            return [Reply(text=conversation.summary)]
        made = self.summaries.rebuild(user, conversation.id)
        return [Reply(text=made.text)] if made else []

    @command("summary", aliases=("samenvatting",), group="field", order=4)
    def cmd_summary(self, turn: Turn) -> Outcome:
        user = turn.user
        if not user.active_community:
            return self.service.say(user, "summary_no_community")
        text = self.summaries.community(user, user.active_community)
        lead = phase_one_lead(self.service, user, user.active_community)
        text = f"{lead}\n\n{text}" if lead else text
        if self.repo.conversations(user.id, user.active_community):
            text += "\n\n" + self.service.t(user, "summary_pick")
        return self.service.run(turn, Begin(dialog="summary", data={"summary_text": text}))

    # search
    @command("search", aliases=("zoek",), group="field", order=3)
    def cmd_search(self, turn: Turn) -> Outcome:
        user = turn.user
        words = turn.event.args.strip()
        if not words:
            return self.service.begin(turn, "search")
        lang = lang_of(user)
        match = fts_query(words, lang)
        if match is None:
            return self.service.say(user, "search_only_stopwords")
        hits = self.repo.search(user.id, match, MAX_SEARCH_HITS)
        if not hits:
            return self.service.say(user, "search_none", query=words[:80])
        t = self.service.t
        header = self.service.catalog.counted("search_header", lang, len(hits), query=words[:80])
        lines = [escape(header)]
        for hit in hits:
            when = short_date(datetime.fromisoformat(hit.created_at), zone_of(user), lang)
            source = {"note": t(user, "search_note"),
                      "turn": t(user, "search_turn", person=hit.person or "?"),
                      "summary": t(user, "search_summary", person=hit.person or "?")}[hit.kind]
            if hit.author is not None:  # a colleague's, in a shared community
                when = f"{hit.author or t(user, 'former_colleague')}, {when}"
            where = " · ".join(p for p in (hit.community, source, when) if p)
            lines.append(f"• {highlight(one_line(hit.snippet))}\n   <i>{escape(where)}</i>")
        return Outcome([Reply(text="\n\n".join(lines), html=True)])

    # media, edits
    @slot("idle_other")
    def idle_other(self, turn: Turn) -> Outcome:
        media = turn.event.media
        user = turn.user
        if media is None or media.kind not in MEDIA_KINDS:
            return self.service.say(user, "unusable_input")
        store = self.service.store
        self.repo.add_media_note(user.id, user.active_community, media.kind, media.file_id,
                                 media.caption, turn.event.message_id,
                                 media_name=media.file_name, duration=media.duration)
        community = (store.community(user.id, user.active_community)
                     if user.active_community else None)
        return self.service.say(user, "media_note_saved",
                                community=community.name if community else "—")

    @media
    def live_media(self, turn: Turn) -> Outcome | None:
        media = turn.event.media
        state = turn.state
        if media is None or state is None or media.kind not in MEDIA_KINDS:
            return None
        if self.service.catalog.dialog(state.dialog).step(state.step).kind != "live":
            return None
        cid = self._open_id(turn.user)
        if cid is None:
            return None
        index = int(state.data.get("q", 0))
        question = list(self.questions)[index] if index >= 0 else None
        self.repo.add_turn(cid, turn.user.id, "librarian", question, media.caption,
                           kind=media.kind, file_id=media.file_id,
                           chat_message_id=turn.event.message_id,
                           media_name=media.file_name, duration=media.duration)
        data = {**state.data, "fresh": False}
        data.pop("opening", None)
        if question is not None:
            noted = dict(state.data.get("noted", {}))
            noted[question] = int(noted.get(question, 0)) + 1
            data["noted"] = noted
        self.service.store.save_state(turn.user.id, state.dialog, state.step, data, turn.rev)
        return Outcome(ack=True)

    @slot("edit")
    def edit(self, turn: Turn) -> Outcome:
        user = turn.user
        if turn.event.message_id is None:
            return self.service.say(user, "edit_not_a_note")
        changed = self.repo.apply_edit(user.id, turn.event.message_id, turn.event.text)
        if changed is None:
            return self.service.say(user, "edit_not_a_note")
        conversation = self.repo.conversation(user.id, changed) if changed else None
        if conversation is not None and conversation.status == "ended":
            self.summaries.rebuild(user, changed)
        return Outcome(ack=True)


def one_line(snippet: str) -> str:
    """A search snippet as one bullet's text: line breaks and the bullets of a summary
    become plain separators, so every hit is one bullet."""
    flat = " ".join(snippet.replace("•", " · ").split())
    return flat.replace("· ·", "·").strip(" ·")


def _who(person: Person) -> str:
    return f"{person.name} ({person.role})" if person.role else person.name
