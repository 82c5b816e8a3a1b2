"""The library's frame: recorded once by an admin, taken over per community in one tap."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from bot.app.registry import Service
from bot.telegram.sending import split_text
from dialogs.catalog import Catalog
from dialogs.replies import MAX_TEXT
from storage.export import schema, snapshot
from storage.library import FrameRepo
from storage.store import Store
from tests.access_helpers import Clock, full_service
from tests.chat import Chat

ADMIN = 9_000_001
FRAME = "De bibliotheek staat voor taal, ontmoeting en meedoen. Community's rond taal passen."
NEWER = "De bibliotheek staat voor taal, ontmoeting, meedoen en digitale vaardigheden."


@pytest.fixture
def store(db_path: Path) -> Store:
    s = Store(db_path, clock=Clock())
    yield s  # type: ignore[misc]
    s.close()


@pytest.fixture
def service(store: Store, catalog: Catalog, tmp_path: Path) -> Service:
    return full_service(store, catalog, tmp_path / "data", admins=(ADMIN,))


@pytest.fixture
def boss(service: Service) -> Chat:
    return Chat(service, telegram_id=ADMIN, name="Bea")


def record(boss: Chat, *parts: str) -> None:
    boss.send("/overzicht")
    boss.press("Kapstok van de bibliotheek")
    for part in parts:
        boss.send(part)
    boss.press("Klaar")


def community(store: Store, telegram_id: int = 1001) -> int:
    user = store.user_by_telegram(telegram_id)
    assert user is not None and user.active_community is not None
    return user.active_community


def open_library(chat: Chat) -> None:
    chat.send("/fase")
    chat.press("1. Strategie in kaart")
    chat.press("🏛️ Kapstok van de bibliotheek")


def test_taking_over_before_any_frame_exists_says_so_and_changes_nothing(
        chat: Chat, store: Store) -> None:
    chat.onboard()
    open_library(chat)
    assert "Er is nog geen kapstok van de bibliotheek vastgelegd" in chat.text()
    # Nothing to take over or read: only the way back.
    assert chat.labels() == ["↩️ Terug naar fase 1"]
    chat.press_data(chat.button("Terug naar fase 1").data.replace("back", "take"))  # forged
    cid = community(store)
    assert store.answers(cid) == {} and store.ticks(cid) == {}
    chat.press("Terug naar fase 1")
    assert "Fase 1 · Strategie in kaart (0/5)" in chat.text()


def test_one_tap_takes_the_frame_over_and_own_words_stay_below_it(
        chat: Chat, boss: Chat, store: Store) -> None:
    record(boss, FRAME)
    assert "Taalcafé" not in boss.text()  # back at the overview, without communities
    chat.onboard()
    chat.send("/fase")
    chat.press("1. Strategie in kaart")
    assert f"De bibliotheek heeft een kapstok vastgelegd (3 maart 2025): ‘{FRAME}’" in chat.text()
    chat.press("🏛️ Kapstok van de bibliotheek")
    assert FRAME in chat.text()
    chat.press("Overnemen")
    cid = community(store)
    assert store.answers(cid) == {"phase1.frame": FRAME}
    assert store.ticks(cid)["p1"] == {"policy", "goals", "values", "frame", "fit"}
    assert "✅ Overgenomen. Taalcafé Noord werkt nu met de kapstok van de bibliotheek" \
        in chat.text()
    chat.send("In Noord draait het vooral om taal.")
    assert store.answers(cid)["phase1.frame"] == FRAME + "\n\nIn Noord draait het vooral om taal."
    assert "Fase 1 · Strategie in kaart (5/5)" in chat.text()
    # The admin changes it: the community sees a newer version and keeps its own words.
    record(boss, NEWER)
    open_library(chat)
    assert NEWER in chat.text()
    assert "Deze versie is nieuwer dan die Taalcafé Noord overnam" in chat.text()
    chat.press("Overnemen")
    chat.press("Overslaan")
    assert store.answers(cid)["phase1.frame"] == NEWER + "\n\nIn Noord draait het vooral om taal."
    open_library(chat)
    assert "✅ Taalcafé Noord werkt met deze versie." in chat.text()


def test_a_frame_written_before_is_kept_as_own_words(chat: Chat, boss: Chat,
                                                       store: Store) -> None:
    chat.onboard()
    cid = community(store)
    store.set_answer(cid, "phase1.frame", "Mijn eigen kapstok voor de wijk.")
    record(boss, FRAME)
    open_library(chat)
    chat.press("Overnemen")
    chat.press("Overslaan")
    assert store.answers(cid)["phase1.frame"] == FRAME + "\n\nMijn eigen kapstok voor de wijk."


def test_a_frame_longer_than_a_message_is_kept_whole_and_read_in_full(
        chat: Chat, boss: Chat, store: Store) -> None:
    parts = [f"Deel {n}. " + "Wij verbinden mensen rond taal en ontmoeting. " * 85
             for n in range(1, 4)]
    assert all(len(p) <= MAX_TEXT for p in parts)  # each fits one Telegram message
    record(boss, *parts)
    whole = "\n\n".join(p.strip() for p in parts)
    frame = FrameRepo(store).current()
    assert frame is not None and frame.text == whole and len(whole) > 3 * 3_800
    chat.onboard()
    open_library(chat)
    shown = chat.text()
    assert len(shown) <= MAX_TEXT and "eerste 1500 van" in shown and "Deel 3" not in shown
    chat.press("Alles lezen")
    full = chat.last.replies[0].text
    assert whole in full
    chunks = split_text(full)  # how the Telegram front end sends it
    assert len(chunks) >= 3 and all(len(c) <= MAX_TEXT for c in chunks)
    assert all(any(f"Deel {n}." in c for c in chunks) for n in (1, 2, 3))
    assert "✅ Overnemen voor deze community" in chat.labels()  # its buttons come again below
    chat.press("Overnemen")
    assert store.answers(community(store))["phase1.frame"] == whole


def test_phase_2_shows_the_library_frame_until_the_community_took_it_over(
        chat: Chat, boss: Chat, store: Store) -> None:
    chat.onboard()
    cid = community(store)
    for item in ("policy", "goals", "values", "frame", "fit"):
        store.set_tick(cid, f"p1.{item}", True)
    store.set_answer(cid, "phase1.frame", "Eigen woorden over de wijk.")
    record(boss, FRAME)
    chat.send("/fase")
    chat.press("2. Kies je community")
    chat.press("Getoetst aan de kapstok")
    assert "Je kapstok: Eigen woorden over de wijk." in chat.text()
    assert f"De kapstok van de bibliotheek: {FRAME}" in chat.text()
    open_library(chat)
    chat.press("Overnemen")
    chat.press("Overslaan")
    chat.send("/fase")
    chat.press("2. Kies je community")
    chat.press("Getoetst aan de kapstok")
    assert f"Je kapstok: {FRAME} Eigen woorden over de wijk." in chat.text()
    assert "De kapstok van de bibliotheek:" not in chat.text()


def test_only_an_admin_records_the_frame(chat: Chat, boss: Chat, store: Store) -> None:
    chat.onboard()
    out = chat.press_data("ov:fr")
    assert out.replies == [] and "beheerder" in (out.notice or "")
    boss.send("/overzicht")
    boss.press("Kapstok van de bibliotheek")
    boss.press("Terug naar het overzicht")  # a tapped button is no frame text
    assert FrameRepo(store).current() is None


def test_the_json_export_holds_the_library_frame(chat: Chat, boss: Chat, store: Store) -> None:
    chat.onboard()
    data = snapshot(store, store.user_by_telegram(1001).id)  # type: ignore[union-attr]
    assert data["library_frame"] is None
    jsonschema.validate(data, schema())
    record(boss, FRAME)
    open_library(chat)
    chat.press("Overnemen")
    data = snapshot(store, store.user_by_telegram(1001).id)  # type: ignore[union-attr]
    jsonschema.validate(data, schema())
    assert data["library_frame"]["text"] == FRAME and data["library_frame"]["version"] == 1
    assert data["communities"][0]["answers"][0]["value"] == FRAME


def test_from_any_phase_view_the_librarys_frame_completes_phase_1_in_one_tap(
        chat: Chat, boss: Chat, store: Store) -> None:
    record(boss, FRAME)
    chat.onboard()
    chat.send("/fase")
    chat.press("4. Ken je community")
    lead = "☝️ Eerst fase 1 (nu 0/5). De bibliotheek heeft haar kapstok al vastgelegd"
    assert chat.text().startswith(lead)
    assert "1️⃣ Naar fase 1" not in chat.labels()
    chat.press("🏛️ Kapstok van de bibliotheek")
    assert FRAME in chat.text()
    assert chat.labels() == ["✅ Overnemen voor deze community", "📖 Alles lezen",
                             "↩️ Terug naar fase 1"]
    chat.press("Overnemen")  # the one tap
    assert "fase 1 klaar" in chat.text()
    chat.press("Overslaan")
    assert "Fase 1 · Strategie in kaart (5/5)" in chat.text()
    assert "• Beleidsplan doorgenomen: uit de kapstok van de bibliotheek (3 maart 2025)" \
        in chat.text()
    assert store.ticks(community(store))["p1"] == {"policy", "goals", "values", "frame", "fit"}
    for command in ("/fase", "/samenvatting", "/doelen"):
        chat.send(command)
        assert "☝️" not in chat.text(), command
