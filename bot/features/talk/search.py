"""Search through everything a librarian and her colleagues wrote (/search), each hit said
in words ("Activiteit 6 dec · Kookavond", "Gesprek met Ahmed, vraag 3") and opened with one
tap where it was written; and the index it reads. Part of the talk feature
(bot/features/talk/feature.py)."""

from __future__ import annotations

from datetime import date, datetime
from functools import cached_property
from html import escape
from typing import Any

from bot.app.events import Incoming, Outcome, Turn
from bot.app.feature import command, job, press
from bot.app.ids import parse_id
from bot.app.users import lang_of, zone_of
from bot.features.talk.base import TalkBase
from dialogs import paging
from dialogs.replies import Button, Reply, shorten
from dialogs.rules.dates import day_month, short_date
from dialogs.rules.holdings import holdings
from search.terms import fts_query, has_words, highlight
from storage.store import User
from storage.talk import Hit

MAX_SEARCH_HITS = 8
INDEX_SECONDS = 5.0
OPEN = "zk"  # a hit's button: "zk:<kind>:<ref id>" opens it where it was written

# The command showing each kind in its place (its list, its overview), and the checklist
# of the phase that holds the others; conversations, notes and people open here.
_COMMANDS = {"action": "actions", "activity": "activity", "goal": "goals", "progress": "goals"}
_PHASES = {"role": "phase6", "outcome": "phase6", "frame": "library"}
_SIMPLE = {"note": "search_note", "person": "search_person", "action": "search_action",
           "outcome": "search_outcome", "goal": "search_goal", "frame": "search_frame"}


