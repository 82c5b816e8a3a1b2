"""The application layer with a real database: what a librarian sees, and bad input."""

from __future__ import annotations

from bot.app.registry import Service
from bot.app.service import Incoming, Who
from storage.store import Store
from tests.chat import Chat


def test_first_start_greets_in_dutch_and_asks_for_a_community(chat: Chat) -> None:
    chat.send("/start")
    assert "Hallo Anna" in chat.text() and "Met welke community" in chat.text()


def test_english_telegram_language_gives_english(service: Service) -> None:
    chat = Chat(service, telegram_id=5, name="Sam", language_code="en-GB")
    chat.send("/start")
    assert "Hi Sam" in chat.text() and "Which community" in chat.text()


def test_other_telegram_languages_fall_back_to_the_default(service: Service) -> None:
    chat = Chat(service, telegram_id=6, name="Jean", language_code="fr")
    chat.send("/start")
    assert "Hallo Jean" in chat.text()


def test_onboarding_then_menu_then_phase_progress(chat: Chat, store: Store) -> None:
    chat.onboard("Taalcafé Noord", "taal en ontmoeting")
    assert "Je werkt nu met Taalcafé Noord" in chat.text()
    chat.send("/fase")
    assert "1. Strategie in kaart · 0/5" in chat.labels()
    chat.press("1. Strategie")
    chat.press("Beleidsplan")
    chat.press("Organisatiedoelen")
    assert chat.last.replies[0].edit and "(2/5)" in chat.text()
    assert "✅ Beleidsplan doorgenomen" in chat.labels()
    chat.press("Alle fasen")
    assert "1. Strategie in kaart · 2/5" in chat.labels()


def test_checklists_belong_to_the_active_community(chat: Chat) -> None:
    chat.onboard("Taalcafé", None)
    chat.send("/fase")
    chat.press("1. Strategie")
    chat.press("Beleidsplan")
    chat.send("/community")
    chat.press("Nieuwe community")
    chat.send("Moestuin Oost")
    chat.press("Overslaan")
    chat.send("/fase")
    assert "1. Strategie in kaart · 0/5" in chat.labels()
    chat.send("/community")
    chat.press("Wisselen")
    chat.press("Taalcafé")
    chat.send("/fase")
    assert "1. Strategie in kaart · 1/5" in chat.labels()


def test_rename_shows_the_new_name(chat: Chat) -> None:
    chat.onboard("Taalcafe", None)
    chat.send("/community")
    chat.press("Hernoemen")
    chat.send("Taalcafé Noord")
    assert "Je werkt nu met Taalcafé Noord" in chat.text()


def test_same_update_twice_is_processed_once(chat: Chat, store: Store) -> None:
    chat.onboard()
    event = Incoming(kind="text", text="Sanne wil een leesclub #lezen", update_id=777_001)
    first = chat.service.handle(chat.who, event)
    second = chat.service.handle(chat.who, Incoming(kind="text", text="Sanne wil een leesclub "
                                                    "#lezen", update_id=777_001))
    assert first.replies and second.duplicate and not second.replies
    notes = [n for n in store.notes(first.user_id or 0) if "leesclub" in n.text]
    assert len(notes) == 1 and notes[0].tags == "lezen"


def test_unknown_command_is_explained(chat: Chat) -> None:
    chat.send("/vliegtuig")
    assert "ken ik niet" in chat.text() and "/help" in chat.text()


def test_cancel_leaves_the_dialog_and_keeps_what_was_typed(chat: Chat, store: Store) -> None:
    chat.onboard()
    chat.send("/fase")
    chat.press("1. Strategie")
    chat.press("Kapstok")
    chat.send("Wij staan voor leesplezier.")
    chat.send("/fase")
    chat.press("1. Strategie")
    chat.press("Kapstok")
    chat.send("/annuleer")
    assert "bewaard" in chat.text()
    chat.send("/fase")
    chat.press("1. Strategie")
    chat.press("Kapstok")
    assert "Nu vastgelegd: Wij staan voor leesplezier." in chat.text()


def test_cancel_with_nothing_running(chat: Chat) -> None:
    chat.send("/cancel")
    assert "niets" in chat.text()


