"""Dates worded for people: one shape in both languages, whatever the system locale."""

from __future__ import annotations

from datetime import date

from dialogs.rules.dates import day_month, day_month_year, month_name, month_year, weekday


def test_format_date_is_locale_free() -> None:
    assert day_month_year(date(2027, 3, 1), "nl") == "1 maart 2027"
    assert day_month_year(date(2027, 3, 1), "en") == "1 March 2027"


def test_english_puts_the_day_first_like_dutch() -> None:
    assert day_month_year(date(2027, 6, 1), "en") == "1 June 2027"
    assert day_month_year(date(2027, 6, 1), "nl") == "1 juni 2027"


def test_names_and_short_forms() -> None:
    assert weekday(0, "nl") == "maandag" and weekday(6, "en") == "Sunday"
    assert month_name(10, "nl") == "oktober"
    assert day_month(date(2027, 3, 5), "nl") == "5 mrt"
    assert month_year(date(2027, 10, 5), "en") == "Oct '27"
