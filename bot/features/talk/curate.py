"""A finished conversation's notes, put right from its summary: ↪ a note to another question
(or none), ⭐ the person's words worth quoting. Part of the talk feature
(bot/features/talk/feature.py); the summary is made again after each change.

Buttons carry "tk:<what>:<id>[:<n>]": mv/st (the notes to move or star, page n of a
conversation), v (the summary again), m (the questions for a note), q (a note to question n,
0 for none), s (⭐ on or off). Every press reads the conversation or note with the presser's
own id, so a forged or old button (a conversation deleted meanwhile) finds nothing and says so.
"""

from __future__ import annotations

from bot.app.events import Outcome, Turn
from bot.app.feature import press
from bot.app.host import Host
from bot.app.ids import parse_id
from bot.app.users import lang_of
from bot.features.talk.base import TalkBase
from bot.features.talk.conversation import notes_of
from dialogs.replies import Button, Reply, label
from storage.store import User
from storage.talk import Conversation, TranscriptTurn

TK = "tk"
PAGE = 20  # notes per page of a picker (Telegram allows 100 buttons)


def summary_buttons(service: Host, user: User, conversation: Conversation,
                    notes: int) -> list[list[Button]]:
    """↪ and ⭐ under a conversation's summary: for the librarian who held it, with notes."""
    if conversation.user_id != user.id or not notes:
        return []
    t = service.t
    return [[Button(label=t(user, "talk_move_button"), data=f"{TK}:mv:{conversation.id}:0"),
             Button(label=t(user, "talk_star_button"), data=f"{TK}:st:{conversation.id}:0")]]


def _snippet(turn: TranscriptTurn) -> str:
    return " ".join(turn.text.split()) or f"📎 {turn.kind}"


class TalkCurate(TalkBase):
    @press(TK)
    def press_curate(self, turn: Turn, payload: str) -> Outcome:
        user = turn.user
        kind, _, rest = payload.partition(":")
        raw, _, extra = rest.partition(":")
        number = parse_id(raw)
        if kind in ("mv", "st", "v"):
            found = self.repo.conversation(user.id, number) if number is not None else None
            if found is None or found.user_id != user.id:
                return Outcome(notice=self.service.t(user, "talk_conversation_gone"))
            page = parse_id(extra) or 0
            if kind == "v":
                return Outcome([self.summary_view(user, found)])
            return Outcome([self._picker(user, found, kind == "st", page)])
        note = self.repo.note(user.id, number) if number is not None else None
        conversation = self.repo.conversation(user.id, note.conversation_id) if note else None
        if note is None or conversation is None or kind not in ("m", "q", "s"):
            return Outcome(notice=self.service.t(user, "talk_note_gone"))
        if kind == "m":
            return Outcome([self._questions(user, note)])
        if kind == "q":
            return self._move(user, conversation, note, extra)
        return self._star(user, conversation, note)

    def summary_view(self, user: User, conversation: Conversation, *,
                     edit: bool = True) -> Reply:
        """The summary as it is now (made again: an action may have changed), with ↪ and ⭐."""
        made = self.summaries.rebuild(user, conversation.id)
        text = made.text if made else conversation.summary or ""
        notes = made.note_count if made else 0
        return Reply(text=text, buttons=summary_buttons(self.service, user, conversation, notes),
                     edit=edit)

    def _picker(self, user: User, conversation: Conversation, star: bool, page: int) -> Reply:
        """The notes to move (her own marked 🙋) or, for ⭐, the person's words."""
        t = self.service.t
        order = list(self.questions)
        notes = [n for n in notes_of(self.repo.transcript(conversation.id))
                 if not (star and (n.own or not n.text))]
        page = min(page, max(0, (len(notes) - 1) // PAGE))
        rows = []
        for note in notes[page * PAGE:(page + 1) * PAGE]:
            if star:
                rows.append([Button(label=label(("⭐ " if note.starred else "☆ ")
                                                + _snippet(note)), data=f"{TK}:s:{note.id}")])
                continue
            where = str(order.index(note.question) + 1) if note.question in order else "–"
            own = "🙋 " if note.own else ""
            rows.append([Button(label=label(f"{own}{where} · {_snippet(note)}"),
                                data=f"{TK}:m:{note.id}")])
        kind = "st" if star else "mv"
        pages = []
        if page:
            pages.append(Button(label=t(user, "talk_pick_less"),
                                data=f"{TK}:{kind}:{conversation.id}:{page - 1}"))
        if (page + 1) * PAGE < len(notes):
            pages.append(Button(label=t(user, "talk_pick_more"),
                                data=f"{TK}:{kind}:{conversation.id}:{page + 1}"))
        if pages:
            rows.append(pages)
        rows.append([Button(label=t(user, "talk_star_done" if star else "talk_back_summary"),
                            data=f"{TK}:v:{conversation.id}")])
        text = t(user, "talk_star_pick" if star else "talk_move_pick",
                 person=conversation.person_name or "?")
        if star and not notes:
            text = t(user, "talk_star_nothing", person=conversation.person_name or "?")
        return Reply(text=text, buttons=rows, edit=True)

    def _questions(self, user: User, note: TranscriptTurn) -> Reply:
        """Where the note goes: a question, or none ("Zonder vraag"); ✓ where it is now."""
        lang = lang_of(user)
        rows = []
        for number, (qid, question) in enumerate(self.questions.items(), start=1):
            rows.append([Button(label=label(f"{number}. {question.text.get(lang)}",
                                            tail="✓" if note.question == qid else ""),
                                data=f"{TK}:q:{note.id}:{number}")])
        none = self.service.t(user, "talk_general_notes")
        rows.append([Button(label=label(none, tail="✓" if note.question is None else ""),
                            data=f"{TK}:q:{note.id}:0")])
        rows.append([Button(label=self.service.t(user, "talk_back_notes"),
                            data=f"{TK}:mv:{note.conversation_id}:0")])
        text = self.service.t(user, "talk_move_where", note=label(_snippet(note), 60))
        return Reply(text=text, buttons=rows, edit=True)

    def _move(self, user: User, conversation: Conversation, note: TranscriptTurn,
              raw: str) -> Outcome:
        """The note under question n (0: none); who said it stays (her own stays hers)."""
        order = list(self.questions)
        number = parse_id(raw)
        if number is None or number > len(order):
            return Outcome(notice=self.service.t(user, "talk_note_gone"))
        question = order[number - 1] if number else None
        self.repo.move_note(user.id, note.id, question)
        notice = (self.service.t(user, "talk_moved", n=number) if number
                  else self.service.t(user, "talk_moved_none"))
        return Outcome([self.summary_view(user, conversation)], notice=notice)

    def _star(self, user: User, conversation: Conversation, note: TranscriptTurn) -> Outcome:
        """⭐ on or off; her own words are never the person's quote."""
        if note.own:
            return Outcome(notice=self.service.t(user, "talk_star_own",
                                                 person=conversation.person_name or "?"))
        self.repo.star_note(user.id, note.id, not note.starred)
        self.summaries.rebuild(user, conversation.id)
        notice = self.service.t(user, "talk_unstarred" if note.starred else "talk_starred")
        return Outcome([self._picker(user, conversation, True, self._page(conversation, note))],
                       notice=notice)

    def _page(self, conversation: Conversation, note: TranscriptTurn) -> int:
        """The page of the ⭐ picker the note is on."""
        quotable = [n.id for n in notes_of(self.repo.transcript(conversation.id))
                    if not n.own and n.text]
        return quotable.index(note.id) // PAGE if note.id in quotable else 0
