"""SMART goal parts as a librarian types them."""

from __future__ import annotations

import socket
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from dialogs.rules.goals.clock import parse_clock_time, parse_timezone
from dialogs.rules.goals.smart import (
    Invalid,
    Metric,
    SmartGoal,
    check_target,
    format_number,
    parse_metric,
    parse_number,
    smart_sentence,
)
from dialogs.rules.goals.when import parse_deadline, parse_weekday

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=AMS)  # a Tuesday


def deadline(text: str, now: datetime = NOW) -> date | Invalid:
    return parse_deadline(text, now=now, tz=AMS)


def key(result: object) -> str | None:
    return result.key if isinstance(result, Invalid) else None


# --- numbers ---


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12), ("12,5", 12.5), ("1.000", 1000), ("1 000", 1000), ("-3", -3),
        ("1.000.000", 1_000_000), ("1.250,75", 1250.75), ("1.5", 1.5), (" 7 ", 7),
        ("12 deelnemers", 12), ("ca. 40", 40), ("40%", 40), ("0,500", 0.5),
        ("1,5 miljoen", 1_500_000), ("12k", 12_000), ("€ 1.500", 1500),
    ],
)
def test_numbers_in_dutch_and_plain_style(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["veel", "", "   ", "twaalf", "3 of 4", "1,2,3", "12-15", "12abc"])
def test_not_a_number(text: str) -> None:
    assert key(parse_number(text)) == "not_a_number"


def test_thousands_comma_is_ambiguous() -> None:
    assert key(parse_number("1,000")) == "number_ambiguous"


def test_format_number_per_language() -> None:
    assert format_number(1000, "nl") == "1.000"
    assert format_number(12.5, "nl") == "12,5"
    assert format_number(1000, "en") == "1,000"
    assert format_number(12.0, "en") == "12"


# --- metric and target ---


def test_metric_accepted_and_tidied() -> None:
    assert parse_metric("  aantal deelnemers ") == Metric(text="aantal deelnemers")
    assert parse_metric("bezoekers per maand.") == Metric(text="bezoekers per maand")


@pytest.mark.parametrize(("text", "expected"), [("", "metric_empty"), ("12", "metric_is_number"),
                                                ("12,5 %", "metric_is_number")])
def test_metric_refused(text: str, expected: str) -> None:
    assert key(parse_metric(text)) == expected


def test_metric_that_looks_like_a_value_asks_for_confirmation() -> None:
    result = parse_metric("12 deelnemers")
    assert isinstance(result, Invalid) and result.key == "metric_starts_with_number"
    assert result.needs_confirmation and result.value == Metric(text="12 deelnemers")


def test_target_checks() -> None:
    assert check_target(4, 12) is None
    assert check_target(40, 10) is None  # reducing a waiting list is fine
    same = check_target(4, 4)
    assert isinstance(same, Invalid) and same.key == "target_equals_baseline"
    assert not same.needs_confirmation
    for baseline, target, expected in [(-3, 5, "number_negative"), (0, 2_000_000, "number_huge")]:
        warning = check_target(baseline, target)
        assert isinstance(warning, Invalid) and warning.key == expected
        assert warning.needs_confirmation


# --- deadlines ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 juni", date(2027, 6, 1)),
        ("eind maart", date(2027, 3, 31)),
        ("Einde maart.", date(2027, 3, 31)),
        ("end of March", date(2027, 3, 31)),
        ("eind februari 2028", date(2028, 2, 29)),
        ("begin april", date(2027, 4, 1)),
        ("start of April", date(2027, 4, 1)),
        ("half maart", date(2027, 3, 15)),
        ("juni", date(2027, 6, 30)),  # a month without a day means its end
        ("eind november", date(2026, 11, 30)),  # still ahead this year
        ("begin november", date(2027, 11, 1)),  # already past this year
        ("over 3 maanden", date(2027, 2, 24)),
        ("over een maand", date(2026, 12, 24)),
        ("over twee weken", date(2026, 12, 8)),
        ("in 3 months", date(2027, 2, 24)),
        ("2027-01-15", date(2027, 1, 15)),
        ("15-1-2027", date(2027, 1, 15)),
        ("15/1", date(2027, 1, 15)),
        ("uiterlijk 1 juni 2027", date(2027, 6, 1)),
        ("1 juni om 10 uur", date(2027, 6, 1)),
        ("June 1st", date(2027, 6, 1)),
        ("morgen", date(2026, 11, 25)),
        ("next friday", date(2026, 11, 27)),
        ("volgende week vrijdag", date(2026, 12, 4)),
        ("eind 2027", date(2027, 12, 31)),
    ],
)
def test_deadline_phrases(text: str, expected: date) -> None:
    assert deadline(text) == expected


def test_day_and_month_picks_the_coming_occurrence() -> None:
    assert deadline("1 juni", datetime(2027, 2, 1, 9, tzinfo=AMS)) == date(2027, 6, 1)
    assert deadline("1 juni", datetime(2027, 6, 1, 9, tzinfo=AMS)) == date(2028, 6, 1)


