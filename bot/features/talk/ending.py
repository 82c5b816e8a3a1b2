"""The end of a conversation: its summary, phase 4 ticked by it, and summaries shown
later (/summary, a past conversation). Part of the talk feature (bot/features/talk/feature.py)."""

from __future__ import annotations

from typing import Any

from bot.app.events import Outcome, Turn
from bot.app.feature import command, effect
from bot.app.offers import phase_one_lead
from bot.app.users import lang_of, zone_of
from bot.features.talk.base import TalkBase
from bot.features.talk.conversation import phase4_ticks
from bot.features.talk.curate import summary_buttons
from dialogs.replies import Reply
from dialogs.rules.dates import day_month_year
from dialogs.state import Begin
from storage.store import User

REFLECTION = ("value_both", "value_why", "motivated", "motivated_why", "success_line")


class TalkEnding(TalkBase):
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
        conversation = self.repo.conversation(user.id, cid)
        buttons = (summary_buttons(self.service, user, conversation, summary.note_count)
                   if conversation else [])
        return [Reply(text="\n\n".join(p for p in (summary.text, ticked, first) if p),
                      buttons=buttons)]

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
        # Made again each time: an action made in it may be done or moved since.
        made = self.summaries.rebuild(user, conversation.id)
        if made is None:
            return []
        return [Reply(text=made.text, buttons=summary_buttons(self.service, user, conversation,
                                                              made.note_count))]

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
