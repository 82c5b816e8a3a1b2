"""The goal validators as the engine uses them: cleaned value, reason, or "is that right?"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialogs.rules.goals.checks import COMPUTED, VALIDATORS
from dialogs.state import Context
from dialogs.validators import CORE, Rejected
from dialogs.validators import run as run_specs

REGISTRY = {**CORE, **VALIDATORS}


def run(specs: list[str], text: str, context: Context, data: dict) -> str | Rejected:
    return run_specs(specs, text, context, data, REGISTRY)


NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # Tuesday


def ctx(lang: str = "nl", tz: str = "Europe/Amsterdam") -> Context:
    return Context(lang=lang, values={"now": NOW.isoformat(), "tz": tz})


def check(spec: str, text: str, data: dict[str, str] | None = None,
          lang: str = "nl") -> str | Rejected:
    return run([spec], text, ctx(lang), data or {})


@pytest.mark.parametrize(("text", "key", "shown"), [
    ("gisteren", "deadline_in_past", {"date": "23 november 2026"}),
    ("vandaag", "deadline_in_past", {"date": "24 november 2026"}),
    ("31 februari", "deadline_invalid", {"day": "31", "month": "februari"}),
    ("morgen of zo iets", "deadline_unparsed", {}),
])
def test_deadline_refused_with_a_specific_reason(text: str, key: str,
                                                 shown: dict[str, str]) -> None:
    result = check("smart_deadline", text)
    assert isinstance(result, Rejected) and result.key == key
    assert result.confirm_value is None
    assert shown.items() <= result.params.items()


@pytest.mark.parametrize(("text", "iso"), [
    ("1 juni", "2027-06-01"), ("eind maart", "2027-03-31"), ("over 3 maanden", "2027-02-24"),
    ("2027-01-15", "2027-01-15"), ("in 3 months", "2027-02-24"),
])
def test_deadline_typed_naturally(text: str, iso: str) -> None:
    assert check("smart_deadline", text) == iso


def test_deadline_uses_the_users_zone() -> None:
    late = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)  # already the 25th in Amsterdam
    context = Context(values={"now": late.isoformat(), "tz": "Europe/Amsterdam"})
    refused = run(["smart_deadline"], "25 november 2026", context, {})
    assert isinstance(refused, Rejected) and refused.key == "deadline_in_past"
    context = Context(values={"now": late.isoformat(), "tz": "America/Paramaribo"})
    assert run(["smart_deadline"], "25 november 2026", context, {}) == "2026-11-25"


def test_far_deadline_asks_and_keeps_the_date() -> None:
    result = check("smart_deadline", "2040-01-01")
    assert isinstance(result, Rejected) and result.key == "deadline_far"
    assert result.confirm_value == "2040-01-01"


def test_target_not_a_number_is_refused() -> None:
    result = check("smart_target", "veel", {"baseline": "4"})
    assert isinstance(result, Rejected) and result.key == "not_a_number"
    assert result.confirm_value is None and result.params["text"] == "veel"


def test_target_equal_to_baseline_is_refused() -> None:
    result = check("smart_target", "4,0", {"baseline": "4"})
    assert isinstance(result, Rejected) and result.key == "target_equals_baseline"
    assert result.confirm_value is None


@pytest.mark.parametrize(("text", "key", "value"), [
    ("-5", "number_negative", "-5"), ("5000000", "number_huge", "5000000"),
    ("2,5 miljoen", "number_huge", "2500000"),
])
def test_negative_or_absurd_target_asks_for_confirmation(text: str, key: str,
                                                         value: str) -> None:
    result = check("smart_target", text, {"baseline": "4"})
    assert isinstance(result, Rejected) and result.key == key
    assert result.confirm_value == value


@pytest.mark.parametrize(("text", "value"), [("12", "12"), ("12,5", "12.5"), ("1.000", "1000"),
                                             ("ongeveer 30 deelnemers", "30")])
def test_numbers_are_cleaned(text: str, value: str) -> None:
    assert check("smart_number", text) == value
    assert check("progress_value", text) == value


def test_progress_value_not_a_number() -> None:
    result = check("progress_value", "een paar")
    assert isinstance(result, Rejected) and result.key == "not_a_number"


def test_metric_that_is_a_number_or_starts_with_one() -> None:
    refused = check("smart_metric", "12")
    assert isinstance(refused, Rejected) and refused.key == "metric_is_number"
    asked = check("smart_metric", "12 deelnemers")
    assert isinstance(asked, Rejected) and asked.confirm_value == "12 deelnemers"
    assert check("smart_metric", "aantal deelnemers per week.") == "aantal deelnemers per week"


@pytest.mark.parametrize("text", ["25:00", "9:75", "straks", "13pm"])
def test_reminder_time_refused(text: str) -> None:
    result = check("clock_time", text)
    assert isinstance(result, Rejected) and result.key == "time_invalid"


@pytest.mark.parametrize(("text", "value"), [("9:00", "09:00"), ("8.30", "08:30"),
                                             ("17u", "17:00"), ("5pm", "17:00")])
def test_reminder_time_accepted(text: str, value: str) -> None:
    assert check("clock_time", text) == value


def test_time_zone_and_weekday() -> None:
    assert check("timezone", "paramaribo") == "America/Paramaribo"
    assert check("timezone", "Nederland") == "Europe/Amsterdam"
    unknown = check("timezone", "Mars/Olympus_Mons")
    assert isinstance(unknown, Rejected) and unknown.key == "timezone_unknown"
    assert check("weekday", "elke woensdag") == "2"
    assert isinstance(check("weekday", "blauwdag"), Rejected)


@pytest.mark.parametrize("text", ["niemand", "Nog niemand.", "nobody", "-", "alleen ik"])
def test_nobody_named_warns_but_can_be_confirmed(text: str) -> None:
    result = check("community_names", text)
    assert isinstance(result, Rejected) and result.key == "vision_nobody"
    assert result.confirm_value == ""


def test_names_pass() -> None:
    assert check("community_names", "Sanne en Ahmed") == "Sanne en Ahmed"


def test_vision_of_three_sentences_asks() -> None:
    assert check("sentences:2", "Samen lezen. Samen leren.") == "Samen lezen. Samen leren."
    long = check("sentences:2", "Een. Twee. Drie.")
    assert isinstance(long, Rejected) and long.confirm_value == "Een. Twee. Drie."


DRAFT = {"specific": "een wekelijks taalcafé organiseren voor nieuwkomers",
         "metric": "aantal deelnemers per week", "baseline": "4", "target": "12",
         "achievable": "vrijwilligers van de taalschool", "deadline": "2027-06-01"}


def test_sentence_quotes_the_vision_part_it_serves() -> None:
    data = {**DRAFT, "relevant": "vision", "community": "Taalcafé Noord",
            "serves_vision": "Dat dient jullie gezamenlijke visie: ‘Iedereen doet mee.’"}
    text = COMPUTED["smart_sentence"](data, "nl")
    assert text.startswith("Uiterlijk 1 juni 2027 willen Taalcafé Noord en de bibliotheek samen")
    assert "verhogen van 4 naar 12" in text and text.endswith("‘Iedereen doet mee.’")
    assert "zodat" not in text


def test_sentence_in_own_words_and_incomplete_draft() -> None:
    data = {**DRAFT, "relevant": "nieuwkomers zich thuis voelen"}
    assert "so that nieuwkomers zich thuis voelen." in COMPUTED["smart_sentence"](data, "en")
    assert COMPUTED["smart_sentence"]({"specific": "x"}, "nl") == "…"
