"""What the activity dialog checks: the day it took place (today or before), how many took
part (a whole number; an absurd one is asked about first) and how many of them came for the
first time (no more than took part; "allemaal", "niemand" or "weet ik niet" typed too).
`attendance()` adds visits and distinct participants up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import dateparser

from dialogs import validators
from dialogs.extension import Extension
from dialogs.rules.goals.checks import NOW, now_and_zone, rejected
from dialogs.rules.goals.smart import Invalid, parse_number
from dialogs.state import Context
from dialogs.validators import Rejected

MANY = 10_000  # participants above this are asked about ("klopt dat?")
_RELATIVE = {"vandaag": 0, "today": 0, "gisteren": 1, "yesterday": 1, "eergisteren": 2}


def parse_day(text: str, *, now: datetime, tz: ZoneInfo) -> date | Invalid:
    """The day an activity took place: "vandaag", "gisteren", "3 maart", "vorige week
    dinsdag"; not in the future."""
    s = " ".join(text.lower().split()).rstrip(".!")
    local = now.astimezone(tz)
    today = local.date()
    if s in _RELATIVE:
        return today - timedelta(days=_RELATIVE[s])
    found = dateparser.parse(s, languages=["nl", "en"], settings={
        "PREFER_DATES_FROM": "past", "RELATIVE_BASE": local.replace(tzinfo=None),
        "DATE_ORDER": "DMY", "STRICT_PARSING": False}) if 0 < len(s) <= 40 else None
    if found is None:
        return Invalid(key="day_unparsed", params={"text": text.strip()[:40]})
    if found.date() > today:
        return Invalid(key="day_in_future", params={"date": found.date().isoformat()})
    return found.date()


def check_day(value: str, _args: list[str], ctx: Context, _data: dict[str, Any]) -> str | Rejected:
    now, zone = now_and_zone(ctx)
    parsed = parse_day(value, now=now, tz=zone)
    return rejected(parsed, ctx) if isinstance(parsed, Invalid) else parsed.isoformat()


def check_participants(value: str, _args: list[str], ctx: Context,
                       _data: dict[str, Any]) -> str | Rejected:
    parsed = parse_number(value)
    if isinstance(parsed, Invalid) and parsed.key == "number_too_big":
        return Rejected(parsed.key, {})
    if isinstance(parsed, Invalid):
        return Rejected("participants_unparsed", {"text": value.strip()[:40]})
    if parsed < 0 or not float(parsed).is_integer():
        return Rejected("participants_whole", {"text": value.strip()[:40]})
    if parsed > MANY:
        return Rejected("participants_many", {"value": f"{int(parsed):,}".replace(",", ".")},
                        str(int(parsed)))
    return str(int(parsed))


UNKNOWN = "unknown"  # first-timers not recorded (the "Weet ik niet" button's value)
ALL = "all"  # every participant came for the first time (the "Allemaal" button's value)
_EVERYONE = frozenset({"allemaal", "iedereen", "alle", "all", "everyone", "everybody"})
_NOBODY = frozenset({"niemand", "geen", "geen een", "geeneen", "nobody", "none", "no one"})
_DONT_KNOW = frozenset({"weet ik niet", "weet niet", "geen idee", "onbekend", "?",
                        "don't know", "dont know", "unknown", "not sure"})


def check_first_time(value: str, _args: list[str], _ctx: Context,
                     data: dict[str, Any]) -> str | Rejected:
    """How many of the participants (an earlier answer) came for the first time."""
    typed = " ".join(value.lower().split()).rstrip(".!")
    took_part = int(str(data.get("participants") or 0))
    if typed in _EVERYONE:
        return str(took_part)
    if typed in _NOBODY:
        return "0"
    if typed in _DONT_KNOW:
        return UNKNOWN
    parsed = parse_number(value)
    shown = value.strip()[:40]
    if isinstance(parsed, Invalid) and parsed.key != "number_too_big":
        return Rejected("first_time_unparsed", {"text": shown})
    if isinstance(parsed, Invalid) or parsed < 0 or not float(parsed).is_integer():
        return Rejected("first_time_whole", {"text": shown})
    if parsed > took_part:
        key = {0: "first_time_too_many_none", 1: "first_time_too_many_one"}.get(
            took_part, "first_time_too_many")
        return Rejected(key, {"participants": str(took_part), "value": str(int(parsed))})
    return str(int(parsed))


def first_time_of(raw: object, participants: int) -> int | None:
    """The stored count from the dialog's answer: a number (capped at the participants),
    "all", or None when not known."""
    text = str(raw or "")
    if text == ALL:
        return participants
    return min(int(text), participants) if text.isdigit() else None


EXTENSION = Extension(validators={
    "activity_day": validators.Validator(0, check_day, frozenset(NOW)),
    "participants": validators.Validator(0, check_participants),
    "first_time": validators.Validator(0, check_first_time),
})


@dataclass(frozen=True)
class Attendance:
    """Visits and distinct participants over a set of activities.

    `visits` adds up every activity's participants (one person at three evenings is three).
    `distinct` adds up the first-timers each activity recorded (`first_time`): someone new
    counts once, at the first activity they came to. Where an activity has no first-timers
    recorded, `estimated` is True and `distinct` counts only the recorded ones, so the
    report can say it is a lower bound rather than present it as exact.
    """

    activities: int
    visits: int
    distinct: int
    estimated: bool


def attendance(activities: list[dict[str, Any]]) -> Attendance:
    """From snapshot rows (`participants`, and `first_time` or None when not recorded)."""
    visits = sum(int(a.get("participants") or 0) for a in activities)
    recorded = [a for a in activities if a.get("first_time") is not None]
    distinct = sum(min(int(a["first_time"]), int(a.get("participants") or 0)) for a in recorded)
    return Attendance(len(activities), visits, distinct, len(recorded) < len(activities))