def test_sticker_photo_or_location_where_text_is_expected(chat: Chat) -> None:
    chat.send("/start")
    for kind in ("sticker", "photo", "location"):
        chat.other(kind)
        assert "Hier heb ik tekst nodig" in chat.text()
        assert "Met welke community" in chat.text()


def test_sticker_outside_a_dialog_gets_a_friendly_answer(chat: Chat) -> None:
    chat.onboard()
    chat.send("/cancel")
    chat.other("sticker")
    assert "Daar kan ik niets mee" in chat.text()


def test_ten_thousand_character_note_is_kept_whole(chat: Chat, store: Store) -> None:
    chat.onboard()
    chat.send("/cancel")
    text = ("Lang verhaal over de wijk. " * 400)[:10_000]
    outcome = chat.send(text)
    assert "Genoteerd" in chat.text()
    assert store.notes(outcome.user_id or 0)[-1].text == text


def test_outdated_button_is_answered_once_naming_the_current_step(chat: Chat) -> None:
    chat.onboard()
    chat.send("/fase")
    old = chat.button("1. Strategie").data
    chat.press("1. Strategie")
    outcome = chat.press_data(old)
    # One answer naming where she is; the checklist she has is not sent a second time.
    assert outcome.notice and "eerdere stap" in outcome.notice
    assert "Je bent nu hier: Fase 1 · Strategie" in outcome.notice and not outcome.replies


def test_forged_button_data_is_harmless(chat: Chat, store: Store) -> None:
    chat.onboard()
    chat.send("/fase")
    for data in ("9999.o:p1", "garbage", "0.d:1; DROP TABLE users", "ü" * 100):
        outcome = chat.press_data(data)
        assert outcome.notice
    assert store.db["users"].count == 1


def test_press_after_the_dialog_ended_shows_the_menu(chat: Chat) -> None:
    chat.onboard()
    old = chat.button("Taal").data
    chat.send("/taal")
    chat.press("English")
    outcome = chat.press_data(old)
    # No step to point at: one message, why above the menu, and no toast besides.
    [reply] = outcome.replies
    assert reply.text.startswith("That button belongs to an earlier step.")
    assert "What would you like to do" in reply.text and not outcome.notice


def test_text_at_the_menu_is_a_note_not_an_error(chat: Chat, store: Store) -> None:
    chat.onboard()
    outcome = chat.send("Mehmet kent de imam van de moskee #contacten")
    assert "Genoteerd bij Taalcafé Noord" in chat.text()
    assert store.notes(outcome.user_id or 0)[-1].tags == "contacten"


def test_note_command_and_empty_note(chat: Chat, store: Store) -> None:
    chat.onboard()
    chat.send("/notitie")
    assert "Typ je notitie gewoon als bericht" in chat.text()
    assert "Taalcafé Noord" in chat.text()
    outcome = chat.send("/note buurthuis zoekt vrijwilligers")
    assert store.notes(outcome.user_id or 0)[-1].text == "buurthuis zoekt vrijwilligers"


def test_text_before_any_community_is_kept_and_onboarding_starts(chat: Chat,
                                                                 store: Store) -> None:
    outcome = chat.send("eerste indruk: veel jonge ouders")
    assert "bewaard als notitie" in chat.text() and "Met welke community" in chat.text()
    assert store.notes(outcome.user_id or 0)[0].text == "eerste indruk: veel jonge ouders"


def test_progress_persists_for_a_new_service_on_the_same_file(chat: Chat, store: Store,
                                                             catalog) -> None:  # noqa: ANN001
    chat.onboard()
    chat.send("/fase")
    chat.press("1. Strategie")
    chat.press("Beleidsplan")
    again = Chat(Service(store, catalog), telegram_id=1001)
    again.send("/fase")
    assert "1. Strategie in kaart · 1/5" in again.labels()


def test_two_users_never_see_each_other(service: Service) -> None:
    anna = Chat(service, telegram_id=1, name="Anna")
    bram = Chat(service, telegram_id=2, name="Bram")
    anna.onboard("Geheim Taalcafé", None)
    bram.onboard("Moestuin", None)
    bram.send("/community")
    assert "Geheim" not in bram.text()
    assert Who(telegram_id=1) != Who(telegram_id=2)
