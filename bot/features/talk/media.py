"""Media and edits: a photo, voice message or file kept as a note (on the live question
during a conversation), and an edited note changing its summary. Part of the talk feature
(bot/features/talk/feature.py)."""

from __future__ import annotations

from bot.app.events import Outcome, Turn
from bot.app.feature import media, slot
from bot.features.talk.base import TalkBase
from dialogs.kinds.live_notes import media_note

MEDIA_KINDS = ("photo", "voice", "audio", "video", "video_note", "document")


class TalkMedia(TalkBase):
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
        step = self.service.catalog.dialog(state.dialog).step(state.step)
        if step.kind != "live":
            return None
        cid = self._open_id(turn.user)
        if cid is None:
            return None
        question, data = media_note(state, step)
        self.repo.add_turn(cid, turn.user.id, "librarian", question, media.caption,
                           kind=media.kind, file_id=media.file_id,
                           chat_message_id=turn.event.message_id,
                           media_name=media.file_name, duration=media.duration)
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
