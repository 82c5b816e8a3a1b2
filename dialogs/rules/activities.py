"""What the activity dialog checks: the day it took place (today or before) and how many
took part (a whole number; an absurd one is asked about first)."""

from __future__ import annotations

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
