"""/samenvatting as the community at a glance, through the service and a real database: phase
progress with the next step, vision, goals with their pace, activities, actions, outcomes,
people met; and a community with nothing, or goals without activities."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.app.registry import FEATURES, Service
from bot.telegram.sending import split_text
from dialogs.catalog import Catalog
from dialogs.replies import MAX_TEXT
from storage.actions import ActionRepo
from storage.activities import ActivityRepo
from storage.collaboration import CollaborationRepo
from storage.goals import GoalRepo
from storage.store import Store
from tests.bot.features.talk.test_heard import talk
from tests.chat import Chat


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 9, 1, 10, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def gservice(db_path: Path, clock: Clock, catalog: Catalog) -> Iterator[Service]:
    store = Store(db_path, clock=clock)
    yield Service(store, catalog, features=FEATURES)
    store.close()


@pytest.fixture
def anna(gservice: Service) -> Chat:
    chat = Chat(gservice, telegram_id=1001, name="Anna")
    chat.onboard("Taalcafé Noord", "taal")
    return chat


def ids(chat: Chat) -> tuple[int, int]:
    user = chat.service.user(chat.who)
    assert user.active_community is not None
    return user.id, user.active_community


def two_goals(chat: Chat) -> None:
    """Made on 1 September, both running to 1 March: one on pace, one behind."""
    uid, cid = ids(chat)
    goals = GoalRepo(chat.service.store)
    for specific, metric, now in (("Tien vaste bezoekers van het taalcafé", "bezoekers", 2),
                                  ("Drie vrijwilligers die zelf een avond leiden",
                                   "vrijwilligers", 2)):
        gid = goals.add_goal(uid, cid, specific=specific, metric=metric, baseline=0,
                             target=10 if metric == "bezoekers" else 3, achievable="",
                             relevant="", relevant_part=None, deadline=date(2027, 3, 1))
        goals.log_progress(uid, gid, now, None)


def full(chat: Chat, clock: Clock) -> None:
    uid, cid = ids(chat)
    store = chat.service.store
    GoalRepo(store).save_vision(cid, "Nieuwkomers vinden de weg naar de bibliotheek",
                                "Samen Nederlands oefenen zonder drempel",
                                "Een plek waar iedereen durft te praten", "Fatima")
    two_goals(chat)
    clock.now = datetime(2026, 10, 1, 10, 0, tzinfo=UTC)
    talk(chat, "Fatima", {1: ["Ze leidt een naaiatelier in het buurthuis"]})
    clock.now = datetime(2026, 10, 20, 10, 0, tzinfo=UTC)
    talk(chat, "Ahmed", {5: ["Hij wil beter Nederlands oefenen voor zijn werk"]})
    clock.now = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
    talk(chat, "Mariam", {5: ["Geen kinderopvang op woensdag"]})
    activities = ActivityRepo(store)
    activities.add(uid, cid, kind="taalcafe", day=date(2026, 10, 8), what="Taalcafé",
                   participants=9, led_by="Anna", note=None)
    activities.add(uid, cid, kind="taalcafe", day=date(2026, 11, 5), what="Taalcafé",
                   participants=12, led_by="Fatima", note=None)
    activities.add(uid, cid, kind="voorlezen", day=date(2026, 11, 12), what="Voorlezen",
                   participants=6, led_by="Anna", note=None)
    actions = ActionRepo(store)
    actions.add(uid, cid, "Ruimte op dinsdag navragen", due=date(2026, 11, 10))
    actions.add(uid, cid, "Flyer maken", due=date(2026, 12, 1))
    CollaborationRepo(store).add_outcome(uid, cid, "change",
                                         "Het buurthuis houdt dinsdag een lokaal vrij")
    # 20 November: 80 of 181 days gone, so goal 1 planned at 4.4 → 5, goal 2 at 1.3 → 2.
    clock.now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def test_a_full_community_shows_each_part_in_order(anna: Chat, clock: Clock) -> None:
    full(anna, clock)
    anna.send("/samenvatting")
    text = anna.text()
    order = ["Fase 1", "Fase 6", "Nog te doen in", "Visie:", "Nieuwkomers vinden de weg",
             "Doelen (2)",
             "Tien vaste bezoekers", "achter: 2 van 10, volgens planning nu 5",
             "Drie vrijwilligers", "op koers",
             "Activiteiten:", "deze maand 2 activiteiten, 18 deelnemers",
             "in totaal 3 activiteiten, 27 deelnemers",
             "Acties:", "2 open", "Ruimte op dinsdag navragen",
             "Opbrengsten (1)", "Het buurthuis houdt dinsdag een lokaal vrij",
             "Mensen gesproken (3)", "Mariam", "Ahmed", "Fatima"]
    at = [text.find(part) for part in order]
    assert -1 not in at, [p for p, i in zip(order, at, strict=True) if i == -1]
    assert at == sorted(at), text
    assert "te laat" in text and "Flyer maken (uiterlijk 1 dec)" in text.split("Acties:")[1]
    assert "3 nov" in text.split("Mensen")[1]  # Mariam's last contact
    assert "Nog niet vastgelegd" not in text and "(s)" not in text
    labels = anna.labels()
    assert any("Wat we hoorden" in b for b in labels)
    assert any("Mariam" in b for b in labels)


def test_an_empty_community_says_so_in_one_sentence(anna: Chat) -> None:
    anna.send("/samenvatting")
    text = anna.text()
    assert "nog niets vastgelegd" in text
    assert "Nog te doen in" in text
    for part in ("Visie", "Doelen", "Activiteiten", "Acties", "Mensen"):
        assert f"{part} (" not in text and f"{part}:" not in text
    assert "Nog niet vastgelegd" not in text


def test_goals_but_no_activities(anna: Chat, clock: Clock) -> None:
    two_goals(anna)
    clock.now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    anna.send("/samenvatting")
    text = anna.text()
    assert "Tien vaste bezoekers" in text and "Drie vrijwilligers" in text
    assert text.count("Nog geen") == 1
    assert "Nog geen visie, activiteiten, acties, opbrengsten of gesprekken" in text


def test_a_long_summary_pages_and_loses_nothing(anna: Chat, clock: Clock) -> None:
    uid, cid = ids(anna)
    actions = ActionRepo(anna.service.store)
    activities = ActivityRepo(anna.service.store)
    for n in range(60):
        activities.add(uid, cid, kind="taalcafe", day=date(2026, 8, 1) + timedelta(days=n),
                       what=f"Taalcafé {n}", participants=5, led_by="Anna", note=None)
        actions.add(uid, cid, f"Actie nummer {n} met een lange omschrijving van wat er moet "
                    "gebeuren voor het taalcafé", due=date(2026, 8, 1))
        actions.done(uid, actions.add(uid, cid, f"Afgerond {n}: bellen met de wijkcoach over "
                                      "de ruimte en de tijden voor het taalcafé"))
    anna.send("/samenvatting")
    text = anna.text()
    assert len(text) > MAX_TEXT
    pages = split_text(text)
    assert len(pages) > 1 and all(len(p) <= MAX_TEXT for p in pages)
    assert "in totaal 60 activiteiten, 300 deelnemers" in text
    assert all(f"Afgerond {n}:" in text for n in range(60))


def test_roles_frame_every_open_action_and_an_estimated_goal(anna: Chat, clock: Clock) -> None:
    """Nothing recorded is missing: the roles on one line, the kapstok in brief, every open
    action (the overdue first, marked), and "minstens" where a distinct count is an
    estimate (an activity without first-timers recorded)."""
    full(anna, clock)
    uid, cid = ids(anna)
    store = anna.service.store
    roles = CollaborationRepo(store)
    for name, role in (("Karim", "ambassador"), ("Fatima", "ambassador"),
                       ("Buurthuis De Kolk", "partner")):
        roles.add_role(uid, cid, name, role)
    store.set_answer(cid, "phase1.frame", "Wij staan voor taal, ontmoeting en meedoen in "
                     "Noord; taalcafés passen daar precies in. " + "Meer uitleg. " * 40)
    goals, activities = GoalRepo(store), ActivityRepo(store)
    gid = goals.add_goal(uid, cid, specific="Nieuwkomers bereiken", metric="aantal "
                         "verschillende deelnemers", baseline=0, target=30, achievable="",
                         relevant="", relevant_part=None, deadline=date(2027, 3, 1))
    activities.add(uid, cid, kind="taalcafe", day=date(2026, 11, 19), what="Taalcafé",
                   participants=8, led_by="Anna", note=None, first_time=5)
    activities.link(uid, gid, "distinct", None)  # three earlier ones have none recorded
    ActionRepo(store).add(uid, cid, "Karim vragen voor januari", due=None)
    anna.send("/samenvatting")
    text = anna.text()
    assert "Ambassadeurs: Karim, Fatima · Partner: Buurthuis De Kolk" in text
    frame = next(line for line in text.split("\n") if "Kapstok" in line)
    assert "Wij staan voor taal, ontmoeting en meedoen in Noord" in frame
    assert len(frame) < 200 and frame.endswith("…")
    block = text.split("Acties:")[1].split("\n\n")[0]
    late, flyer, karim = (block.find(w) for w in ("Ruimte op dinsdag navragen", "Flyer maken",
                                                  "Karim vragen voor januari"))
    assert -1 < late < flyer < karim, block
    assert "⏰" in block.split("\n")[1] and "⏰" not in block.split("\n")[2], block
    assert "3 open" in block and "1 te laat" in block
    goal = next(line for line in text.split("\n") if "Nieuwkomers bereiken" in line)
    assert "minstens 5 van 30" in goal, goal
    assert "minstens" not in next(line for line in text.split("\n") if "Tien vaste" in line)
