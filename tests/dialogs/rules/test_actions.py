"""Follow-up actions read from notes: the marker, the due date at the end, bad dates."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from dialogs.rules.actions.reading import follow_up, parse_due, split_due
from dialogs.rules.goals.smart import Invalid

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 26, 13, 0, tzinfo=UTC)  # a Thursday


@pytest.mark.parametrize("text", [
    "actie: Fatima mailen", "Actie, Fatima mailen", "ACTIE - Fatima mailen",
    "todo: Fatima mailen", "To-do Fatima mailen", "action: Fatima mailen", "actie. Fatima mailen",
])
def test_marker_in_any_case_and_punctuation(text: str) -> None:
    assert follow_up(text) == "Fatima mailen"


@pytest.mark.parametrize("text", ["acties bespreken", "Fatima mailen", "actie:", "actievoeren"])
def test_no_action_without_marker_or_text(text: str) -> None:
    assert follow_up(text) is None


@pytest.mark.parametrize("typed, due", [
    ("vandaag", date(2026, 11, 26)),
    ("vrijdag", date(2026, 11, 27)),
    ("over twee weken", date(2026, 12, 10)),
    ("1 februari", date(2027, 2, 1)),
    ("morgen", date(2026, 11, 27)),
])
def test_due_dates_typed_naturally(typed: str, due: date) -> None:
    assert parse_due(typed, now=NOW, tz=AMS) == due


def test_due_date_in_the_past_refused_with_reason() -> None:
    found = parse_due("2026-11-20", now=NOW, tz=AMS)
    assert isinstance(found, Invalid) and found.key == "due_in_past"


def test_impossible_date_refused() -> None:
    found = parse_due("31 februari", now=NOW, tz=AMS)
    assert isinstance(found, Invalid) and found.key == "deadline_invalid"


def test_due_date_taken_off_the_end() -> None:
    parsed = split_due("Fatima mailen over een ruimte vrijdag", now=NOW, tz=AMS)
    assert (parsed.what, parsed.due) == ("Fatima mailen over een ruimte", date(2026, 11, 27))
    parsed = split_due("Fatima mailen over een ruimte", now=NOW, tz=AMS)
    assert (parsed.what, parsed.due) == ("Fatima mailen over een ruimte", None)
    parsed = split_due("zaal boeken voor 1 februari", now=NOW, tz=AMS)
    assert (parsed.what, parsed.due) == ("zaal boeken", date(2027, 2, 1))


def test_impossible_trailing_date_is_reported_not_kept() -> None:
    parsed = split_due("zaal boeken 31 februari", now=NOW, tz=AMS)
    assert parsed.due is None and parsed.bad_due is not None
    assert parsed.bad_due.key == "deadline_invalid"
