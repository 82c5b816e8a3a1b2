"""The export report as a list of blocks, in the librarian's language and time zone: the
story, figures first.

Per community: page 1 "In één oogopslag" (bot/features/export/report_glance.py), a page
break, then what the community told us (report_heard.py), what was done (report_together.py),
what it brought and the lessons and next steps (report_brought.py), the roles, and the
method's phases as the route taken (report_route.py). Transcripts and every note go to an
appendix only when the librarian asks (report_appendix.py).

Built once from a snapshot (storage/export.py), already limited to the chosen period, then
written as Markdown or Word by bot/features/export/files.py, so both show the same content.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.app.users import zone_words
from bot.features.export.options import EVERYTHING, Options
from bot.features.export.report_appendix import appendix, held_back
from bot.features.export.report_base import Block, Writer
from bot.features.export.report_brought import brought
from bot.features.export.report_glance import page_one, recorded
from bot.features.export.report_heard import heard
from bot.features.export.report_lessons import lessons
from bot.features.export.report_route import route
from bot.features.export.report_together import TABLES as TOGETHER
from bot.features.export.report_together import done, roles
from dialogs.catalog import Catalog
from dialogs.rules.dates import day_month_year, month_name
from dialogs.rules.holdings import holdings

__all__ = ["Block", "Report", "period_words"]


def period_words(options: Options, t: Any, lang: str, since: date | None = None) -> str:
    """"Periode: 1 oktober – 31 december 2026", "Periode: sinds de start, 12 oktober 2026"
    (`since`: the day the work began, when known)."""
    start, end = options.start, options.end
    if start is None and end is None:
        if since is not None:
            return str(t("report_period_since", start=day_month_year(since, lang)))
        return str(t("report_period_all"))
    if start is None:
        assert end is not None
        return str(t("report_period_until", end=day_month_year(end, lang)))
    if end is None:
        return str(t("report_period_from", start=day_month_year(start, lang)))
    first = day_month_year(start, lang)
    if start.year == end.year:  # "1 oktober – 31 december 2026"
        first = f"{start.day} {month_name(start.month, lang)}"
        if start.month == end.month:  # "1 – 31 oktober 2026"
            first = str(start.day)
    return str(t("report_period", start=first, end=day_month_year(end, lang)))


def began(c: dict[str, Any], zone: ZoneInfo) -> date | None:
    """The day the work with a community began: its first record's (an activity can be
    logged for a day before the community was made in the bot) or the community's own."""
    days = [c.get("created_at")] + [a.get("day") for a in c.get("activities") or []] + [
        v.get("started_at") for v in c.get("conversations") or []] + [
        n.get("created_at") for n in c.get("notes") or []]
    found = []
    for text in filter(None, days):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            continue
        found.append(moment.astimezone(zone).date() if len(text) > 10 else moment.date())
    return min(found, default=None)


class Report(Writer):
    """Turns a snapshot into blocks, in the user's language and time zone."""

    def __init__(self, data: dict[str, Any], catalog: Catalog,
                 options: Options = EVERYTHING) -> None:
        super().__init__(data, catalog, options)
        self.holdings = holdings(catalog)

    def one_community(self) -> bool:
        """An export of one community (the "everything" export holds the loose notes too)."""
        return "loose_notes" not in self.data and len(self.data["communities"]) == 1

    def build(self) -> list[Block]:
        data = self.data
        if self.one_community():  # its name is the title, with one line under it
            self.add("h", data["communities"][0]["name"], level=2)
            period = period_words(self.options, self.t, self.lang,
                                  began(data["communities"][0], self.zone))
            self.add("meta", self.t("export_byline", name=data["librarian"]["name"] or "—",
                                    day=self.day(data["exported_at"]),
                                    period=period[:1].lower() + period[1:]))
        else:
            self.heading()
        if self.options.shareable:
            self.add("p", self.t("export_shareable_mark"))
        empty = not data["communities"] and not data.get("loose_notes") \
            and not data.get("loose_conversations") and not data.get("other")
        if empty:
            self.add("p", self.t("export_empty"))
        for number, community in enumerate(data["communities"]):
            if number:
                self.add("pagebreak", "")
            self.community(community)
        if self.options.appendix:
            appendix(self, TOGETHER)
        elif left := held_back(self):
            self.add("p", self.t("export_appendix_left_out", what=left))
        return self.blocks

    def title(self) -> str:
        """The document's title (Word's properties): hers, and the community's if one."""
        title = self.t("export_title", name=self.data["librarian"]["name"] or "—")
        if self.one_community():
            return f"{title} · {self.data['communities'][0]['name']}"
        return title

    def heading(self) -> None:
        """The "everything" export's title, when it was made and the period."""
        data = self.data
        self.add("h", self.t("export_title", name=data["librarian"]["name"] or "—"), level=1)
        made = self.local(data["exported_at"])
        self.add("meta", self.t("export_made", day=self.day(data["exported_at"]),
                                time=f"{made:%H:%M}" if made else "—",
                                zone=zone_words(data["librarian"]["timezone"], self.t,
                                               self.lang)))
        self.add("p", period_words(self.options, self.t, self.lang))

    def community(self, c: dict[str, Any]) -> None:
        if not self.one_community():  # else its name is the report's title already
            self.add("h", c["name"], level=2)
        if c.get("theme"):
            self.add("kv", c["theme"], label=self.t("export_theme"))
        page_one(self, c)
        if not recorded(c):
            return
        self.add("pagebreak", "")
        heard(self, c)
        done(self, c)
        brought(self, c)
        roles(self, c)
        lessons(self, c)
        route(self, c, self.holdings)
