"""Read the dates a librarian types: a goal's (or an action's) deadline, a reminder's weekday.

Like dialogs/rules/goals/smart.py, every parser returns the value or an `Invalid` with a message
key; a reminder's clock time and time zone are read in dialogs/rules/goals/clock.py.
Pure: no I/O; "now" is always passed in.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import dateparser

from dialogs.rules.dates import MONTHS
from dialogs.rules.goals.smart import Invalid

MAX_YEARS_AHEAD = 5


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


# --- dates ---------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _names in MONTHS.values():
    for _i, _name in enumerate(_names, start=1):
        _MONTHS[_name.lower()] = _i
        _MONTHS[_name.lower()[:3]] = _i
_MONTHS.update({"mrt": 3, "sept": 9, "okt": 10})
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

_WEEKDAYS: dict[str, int] = {}
for _i, _names2 in enumerate((
    "maandag ma mon mo monday",
    "dinsdag di tue tues tu tuesday",
    "woensdag wo wed we wednesday",
    "donderdag do thu thur thurs th thursday",
    "vrijdag vr vrij fri fr friday",
    "zaterdag za sat sa saturday",
    "zondag zo sun su sunday",
)):
    for _w in _names2.split():
        _WEEKDAYS[_w] = _i
_WEEKDAY_RE = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))


def parse_deadline(
    text: str,
    *,
    now: datetime,
    tz: ZoneInfo,
    languages: tuple[str, ...] = ("nl", "en"),
    allow_today: bool = False,
) -> date | Invalid:
    """Parse a deadline that must be tomorrow or later (local date in `tz`); an action's
    due date (`allow_today`) may be today."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local_now = now.astimezone(tz)
    today = local_now.date()
    s = _normalise_deadline(text)
    if not s or len(s) > 60:
        return Invalid(key="deadline_unparsed", params={"text": _clean(text)[:60]})
    found = _explicit_date(s, today)
    if found is None:
        found = _dateparser_date(s, local_now.replace(tzinfo=None), languages)
    if isinstance(found, Invalid):
        return found
    if found is None:
        return Invalid(key="deadline_unparsed", params={"text": _clean(text)[:60]})
    if found < today or (found == today and not allow_today):
        return Invalid(key="due_in_past" if allow_today else "deadline_in_past",
                       params={"date": found.isoformat()})
    if found > _add_years(today, MAX_YEARS_AHEAD):
        return Invalid(
            key="deadline_far",
            params={"date": found.isoformat(), "years": MAX_YEARS_AHEAD},
            needs_confirmation=True,
            value=found,
        )
    return found


_DL_PREFIX = re.compile(r"^(?:uiterlijk op|uiterlijk|tegen|voor|op|by|before|on|deadline:?)\s+")
_DL_CLOCK = re.compile(r"\s+(?:om|at)\s+\d{1,2}(?:[:.]\d{2})?\s*(?:uur|u|h|am|pm)?$")
_NUMBER_WORDS = {
    "een": 1, "één": 1, "eén": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6,
    "zeven": 7, "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12,
}


def _normalise_deadline(text: str) -> str:
    s = _clean(text).lower().rstrip(".!?").strip()
    s = _DL_PREFIX.sub("", s)
    s = _DL_CLOCK.sub("", s)
    s = re.sub(r"^binnen\b", "over", s)
    s = re.sub(r"\b(?:een )?half ?jaar\b", "6 maanden", s)
    s = re.sub(r"\banderhalf jaar\b", "18 maanden", s)
    s = re.sub(r"\bhalf a year\b", "6 months", s)
    s = re.sub(r"\bmnd\b", "maanden", s)
    return re.sub(
        r"^over (\S+)", lambda m: f"over {_NUMBER_WORDS.get(m.group(1), m.group(1))}", s
    )


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    digits = text.lstrip("'")
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _build(day: int, month: int, year: int | None, today: date) -> date | Invalid:
    """A date from parts; without a year the first such date after today."""
    bad = Invalid(key="deadline_invalid", params={"day": day, "month": month})
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return bad
    if year is not None:
        if day > calendar.monthrange(year, month)[1]:
            return bad
        return date(year, month, day)
    for y in range(today.year, today.year + 9):
        if day <= calendar.monthrange(y, month)[1] and date(y, month, day) > today:
            return date(y, month, day)
    return bad


def _month_part(part: str, month: int, year: int | None, today: date) -> date:
    """Start (1st), middle (15th) or end (last day) of a month, after today if no year."""
    for y in (year,) if year is not None else (today.year, today.year + 1):
        last = calendar.monthrange(y, month)[1]
        d = date(y, month, {"start": 1, "mid": 15}.get(part, last))
        if year is not None or d > today:
            return d
    return d


