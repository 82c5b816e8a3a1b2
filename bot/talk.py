"""Open conversations (phase 4): live notes, transcripts, media, edits, summaries and search."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.events import Outcome, Turn
from bot.feature import Ask, Feature, command, effect, job, media, provides, slot
from dialogs.dates import short_date
from dialogs.model import Lang
from dialogs.replies import Reply
from dialogs.state import Begin, Choice
from dialogs.summary import (
    CommunityDefinition,
    CommunityDigest,
    ConversationDigest,
    ConversationLine,
    PhaseProgress,
    QuestionNotes,
    Reflection,
    follow_ups_from,
    summarize_community,
    summarize_conversation,
)
from search.terms import fts_query, highlight
from storage.store import User
from storage.talk import Conversation, TalkRepo

if TYPE_CHECKING:
    from bot.service import Service

MEDIA_KINDS = ("photo", "voice", "audio", "video", "video_note", "document")
MAX_SEARCH_HITS = 8


INDEX_SECONDS = 5.0


class Talk(Feature):
    name = "talk"

    def __init__(self, service: Service) -> None:
        super().__init__(service)
        self.repo = TalkRepo(service.store)
        self.questions = {q.id: q for q in service.catalog.dialog("talk").step("live").questions}

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
        return {"people": [Choice(id=str(p.id), label=p.name[:60]) for p in people],
                "has_people": bool(people)}

    @provides(choices=("conversations",))
    def conversations(self, ask: Ask) -> dict[str, Any]:
        community_id = ask.user.active_community or None
        return {"conversations": [
            Choice(id=str(c.id),
                   label=f"{c.started_at.date().isoformat()} · {c.person_name or '?'}"[:60])
            for c in self.repo.conversations(ask.user.id, community_id)[-10:]]}

    @provides(facts=("talk_open",), values=("person",))
    def open_talk(self, ask: Ask) -> dict[str, Any]:
        current = self.repo.open_conversation(ask.user.id)
        if current is None:
            return {"talk_open": False}
        return {"talk_open": True, "person": current.person_name or "…"}

    # commands
    @command("talk")
    def cmd_talk(self, turn: Turn) -> Outcome:
        if not turn.user.active_community:
            return self.service.need_community(turn)
        current = self.repo.open_conversation(turn.user.id)
        data = self._resume_data(current) if current else {}
        return self.service.run(turn, Begin(dialog="talk", data=data))

    def _resume_data(self, conversation: Conversation) -> dict[str, Any]:
        """Rebuild live-mode data from the transcript, so /talk can resume after /cancel."""
        order = list(self.questions)
        noted: dict[str, int] = {}
        skipped: list[str] = []
        last = order[0]
        shared = conversation.shared_own
        for turn in self.repo.transcript(conversation.id):
            question = turn.question
            if turn.who == "bot" and question in self.questions:
                last = question
            elif turn.who == "librarian" and question:
                noted[question] = noted.get(question, 0) + 1
            elif turn.who == "mark" and turn.text == "skipped" and question:
                skipped.append(question)
        return {"q": order.index(last), "noted": noted, "skipped": skipped, "shared": shared,
                "nudged": shared, "person_name": conversation.person_name or ""}

    # effects
    @effect("start_conversation")
    def start(self, user: User, data: dict[str, Any], turn: Turn | None = None) -> None:
        person = data.get("person_id")
        if person and str(person).isdigit() and self.repo.person(user.id, int(person)):
            person_id = int(person)
        else:
            person_id = self.repo.add_person(user.id, user.active_community,
                                             str(data.get("person_name", "")).strip() or "?",
                                             data.get("role"), data.get("organisation"))
        self.repo.start(user.id, user.active_community, person_id, data.get("place"))

    def _open_id(self, user: User) -> int | None:
        current = self.repo.open_conversation(user.id)
        return current.id if current else None

    @effect("live_prompt")
    def prompt(self, user: User, data: dict[str, Any], turn: Turn | None = None) -> None:
        if (cid := self._open_id(user)) is not None:
            self.repo.add_turn(cid, user.id, "bot", data["question"], data["text"])

    @effect("live_note")
    def note(self, user: User, data: dict[str, Any], turn: Turn | None = None) -> None:
        message_id = turn.event.message_id if turn else None
        cid = self._open_id(user)
        if cid is None:  # no open conversation after all: keep it as a field note
            self.service.add_note(user, data["text"], message_id)
            return
        self.repo.add_turn(cid, user.id, "librarian", data["question"], data["text"],
                           chat_message_id=message_id)

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
        keys = ("value_both", "value_why", "motivated", "motivated_why", "success_line")
        self.repo.finish(user.id, cid, {k: data[k] for k in keys if data.get(k)})
        summary = self.rebuild_summary(user, cid)
        return [Reply(text=summary)] if summary else []

    @effect("show_conversation")
    def show(self, user: User, data: dict[str, Any], turn: Turn | None = None) -> list[Reply]:
        raw = str(data.get("conversation_id", ""))
        conversation = self.repo.conversation(user.id, int(raw)) if raw.isdigit() else None
        if conversation is None:
            return []
        summary = conversation.summary or self.rebuild_summary(user, conversation.id)
        return [Reply(text=summary)]

    # summaries
    def digest(self, user: User, conversation: Conversation) -> ConversationDigest:
        lang = _lang(user)
        turns = self.repo.transcript(conversation.id)
        notes: dict[str, list[str]] = {}
        skipped = set()
        attachments = []
        for turn in turns:
            if turn.who == "librarian" and turn.question:
                if turn.kind != "text":
                    attachments.append(turn.kind)
                if turn.text:
                    notes.setdefault(turn.question, []).append(turn.text)
            if turn.who == "mark" and turn.text == "skipped":
                skipped.add(turn.question)
        questions = [QuestionNotes(key=qid, title=q.text.get(lang), notes=notes.get(qid, []),
                                   skipped=qid in skipped and not notes.get(qid))
                     for qid, q in self.questions.items()]
        reflection = conversation.reflection
        all_notes = [n for ns in notes.values() for n in ns]
        return ConversationDigest(
            person_name=conversation.person_name or "?",
            role=conversation.person_role or "",
            organisation=conversation.person_org,
            place=conversation.place or "",
            started_at=conversation.started_at,
            ended_at=conversation.ended_at,
            language=lang, questions=questions, shared_own=conversation.shared_own,
            reflection=Reflection(
                value_both=reflection.get("value_both"),
                value_why=reflection.get("value_why", ""),
                motivated=reflection.get("motivated"),
                motivated_why=reflection.get("motivated_why", ""),
                success_line=reflection.get("success_line", "")),
            follow_ups=follow_ups_from(all_notes), attachments=attachments)

    def rebuild_summary(self, user: User, conversation_id: int) -> str:
        conversation = self.repo.conversation(user.id, conversation_id)
        if conversation is None:
            return ""
        result = summarize_conversation(self.digest(user, conversation), _zone(user))
        self.repo.set_summary(conversation_id, result.text, result.keywords)
        return result.text

    @command("summary")
    def cmd_summary(self, turn: Turn) -> Outcome:
        user = turn.user
        if not user.active_community:
            return self.service.say(user, "summary_no_community")
        text = self.community_summary(user, user.active_community)
        conversations = self.repo.conversations(user.id, user.active_community)
        if conversations:
            text += "\n\n" + self.service.t(user, "summary_pick")
        outcome = self.service.run(turn, Begin(dialog="summary", data={"summary_text": text}))
        return outcome

    def community_summary(self, user: User, community_id: int) -> str:
        store = self.service.store
        community = store.community(user.id, community_id)
        assert community is not None
        lang = _lang(user)
        ticks = store.ticks(community_id)
        phases = []
        for number in range(1, 7):
            dialog = self.service.catalog.dialog(f"phase{number}")
            items = self.service.catalog.checklists.get(f"p{number}", frozenset())
            phases.append(PhaseProgress(title=dialog.title.get(lang),
                                        done=len(ticks.get(f"p{number}", set()) & items),
                                        total=len(items)))
        answers = store.answers(community_id)
        definition = CommunityDefinition(
            known_person=answers.get("phase3.person", ""),
            bond=answers.get("phase3.bond") or None,  # type: ignore[arg-type]
            bond_detail=answers.get("phase3.traits", ""),
            strength_each_other=_int(answers.get("phase3.strength_people")),
            strength_library=_int(answers.get("phase3.strength_library")))
        lines = []
        for conversation in self.repo.conversations(user.id, community_id):
            count = sum(1 for t in self.repo.transcript(conversation.id)
                        if t.who == "librarian")
            lines.append(ConversationLine(started_at=conversation.started_at,
                                          person_name=conversation.person_name or "?",
                                          role=conversation.person_role or "",
                                          themes=list(conversation.keywords[:4]),
                                          note_count=count))
        tags = store.tag_counts(user.id, community_id)
        return summarize_community(CommunityDigest(
            name=community.name, language=lang, phases=phases, definition=definition,
            conversations=lines, tag_counts=tags), _zone(user))

    # search
    @command("search")
    def cmd_search(self, turn: Turn) -> Outcome:
        user = turn.user
        words = turn.event.args.strip()
        if not words:
            return self.service.begin(turn, "search")
        lang = "en" if user.language == "en" else "nl"
        match = fts_query(words, lang)
        if match is None:
            return self.service.say(user, "search_only_stopwords")
        hits = self.repo.search(user.id, match, MAX_SEARCH_HITS)
        if not hits:
            return self.service.say(user, "search_none", query=words[:80])
        t = self.service.t
        lines = [escape(t(user, "search_header", count=len(hits), query=words[:80]))]
        for hit in hits:
            when = short_date(_parse(hit.created_at), _zone(user), lang)
            source = {"note": t(user, "search_note"),
                      "turn": t(user, "search_turn", person=hit.person or "?"),
                      "summary": t(user, "search_summary", person=hit.person or "?")}[hit.kind]
            where = " · ".join(p for p in (hit.community, source, when) if p)
            lines.append(f"• {highlight(hit.snippet)}\n   <i>{escape(where)}</i>")
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
                                 media.caption, turn.event.message_id)
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
        question = list(self.questions)[int(state.data.get("q", 0))]
        self.repo.add_turn(cid, turn.user.id, "librarian", question, media.caption,
                           kind=media.kind, file_id=media.file_id,
                           chat_message_id=turn.event.message_id)
        noted = dict(state.data.get("noted", {}))
        noted[question] = int(noted.get(question, 0)) + 1
        data = {**state.data, "noted": noted, "fresh": False}
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
            self.rebuild_summary(user, changed)
        return Outcome(ack=True)


def _lang(user: User) -> Lang:
    return "en" if user.language == "en" else "nl"


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _zone(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.timezone)
    except (KeyError, ValueError):
        return ZoneInfo("Europe/Amsterdam")

