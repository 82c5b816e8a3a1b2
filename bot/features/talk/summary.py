"""The talk feature's summaries: one conversation, and the whole community (phases, what the
items hold, conversations, tags). Read here, written by dialogs/rules/summary."""

from __future__ import annotations

from datetime import date, datetime

from bot.app.host import Host
from bot.app.users import lang_of, zone_of
from bot.features.talk.conversation import notes_of
from bot.features.talk.glance import Glancer
from dialogs.kinds.checklist import TEXT_MARK
from dialogs.model import Lang
from dialogs.rules.holdings import holdings
from dialogs.rules.spoken import marked
from dialogs.rules.summary import (
    CommunityDefinition,
    CommunityDigest,
    ConversationDigest,
    ConversationLine,
    FollowUpAction,
    ItemNotes,
    OwnNote,
    PhaseProgress,
    QuestionNotes,
    Reflection,
    Summary,
    summarize_community,
    summarize_conversation,
)
from storage.actions import ActionRepo
from storage.fieldwork import ItemRepo
from storage.membership import FORMER
from storage.store import User
from storage.talk import Conversation, TalkRepo, TranscriptTurn
from storage.transcriptions import TranscriptionRepo

GENERAL = ""  # the question key of notes taken while no question was chosen


class Summaries:
    def __init__(self, service: Host, repo: TalkRepo) -> None:
        self.service = service
        self.repo = repo
        self.questions = {q.id: q for q in service.catalog.dialog("talk").step("live").questions}
        self.items = ItemRepo(service.store)
        self.holding = holdings(service.catalog)

    def digest(self, user: User, conversation: Conversation) -> ConversationDigest:
        lang = lang_of(user)
        turns = self.repo.transcript(conversation.id)
        notes = notes_of(turns)
        skipped = {t.question for t in turns if t.who == "mark" and t.text == "skipped"}
        attachments = [turn.kind for turn in notes if turn.kind != "text"]
        texts, quotes, own = self._sorted(user, notes)
        questions = [QuestionNotes(key=qid, title=q.text.get(lang), notes=texts.get(qid, []),
                                   quotes=quotes.get(qid, []),
                                   skipped=qid in skipped and not texts.get(qid)
                                   and not quotes.get(qid))
                     for qid, q in self.questions.items()]
        if texts.get(GENERAL) or quotes.get(GENERAL):
            questions.append(QuestionNotes(key="general", notes=texts.get(GENERAL, []),
                                           quotes=quotes.get(GENERAL, []),
                                           title=self.service.t(user, "talk_general_notes")))
        reflection = conversation.reflection
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
            own=own, actions=self.actions(user, conversation),
            attachments=attachments, note_count=len(notes),
            names=[user.name, *(p.name for p in self.repo.people(user.id,
                                                                 conversation.community_id))])

    def _sorted(self, user: User, notes: list[TranscriptTurn]) -> tuple[
            dict[str, list[str]], dict[str, list[str]], list[OwnNote]]:
        """The person's words per question (the ⭐ quotes apart), and what she shared
        herself, with the question it came up at."""
        texts: dict[str, list[str]] = {}
        quotes: dict[str, list[str]] = {}
        own: list[OwnNote] = []
        order = list(self.questions)
        spoken = TranscriptionRepo(self.service.store).spoken(user.id, "transcript")
        for turn in notes:
            if not turn.text:
                continue
            # A voice note's automatic transcript is marked 🎙 (dialogs/rules/spoken.py).
            automatic = (mark := spoken.get(turn.id)) is not None and mark.automatic
            text = marked(turn.text) if automatic else turn.text
            if turn.own:
                number = order.index(turn.question) + 1 if turn.question in order else None
                own.append(OwnNote(text=text, number=number))
            else:
                (quotes if turn.starred else texts).setdefault(
                    turn.question or GENERAL, []).append(text)
        return texts, quotes, own

    def actions(self, user: User, conversation: Conversation) -> list[FollowUpAction]:
        """The actions made during the conversation (➕ Actie, "actie:"), as they are now."""
        zone = zone_of(user)
        return [FollowUpAction(
            what=a.what, who=a.who, due=date.fromisoformat(a.due) if a.due else None,
            done=datetime.fromisoformat(a.done_at).astimezone(zone).date() if a.done_at
            else None) for a in ActionRepo(self.service.store).of_conversation(
                user.id, conversation.id)]

    def rebuild(self, user: User, conversation_id: int) -> Summary | None:
        """The conversation's summary, made afresh and stored (it is searched too)."""
        conversation = self.repo.conversation(user.id, conversation_id)
        if conversation is None:
            return None
        result = summarize_conversation(self.digest(user, conversation), zone_of(user))
        self.repo.set_summary(conversation_id, result.text, result.keywords)
        return result

    def community(self, user: User, community_id: int) -> str:
        store = self.service.store
        community = store.community(user.id, community_id)
        assert community is not None
        lang = lang_of(user)
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
        conversations = self.repo.conversations(user.id, community_id)
        for conversation in conversations:
            lines.append(ConversationLine(
                started_at=conversation.started_at,
                person_name=conversation.person_name or "?",
                role=conversation.person_role or "",
                themes=list(conversation.keywords[:4]),
                note_count=len(notes_of(self.repo.transcript(conversation.id))),
                author=self._author(user, conversation.user_id)))
        held = self.item_notes(community_id, lang)
        tags = store.tag_counts(user.id, community_id)
        recorded = bool(held or any(tags.values()) or any(
            v for k, v in answers.items() if k.startswith("phase3.")))
        step, glance = Glancer(self.service, user, community_id, lang).blocks(
            conversations, community.name, recorded)
        return summarize_community(CommunityDigest(
            name=community.name, language=lang, phases=phases, definition=definition,
            items=held, conversations=lines, tag_counts=tags, next_step=step,
            glance=glance), zone_of(user))

    def _author(self, user: User, author_id: int) -> str:
        return author_name(self.service, user, author_id)

    def item_notes(self, community_id: int, lang: Lang) -> list[ItemNotes]:
        """The texts the phases' items hold (scans, agreements), in phase order; phase 3's
        definition has its own lines."""
        texts = self.items.texts(community_id)
        answers = self.service.store.answers(community_id)
        out = []
        for key, holding in sorted(self.holding.items(), key=lambda kv: kv[0]):
            if key.startswith("p3.") or key == "p1.frame":
                continue
            found = [t.text for t in texts.get(key, [])] if holding.entries else []
            value = answers.get(holding.answer) if holding.answer else None
            found += [value] if value else []
            if found:
                out.append(ItemNotes(phase=holding.phase.get(lang),
                                     label=holding.label.get(lang).removesuffix(TEXT_MARK),
                                     texts=found))
        return out


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def author_name(service: Host, user: User, author_id: int) -> str:
    """Who wrote a record, as `user` reads it: a colleague's name, "een oud-collega", or ""
    for her own."""
    if author_id == user.id:
        return ""
    author = service.store.user(author_id)
    if author is None or author.status == FORMER:
        return service.t(user, "former_colleague")
    return author.name
