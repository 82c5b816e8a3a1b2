"""What a colleague wrote in a shared community, of every kind, stays findable for the team
when he leaves it, and when he asks to be forgotten but leaves his contributions; it goes
with him when he takes them along."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.app.registry import Service
from dialogs.catalog import Catalog
from storage.activities import ActivityRepo
from storage.collaboration import CollaborationRepo
from storage.goals import GoalRepo
from storage.store import Store
from tests.access_helpers import Clock, full_service
from tests.bot.features.sharing.test_sharing import accept, me, share
from tests.chat import Chat

WORD = "Zonnebloemveld"


@pytest.fixture
def store(db_path: Path) -> Store:
    return Store(db_path, clock=Clock())


@pytest.fixture
def service(store: Store, catalog: Catalog, tmp_path: Path) -> Service:
    return full_service(store, catalog, tmp_path / "data")


@pytest.fixture
def team(service: Service, store: Store) -> tuple[Chat, Chat]:
    anna = Chat(service, telegram_id=1001, name="Anna")
    bram = Chat(service, telegram_id=1002, name="Bram")
    anna.onboard("Wijk Zwaan", "taal")
    share(anna, "Bram")
    accept(service, bram)
    bram.send(f"Het {WORD} achter het buurthuis")
    bram.send(f"actie: {WORD} maaien 1 februari")
    cid, bram_id = me(store, anna).active_community or 0, me(store, bram).id
    with store.atomic():
        ActivityRepo(store).add(bram_id, cid, kind="Tuindag", day=date(2026, 12, 6),
                                what="Samen zaaien", participants=8, led_by="community",
                                note=f"In het {WORD}")
        CollaborationRepo(store).add_outcome(bram_id, cid, "product", f"Een kaart van het {WORD}")
        goals = GoalRepo(store)
        goal = goals.add_goal(bram_id, cid, specific="Meer tuinders", metric="tuinders",
                              baseline=0, target=10, achievable="", relevant="",
                              relevant_part=None, deadline=date(2027, 6, 1))
        goals.log_progress(bram_id, goal, 3, f"Drie tuinders in het {WORD}")
    return anna, bram


def found(chat: Chat) -> str:
    chat.send(f"/zoek {WORD}")
    return chat.text()


def test_a_colleague_who_leaves_leaves_his_words_with_the_team(team: tuple[Chat, Chat],
                                                               store: Store) -> None:
    anna, bram = team
    assert "5 resultaten" in found(bram)  # the "actie:" note is found as its action
    bram.press_data(f"sh:leave:{me(store, anna).active_community}")
    assert "Niets gevonden" in found(bram)
    shown = found(anna)
    assert "5 resultaten" in shown and shown.count("Bram, ") == 4  # the activity: no date
    assert "Activiteit 6 dec · Tuindag · Wijk Zwaan · Bram" in shown


def test_forgotten_but_his_contributions_kept_they_stay_findable(team: tuple[Chat, Chat]) -> None:
    anna, bram = team
    bram.send("/vergeetmij")
    bram.press("laat mijn bijdragen bij het team")
    assert bram.last.forgotten
    shown = found(anna)
    assert "5 resultaten" in shown and "Bram" not in shown and "een oud-collega" in shown
    assert "Voortgang bij ‘Meer tuinders’" in shown


def test_forgotten_with_his_contributions_they_leave_the_index(team: tuple[Chat, Chat]) -> None:
    anna, bram = team
    bram.send("/vergeetmij")
    bram.press("én mijn bijdragen")
    assert bram.last.forgotten
    assert "Niets gevonden" in found(anna)
