"""Photos with an activity, photos and documents with an outcome.

A photo sent while an activity is being logged waits for it; one sent after logging (or after
an outcome is recorded, or after its 📷/📎 button) goes with that record for a while
(storage/attachments.py WINDOW). The file is kept as a media note like any other, so it is
downloaded, searchable by its caption and in every export; the record lists it.

Buttons carry "fa:a:<activity id>" or "fa:o:<outcome id>"; read with the presser's user id.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.app.events import Outcome, Turn
from bot.app.feature import Feature, media, press
from bot.app.host import Host
from bot.app.ids import parse_id
from bot.app.users import lang_of
from dialogs.replies import Reply, shorten
from dialogs.rules.dates import day_month
from storage.activities import ActivityRepo
from storage.attachments import WINDOW, AttachmentRepo, Record, Target
from storage.collaboration import CollaborationRepo
from storage.store import User
from storage.talk import TalkRepo

FA = "fa"
KINDS = ("photo", "document")
# The steps of logging an activity: a photo sent there waits for the activity.
LOGGING = frozenset({"kind", "kind_new", "day", "what", "participants", "led_by", "note"})


class Attachments(Feature):
    name = "attachments"

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.repo = AttachmentRepo(service.store)

    def t(self, user: User, key: str, **params: object) -> str:
        return self.service.t(user, key, **params)

    def now(self) -> datetime:
        return self.service.clock().astimezone(UTC)

    def aim(self, user: User, record: Record, record_id: int) -> None:
        """The record just logged or recorded takes the next photos and files."""
        self.repo.aim(user.id, record, record_id, self.now() + WINDOW)

    def describe(self, user: User, target: Target) -> str:
        if target.record == "activity":
            found = ActivityRepo(self.service.store).get(user.id, target.record_id)
            lang = lang_of(user)
            return (f"{found.kind} ({day_month(date.fromisoformat(found.day), lang)})"
                    if found else "—")
        outcome = CollaborationRepo(self.service.store).outcome(user.id, target.record_id)
        return shorten(outcome.text, 60) if outcome else "—"

    @press(FA)
    def press_attach(self, turn: Turn, payload: str) -> Outcome:
        user = turn.user
        code, _, raw = payload.partition(":")
        codes: dict[str, Record] = {"a": "activity", "o": "outcome"}
        record = codes.get(code)
        ident = parse_id(raw)
        target = Target(record, ident) if record and ident is not None else None
        if target is None or not self.repo.exists(user.id, target):
            return Outcome(notice=self.t(user, "activity_gone" if record == "activity"
                                         else "outcome_gone"))
        self.aim(user, target.record, target.record_id)
        return Outcome([Reply(text=self.t(user, f"attach_ask_{target.record}",
                                          what=self.describe(user, target)))])

    @media
    def attach(self, turn: Turn) -> Outcome | None:
        event, user, state = turn.event, turn.user, turn.state
        if event.media is None or event.media.kind not in KINDS or not user.active_community:
            return None
        logging = state is not None and state.dialog == "activity" and state.step in LOGGING
        if state is not None and not logging and state.dialog == "talk":
            return None  # a conversation's media belong to its transcript
        target = None if logging else self.repo.target(user.id, self.now())
        if not logging and target is None:
            return None
        m = event.media
        note = TalkRepo(self.service.store).add_media_note(
            user.id, user.active_community, m.kind, m.file_id, m.caption, event.message_id,
            media_name=m.file_name)
        if target is None:
            self.repo.attach(user.id, note, None)
            return Outcome([Reply(text=self.t(user, "attach_waiting"))])
        if not self.repo.exists(user.id, target):  # removed meanwhile: a note, said so
            self.repo.drop(user.id)
            community = self.service.store.community(user.id, user.active_community)
            return Outcome([Reply(text=self.t(user, f"attach_gone_{target.record}",
                                              community=community.name if community else "—"))])
        self.repo.attach(user.id, note, target)
        self.repo.extend(user.id, self.now() + WINDOW)
        return Outcome([Reply(text=self.t(user, f"attach_saved_{target.record}",
                                          what=self.describe(user, target)))])
