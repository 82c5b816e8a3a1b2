"""The library's frame: recorded once by an admin, taken over per community with one tap.

Phase 1 asks for the library's strategy and frame, which is the organisation's, not one
community's. An admin writes it once (from /overzicht; several messages make one frame, as
Telegram splits long texts). Every librarian sees it in phase 1 and can take it over: the
community's frame answer becomes the library's text, its frame item is ticked, and words of
their own stay below it (also when a newer version is taken over later). Phase 2 shows it
beside the community's own frame while the two differ.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.app.events import Turn
from bot.app.feature import Ask, Feature, effect, provides
from bot.app.host import Host
from bot.app.offers import PhaseOneLeads, is_admin
from bot.app.users import lang_of, zone_of
from dialogs.replies import shorten
from dialogs.rules import phase_one as rule
from dialogs.rules.dates import day_month_year
from dialogs.rules.phase_one import PhaseOne, phase_one
from storage.fieldwork import ItemRepo
from storage.library import FrameRepo, LibraryFrame
from storage.store import User

FRAME = "phase1.frame"  # the community's frame answer (phase1.yaml saves it there)
ITEM = "p1.frame"
SHOWN = 1500  # characters shown at once; the rest is one tap away ("read all")
LINE = 200  # characters shown in phase 1's checklist
BESIDE = 600  # characters shown in phase 2, as much as the community's own frame


def typed(turn: Turn | None) -> bool:
    """Whether the step's answer was typed: a question step saves a tapped option's id too
    ("✅ Klaar", "↩️ Terug"), which is no frame text."""
    return turn is not None and turn.event.kind == "text"


def own_words(answer: str | None, took: LibraryFrame | None) -> str:
    """What the librarian wrote beside (or instead of) the frame they took over."""
    if not answer:
        return ""
    if took is not None and answer.startswith(took.text):
        return answer[len(took.text):].strip()
    return answer.strip()


class Library(Feature, PhaseOneLeads):
    name = "library"

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.frames = FrameRepo(service.store)

    def t(self, user: User, key: str, **params: object) -> str:
        return self.service.t(user, key, **params)

    def _when(self, user: User, frame: LibraryFrame) -> str:
        moment = datetime.fromisoformat(frame.set_at).astimezone(zone_of(user))
        return day_month_year(moment.date(), lang_of(user))

    def phase_one(self, community_id: int | None,
                  ticks: dict[str, set[str]] | None = None) -> PhaseOne:
        """Where phase 1 of the community stands, by the one rule every view uses."""
        if ticks is None:
            ticks = self.service.store.ticks(community_id) if community_id else {}
        return phase_one(ticks, self.service.catalog.checklists,
                         library_frame=self.frames.current() is not None)

    def phase_one_lead(self, user: User, community_id: int | None,
                       ticks: dict[str, set[str]] | None = None) -> str:
        """The line a view opens with until phase 1 is done ("" after)."""
        return self.phase_one(community_id, ticks).lead(
            lambda key, **params: self.t(user, key, **params))

    # context
    @provides(facts=(rule.BY_FRAME, rule.BY_HAND), values=("phase1_lead",))
    def first(self, ask: Ask) -> dict[str, Any]:
        """Phase 1 first: the facts phase views show their buttons on, and their lead line."""
        state = self.phase_one(ask.user.active_community, ask.ticks)
        facts = state.facts()
        lead = state.lead(lambda key, **params: self.t(ask.user, key, **params))
        return {rule.BY_FRAME: facts[rule.BY_FRAME], rule.BY_HAND: facts[rule.BY_HAND],
                "phase1_lead": f"{lead}\n\n" if lead else ""}

    @provides(values=("library_frame_line",))
    def line(self, ask: Ask) -> dict[str, Any]:
        """Phase 1's checklist: the frame's opening words (one row read, no answers)."""
        frame = self.frames.current()
        if frame is None:
            return {"library_frame_line": ""}
        return {"library_frame_line": "\n\n" + self.t(
            ask.user, "library_line", when=self._when(ask.user, frame),
            text=shorten(frame.text, LINE))}

    @provides(facts=("has_library_frame",),
              values=("library_frame_view", "library_frame_full", "library_frame_status",
                      "library_frame_beside", "library_frame_size"))
    def frame(self, ask: Ask) -> dict[str, Any]:
        user, frame = ask.user, self.frames.current()
        community = ask.community
        name = community.name if community else "—"
        if frame is None:
            return {"has_library_frame": False,
                    "library_frame_view": self.t(user, "library_none"),
                    "library_frame_full": self.t(user, "library_none"),
                    "library_frame_status": "", "library_frame_beside": "",
                    "library_frame_size": ""}
        when = self._when(user, frame)
        text = frame.text
        cut = len(text) > SHOWN
        view = self.t(user, "library_view", when=when,
                      text=(shorten(text, SHOWN) if cut else text))
        if cut:
            view += "\n\n" + self.t(user, "library_view_cut", shown=SHOWN, total=len(text))
        took = self.frames.taken(community.id) if community is not None else None
        status = ""
        if community is not None and took is not None:
            key = "library_status_current" if took == frame.version else "library_status_newer"
            status = "\n\n" + self.t(user, key, community=name)
        own = ask.answers.get(FRAME) or ""
        beside = "" if own.startswith(text) else "\n\n" + self.t(
            user, "library_beside", text=shorten(text, BESIDE))
        return {"has_library_frame": True, "library_frame_view": view,
                "library_frame_full": self.t(user, "library_full", when=when, text=text),
                "library_frame_status": status, "library_frame_beside": beside,
                "library_frame_size": self.t(user, "library_size", count=len(text))}

    # effects
    @effect("library_pick")
    def pick(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        """✅ Take over: the community's frame becomes the library's, its item is ticked, and
        the librarian's own words (typed before, or added to an older version) stay below."""
        community, frame = user.active_community, self.frames.current()
        if data.get("pick") != "take" or community is None or frame is None:
            return
        store = self.service.store
        with store.atomic():
            took = self.frames.taken(community)
            before = self.frames.version(took) if took is not None else None
            own = own_words(store.answers(community).get(FRAME), before)
            store.set_answer(community, FRAME, frame.text + (f"\n\n{own}" if own else ""))
            self.frames.take(community, frame.version)
            # The library's frame is its mapped strategy: taking it over completes phase 1
            # in one tap, each item saying where its tick came from.
            source = self.t(user, "library_tick_source", when=self._when(user, frame))
            items, ticked = ItemRepo(store), store.ticks(community).get(rule.CHECKLIST, set())
            for item in sorted(self.service.catalog.checklists.get(rule.CHECKLIST, ())):
                if item not in ticked:  # one ticked before keeps where it came from
                    items.tick(community, f"{rule.CHECKLIST}.{item}", source)

    @effect("library_own")
    def own(self, user: User, data: dict[str, Any], turn: Turn | None = None) -> None:
        """Words of their own under the frame they took over (skipped: nothing changes)."""
        words = str(data.get("own") or "").strip()
        community = user.active_community
        if not typed(turn) or not words or community is None:
            return
        store = self.service.store
        with store.atomic():
            answer = store.answers(community).get(FRAME, "")
            store.set_answer(community, FRAME, f"{answer}\n\n{words}" if answer else words)
            store.set_tick(community, ITEM, True)

    @effect("library_set")
    def set_frame(self, user: User, data: dict[str, Any], turn: Turn | None = None) -> None:
        if typed(turn) and is_admin(self.service, user) and str(data.get("text") or "").strip():
            self.frames.set(str(data["text"]).strip())

    @effect("library_extend")
    def extend(self, user: User, data: dict[str, Any], turn: Turn | None = None) -> None:
        if typed(turn) and is_admin(self.service, user) and str(data.get("more") or "").strip():
            self.frames.extend(str(data["more"]).strip())
