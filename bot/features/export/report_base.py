"""The report's building blocks and the writer every section adds them with.

A `Block` is what the Markdown and Word writers (bot/features/export/files.py) turn into a
heading, a paragraph, a list item, a table, a chart or a page break; a `Writer` holds what
every section needs: the snapshot, the librarian's language and time zone, the options.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from bot.app.users import zone_named
from bot.features.export.options import EVERYTHING, Options
from dialogs.catalog import Catalog
from dialogs.rules.dates import day_month_year
from dialogs.rules.goals.smart import format_number

Kind = Literal["h", "p", "kv", "li", "meta", "chart", "table", "pagebreak"]


@dataclass(frozen=True)
class Block:
    kind: Kind
    text: str
    level: int = 0
    label: str = ""
    checked: bool | None = None
    # a goal's chart as plain numbers (bot/features/export/report_goals.py)
    chart: dict[str, Any] | None = None
    # a table: its header row first
    rows: tuple[tuple[str, ...], ...] = ()
    # what a chart shows, in words (Word's alt text)
    alt: str = ""
    # a table's columns' widths, relative to each other (Word); () leaves them even
    widths: tuple[float, ...] = ()


def as_of(data: dict[str, Any], options: Options = EVERYTHING) -> date:
    """The day goals are measured on: the export's, or the period's last day when the period
    (options.end, or the snapshot's `period`) ended before it. A past quarter's report shows
    the pace as it was then, not behind by the weeks since."""
    zone = zone_named(data["librarian"]["timezone"])
    exported = datetime.fromisoformat(data["exported_at"]).astimezone(zone).date()
    end = options.end or _day((data.get("period") or {}).get("end"))
    return min(exported, end) if end else exported


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


class Writer:
    """The snapshot, the librarian's language and time zone, and the blocks so far."""

    def __init__(self, data: dict[str, Any], catalog: Catalog,
                 options: Options = EVERYTHING) -> None:
        self.data = data
        self.catalog = catalog
        self.options = options
        self.lang = data["librarian"]["language"]
        self.zone = zone_named(data["librarian"]["timezone"])
        self.blocks: list[Block] = []
        # The pace as on the period's last day, or the export's when it ends later.
        self.today = as_of(data, options)

    def t(self, key: str, **params: object) -> str:
        return self.catalog.text(key, self.lang, **params)

    def counted(self, key: str, count: int, **params: object) -> str:
        return self.catalog.counted(key, self.lang, count, **params)

    def add(self, kind: Kind, text: str, **kw: Any) -> None:
        self.blocks.append(Block(kind, text, **kw))

    def local(self, stamp: str | None) -> datetime | None:
        return datetime.fromisoformat(stamp).astimezone(self.zone) if stamp else None

    def day(self, stamp: str | None) -> str:
        """A moment's local day in words ("3 november 2026")."""
        moment = self.local(stamp)
        return day_month_year(moment.date(), self.lang) if moment else "—"

    def day_of(self, text: str | None) -> str:
        """A day ("2026-11-03", or a moment's first ten characters) in words."""
        try:
            return day_month_year(date.fromisoformat((text or "")[:10]), self.lang)
        except ValueError:
            return text or "—"

    def num(self, value: float | int | None) -> str:
        """A number as the librarian writes it ("12,5" in Dutch)."""
        return "—" if value is None else format_number(float(value), self.lang)

    def joined(self, words: list[str]) -> str:
        """"Fatima, Ahmed en Anna"."""
        if len(words) <= 1:
            return "".join(words)
        return ", ".join(words[:-1]) + f" {self.t('export_and')} " + words[-1]
