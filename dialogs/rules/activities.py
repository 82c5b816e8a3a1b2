"""What the activity dialog checks: the day it took place (today or before) and how many
took part (a whole number; an absurd one is asked about first)."""

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


EXTENSION = Extension(validators={
    "activity_day": validators.Validator(0, check_day, frozenset(NOW)),
    "participants": validators.Validator(0, check_participants),
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
