"""A name must contain something visible (issue 27, point 7): zero-width characters, word
joiners and blank 'letters' alone are refused wherever a name is typed, never kept as a
blank button."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app.registry import FEATURES, Service
from dialogs.catalog import Catalog
from dialogs.validators import visible
from storage.store import Store
from tests.access_helpers import Clock
from tests.chat import Chat

INVISIBLE = ["\u200b\u200c\u2060", "\u200b\u200b", "\u3164\u3164", "\u2800", " \u200d\ufeff ",
             "\u00ad", "\u0301\u0301", "\u180e\u2062"]
SAID = "Ik zie daar alleen onzichtbare tekens"


@pytest.fixture
def service(db_path: Path, catalog: Catalog) -> Service:
    s = Service(Store(db_path, clock=Clock()), catalog, features=FEATURES)
    yield s  # type: ignore[misc]
    s.store.close()


@pytest.fixture
def anna(service: Service) -> Chat:
    chat = Chat(service, telegram_id=1001, name="Anna")
    chat.onboard("Taalcafé Noord", "taal")
    return chat


def names(service: Service, table: str) -> list[str]:
    return [r["name"] for r in service.store.rows(f"SELECT name FROM {table} ORDER BY id")]


def refused_each(chat: Chat, asked: str) -> None:
    for typed in INVISIBLE:
        chat.send(typed)
        assert SAID in chat.text(), repr(typed)
        assert asked in chat.text(), repr(typed)  # asked again


@pytest.mark.parametrize("text", ["Anna", "👍", "Café ☕", "1", "ا", "\u200bAnna", "·"])
def test_visible_text_is_a_name(text: str) -> None:
    assert visible(text)


@pytest.mark.parametrize("text", INVISIBLE + ["", " \t\n"])
def test_invisible_text_is_no_name(text: str) -> None:
    assert not visible(text)


def test_the_first_community_needs_a_visible_name(service: Service) -> None:
    bea = Chat(service, telegram_id=1002, name="Bea")
    bea.send("/start")
    asked = bea.text().splitlines()[-1]
    refused_each(bea, asked)
    bea.send("Moestuin Zuid")
    bea.send("tuinieren")
    assert names(service, "communities") == ["Moestuin Zuid"]


def test_a_new_and_a_renamed_community_need_a_visible_name(anna: Chat,
                                                           service: Service) -> None:
    anna.send("/community")
    anna.press("Nieuwe community")
    refused_each(anna, anna.text().splitlines()[-1].split("?")[0])
    anna.send("Leesclub")
    anna.send("lezen")
    anna.send("/community")
    anna.press("Hernoemen")
    refused_each(anna, anna.text().splitlines()[-1].split("?")[0])
    anna.send("Leesclub Oost")
    assert "\u200b" not in "".join(names(service, "communities"))
    assert len(names(service, "communities")) == 2
    anna.send("/community")
    anna.press("Wisselen")
    assert all(label.strip() for label in anna.labels())


def test_a_person_met_needs_a_visible_name(anna: Chat, service: Service) -> None:
    for typed in INVISIBLE:
        anna.send(f"/gesprek {typed}, voorzitter")
        assert SAID in anna.text(), repr(typed)
    anna.send("/gesprek")
    asked = anna.text().splitlines()[-1][:20]
    refused_each(anna, asked)
    anna.send("Fatima, voorzitter")
    assert names(service, "people") == ["Fatima"]


def test_activity_kinds_and_action_owners_need_a_visible_name(anna: Chat,
                                                              service: Service) -> None:
    anna.send("/activiteit")
    anna.press("Activiteit vastleggen")
    if "Nieuwe soort" in " ".join(anna.labels()):
        anna.press("Nieuwe soort")
    refused_each(anna, "Wat voor activiteit")
    anna.send("workshop")
    assert "Wanneer" in anna.text() or "dag" in anna.text()
    anna.send("/acties")
    anna.press("➕ Actie")
    anna.send("Fatima mailen over een ruimte")
    refused_each(anna, "Wie pakt deze actie op?")
    anna.send("Sanne")
    assert "Wanneer wil je het gedaan hebben?" in anna.text()
