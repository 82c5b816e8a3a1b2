"""Search through notes, transcripts and summaries (/search), and the index it reads: part
of the talk feature (bot/features/talk/feature.py)."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from bot.app.events import Outcome, Turn
from bot.app.feature import command, job
from bot.app.users import lang_of, zone_of
from bot.features.talk.base import TalkBase
from dialogs.replies import Reply
from dialogs.rules.dates import short_date
from search.terms import fts_query, highlight

MAX_SEARCH_HITS = 8
INDEX_SECONDS = 5.0


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
            return self.service.say(user, "search_only_stopwords")
        hits = self.repo.search(user.id, match, MAX_SEARCH_HITS)
        if not hits:
            return self.service.say(user, "search_none", query=words[:80])
        t = self.service.t
        header = self.service.catalog.counted("search_header", lang, len(hits), query=words[:80])
        lines = [escape(header)]
        for hit in hits:
            when = short_date(datetime.fromisoformat(hit.created_at), zone_of(user), lang)
            source = {"note": t(user, "search_note"),
                      "turn": t(user, "search_turn", person=hit.person or "?"),
                      "summary": t(user, "search_summary", person=hit.person or "?")}[hit.kind]
            if hit.author is not None:  # a colleague's, in a shared community
                when = f"{hit.author or t(user, 'former_colleague')}, {when}"
            where = " · ".join(p for p in (hit.community, source, when) if p)
            lines.append(f"• {highlight(one_line(hit.snippet))}\n   <i>{escape(where)}</i>")
        return Outcome([Reply(text="\n\n".join(lines), html=True)])


def one_line(snippet: str) -> str:
    """A search snippet as one bullet's text: line breaks and the bullets of a summary
    become plain separators, so every hit is one bullet."""
    flat = " ".join(snippet.replace("•", " · ").split())
    return flat.replace("· ·", "·").strip(" ·")
