"""Dates and times worded for people, in Dutch and English, independent of the system locale.

Every month and weekday name the bot shows lives here. Both languages put the day first
("1 juni 2027", "1 June 2027"), so a librarian switching language reads the same shape.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
SHORT_MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
WEEKDAYS = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
SHORT_WEEKDAYS = {
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_HOURS = {"nl": ("{h} uur", "{h} uur {m} min"), "en": ("{h} h", "{h} h {m} min")}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "nl"


def month_name(month: int, lang: str) -> str:
    """``juni`` / ``June`` for 6."""
    return MONTHS[_lang(lang)][month - 1]


def weekday(number: int, lang: str) -> str:
    """``maandag`` / ``Monday`` for 0 (Python's `date.weekday()` numbering)."""
    return WEEKDAYS[_lang(lang)][number]


def day_month_year(day: date, lang: str) -> str:
    """``1 juni 2027`` / ``1 June 2027``."""
    return f"{day.day} {month_name(day.month, lang)} {day.year}"


def day_month(day: date, lang: str) -> str:
    """``1 jun`` / ``1 Jun`` (chart ticks)."""
    return f"{day.day} {SHORT_MONTHS[_lang(lang)][day.month - 1]}"


def month_year(day: date, lang: str) -> str:
    """``jun '27`` / ``Jun '27`` (chart ticks over a longer span)."""
    return f"{SHORT_MONTHS[_lang(lang)][day.month - 1]} '{day.year % 100:02d}"


def short_date(moment: datetime, tz: ZoneInfo, lang: str) -> str:
    """``di 3 nov 2026`` / ``Tue 3 Nov 2026``: the day of `moment` in `tz`."""
    lg = _lang(lang)
    local = moment.astimezone(tz)
    return (f"{SHORT_WEEKDAYS[lg][local.weekday()]} {local.day}"
            f" {SHORT_MONTHS[lg][local.month - 1]} {local.year}")


def short_moment(moment: datetime, tz: ZoneInfo, lang: str, today: date) -> str:
    """``do 26 nov, 10:15`` / ``Thu 26 Nov, 10:15``: `short_date`'s day without this year,
    and the time; another year than `today`'s is said (``do 26 nov 2025, 10:15``)."""
    local = moment.astimezone(tz)
    day = short_date(moment, tz, lang)
    if local.year == today.year:
        day = day.rsplit(" ", 1)[0]
    return f"{day}, {local:%H:%M}"


def duration(delta: timedelta, lang: str) -> str | None:
    """``45 min`` / ``1 uur 15 min`` / ``1 h 15 min``; ``None`` for a negative span."""
    seconds = delta.total_seconds()
    if seconds < 0:
        return None
    minutes = int(seconds // 60 + (1 if seconds % 60 >= 30 else 0))
    if minutes < 60:
        return f"{minutes} min"
    hours, hours_minutes = _HOURS[_lang(lang)]
    h, m = divmod(minutes, 60)
    return hours.format(h=h) if m == 0 else hours_minutes.format(h=h, m=m)
