"""The period an export covers: this quarter, this year, since the start, or two dates the
librarian types ("1 september tot 30 november"; Dutch or English).

Days are the librarian's local days: callers pass today in her time zone, or now and her
zone. A typed period travels in a button as "yyyymmdd-yyyymmdd" (the end may be empty:
up to the export), which `decode` reads back and checks, as a forged button may hold anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import dateparser

from dialogs import validators
from dialogs.extension import Extension
from dialogs.rules.dates import day_month_year
from dialogs.rules.goals.checks import NOW, now_and_zone, rejected
from dialogs.rules.goals.smart import Invalid
from dialogs.state import Context
from dialogs.validators import Rejected

PRESETS = ("q", "y", "all")  # this quarter, this year, since the start

# Between the two dates: "tot", "t/m", "tot en met", "to", "until", or a dash with spaces
# around it (a dash inside "1-9-2026" is part of the date).
_BETWEEN = re.compile(r"\s+(?:tot\s+en\s+met|t/m|tm|tot|to|until|till|through|thru)\s+"
                      r"|\s+[-–—]\s+|\s*[–—]\s*", re.IGNORECASE)
_FROM = re.compile(r"^(?:van|vanaf|sinds|from|since)\s+", re.IGNORECASE)
_YEAR = re.compile(r"\b\d{4}\b")
_CODE = re.compile(r"^(\d{8})-(\d{8})?$")
LONGEST = 80


@dataclass(frozen=True)
class Period:
    start: date | None  # None: since the start
    end: date | None  # None: up to the export


def preset(code: str, today: date) -> Period | None:
    """This quarter or this year (up to now), or everything; None for an unknown code."""
    if code == "q":
        return Period(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), None)
    if code == "y":
        return Period(date(today.year, 1, 1), None)
    if code == "all":
        return Period(None, None)
    return None


def encode(period: Period) -> str:
    """A typed period as button data: 17 characters at most."""
    assert period.start is not None
    return period.start.strftime("%Y%m%d") + "-" + (
        period.end.strftime("%Y%m%d") if period.end else "")


def _day(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


def decode(code: str) -> Period | None:
    """A typed period from button data, or None when it is not one (old or forged)."""
    match = _CODE.match(code)
    if match is None:
        return None
    start = _day(match.group(1))
    end = _day(match.group(2)) if match.group(2) else None
    if start is None or (match.group(2) and end is None) or (end is not None and end < start):
        return None
    return Period(start, end)


def _one(text: str, local: datetime) -> date | None:
    found = dateparser.parse(text, languages=["nl", "en"], settings={
        "PREFER_DATES_FROM": "past", "RELATIVE_BASE": local.replace(tzinfo=None),
        "DATE_ORDER": "DMY", "STRICT_PARSING": False}) if 0 < len(text) <= 40 else None
    return found.date() if found else None


def parse_period(text: str, *, now: datetime, tz: ZoneInfo) -> Period | Invalid:
    """Two dates ("1 september tot 30 november"), or one ("sinds 1 oktober": up to now).
    A date without a year is the last one before today; an end without a year that would
    come before its start is the next year's ("1 november tot 31 januari")."""
    s = _FROM.sub("", " ".join(text.split()).rstrip(".!"))
    local = now.astimezone(tz)
    unparsed = Invalid(key="period_unparsed", params={"text": text.strip()[:LONGEST]})
    parts = _BETWEEN.split(s, maxsplit=1) if len(s) <= LONGEST else []
    if not s or not parts or not all(p.strip() for p in parts):
        return unparsed
    start = _one(parts[0].strip(), local)
    end = _one(parts[1].strip(), local) if len(parts) > 1 else None
    if start is None or (len(parts) > 1 and end is None):
        return unparsed
    if end is not None and end < start and not _YEAR.search(parts[1]):
        end = end.replace(year=end.year + 1) if (end.month, end.day) != (2, 29) else end
    if end is not None and end < start:
        return Invalid(key="period_backwards", params={"start": start.isoformat(),
                                                      "end": end.isoformat()})
    if start > local.date():
        return Invalid(key="period_in_future", params={"date": start.isoformat()})
    return Period(start, end)


def check_period(value: str, _args: list[str], ctx: Context,
                 _data: dict[str, Any]) -> str | Rejected:
    """The typed period as button data ("20260901-20261130"), or why it cannot be one."""
    now, zone = now_and_zone(ctx)
    parsed = parse_period(value, now=now, tz=zone)
    if not isinstance(parsed, Invalid):
        return encode(parsed)
    if parsed.key == "period_backwards":  # both days in words
        return Rejected(parsed.key, {k: day_month_year(date.fromisoformat(str(v)), ctx.lang)
                                     for k, v in parsed.params.items()})
    return rejected(parsed, ctx)


EXTENSION = Extension(validators={
    "export_period": validators.Validator(0, check_period, frozenset(NOW)),
})
