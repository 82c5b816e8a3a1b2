"""An export for a period holds what happened in it, in the librarian's own days; goals stay,
their history as it stood at the period's end."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot.features.export.options import EVERYTHING, Options
from bot.features.export.period import within
from storage.actions import ActionRepo
from storage.activities import ActivityRepo
from storage.collaboration import CollaborationRepo
from storage.export import schema, snapshot
from storage.goals import GoalRepo
from storage.store import Store
from storage.talk import TalkRepo
from tests.access_helpers import Clock

AUTUMN = Options(start=date(2025, 10, 1), end=date(2025, 11, 30))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db_path: Path, clock: Clock) -> Iterator[Store]:
    s = Store(db_path, clock=clock)
    yield s
    s.close()


def at(clock: Clock, year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> None:
    clock.now = datetime(year, month, day, hour, minute, tzinfo=UTC)


def half_a_year(store: Store, clock: Clock) -> dict[str, Any]:
    """August to December 2025 in Amsterdam: a little of everything, month by month."""
    user = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=1)
    community = store.create_community(user.id, "Taalcafé Noord", "taal")
    talk, goals, actions = TalkRepo(store), GoalRepo(store), ActionRepo(store)
    together, activities = CollaborationRepo(store), ActivityRepo(store)
    goals.save_vision(community, "Meer bereik", "Nederlands oefenen", "Samen taal leren", "F")
    goal = goals.add_goal(user.id, community, specific="Wekelijks taalcafé", metric="bezoekers",
                          baseline=4, target=20, achievable="ja", relevant="past",
                          relevant_part="vision", deadline=date(2026, 6, 30))
    at(clock, 2025, 8, 15)
    store.add_note(user.id, community, "zomer", [])
    store.add_note(user.id, None, "losse zomergedachte", [])
    person = talk.add_person(user.id, community, "Fatima", "voorzitter", "Vrouwen van de Wijk")
    talk.start(user.id, community, person, "Buurthuis")
    activities.add(user.id, community, kind="taalcafé", day=date(2025, 8, 15), what="zomer",
                   participants=8, led_by="library", note=None)
    together.add_outcome(user.id, community, "knowledge", "zomeropbrengst")
    goals.log_progress(user.id, goal, 6, None)
    flyer = actions.add(user.id, community, "flyer maken")
    called = actions.add(user.id, community, "bellen")
    slow = actions.add(user.id, community, "zaal regelen")
    at(clock, 2025, 8, 20)
    actions.done(user.id, called)
    # 00:30 on 1 October in Amsterdam, still 30 September in UTC: October's.
    at(clock, 2025, 9, 30, 22, 30)
    store.add_note(user.id, community, "net oktober", [])
    at(clock, 2025, 10, 10)
    store.add_note(user.id, community, "oktober", [])
    store.add_note(user.id, None, "losse oktobergedachte", [])
    activities.add(user.id, community, kind="taalcafé", day=date(2025, 10, 10), what="herfst",
                   participants=12, led_by="library", note=None)
    together.add_outcome(user.id, community, "knowledge", "herfstopbrengst")
    goals.log_progress(user.id, goal, 9, None)
    actions.done(user.id, flyer)
    at(clock, 2025, 12, 1)
    actions.add(user.id, community, "later")
    at(clock, 2025, 12, 5)
    store.add_note(user.id, community, "december", [])
    goals.log_progress(user.id, goal, 12, None)
    actions.done(user.id, slow)
    return snapshot(store, user.id)


def test_a_period_keeps_what_happened_in_it(store: Store, clock: Clock) -> None:
    data = half_a_year(store, clock)
    before = copy.deepcopy(data)
    cut = within(data, AUTUMN)
    assert data == before  # the snapshot itself is left as it was
    c = cut["communities"][0]
    assert [n["text"] for n in c["notes"]] == ["net oktober", "oktober"]
    assert [n["text"] for n in cut["loose_notes"]] == ["losse oktobergedachte"]
    assert [a["what"] for a in c["activities"]] == ["herfst"]
    assert [o["text"] for o in c["outcomes"]] == ["herfstopbrengst"]
    assert c["conversations"] == []  # Fatima was in August
    # Done in the period, and open during it (done after its end: open as it stood then);
    # done before it or made after it: not this period's.
    assert [(a["what"], bool(a["done_at"])) for a in c["actions"]] == [
        ("flyer maken", True), ("zaal regelen", False)]
    assert [p["name"] for p in c["people"]] == ["Fatima"]  # people and vision stay
    assert c["vision"]["vision"] == "Samen taal leren"
    assert cut["period"] == {"start": "2025-10-01", "end": "2025-11-30"}
    jsonschema.validate(cut, schema())


def test_a_goal_stands_as_at_the_periods_end(store: Store, clock: Clock) -> None:
    goal = within(half_a_year(store, clock), AUTUMN)["communities"][0]["goals"][0]
    assert [p["value"] for p in goal["progress"]] == [9]  # December's 12 came after
    assert goal["at_start"] == 6  # where it stood when the period began
    whole = within(half_a_year_again(store, clock), EVERYTHING)["communities"][0]["goals"][0]
    assert [p["value"] for p in whole["progress"]] == [6, 9, 12]
    assert whole["at_start"] is None  # since the start: the baseline


def half_a_year_again(store: Store, clock: Clock) -> dict[str, Any]:
    user = store.user_by_telegram(1)
    assert user is not None
    return snapshot(store, user.id)


def test_since_the_start_keeps_everything(store: Store, clock: Clock) -> None:
    data = half_a_year(store, clock)
    whole = within(data, EVERYTHING)
    assert whole["period"] == {"start": None, "end": None}
    c, full = whole["communities"][0], data["communities"][0]
    for key in ("notes", "activities", "outcomes", "actions", "conversations"):
        assert c[key] == full[key], key


def test_a_period_with_no_records_leaves_the_lists_empty(store: Store, clock: Clock) -> None:
    cut = within(half_a_year(store, clock), Options(start=date(2024, 1, 1),
                                                    end=date(2024, 3, 31)))
    c = cut["communities"][0]
    for key in ("notes", "activities", "outcomes", "actions", "conversations"):
        assert c[key] == [], key
    assert cut["loose_notes"] == [] and cut["loose_conversations"] == []
    goal = c["goals"][0]
    assert goal["progress"] == [] and goal["at_start"] is None
    assert cut["period"] == {"start": "2024-01-01", "end": "2024-03-31"}


def test_the_day_is_the_librarians_own(store: Store, clock: Clock) -> None:
    # In Paramaribo (UTC-3) that October night note was still 30 September.
    data = half_a_year(store, clock)
    data["librarian"]["timezone"] = "America/Paramaribo"
    notes = [n["text"] for n in within(data, AUTUMN)["communities"][0]["notes"]]
    assert notes == ["oktober"]