class TalkSearch(TalkBase):
    @job("search-index", INDEX_SECONDS)
    async def index(self, _bot: Any) -> None:
        """New notes join the search index in batches, a few seconds after they are written
        (a search takes any still waiting along, so it never misses one)."""
        self.repo.index_pending()

    @command("search", aliases=("zoek",), group="field", order=3)
    def cmd_search(self, turn: Turn) -> Outcome:
        user = turn.user
        words = turn.event.args.strip()
        if not words:
            return self.service.begin(turn, "search")
        lang = lang_of(user)
        match = fts_query(words, lang)
        if match is None:
            return self.service.say(
                user, "search_only_stopwords" if has_words(words) else "search_no_words")
        hits = self.repo.search(user.id, match, MAX_SEARCH_HITS)
        if not hits:
            return self.service.say(user, "search_none", query=words[:80])
        header = self.service.catalog.counted("search_header", lang, len(hits), query=words[:80])
        lines, rows = [escape(header)], []
        for number, hit in enumerate(hits, 1):
            what = self.what(user, hit)
            where = " · ".join(p for p in (what, hit.community, self._when(user, hit)) if p)
            lines.append(f"{number}. {highlight(one_line(hit.snippet))}\n   <i>{escape(where)}</i>")
            rows.append([Button(label=shorten(f"{number}. {what}", paging.LABEL),
                                data=f"{OPEN}:{hit.kind}:{hit.ref_id}")])
        return Outcome([Reply(text="\n\n".join(lines), html=True, buttons=rows)])

    def _when(self, user: User, hit: Hit) -> str:
        """When it was written, and by whom when a colleague did."""
        if hit.kind in ("activity", "frame") or not hit.created_at:
            when = ""  # an activity says its day in its name; the frame is the library's
        else:
            when = short_date(datetime.fromisoformat(hit.created_at), zone_of(user),
                              lang_of(user))
        if hit.author is not None:  # a colleague's, in a shared community
            name = hit.author or self.service.t(user, "former_colleague")
            when = f"{name}, {when}" if when else name
        return when

    @cached_property
    def _item_labels(self) -> dict[str, Any]:
        """Checklist items and the answers shown under them, by key: their label."""
        out: dict[str, Any] = {}
        for holding in holdings(self.service.catalog).values():
            out[holding.item] = holding.label
            for answer, _step in holding.shown:
                out.setdefault(answer, holding.label)
        return out

    def what(self, user: User, hit: Hit) -> str:
        """What a hit is, in words: "Activiteit 6 dec · Kookavond", "Omgevingsscan"..."""
        t = self.service.t
        if hit.kind in _SIMPLE:
            return t(user, _SIMPLE[hit.kind])
        if hit.kind in ("turn", "conversation"):
            talk = (t(user, "search_turn", person=hit.person) if hit.person
                    else t(user, "search_turn_unnamed"))
            if hit.kind == "conversation":
                return t(user, "search_reflection", talk=talk)
            number = list(self.questions).index(hit.title) + 1 \
                if hit.title in self.questions else None
            return t(user, "search_question", talk=talk, number=number) if number else talk
        if hit.kind == "activity":
            day = day_month(date.fromisoformat(hit.created_at[:10]), lang_of(user))
            return t(user, "search_activity", day=day, kind=hit.title or "")
        if hit.kind == "role":
            return t(user, f"search_role_{hit.title}")
        if hit.kind == "progress":
            return t(user, "search_progress", goal=shorten(hit.title or "", 40))
        label = self._item_labels.get(hit.title or "")
        if label is not None:  # an item's texts or an answer: the item's name
            return " ".join(label.get(lang_of(user)).replace("✍️", "").split())
        return t(user, "search_phase", number=_phase_number(hit.title or ""))

    @press(OPEN)
    def open_hit(self, turn: Turn, payload: str) -> Outcome:
        """A hit's button: the record where it was written, in its own community."""
        user = turn.user
        kind, _, raw = payload.partition(":")
        ref = parse_id(raw)
        hit = self.repo.index.found(user.id, kind, ref) if ref is not None else None
        if hit is None:
            return Outcome(notice=self.service.t(user, "search_gone"))
        moved = ""
        if hit.community_id and hit.community_id != user.active_community:
            self.service.store.switch_community(user.id, hit.community_id)
            user = self.service.store.user(user.id) or user
            moved = self.service.t(user, "search_moved", community=hit.community or "")
        turn = Turn(user, turn.state, turn.rev, turn.event)
        return self._open(turn, hit).above(moved)

    def _open(self, turn: Turn, hit: Hit) -> Outcome:
        user = turn.user
        if hit.kind in _COMMANDS:
            event = Incoming(kind="command", command=_COMMANDS[hit.kind],
                             update_id=turn.event.update_id)
            return self.service.typed(Turn(user, turn.state, turn.rev, event))
        if hit.kind in ("turn", "conversation"):
            conversation = self.repo.conversation(user.id, hit.context or 0)
            text = conversation.summary if conversation else None
            made = None if text or conversation is None else \
                self.summaries.rebuild(user, conversation.id)
            return Outcome([Reply(text=text or (made.text if made else hit.text))])
        dialog = _PHASES.get(hit.kind) or f"phase{_phase_number(hit.title or '')}"
        if dialog in self.service.catalog.dialogs:
            step = "checklist" if dialog.startswith("phase") else None
            return self.service.begin(turn, dialog, step=step)
        # A note or a person: the whole text, with what and where it is.
        where = " · ".join(p for p in (self.what(user, hit), hit.community,
                                       self._when(user, hit)) if p)
        return Outcome([Reply(text=f"{where}\n\n{hit.text}")])


def _phase_number(key: str) -> str:
    """The phase of a checklist item ("p2.scan") or an answer ("phase1.frame")."""
    head = key.partition(".")[0]
    return head.removeprefix("phase").removeprefix("p") if head[-1:].isdigit() else ""


def one_line(snippet: str) -> str:
    """A search snippet as one line: line breaks (between a person's name and role, an
    activity's name and note) and bullets become plain separators."""
    flat = " ".join(snippet.replace("•", " · ").replace("\n", " · ").split())
    return flat.replace("· ·", "·").strip(" ·")
