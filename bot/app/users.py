"""What every feature reads off a user the same way: their language and their time zone,
and how that zone is said."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from dialogs.model import Lang
from storage.store import User

HOME_ZONE = "Europe/Amsterdam"  # where a zone the database no longer knows falls back to


def lang_of(user: User) -> Lang:
    """The user's language as the texts know it (anything but English reads Dutch)."""
    return "en" if user.language == "en" else "nl"


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo(HOME_ZONE)


def zone_of(user: User) -> ZoneInfo:
    """The user's time zone: the day a librarian means is the day where she lives."""
    return zone_named(user.timezone)


# The Dutch names of zone cities a Dutch librarian may live in or near; the database's are
# English ("tijd in Brussels" is no Dutch).
DUTCH_CITIES = {"Brussels": "Brussel", "Paris": "Parijs", "London": "Londen",
                "Berlin": "Berlijn", "Luxembourg": "Luxemburg", "Lisbon": "Lissabon",
                "Vienna": "Wenen", "Copenhagen": "Kopenhagen", "Prague": "Praag",
                "Warsaw": "Warschau", "Athens": "Athene", "Bucharest": "Boekarest",
                "Moscow": "Moskou", "Curacao": "Curaçao", "Cairo": "Caïro"}


def zone_words(name: str, t: Callable[..., str], lang: str = "nl") -> str:
    """A time zone as a librarian says it: "Nederlandse tijd", "tijd in Paramaribo"."""
    if name in ("Europe/Amsterdam", ""):
        return t("zone_home")
    if "/" not in name:
        return name  # UTC
    city = name.rsplit("/", 1)[-1].replace("_", " ")
    return t("zone_city", city=DUTCH_CITIES.get(city, city) if lang == "nl" else city)