_END = r"(?:(?:het |the )?(?:eind|einde|end|late)(?: van| of)?|eind-|end-|late-)"
_START = r"(?:(?:het |the )?(?:begin|start|beginning|early)(?: van| of)?|begin-|early-)"
_MID = r"(?:(?:het |the )?(?:half|medio|midden|halverwege|middle|mid)(?: van| of)?|mid-|half-)"
_ORD = r"(?:e|ste|de|st|nd|rd|th)?"
_Y = r"(?P<y>\d{4}|'\d{2}|\d{2})"
_PATTERNS = {
    "iso": re.compile(r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})"),
    "dmy": re.compile(rf"(?P<d>\d{{1,2}})[-/.](?P<m>\d{{1,2}})(?:[-/.]{_Y})?"),
    "d_mon": re.compile(
        rf"(?:(?:{_WEEKDAY_RE}),? )?(?:the )?(?P<d>\d{{1,2}}){_ORD}\.? (?:of )?"
        rf"(?P<mon>{_MONTH_RE})\.?,?(?: {_Y})?"
    ),
    "mon_d": re.compile(
        rf"(?:(?:{_WEEKDAY_RE}),? )?(?P<mon>{_MONTH_RE})\.? (?P<d>\d{{1,2}}){_ORD},?(?: {_Y})?"
    ),
    "month_part": re.compile(
        rf"(?:(?P<end>{_END})|(?P<start>{_START})|(?P<mid>{_MID})|in)? ?"
        rf"(?:(?P<mon>{_MONTH_RE})\.?(?: {_Y})?|(?P<rel>deze|this|volgende|next) (?:maand|month))"
    ),
    "year_part": re.compile(
        rf"(?:(?P<end>{_END})|(?P<start>{_START})|in)? ?"
        r"(?:(?P<y>\d{4})|(?P<rel>dit|this|het|the|volgend|next) (?:jaar|year))"
    ),
    "weekday": re.compile(
        rf"(?:(?P<next>volgende|aanstaande|next|this|deze|komende) )?"
        rf"(?:(?P<nw1>volgende week|next week) )?(?P<wd>{_WEEKDAY_RE})"
        rf"(?: (?P<nw2>volgende week|next week))?"
    ),
}


def _explicit_date(s: str, today: date) -> date | Invalid | None:
    """Forms handled here rather than by dateparser, so impossible days are caught."""
    for name, pattern in _PATTERNS.items():
        m = pattern.fullmatch(s)
        if m:
            y = m.groupdict().get("y")
            if y is not None and not 1900 <= (_year(y) or 0) <= 2999:
                return None
            return _from_match(name, m.groupdict(), today)
    return None


def _from_match(name: str, g: dict[str, str | None], today: date) -> date | Invalid:
    """Turn one matched explicit-date pattern into a date."""
    part = "start" if g.get("start") else "mid" if g.get("mid") else "end"
    rel, year = g.get("rel"), _year(g.get("y"))
    if name == "weekday":
        weekday = _WEEKDAYS[g["wd"] or ""]
        if g["nw1"] or g["nw2"]:  # that weekday in next (Monday-based) week
            return today + timedelta(days=7 - today.weekday() + weekday)
        return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    if name == "year_part":
        year = year or today.year + (rel in ("volgend", "next"))
        return date(year, 1, 1) if part == "start" else date(year, 12, 31)
    if name == "month_part" and rel:
        first = today.replace(day=1)
        if rel in ("volgende", "next"):
            first = (first + timedelta(days=32)).replace(day=1)
        return _month_part(part, first.month, first.year, today)
    mon = g.get("mon")
    month = _MONTHS[mon] if mon else int(g["m"] or 0)
    if name == "month_part":
        return _month_part(part, month, year, today)
    return _build(int(g["d"] or 0), month, year, today)


_RELATIVE_TEXT = (
    "dag dagen week weken maand maanden jaar jaren morgen overmorgen gisteren eergisteren "
    "vandaag volgend volgende vorig vorige geleden day days weeks month months year years "
    "tomorrow yesterday today next last ago fortnight"
)
_RELATIVE_WORDS = set(_RELATIVE_TEXT.split()) | set(_MONTHS) | {w for w in _WEEKDAYS if len(w) > 3}


def _dateparser_date(s: str, base: datetime, languages: tuple[str, ...]) -> date | None:
    """Relative phrases ("over 3 maanden", "in 3 months", "morgen") via dateparser."""
    if not _RELATIVE_WORDS.intersection(re.findall(r"[^\W\d_]+", s)):
        return None  # avoid dateparser reading "12" or "a" as a day of this month
    settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base, "DATE_ORDER": "DMY"}
    parsed = dateparser.parse(s, languages=list(languages), settings=settings)
    return parsed.date() if parsed is not None else None


# --- weekday -------------------------------------------------------------------


def parse_weekday(text: str) -> int | Invalid:
    """Weekday number (0 = Monday) from Dutch or English names and abbreviations."""
    s = re.sub(r"^(?:op|elke|iedere|every|on)\s+", "", _clean(text).lower()).rstrip(".")
    day = _WEEKDAYS.get(s)
    if day is None and s.endswith("s"):  # "maandags", "mondays"
        day = _WEEKDAYS.get(s[:-1])
    if day is None:
        return Invalid(key="weekday_unknown", params={"text": _clean(text)})
    return day
