"""A realistic community after a quarter of field work, for the report's tests: Taalcafé
Noord with its vision, three goals (one behind), activities, ⭐ quotes, roles, outcomes and
actions, on a real SQLite store whose clock moves as the work did."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from storage.actions import ActionRepo
from storage.activities import ActivityRepo
from storage.collaboration import CollaborationRepo
from storage.goals import GoalRepo
from storage.store import Store
from storage.talk import TalkRepo
from tests.access_helpers import Clock

EXPORTED = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
QUOTE = "Hier durf ik fouten te maken"


def at(clock: Clock, day: str) -> None:
    clock.now = datetime.fromisoformat(day + "T10:00:00+00:00")


def talk(store: Store, user: int, community: int, name: str, role: str | None,
         said: list[tuple[str, str, bool]]) -> int:
    """A conversation with `name`: (question, note, ⭐) each; returns the ids of its notes."""
    repo = TalkRepo(store)
    person = repo.add_person(user, community, name, role, None)
    conversation = repo.start(user, community, person, "Bibliotheek Noord")
    last = 0
    for question, text, starred in said:
        last = repo.add_turn(conversation, user, "librarian", question, text)
        if starred:
            repo.star_note(user, last, True)
    repo.finish(user, conversation, {"value_both": "yes"})
    repo.set_summary(conversation, f"Gesprek met {name}\n\nKern: donderdag, geeft", ["geeft"])
    return last


def community(store: Store, clock: Clock) -> tuple[int, int]:
    """(user id, community id) of Anna's Taalcafé Noord, as of EXPORTED."""
    at(clock, "2026-09-01")
    user = store.create_user(name="Anna de Vries", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=1001).id
    cid = store.create_community(user, "Taalcafé Noord", "taal en ontmoeting")
    store.set_tick(cid, "p1.policy", True)
    store.set_answer(cid, "phase1.frame", "Iedereen doet mee: taal, ontmoeting en leesplezier")
    goals = GoalRepo(store)
    goals.save_vision(cid, "Een plek waar nieuwkomers de bibliotheek leren kennen",
                      "Durven Nederlands spreken in het dagelijks leven",
                      "Samen oefenen we Nederlands, zonder drempel, elke week", "Fatima en Karim")
    visitors = goals.add_goal(user, cid, specific="Wekelijks taalcafé met vaste bezoekers",
                              metric="aantal verschillende deelnemers", baseline=0, target=10,
                              achievable="Fatima en twee vrijwilligers helpen",
                              relevant="past bij de visie", relevant_part="vision",
                              deadline=date(2027, 3, 31))
    evenings = goals.add_goal(user, cid, specific="Twaalf taalcafé-avonden", metric="avonden",
                              baseline=0, target=12, achievable="", relevant="",
                              relevant_part=None, deadline=date(2026, 12, 31))
    goals.add_goal(user, cid, specific="Vijf nieuwe bibliotheekpassen", metric="passen",
                   baseline=1, target=5, achievable="", relevant="", relevant_part=None,
                   deadline=date(2027, 6, 30))
    activities = ActivityRepo(store)
    activities.link(user, evenings, "count", "taalcafé")
    at(clock, "2026-09-15")
    talk(store, user, cid, "Fatima", "voorzitter", [
        ("work", "Ze organiseert al jaren een taalcafé in het buurthuis. Nu zoekt ze een"
                 " vaste plek.", False),
        ("problems", "De vrouwen durven op straat geen Nederlands te spreken", True)])
    at(clock, "2026-10-02")
    talk(store, user, cid, "Karim", None, [
        ("work", "Hij geeft les op de moskee en wil vrijwilligers werven", False),
        ("changes", QUOTE, True)])
    at(clock, "2026-10-20")
    talk(store, user, cid, "Mariam", "vrijwilliger", [
        ("offer", "Ik lees de kinderen voor, dan kunnen de moeders rustig oefenen", True)])
    for day, people in (("2026-10-01", 8), ("2026-10-08", 11), ("2026-10-15", 9),
                        ("2026-11-05", 12), ("2026-11-12", 15)):
        at(clock, day)
        activities.add(user, cid, kind="taalcafé", day=date.fromisoformat(day),
                       what="oefenen met koffie", participants=people,
                       led_by="Fatima" if day < "2026-11" else "Fatima en Anna",
                       note="Nieuwe mensen via de moskee" if day == "2026-11-12" else None)
    at(clock, "2026-11-20")
    activities.add(user, cid, kind="voorleesochtend", day=date(2026, 11, 20),
                   what="voorlezen in het Arabisch en Nederlands", participants=14,
                   led_by="Mariam", note=None)
    goals.log_progress(user, visitors, 4, "vier vaste gezichten")
    together = CollaborationRepo(store)
    together.add_role(user, cid, "Fatima", "ambassador")
    together.add_role(user, cid, "Mariam", "ambassador")
    together.add_role(user, cid, "Buurthuis De Linde", "partner")
    together.add_outcome(user, cid, "series", "Elke donderdag een taalcafé in de bibliotheek")
    together.add_outcome(user, cid, "change", "Moeders lenen nu zelf prentenboeken")
    actions = ActionRepo(store)
    booked = actions.add(user, cid, "Zaal boeken voor januari", who="Anna")
    actions.done(user, booked)
    actions.add(user, cid, "Flyer in het Arabisch laten vertalen", due=date(2026, 11, 30))
    actions.add(user, cid, "Kerstborrel met de vrijwilligers", due=date(2026, 12, 18))
    clock.now = EXPORTED
    return user, cid


def first_timers(data: dict[str, Any], counts: list[int | None]) -> None:
    """What the activities' `first_time` column (another part of this issue) adds to rows."""
    for row, count in zip(data["communities"][0]["activities"], counts, strict=False):
        row["first_time"] = count