def test_deadline_uses_the_local_date() -> None:
    late_evening_utc = datetime(2026, 11, 24, 23, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 in NL
    assert parse_deadline("morgen", now=late_evening_utc, tz=AMS) == date(2026, 11, 26)


@pytest.mark.parametrize("text", ["gisteren", "vandaag", "1 juni 2020", "vorige week"])
def test_deadline_must_be_tomorrow_or_later(text: str) -> None:
    assert key(deadline(text)) == "deadline_in_past"


@pytest.mark.parametrize("text", ["31 februari", "31 februari 2027", "30-2", "31 april",
                                  "29 februari 2027", "32 mei", "15-13-2027"])
def test_impossible_dates_are_refused_not_shifted(text: str) -> None:
    assert key(deadline(text)) == "deadline_invalid"


def test_29_february_without_year_is_the_next_leap_day() -> None:
    assert deadline("29 februari") == date(2028, 2, 29)


@pytest.mark.parametrize("text", ["veel", "", "12", "a", "voor de zomer", "weet ik niet"])
def test_unparsed_deadline(text: str) -> None:
    assert key(deadline(text)) == "deadline_unparsed"


def test_far_deadline_asks_for_confirmation() -> None:
    result = deadline("over 10 jaar")
    assert isinstance(result, Invalid) and result.key == "deadline_far"
    assert result.needs_confirmation and result.value == date(2036, 11, 24)


def test_dateparser_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("network used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert deadline("over 2 maanden") == date(2027, 1, 24)


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_deadline("morgen", now=datetime(2026, 11, 24), tz=AMS)


# --- clock, zone, weekday ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [("9:00", time(9)), ("09.30", time(9, 30)), ("9u", time(9)), ("9u30", time(9, 30)),
     ("21:15", time(21, 15)), ("9 uur", time(9)), ("9pm", time(21)), ("0:05", time(0, 5))],
)
def test_clock_times(text: str, expected: time) -> None:
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "9:75", "", "24:00", "13pm", "negen", "9:5"])
def test_clock_time_refused(text: str) -> None:
    assert key(parse_clock_time(text)) == "time_invalid"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Europe/Amsterdam", "Europe/Amsterdam"), ("europe/amsterdam", "Europe/Amsterdam"),
     ("Amsterdam", "Europe/Amsterdam"), ("Nederland", "Europe/Amsterdam"),
     ("CET", "Europe/Amsterdam"), ("België", "Europe/Brussels"),
     ("new york", "America/New_York"), ("America/new_york", "America/New_York"),
     ("Curaçao", "America/Curacao"), ("utc", "UTC")],
)
def test_time_zones(text: str, expected: str) -> None:
    assert parse_timezone(text) == ZoneInfo(expected)


@pytest.mark.parametrize("text", ["Mars/Olympus", "", "localtime", "Atlantis"])
def test_unknown_time_zone(text: str) -> None:
    assert key(parse_timezone(text)) == "timezone_unknown"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ma", 0), ("maandag", 0), ("mon", 0), ("Monday", 0), ("di", 1), ("wo", 2),
     ("donderdag", 3), ("vr", 4), ("Fri.", 4), ("za", 5), ("zondag", 6), ("elke woensdag", 2),
     ("maandags", 0)],
)
def test_weekdays(text: str, expected: int) -> None:
    assert parse_weekday(text) == expected


def test_unknown_weekday() -> None:
    assert key(parse_weekday("feestdag")) == "weekday_unknown"


# --- reading back ---

GOAL = SmartGoal(
    specific="een wekelijks taalcafé organiseren voor nieuwkomers",
    metric="aantal deelnemers per week",
    baseline=4,
    target=12,
    achievable="samen met twee vrijwilligers van VluchtelingenWerk",
    relevant="zodat nieuwkomers sneller hun weg vinden in het dorp.",
    deadline=date(2027, 6, 1),
)


def test_smart_sentence_dutch_is_a_goal_of_the_community_with_the_library() -> None:
    assert smart_sentence(GOAL, "nl", "Taalcafé Noord") == (
        "Uiterlijk 1 juni 2027 willen Taalcafé Noord en de bibliotheek samen een wekelijks "
        "taalcafé organiseren voor nieuwkomers, en daarmee het aantal deelnemers per week "
        "verhogen van 4 naar 12, zodat nieuwkomers sneller hun weg vinden in het dorp. "
        "Wie en waarmee: twee vrijwilligers van VluchtelingenWerk."
    )


def test_smart_sentence_reads_as_dutch_whatever_was_typed() -> None:
    # The example: a capitalised noun phrase and who-and-where in one answer.
    goal = GOAL.model_copy(update={
        "specific": "Een wekelijks taalcafé", "metric": "aantal deelnemers per bijeenkomst",
        "baseline": 0, "achievable": "Fatima en twee vrijwilligers, in de leeszaal op "
        "dinsdagavond", "relevant": "", "deadline": date(2027, 3, 31)})
    assert smart_sentence(goal, "nl", "Taalcafé Noord") == (
        "Uiterlijk 31 maart 2027 willen Taalcafé Noord en de bibliotheek samen een wekelijks "
        "taalcafé, en daarmee het aantal deelnemers per bijeenkomst verhogen van 0 naar 12. "
        "Wie en waarmee: Fatima en twee vrijwilligers, in de leeszaal op dinsdagavond.")
    named = GOAL.model_copy(update={"specific": "Fatima's taalcafé uitbreiden"})
    assert "samen Fatima's taalcafé uitbreiden" in smart_sentence(named, "nl", "Wijk")
    assert smart_sentence(GOAL, "nl").startswith(
        "Uiterlijk 1 juni 2027 willen de community en de bibliotheek samen")


def test_smart_sentence_english_and_reduction() -> None:
    goal = GOAL.model_copy(update={
        "specific": "run a homework club", "metric": "number of children on the waiting list",
        "baseline": 40, "target": 12.5, "achievable": "two teachers", "relevant": "every child "
        "gets help", "deadline": date(2027, 3, 31)})
    assert smart_sentence(goal, "en", "Homework club") == (
        "By 31 March 2027, Homework club and the library together want to run a homework club, "
        "and so reduce the number of children on the waiting list from 40 to 12.5, so that "
        "every child gets help. Who and with what: two teachers."
    )
    assert "verlagen van 40 naar 12,5" in smart_sentence(goal, "nl")


