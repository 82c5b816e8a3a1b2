"""Two members on the same item at the same moment: neither change is lost, and the one
who comes second sees how things stand now."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app.registry import Service
from dialogs.catalog import Catalog
from storage.goals import GoalRepo
from storage.store import Store
from tests.access_helpers import full_service
from tests.bot.features.sharing.test_sharing import accept, me, share
from tests.chat import Chat


@pytest.fixture
def service(store: Store, catalog: Catalog, tmp_path: Path) -> Service:
    return full_service(store, catalog, tmp_path / "data")


@pytest.fixture
def pair(service: Service) -> tuple[Chat, Chat]:
    anna = Chat(service, telegram_id=1001, name="Anna")
    bram = Chat(service, telegram_id=1002, name="Bram")
    anna.onboard("Wijk Zwaan", "taal")
    bram.onboard("Eigen Tuin", "tuin")
    share(anna, "Bram")
    accept(service, bram)
    return anna, bram


def test_ticking_the_same_item_from_two_screens_keeps_it_ticked(
        store: Store, pair: tuple[Chat, Chat]) -> None:
    anna, bram = pair
    for chat in pair:
        chat.send("/fase")
        chat.press("1. Strategie")
    stale = bram.button("⬜ Beleidsplan").data
    other = bram.button("⬜ Organisatiedoelen").data
    anna.press("⬜ Beleidsplan")
    anna_stale = anna.button("⬜ Organisatiedoelen").data
    bram.press_data(stale)  # Bram's screen still showed it open
    assert any("✅ Beleidsplan" in label for label in bram.labels())  # as it is now
    cid = me(store, anna).active_community or 0
    assert len(store.ticks(cid)["p1"]) == 1  # still ticked, not undone by Bram's press
    bram.press_data(other)
    anna.press_data(anna_stale)  # the same again from Anna's older screen
    ticks = store.ticks(cid)["p1"]
    assert len(ticks) == 2  # both items, neither undone by the other's press
    assert any("✅ Organisatiedoelen" in label for label in anna.labels())


def test_marking_an_action_done_twice_shows_the_second_the_list_as_it_is(
        store: Store, pair: tuple[Chat, Chat]) -> None:
    anna, bram = pair
    anna.send("actie: zaal boeken morgen")
    anna.send("actie: flyers ophalen morgen")
    for chat in pair:
        chat.send("/acties")
    stale = bram.button("zaal boeken").data
    anna.press("zaal boeken")
    out = bram.press_data(stale)
    assert out.notice and "intussen gedaan" in out.notice
    assert "flyers ophalen" in bram.text() and "zaal boeken" not in bram.text()


def test_two_members_logging_progress_keep_both(store: Store, service: Service,
                                                 pair: tuple[Chat, Chat]) -> None:
    anna, bram = pair
    cid = me(store, anna).active_community or 0
    from datetime import date

    with store.atomic():
        goal = GoalRepo(store).add_goal(me(store, anna).id, cid, specific="taalcafé",
                                        metric="bezoekers", baseline=0, target=20,
                                        achievable="", relevant="", relevant_part=None,
                                        deadline=date(2026, 12, 1))
    for chat in pair:  # both open the log from their screens before either answers
        chat.press_data(f"goal:log:{goal}")
        assert "taalcafé" in chat.text()
    for chat, value in ((anna, "5"), (bram, "7")):
        chat.send(value)
        chat.press("Zonder notitie")
    assert [v for _, v in GoalRepo(store).progress(goal)] == [5, 7]
