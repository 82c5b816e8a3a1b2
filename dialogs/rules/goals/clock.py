"""Read the clock time and time zone a librarian types for a reminder.

Like dialogs/rules/goals/smart.py, every parser returns the value or an `Invalid` with a message
key; dates and weekdays are read in dialogs/rules/goals/when.py. Pure: no I/O.
"""

from __future__ import annotations

import re
from datetime import time
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from dialogs.rules.goals.smart import Invalid


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


_CLOCK = re.compile(
    r"(?:om |at )?(?P<h>\d{1,2})(?:\s*[:.hu]\s*(?P<m>\d{2}))?\s*(?:uur|u|h)?"
    r"\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?"
)


def parse_clock_time(text: str) -> time | Invalid:
    """Parse "9:00", "09.30", "9u", "9u30", "21:15", "9 uur", "9pm"."""
    m = _CLOCK.fullmatch(_clean(text).lower())
    bad = Invalid(key="time_invalid", params={"text": _clean(text)})
    if not m:
        return bad
    hour, minute = int(m.group("h")), int(m.group("m") or 0)
    if ampm := m.group("ampm"):
        if not 1 <= hour <= 12:
            return bad
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    if hour > 23 or minute > 59:
        return bad
    return time(hour, minute)


_ZONE_ALIASES = {
    "nederland": "Europe/Amsterdam", "netherlands": "Europe/Amsterdam",
    "the netherlands": "Europe/Amsterdam", "holland": "Europe/Amsterdam",
    "nl": "Europe/Amsterdam", "cet": "Europe/Amsterdam", "cest": "Europe/Amsterdam",
    "nederlandse tijd": "Europe/Amsterdam", "belgië": "Europe/Brussels",
    "belgie": "Europe/Brussels", "belgium": "Europe/Brussels", "brussel": "Europe/Brussels",
    "suriname": "America/Paramaribo", "curaçao": "America/Curacao",
    "bonaire": "America/Kralendijk", "sint maarten": "America/Lower_Princes",
    "sint eustatius": "America/Kralendijk", "saba": "America/Kralendijk",
    "utc": "UTC", "gmt": "UTC",
}
_NOT_ZONES = {"localtime", "factory", "posixrules"}
_REGIONS = {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia",
            "Europe", "Indian", "Pacific"}


@lru_cache(maxsize=1)
def _zone_index() -> dict[str, str]:
    """Lower-cased IANA names, plus unique city names ("amsterdam", "new york")."""
    names = sorted(n for n in available_timezones() if n.lower() not in _NOT_ZONES)
    index: dict[str, str] = {}
    for name in sorted(names, key=lambda n: (n.count("/"), n), reverse=True):
        if name.split("/", 1)[0] in _REGIONS and "/" in name:
            index[name.rsplit("/", 1)[1].lower().replace("_", " ")] = name
    index.update({n.lower(): n for n in names})
    index.update(_ZONE_ALIASES)
    return index


def parse_timezone(text: str) -> ZoneInfo | Invalid:
    """IANA name (any case), a city such as "Amsterdam", or "Nederland"/"CET"."""
    s = re.sub(r"\s*/\s*", "/", _clean(text).lower())
    index = _zone_index()
    name = index.get(s) or index.get(s.replace(" ", "_")) or index.get(s.replace("_", " "))
    if name is None:
        return Invalid(key="timezone_unknown", params={"text": _clean(text)})
    return ZoneInfo(name)
