"""Follow-up actions read from what a librarian types or dictates: "Actie, Fatima mailen
over een ruimte vrijdag" is an action "Fatima mailen over een ruimte", due on Friday.

Pure: no I/O; "now" and the time zone are passed in. Due dates use the SMART deadline
parser (dialogs/rules/goals/when.py) with today allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dialogs.rules.dates import month_name, weekday
from dialogs.rules.goals.smart import Invalid
from dialogs.rules.goals.when import parse_deadline
from search.marks import follow_up

__all__ = ["follow_up", "parse_due", "split_due", "later", "due_text", "next_daily"]

_WS = re.compile(r"\s+")
# Relative words a due date may end a line with; a weekday only written out, since "zo"
# and "ma" also mean "soon" and "mum".
_TRAILING = re.compile(
    r"(?i)(?:\s+(?:op|voor|uiterlijk|tegen|on|by|before))?\s+(?P<when>"
    r"vandaag|today|morgen|tomorrow|overmorgen"
    r"|(?:volgende |aanstaande |komende |next )?(?:maandag|dinsdag|woensdag|donderdag|vrijdag"
    r"|zaterdag|zondag|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?: volgende week| next week)?"
    r"|volgende week|next week"
    r"|(?:over|in|binnen) (?:\d+|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|a|one"
    r"|two|three|four|five|six) (?:dag|dagen|week|weken|maand|maanden|day|days|weeks?|months?)"
    r"|\d{1,2}[-/.]\d{1,2}(?:[-/.]\d{2,4})?"
    r"|\d{1,2} [a-z]{3,10}\.?(?: \d{4})?)[.!]?$")


@dataclass(frozen=True)
class Parsed:
    what: str
    due: date | None
    bad_due: Invalid | None = None  # a date was written but is impossible or past


def parse_due(text: str, *, now: datetime, tz: ZoneInfo) -> date | Invalid:
    """A due date typed naturally: today or later, as SMART deadlines are read."""
    s = _WS.sub(" ", text.strip().lower()).rstrip(".!")
    if s in ("vandaag", "today"):
        return now.astimezone(tz).date()
    if s == "overmorgen":
        return now.astimezone(tz).date() + timedelta(days=2)
    if s in ("volgende week", "next week"):  # a week from today, as "later: next week"
        return now.astimezone(tz).date() + timedelta(days=7)
    found = parse_deadline(s, now=now, tz=tz, allow_today=True)
    if isinstance(found, Invalid) and found.key == "deadline_far":
        return found.value if isinstance(found.value, date) else found
    return found


def split_due(what: str, *, now: datetime, tz: ZoneInfo) -> Parsed:
    """An action's text with the due date it ends with ("… vrijdag") taken off."""
    m = _TRAILING.search(what)
    if not m or m.start() == 0:
        return Parsed(what=what, due=None)
    found = parse_due(m.group("when"), now=now, tz=tz)
    head = what[:m.start()].rstrip(" ,;:-–—")
    if isinstance(found, Invalid):
        if found.key == "deadline_unparsed":  # "over een ruimte": words, not a date
            return Parsed(what=what, due=None)
        return Parsed(what=head, due=None, bad_due=found)
    return Parsed(what=head, due=found)


def later(choice: str, today: date) -> date | None:
    """The ⏰ later buttons: tomorrow, next week."""
    return {"tomorrow": today + timedelta(days=1), "week": today + timedelta(days=7)}.get(choice)


def due_text(day: date, today: date, lang: str) -> str:
    """A due date as a librarian says it: "vandaag", "morgen", "vrijdag 27 november"."""
    en = lang == "en"
    if day == today:
        return "today" if en else "vandaag"
    if day == today + timedelta(days=1):
        return "tomorrow" if en else "morgen"
    year = "" if day.year == today.year else f" {day.year}"
    return f"{weekday(day.weekday(), lang)} {day.day} {month_name(day.month, lang)}{year}"


def next_daily(at: time, tz: ZoneInfo, after: datetime) -> datetime:
    """The first moment strictly after `after` that is `at` on the local clock in `tz`, as
    UTC: the daily action message follows the weekly overview's time of day, DST included."""
    day = after.astimezone(tz).date() - timedelta(days=1)
    while (slot := datetime.combine(day, at.replace(tzinfo=None, fold=0),
                                    tzinfo=tz).astimezone(UTC)) <= after:
        day += timedelta(days=1)
    return slot
