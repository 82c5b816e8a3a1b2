""""Wat we hoorden": the community's voice in one place, page by page. Part of the talk
feature (bot/features/talk/feature.py); dialogs/rules/heard.py builds it.

No command of its own: a button under /summary, on phase 4's checklist and at phase 5 (and
the vision) reaches it (they route to the hidden `/heard <origin>`); its pages turn with
buttons, and one button leads back where she came from. A colleague in a shared community
sees the same (the conversations are read through membership); a person forgotten is no
longer in it (their conversations point to nobody). Above the vision's first question a
short version ({heard_short}) says what recurs; a SMART goal offers the recurring themes as
the needs it may answer (`recurring_needs`).
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any
from zoneinfo import ZoneInfo

from bot.app.events import Outcome, Turn
from bot.app.feature import Ask, command, press, provides
from bot.app.host import Host
from bot.app.users import lang_of, zone_of
from bot.features.talk.ending import TalkEnding
from bot.features.talk.summary import author_name
from bot.ops import offload
from dialogs.replies import Button, Reply
from dialogs.rules.heard import Heard, Question, Said, Talked, heard
from storage.store import User

PREFIX = "hr"
ORIGINS = ("summary", "p4", "p5")


Inputs = tuple[str, list[Question], list[Talked], str, ZoneInfo, list[str]]
KEPT = 16  # communities' "Wat we hoorden" kept built (a page turn needs no new build)


class TalkHeard(TalkEnding):
    """Building it is YAKE over every note (~200 ms at 50 conversations): done in the heavy-work
    process through `later` (off the event loop), and kept until what it reads changes."""

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.built: dict[str, Heard] = {}  # by what it was built from (`_key`), oldest first
        self.building = threading.Lock()  # `later` keeps a build from a worker thread

    def _inputs(self, user: User, community_id: int) -> Inputs:
        """What the community's people said, as this user may read it (read on the loop)."""
        community = self.service.store.community(user.id, community_id)
        name = community.name if community else ""
        said: dict[int, list[Said]] = {}
        for cid, question, text, starred in self.repo.said(user.id, community_id):
            said.setdefault(cid, []).append(Said(question, text, starred))
        talks, places = [], []
        for c in self.repo.conversations(user.id, community_id):
            if c.person_id is None:  # the person was forgotten: their words go with them
                continue
            places += [c.place] if c.place else []
            talks.append(Talked(
                person_id=c.person_id, person=c.person_name or "?", started_at=c.started_at,
                said=said.get(c.id, []), value_both=c.reflection.get("value_both"),
                motivated=c.reflection.get("motivated"), author=self._author(user, c.user_id)))
        lang = lang_of(user)
        questions = [Question(q.id, q.text.get(lang)) for q in self.questions.values()]
        return name, questions, talks, lang, zone_of(user), [user.name, *places]

    def heard(self, user: User, community_id: int) -> Heard:
        """Built here and now (tests, the benchmark, the vision's short version)."""
        inputs = self._inputs(user, community_id)
        return self._kept(inputs) or self._keep(inputs, heard(*inputs))

    def _kept(self, inputs: Inputs) -> Heard | None:
        with self.building:
            return self.built.get(_key(inputs))

    def _keep(self, inputs: Inputs, made: Heard) -> Heard:
        with self.building:
            while len(self.built) >= KEPT:
                self.built.pop(next(iter(self.built)))
            self.built[_key(inputs)] = made
        return made

    def _author(self, user: User, author_id: int) -> str:
        return author_name(self.service, user, author_id)

    def heard_page(self, user: User, number: int, origin: str, *, edit: bool) -> Reply:
        """Page `number`: at once when it is built already (or there is nothing to build),
        else made in the heavy-work process (`later`)."""
        if not user.active_community:
            return Reply(text=self.service.t(user, "summary_no_community"))
        inputs = self._inputs(user, user.active_community)
        made = self._kept(inputs) or (heard(*inputs) if not inputs[2] else None)
        if made is not None:
            return self._heard_page(user, made, number, origin, edit=edit)

        def make() -> Reply:  # in a worker thread; the build in the heavy-work process
            built = self._keep(inputs, offload.call(heard, *inputs))
            return self._heard_page(user, built, number, origin, edit=edit)

        return Reply(text="", later=make, edit=edit)

    def _heard_page(self, user: User, made: Heard, number: int, origin: str, *,
                    edit: bool) -> Reply:
        pages = made.pages
        number = max(0, min(number, len(pages) - 1))
        t = self.service.t
        nav = []
        if number > 0:
            nav.append(Button(label=t(user, "page_previous"),
                              data=f"{PREFIX}:pg:{number - 1}:{origin}"))
        if number < len(pages) - 1:
            nav.append(Button(label=t(user, "page_next"),
                              data=f"{PREFIX}:pg:{number + 1}:{origin}"))
        back = {"summary": "heard_back_summary", "p4": "heard_back_phase4",
                "p5": "heard_to_vision"}[origin]
        rows = [nav] if nav else []
        rows.append([Button(label=t(user, back), data=f"{PREFIX}:to:{origin}")])
        return Reply(text=pages[number], buttons=rows, edit=edit)

    @command("heard")
    def cmd_heard(self, turn: Turn) -> Outcome:
        """Reached by the 👂 buttons (the dialogs route to `/heard <origin>`)."""
        if not turn.user.active_community:
            return self.service.need_community(turn)
        origin = turn.event.args.strip()
        origin = origin if origin in ORIGINS else "summary"
        return Outcome([self.heard_page(turn.user, 0, origin, edit=False)])

    @press(PREFIX)
    def press_heard(self, turn: Turn, payload: str) -> Outcome:
        kind, _, rest = payload.partition(":")
        number, _, origin = rest.rpartition(":") if kind == "pg" else ("", "", rest)
        if origin not in ORIGINS or not turn.user.active_community:
            return Outcome(notice=self.service.t(turn.user, "stale_button"))
        if kind == "pg" and number.isdigit():
            return Outcome([self.heard_page(turn.user, int(number), origin, edit=True)])
        if kind == "to":
            if origin == "summary":
                return self.cmd_summary(turn)
            return self.service.begin(turn, "phase4" if origin == "p4" else "vision")
        return Outcome(notice=self.service.t(turn.user, "stale_button"))

    def recurring_needs(self, user: User, community_id: int) -> list[str]:
        """The themes that recur across people, as "Wat we hoorden" lists them: what a SMART
        goal can say it answers (bot/app/offers.py, HeardNeeds)."""
        return [r.theme for r in self.heard(user, community_id).recurring]

    @provides(values=("heard_short",))
    def heard_short(self, ask: Ask) -> dict[str, Any]:
        """Above the vision's first question: what recurs in the conversations ("" without)."""
        community = ask.user.active_community
        short = self.heard(ask.user, community).short if community else ""
        return {"heard_short": f"{short}\n\n" if short else ""}


def _key(inputs: Inputs) -> str:
    """Everything the build reads, as a short key: a change anywhere builds it again."""
    return hashlib.sha1(repr(inputs).encode()).hexdigest()
