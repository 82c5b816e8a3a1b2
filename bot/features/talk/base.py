"""What every part of the talk feature works with: its stores, its summaries, the live
step's questions. The parts (feature.py, ending.py, media.py, search.py) are one feature,
`Talk`, in bot/features/talk/feature.py."""

from __future__ import annotations

from bot.app.feature import Feature
from bot.app.host import Host
from bot.features.talk.summary import Summaries
from storage.fieldwork import ItemRepo
from storage.store import User
from storage.talk import TalkRepo


class TalkBase(Feature):
    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.repo = TalkRepo(service.store)
        self.items = ItemRepo(service.store)
        self.summaries = Summaries(service, self.repo)
        live = service.catalog.dialog("talk").step("live")
        self.questions = {q.id: q for q in live.questions}
        answers = service.catalog.dialog("talk").step("reflect_value").options
        self.answer_labels = {o.id: o.label for o in answers}

    def _open_id(self, user: User) -> int | None:
        current = self.repo.open_conversation(user.id)
        return current.id if current else None
