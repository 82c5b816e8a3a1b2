"""What every feature reads off a user the same way: their language and their time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from dialogs.model import Lang
from storage.store import User

HOME_ZONE = "Europe/Amsterdam"  # where a zone the database no longer knows falls back to


def lang(user: User) -> Lang:
    """The user's language as the texts know it (anything but English reads Dutch)."""
    return "en" if user.language == "en" else "nl"


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo(HOME_ZONE)


def zone(user: User) -> ZoneInfo:
    """The user's time zone: the day a librarian means is the day where she lives."""
    return zone_named(user.timezone)
