"""/vergeetmij of a member of a shared community: keep the contributions under "een
oud-collega", or erase them and tell the team; the owner must hand over first. The erase
scan finds nothing of the leaver in either choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app.registry import Service
from bot.features.export.files import render
from bot.features.export.options import Options
from dialogs.catalog import Catalog
from storage.export import snapshot
from storage.membership import Members
from storage.store import Store
from tests.access_helpers import Clock, full_service, leftovers
from tests.bot.features.sharing.test_sharing import accept, inbox, me, share
from tests.chat import Chat

IDENTITY = ["Bram"]  # his name; his Telegram id and user id are scanned for too
CONTENT = ["Zonnebloemveld", "Ahmed bellen"]


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
    anna.send("Fatima van de moskee wil een taalcafé")
    share(anna, "Bram")
    accept(service, bram)
    bram.send("Zonnebloemveld achter het buurthuis, Ahmed helpt")
    bram.send("actie: Ahmed bellen over de zaal 1 februari")
    inbox(service, anna)  # delivered: the outbox no longer names Bram
    return anna, bram


def scan(service: Service, store: Store, bram_id: int, needles: list[str]) -> list[str]:
    return leftovers(Path(str(store.path)), service.defaults.data_dir, needles, 1002, bram_id)


def test_keeping_contributions_shows_them_as_a_former_colleague(
        service: Service, store: Store, team: tuple[Chat, Chat]) -> None:
    anna, bram = team
    bram_id = me(store, bram).id
    bram.send("/vergeetmij")
    assert "een oud-collega" in bram.text()
    assert bram.labels()[:2] == ["🗑️ Wis mij, maar laat mijn bijdragen bij het team",
                                 "🗑️ Wis mij én mijn bijdragen"]
    bram.press("laat mijn bijdragen bij het team")
    assert bram.last.forgotten
    anna.send("/zoek zonnebloemveld")
    assert "Ahmed helpt" in anna.text() and "een oud-collega, " in anna.text()
    anna.send("/acties")
    assert "Ahmed bellen" in anna.text()
    anna.send("/export")
    anna.press("Wijk Zwaan")
    anna.press("Markdown")
    report = anna.last.replies[-1].attachments[0].content.decode("utf-8")
    assert "Bram" not in report
    # The notes are in the report's appendix, when she asks for it.
    user = me(store, anna)
    report = render(snapshot(store, user.id, user.active_community), service.catalog, "md",
                    Options(appendix=True)).decode()
    line = next(line for line in report.splitlines() if "Zonnebloemveld" in line)
    assert "een oud-collega" in line and "Bram" not in report
    assert [m.name for m in Members(store).of(me(store, anna).active_community or 0)] == ["Anna"]
    assert scan(service, store, bram_id, IDENTITY) == []


def test_erasing_contributions_tells_the_team(
        service: Service, store: Store, team: tuple[Chat, Chat]) -> None:
    anna, bram = team
    bram_id = me(store, bram).id
    anna.send("/acties")  # Anna is looking at Bram's action when he leaves
    done = anna.button("Ahmed bellen").data
    bram.send("/vergeetmij")
    bram.press("én mijn bijdragen")
    assert bram.last.forgotten
    assert "bijdragen aan Wijk Zwaan" in inbox(service, anna)[-1].text
    anna.send("/zoek zonnebloemveld")
    assert "Ahmed helpt" not in anna.text()
    anna.press_data(done)  # the action Anna saw is gone: said so, nothing breaks
    assert "Ahmed" not in anna.text()
    anna.send("/zoek moskee")
    assert "Fatima" in anna.text()  # Anna's own work stays
    assert scan(service, store, bram_id, IDENTITY + CONTENT) == []


def test_the_owner_of_a_shared_community_must_hand_over_first(
        service: Service, store: Store, team: tuple[Chat, Chat]) -> None:
    anna, bram = team
    anna.send("/vergeetmij")
    assert "Draag elke gedeelde community eerst over" in anna.text() and anna.labels() == []
    stamp = int(service.clock().timestamp())
    anna.press_data(f"fg:yes:{me(store, anna).id}:{stamp}")  # a confirmation from before
    assert not anna.last.forgotten
    # An old confirmation from before Bram joined a shared community asks again.
    bram.press_data(f"fg:yes:{me(store, bram).id}:{stamp}")
    assert not bram.last.forgotten and store.user(me(store, bram).id) is not None


def test_a_colleague_mid_dialog_when_a_member_leaves_with_everything(
        service: Service, store: Store, team: tuple[Chat, Chat]) -> None:
    """Anna has Bram's contact open in the list of people met, and is answering a phase
    question, when Bram erases himself with his contributions: her next presses and her
    answer work on what is left, and show nothing of his."""
    from storage.talk import TalkRepo

    anna, bram = team
    cid, bram_id = me(store, anna).active_community or 0, me(store, bram).id
    with store.atomic():
        TalkRepo(store).add_person(bram_id, cid, "Ahmed Zonnebloemveld", None, None)
    anna.send("/community")
    anna.press("Mensen die je sprak")
    ahmed = anna.button("Ahmed").data
    bram.send("/vergeetmij")
    bram.press("én mijn bijdragen")
    assert bram.last.forgotten
    anna.press_data(ahmed)
    assert "Zonnebloemveld" not in anna.text()
    anna.send("/fase")
    anna.press("1. Strategie")
    anna.press("⬜ Beleidsplan")
    assert any("✅ Beleidsplan" in label for label in anna.labels())
    assert scan(service, store, bram_id, IDENTITY + CONTENT) == []
