"""The phases filled by the work itself: what each checklist item holds, shown under it.

An item holds texts (a phase 2 scan's findings, phase 6's agreements: entries steps), an
answer (phase 1's frame, phase 3's known person: question steps), or the source of its tick
(the conversation that ticked a phase 4 item). Text typed at a checklist while such items
are open is kept as a note and offered, with one tap, to one of them.

Other features can list their own records under an item: a method marked `@listed`
returns {"p6.reach": ["…", …]}; those lines appear under the item like its texts.
"""

from __future__ import annotations

from typing import Any

from bot.app.events import Outcome, Turn
from bot.app.feature import Ask, Feature, effect, press, provides
from bot.app.host import Host
from bot.app.users import lang_of
from dialogs.kinds.checklist import TEXT_MARK
from dialogs.replies import Button, Reply, shorten
from dialogs.rules.holdings import answer_text, holdings
from dialogs.state import Choice
from storage.fieldwork import ItemRepo
from storage.library import FrameRepo
from storage.store import User

FILE = "file"  # buttons "file:<note id>:<item>" file a note under an item ("-": keep it)
FRAME_SHOWN = 600  # characters of the phase 1 frame shown beside the community


class Field(Feature):
    name = "field"

    def __init__(self, service: Host) -> None:
        super().__init__(service)
        self.items = ItemRepo(service.store)
        self.holding = holdings(service.catalog)

    # context
    @provides(values=("item.*",), choices=("entries.*",))
    def item_texts(self, ask: Ask) -> dict[str, Any]:
        community = ask.community
        if community is None:
            return {}
        lang = lang_of(ask.user)
        texts, sources = self.items.held(community.id)
        answers = ask.answers
        listed: dict[str, list[str]] = {}
        for hook in self.service.listed:
            for key, lines in hook(ask).items():
                listed.setdefault(key, []).extend(lines)
        out: dict[str, Any] = {}
        for key, holding in self.holding.items():
            parts = [t.text for t in texts.get(key, [])]
            for answer, step in holding.shown:
                if answers.get(answer):
                    found = answer_text(step, answers[answer], lang)
                    parts += [found] if found else []
            parts += listed.get(key, [])
            if not parts and key in sources:
                parts.append(sources[key])
            if parts:
                out[f"item.{key}"] = " · ".join(" ".join(p.split()) for p in parts)
            if holding.entries:
                out[f"entries.{key}"] = [Choice(id=str(t.id), label=t.text)
                                         for t in texts.get(key, [])]
        return out

    @provides(facts=("has_frame",), values=("frame_text", "frame_question"))
    def frame(self, ask: Ask) -> dict[str, Any]:
        frame = ask.answers.get("phase1.frame")
        has = self.has_frame(ask.answers)
        name = ask.community.name if ask.community else ""
        # The question only where its answers are offered: without a frame there is none.
        return {"has_frame": has,
                "frame_text": shorten(frame, FRAME_SHOWN) if frame
                else self.service.t(ask.user, "frame_missing"),
                "frame_question": self.service.t(ask.user, "frame_fits_question", community=name)
                if has else self.service.t(ask.user, "frame_write_first")}

    def has_frame(self, answers: dict[str, str]) -> bool:
        """A frame to hold the community against: its own, or the library's."""
        return bool(answers.get("phase1.frame")) or FrameRepo(self.service.store).current() \
            is not None

    # effects of entries steps
    @effect("entry_add")
    def entry_add(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        if user.active_community and data["item"] in self.holding:
            self.items.add(user.active_community, data["item"], str(data["text"]))
            self.items.tick(user.active_community, data["item"], None)

    @effect("entry_edit")
    def entry_edit(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        if user.active_community and str(data["id"]).isdigit():
            self.items.edit(user.active_community, data["item"], int(data["id"]),
                            str(data["text"]))

    @effect("entry_remove")
    def entry_remove(self, user: User, data: dict[str, Any],
                     _turn: Turn | None = None) -> None:
        if user.active_community and str(data["id"]).isdigit():
            left = self.items.remove(user.active_community, data["item"], int(data["id"]))
            if not left:
                self.service.store.set_tick(user.active_community, data["item"], False)

    @effect("frame_check")
    def frame_check(self, user: User, data: dict[str, Any], _turn: Turn | None = None) -> None:
        """Phase 2: the community held up against the frame; "fits" ticks the item."""
        verdict = str(data.get("fits", ""))
        if not user.active_community or verdict not in ("yes", "doubt", "no"):
            return
        if not self.has_frame(self.service.store.answers(user.active_community)):
            return  # a verdict from an old message, with nothing to check against
        self.service.store.set_answer(user.active_community, "phase2.fits", verdict)
        self.service.store.set_tick(user.active_community, "p2.fits", verdict == "yes")

    # typed text at a checklist with open items
    @effect("offer_note")
    def offer_note(self, user: User, data: dict[str, Any],
                   turn: Turn | None = None) -> list[Reply]:
        """Keep the text as a note at once (nothing is lost whatever comes next), then offer
        to file it under one of the open items instead."""
        text = str(data["text"])
        note_id = self.service.add_note(user, text, turn.event.message_id if turn else None)
        lang = lang_of(user)
        offered = [self.holding[i] for i in data.get("items", []) if i in self.holding]
        community = self._community_name(user)
        if len(offered) == 1:
            question = self.service.t(user, "offer_item", community=community,
                                      item=offered[0].label.get(lang).removesuffix(TEXT_MARK))
            rows = [[Button(label=self.service.t(user, "offer_yes"),
                            data=f"{FILE}:{note_id}:{offered[0].item}")]]
        else:
            question = self.service.t(user, "offer_items", community=community)
            rows = [[Button(label="➕ " + h.label.get(lang).removesuffix(TEXT_MARK),
                            data=f"{FILE}:{note_id}:{h.item}")] for h in offered]
        rows.append([Button(label=self.service.t(user, "offer_keep"),
                            data=f"{FILE}:{note_id}:-")])
        return [Reply(text=question, buttons=rows)]

    @press(FILE)
    def file_note(self, turn: Turn, payload: str) -> Outcome:
        user = turn.user
        raw_id, _, item = payload.partition(":")
        note = self.service.store.note(user.id, int(raw_id)) if raw_id.isdigit() else None
        holding = self.holding.get(item)
        community = user.active_community
        if note is None or community is None or note.community_id != community:
            return Outcome(notice=self.service.t(user, "stale_button"))
        name = self._community_name(user)
        if item == "-":
            return Outcome([Reply(text=self.service.t(user, "note_saved", community=name),
                                  edit=True)])
        if holding is None or not (holding.entries or holding.answer):
            return Outcome(notice=self.service.t(user, "stale_button"))
        if holding.entries:
            self.items.add(community, item, note.text)
            self.items.tick(community, item, None)
        elif holding.answer:
            self.service.store.set_answer(community, holding.answer, note.text)
            self.service.store.set_tick(community, item, True)
        self.service.store.delete_note(user.id, note.id)
        lang = lang_of(user)
        said = self.service.t(user, "offer_filed",
                              item=holding.label.get(lang).removesuffix(TEXT_MARK),
                              phase=holding.phase.get(lang))
        current = self.service.current(self.service.store.user(user.id) or user)
        if current is None:
            return Outcome([Reply(text=said, edit=True)])
        return Outcome([current.model_copy(update={"text": f"{said}\n\n{current.text}",
                                                   "edit": True})])

    def _community_name(self, user: User) -> str:
        found = (self.service.store.community(user.id, user.active_community)
                 if user.active_community else None)
        return found.name if found else "—"
