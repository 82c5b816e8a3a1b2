"""The export's period: the presets in the librarian's own calendar, and two typed dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from dialogs.rules.goals.smart import Invalid
from dialogs.rules.period import Period, decode, encode, parse_period, preset

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Monday 7 December 2026, 10:00 in Amsterdam.
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def read(text: str) -> Period | Invalid:
    return parse_period(text, now=NOW, tz=AMSTERDAM)


@pytest.mark.parametrize("text", ["1 september tot 30 november", "1 september t/m 30 november",
                                  "1-9-2026 tot 30-11-2026", "1 sep - 30 nov",
                                  "from 1 September to 30 November", "1/9 tot en met 30/11"])
def test_two_typed_dates_in_dutch_or_english(text: str) -> None:
    assert read(text) == Period(date(2026, 9, 1), date(2026, 11, 30))


def test_an_end_without_a_year_after_the_start_crosses_new_year() -> None:
    # Typed in December: "1 november tot 31 januari" means the January after that November.
    assert read("1 november 2025 tot 31 januari") == Period(date(2025, 11, 1), date(2026, 1, 31))


def test_one_date_means_from_then_up_to_now() -> None:
    assert read("sinds 1 oktober") == Period(date(2026, 10, 1), None)
    assert read("vanaf 1 oktober") == Period(date(2026, 10, 1), None)


@pytest.mark.parametrize(("text", "key"), [
    ("ergens in de herfst", "period_unparsed"),
    ("", "period_unparsed"),
    ("30 november tot 1 september 2026", "period_backwards"),
    ("1 januari 2027 tot 31 maart 2027", "period_in_future"),
])
def test_what_cannot_be_a_period_says_why(text: str, key: str) -> None:
    found = read(text)
    assert isinstance(found, Invalid) and found.key == key, found


def test_presets_follow_the_librarians_calendar() -> None:
    # 31 December 23:30 UTC is already 1 January in Amsterdam: a new quarter and a new year.
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC).astimezone(AMSTERDAM).date()
    assert preset("q", late) == Period(date(2027, 1, 1), None)
    assert preset("y", late) == Period(date(2027, 1, 1), None)
    assert preset("q", date(2026, 12, 7)) == Period(date(2026, 10, 1), None)
    assert preset("y", date(2026, 12, 7)) == Period(date(2026, 1, 1), None)
    assert preset("all", date(2026, 12, 7)) == Period(None, None)
    assert preset("x", date(2026, 12, 7)) is None


def test_a_typed_period_fits_in_a_button_and_reads_back() -> None:
    period = Period(date(2026, 9, 1), date(2026, 11, 30))
    assert encode(period) == "20260901-20261130"
    assert decode("20260901-20261130") == period
    assert decode(encode(Period(date(2026, 10, 1), None))) == Period(date(2026, 10, 1), None)
    for forged in ("2026-09-01", "20261301-20261130", "20261130-20260901", "abc", "-", ""):
        assert decode(forged) is None, forged
