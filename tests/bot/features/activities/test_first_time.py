"""Distinct participants through the service with a real database: after "how many took
part" the activity dialog asks how many came for the first time (one tap for all, none or
"don't know", or a number); a goal can count distinct participants (the first-timers);
/activiteit and /samenvatting show visits and distinct participants, "minstens" where some
activity has no first-timers recorded; more first-timers than participants, a word or a
negative number are refused and asked again, losing nothing typed before."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.app.registry import FEATURES, Service
from dialogs.catalog import Catalog
from storage.activities import ActivityRepo
from storage.goals import GoalRepo
from storage.store import Store
from tests.bot.features.activities.conftest import THURSDAY
from tests.bot.features.activities.test_activities import goal
from tests.bot.features.goals.test_goals import Clock
from tests.chat import Chat

QUESTION = "Hoeveel van hen kwamen voor het eerst?"


@pytest.fixture
def anna(db_path: Path, catalog: Catalog) -> Iterator[Chat]:
    service = Service(Store(db_path, clock=Clock(THURSDAY)), catalog, features=FEATURES)
    chat = Chat(service, telegram_id=1001, name="Anna")
    chat.onboard("Taalcafé Noord", "taal")
    yield chat
    service.store.close()


def up_to_first_time(chat: Chat, people: str = "14") -> None:
    chat.send("/activiteit")
    chat.press("Activiteit vastleggen")
    chat.send("taalcafé")
    chat.press("Vandaag")
    chat.send("Avond over de gemeente, met koffie")
    chat.send(people)


def finish(chat: Chat) -> None:
    chat.press("Een ambassadeur")
    chat.press("Zonder notitie")


def stored(chat: Chat) -> list[tuple[int, int | None, str]]:
    user = chat.service.user(chat.who)
    return [(a.participants, a.first_time, a.what) for a in ActivityRepo(
        chat.service.store).of(user.id, user.active_community or 0)]


def test_the_question_comes_after_the_participants_with_one_tap_answers(anna: Chat) -> None:
    up_to_first_time(anna)
    assert QUESTION in anna.text()
    assert anna.labels()[:3] == ["Allemaal (14)", "Niemand", "Weet ik niet"]
    anna.press("Allemaal")
    assert "Wie leidde het?" in anna.text()
    finish(anna)
    assert "✅ Vastgelegd: taalcafé op 26 nov, met 14 deelnemers, allemaal voor het eerst." \
        in anna.text()
    assert stored(anna) == [(14, 14, "Avond over de gemeente, met koffie")]


@pytest.mark.parametrize("answer, kept, said", [
    ("=Niemand", 0, "met 14 deelnemers, van wie niemand voor het eerst."),
    ("=Weet ik niet", None, "met 14 deelnemers."),
    ("5", 5, "met 14 deelnemers, van wie 5 voor het eerst."),
    ("14", 14, "met 14 deelnemers, allemaal voor het eerst."),
])
def test_a_tap_or_a_number_is_stored(anna: Chat, answer: str, kept: int | None,
                                      said: str) -> None:
    up_to_first_time(anna)
    if answer.startswith("="):
        anna.press(answer[1:])
    else:
        anna.send(answer)
    finish(anna)
    assert said in anna.text()
    assert stored(anna)[0][1] == kept


def test_more_first_timers_than_participants_is_refused_and_nothing_is_lost(
        anna: Chat) -> None:
    up_to_first_time(anna, "14")
    anna.send("20")
    text = anna.text()
    assert "Er deden 14 mensen mee, dus 20 nieuwe kan niet kloppen. Waren het er toch meer?" in text
    assert QUESTION in text and "Allemaal (14)" in anna.labels()
    anna.send("6")
    assert "Wie leidde het?" in anna.text()
    finish(anna)
    assert stored(anna) == [(14, 6, "Avond over de gemeente, met koffie")]


def test_the_participants_can_be_corrected_from_the_question(anna: Chat) -> None:
    up_to_first_time(anna, "14")
    anna.send("20")
    anna.press("Aantal deelnemers aanpassen")
    assert "Hoeveel mensen deden mee?" in anna.text()
    anna.send("24")
    assert QUESTION in anna.text() and "Allemaal (24)" in anna.labels()
    anna.send("20")
    finish(anna)
    assert stored(anna) == [(24, 20, "Avond over de gemeente, met koffie")]


@pytest.mark.parametrize("typed, said", [
    ("-2", "‘-2’ kan geen aantal nieuwe mensen zijn"),
    ("een paar", "‘een paar’ is geen aantal"),
    ("2,5", "‘2,5’ kan geen aantal nieuwe mensen zijn"),
])
def test_a_negative_or_non_numeric_answer_is_refused_and_asked_again(
        anna: Chat, typed: str, said: str) -> None:
    up_to_first_time(anna)
    anna.send(typed)
    assert said in anna.text() and QUESTION in anna.text()
    anna.send("3")
    finish(anna)
    assert stored(anna) == [(14, 3, "Avond over de gemeente, met koffie")]


def test_typed_words_for_all_none_and_dont_know(anna: Chat) -> None:
    for typed, kept in (("iedereen", 14), ("niemand", 0), ("weet ik niet", None)):
        up_to_first_time(anna)
        anna.send(typed)
        assert "Wie leidde het?" in anna.text(), typed
        finish(anna)
        assert stored(anna)[0][1] == kept, typed


def test_a_goal_counts_distinct_participants_from_the_first_timers(anna: Chat) -> None:
    goal_id = goal(anna, target=30)
    anna.send("/activiteit")
    anna.press("Doel laten meetellen")
    anna.press("tien taalcafé-avonden")
    assert "🙋 Verschillende deelnemers" in anna.labels()
    anna.press("Verschillende deelnemers")
    anna.press("Alle soorten")
    assert "telt nu mee: verschillende deelnemers, elk geteld bij de eerste keer. Nu: 0." \
        in anna.text()
    up_to_first_time(anna, "14")
    anna.press("Allemaal")
    finish(anna)
    assert "📈 ‘tien taalcafé-avonden dit seizoen’ staat nu op 14." in anna.text()
    up_to_first_time(anna, "9")
    anna.send("3")
    finish(anna)
    assert "staat nu op 17." in anna.text()
    up_to_first_time(anna, "11")
    anna.press("Weet ik niet")  # counts nothing, and says so
    finish(anna)
    assert "staat nu op 17." in anna.text()
    assert "Voor verschillende deelnemers telt deze activiteit niet mee: je weet niet wie er " \
        "nieuw was." in anna.text()
    repo = GoalRepo(anna.service.store)
    assert [v for _, v in repo.progress(goal_id)] == [0, 14, 17, 17]
    anna.send("/activiteit")
    anna.press("🗑")  # the newest: 11, unknown
    anna.press("🗑")  # then 9 with 3 new
    assert "staat nu op 14." in anna.text()


def test_linking_when_some_activities_have_no_first_timers_says_the_count_may_be_higher(
        anna: Chat) -> None:
    add(anna, date(2026, 11, 5), 12, 7)
    add(anna, date(2026, 11, 12), 6, None)
    goal(anna, target=30)
    anna.send("/activiteit")
    anna.press("Doel laten meetellen")
    anna.press("tien taalcafé-avonden")
    anna.press("Verschillende deelnemers")
    anna.press("Alle soorten")
    assert "Nu: 7." in anna.text()
    assert "Bij 1 activiteit weet je niet wie er nieuw was; die telt niet mee, dus het echte " \
        "aantal kan hoger zijn." in anna.text()


def test_first_timers_above_participants_count_as_all_of_them(anna: Chat) -> None:
    """Stored by an older client or by hand: capped at the participants when counted."""
    goal_id = goal(anna, target=30)
    user = anna.service.user(anna.who)
    repo = ActivityRepo(anna.service.store)
    repo.link(user.id, goal_id, "distinct", None)
    repo.add(user.id, user.active_community or 0, kind="taalcafé", day=date(2026, 11, 20),
             what="Avond", participants=5, first_time=9, led_by="Anna", note=None)
    assert GoalRepo(anna.service.store).goal(user.id, goal_id).current == 5  # type: ignore[union-attr]


def add(chat: Chat, day: date, people: int, first: int | None) -> None:
    user = chat.service.user(chat.who)
    ActivityRepo(chat.service.store).add(
        user.id, user.active_community or 0, kind="taalcafé", day=day, what="Taalcafé",
        participants=people, first_time=first, led_by="Anna", note=None)


def test_the_glance_and_the_list_show_visits_and_distinct_participants(anna: Chat) -> None:
    add(anna, date(2026, 10, 8), 9, 9)
    add(anna, date(2026, 11, 5), 12, 7)
    add(anna, date(2026, 11, 12), 6, 3)
    anna.send("/samenvatting")
    text = anna.text()
    assert "deze maand 2 activiteiten, 18 bezoeken, 10 nieuwe deelnemers" in text
    assert "in totaal 3 activiteiten, 27 bezoeken, 19 verschillende deelnemers" in text
    assert "minstens" not in text
    anna.send("/activiteit")
    text = anna.text()
    assert "3 activiteiten, 27 bezoeken, 19 verschillende deelnemers" in text
    assert "Taalcafé · 12 deelnemers, van wie 7 voor het eerst · geleid door Anna" in text


def test_an_estimate_says_at_least_and_nothing_recorded_reads_as_before(anna: Chat) -> None:
    add(anna, date(2026, 10, 8), 9, None)
    anna.send("/samenvatting")
    assert "in totaal 1 activiteit, 9 deelnemers." in anna.text()  # as before: no estimate
    assert "verschillende" not in anna.text()
    add(anna, date(2026, 11, 5), 12, 7)
    add(anna, date(2026, 11, 12), 6, 3)
    anna.send("/samenvatting")
    text = anna.text()
    assert "in totaal 3 activiteiten, 27 bezoeken, minstens 10 verschillende deelnemers" \
        in text
    anna.send("/activiteit")
    assert "3 activiteiten, 27 bezoeken, minstens 10 verschillende deelnemers" in anna.text()
