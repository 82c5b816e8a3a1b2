"""Phase 5 through the service: vision, SMART builder, progress, charts, /reminders."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app.registry import FEATURES, Service
from dialogs.catalog import Catalog
from storage.goals import GoalRepo
from storage.store import Store
from tests.chat import Chat


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 24, 10, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def gstore(db_path: Path, clock: Clock) -> Iterator[Store]:
    store = Store(db_path, clock=clock)
    yield store
    store.close()


@pytest.fixture
def gservice(gstore: Store, catalog: Catalog) -> Service:
    service = Service(gstore, catalog, features=FEATURES)
    return service


@pytest.fixture
def anna(gservice: Service) -> Chat:
    chat = Chat(gservice, telegram_id=1001, name="Anna")
    chat.onboard("Taalcafé Noord", "taal")
    return chat


def write_vision(chat: Chat, together: str | None = "Sanne van het buurthuis") -> None:
    chat.send("/doelen")
    chat.press("🔭 Visie")
    chat.press("Visie formuleren")
    chat.send("Meer nieuwkomers vinden de weg naar de bibliotheek.")
    chat.send("Nederlands oefenen en buren leren kennen.")
    chat.send("Nieuwkomers voelen zich thuis in de wijk.")
    if together is not None:
        chat.send(together)


def add_goal(chat: Chat, *, deadline: str = "1 juni", part: str = "🤝",
             own: str | None = None) -> None:
    """Walk the builder; tap the vision part `part`, or type `own` words instead."""
    chat.send("/doelen")
    chat.press("Nieuw SMART-doel")
    chat.send("een wekelijks taalcafé organiseren voor nieuwkomers")
    chat.send("aantal deelnemers per week")
    chat.send("4")
    chat.send("12")
    chat.send("vrijwilligers van de taalschool")
    if own is None:
        chat.press(part)
    else:
        chat.send(own)
    chat.send(deadline)


def ticks(service: Service, chat: Chat) -> set[str]:
    user = service.user(chat.who)
    assert user.active_community is not None
    return service.store.ticks(user.active_community).get("p5", set())


def test_vision_is_recorded_and_ticks_phase_five(anna: Chat, gservice: Service) -> None:
    write_vision(anna)
    assert "Visie bewaard voor Taalcafé Noord" in anna.text()
    assert ticks(gservice, anna) == {"library_goal", "participant_goal", "vision", "together"}
    anna.send("/doelen")
    anna.press("🔭 Visie")
    assert "🤝 Gezamenlijke visie: Nieuwkomers voelen zich thuis" in anna.text()
    assert "Samen geformuleerd met: Sanne van het buurthuis" in anna.text()


def test_vision_reachable_from_the_phase_five_checklist(anna: Chat) -> None:
    anna.send("/fase")
    anna.press("1. Strategie")
    for item in ("Beleidsplan", "Organisatiedoelen", "Helder waar", "Weet welke"):
        anna.press(item)
    anna.press("Kapstok")
    anna.send("Wij staan voor meedoen.")
    anna.press("Alle fasen")
    anna.press("5. Visie")
    anna.press("Visie formuleren")
    assert "Nog geen visie voor Taalcafé Noord" in anna.text()


def test_nobody_named_warns_without_blocking(anna: Chat, gservice: Service) -> None:
    write_vision(anna, together=None)
    anna.press("Nog met niemand")
    assert "nog zonder iemand uit de community" in anna.text()
    assert "ván hen" in anna.text()
    assert "together" not in ticks(gservice, anna)
    assert GoalRepo(gservice.store).vision(gservice.user(anna.who).active_community or 0)
    anna.press("Toch een naam invullen")
    anna.send("Fatima en Ahmed")
    assert "Visie bewaard" in anna.text() and "together" in ticks(gservice, anna)


def test_typing_nobody_asks_and_then_continues(anna: Chat, gservice: Service) -> None:
    write_vision(anna, together="niemand")
    assert "Je noemt niemand uit de community" in anna.text()
    anna.press("Ja, zo laten")
    assert "Visie bewaard" in anna.text()
    assert "together" not in ticks(gservice, anna)
    anna.send("/doelen")
    anna.press("🔭 Visie")
    assert "Nog met niemand uit de community geformuleerd" in anna.text()


def test_smart_builder_reads_the_goal_back_and_saves_it(anna: Chat, gservice: Service) -> None:
    write_vision(anna)
    add_goal(anna)
    text = anna.text()
    assert ("Uiterlijk 1 juni 2027 willen Taalcafé Noord en de bibliotheek samen een wekelijks"
            " taalcafé") in text
    assert "Wie en waarmee: vrijwilligers van de taalschool." in text
    assert "(wie en waarmee" not in text
    assert "het aantal deelnemers per week verhogen van 4 naar 12" in text
    assert "Dit draagt bij aan jullie gezamenlijke visie: ‘Nieuwkomers voelen zich thuis" in text
    anna.press("Opslaan")
    assert "🎯 Doelen voor Taalcafé Noord" in anna.text()
    assert "░░░░░░░░░░ 0% · 4 van 12 (aantal deelnemers per week)" in anna.text()
    assert "🟢 Op schema · einddatum 1 juni 2027" in anna.text()
    user = gservice.user(anna.who)
    (goal,) = GoalRepo(gservice.store).goals(user.id)
    assert (goal.relevant_part, goal.relevant) == ("vision",
                                                   "Nieuwkomers voelen zich thuis in de wijk.")
    assert "smart" in ticks(gservice, anna)
    assert GoalRepo(gservice.store).reminder(user.id) is not None


def test_builder_without_vision_takes_own_words(anna: Chat) -> None:
    anna.send("/doelen")
    assert "Tip: leg eerst jullie gezamenlijke visie vast" in anna.text()
    add_goal(anna, own="nieuwkomers zich sneller thuis voelen")
    assert any("Voor Taalcafé Noord is nog geen visie vastgelegd" in r.text for r in anna.replies)
    assert anna.text().count("zodat nieuwkomers zich sneller thuis voelen.") == 1
    anna.press("Iets aanpassen")
    anna.press("R · deel van de visie")
    anna.send("de wachtlijst korter wordt")
    assert "zodat de wachtlijst korter wordt." in anna.text() and "Klopt dit?" in anna.text()


def test_typed_words_instead_of_a_vision_part(anna: Chat, gservice: Service) -> None:
    write_vision(anna)
    add_goal(anna, own="ouders elkaar leren kennen")
    assert "zodat ouders elkaar leren kennen." in anna.text() and "Dat dient" not in anna.text()
    anna.press("Iets aanpassen")
    anna.press("R · deel van de visie")
    anna.press("👥")
    assert "Dit draagt bij aan het doel voor de deelnemers: ‘Nederlands oefenen" in anna.text()
    anna.press("Opslaan")
    (goal,) = GoalRepo(gservice.store).goals(gservice.user(anna.who).id)
    assert (goal.relevant_part, goal.relevant) == ("participant_goal",
                                                   "Nederlands oefenen en buren leren kennen.")


@pytest.mark.parametrize(("text", "reason"), [
    ("gisteren", "Kies een einddatum na vandaag; 23 november 2026 is te vroeg."),
    ("31 februari", "31 februari bestaat niet"),
])
def test_bad_deadline_is_asked_again(anna: Chat, text: str, reason: str) -> None:
    add_goal(anna, deadline=text, own="het buurthuis vol zit")
    assert reason in anna.text() and "Wanneer moet het bereikt zijn?" in anna.text()
    anna.send("over 3 maanden")
    assert "Uiterlijk 24 februari 2027" in anna.text()


def test_bad_numbers_in_the_builder(anna: Chat, gservice: Service) -> None:
    anna.send("/doelen")
    anna.press("Nieuw SMART-doel")
    anna.send("een leesclub voor vaders")
    anna.send("12")
    assert "Dat is een getal" in anna.text()
    anna.send("aantal vaders per bijeenkomst")
    anna.send("3")
    anna.send("veel")
    assert "‘veel’ kan ik niet als getal lezen" in anna.text()
    anna.send("3")
    assert "gelijk aan waar jullie nu staan" in anna.text()
    anna.send("9000000")
    assert "heel groot getal (9.000.000). Klopt dat?" in anna.text()
    anna.press("Nee, opnieuw typen")
    assert "Welk getal willen jullie bereiken" in anna.text()
    anna.send("-2")
    assert "negatief getal (-2)" in anna.text()
    anna.press("Ja, zo laten")
    assert "A · Haalbaar" in anna.text()


def test_edit_a_part_returns_to_the_read_back(anna: Chat) -> None:
    add_goal(anna, own="het buurthuis vol zit")
    anna.press("Iets aanpassen")
    anna.press("M · startwaarde en doel")
    anna.send("6")
    anna.send("20")
    assert "verhogen van 6 naar 20" in anna.text() and "Klopt dit?" in anna.text()
    anna.press("Iets aanpassen")
    anna.press("T · einddatum")
    anna.send("eind maart")
    assert "Uiterlijk 31 maart 2027" in anna.text()
    anna.press("Niet opslaan")
    assert "Nog geen doelen" in anna.text()


def saved_goal(chat: Chat, service: Service) -> int:
    add_goal(chat, own="het buurthuis vol zit")
    chat.press("Opslaan")
    user = service.user(chat.who)
    return GoalRepo(service.store).goals(user.id)[0].id


def test_log_progress_with_a_note_shows_bar_and_pace(anna: Chat, gservice: Service,
                                                      clock: Clock) -> None:
    goal_id = saved_goal(anna, gservice)
    clock.now += timedelta(days=60)
    anna.send("/doelen")
    assert "🟠 Achter op schema" in anna.text()
    anna.press("Nieuwe stand")
    anna.press("taalcafé")
    assert "Nu: 4 van 12" in anna.text()
    anna.send("nog niet veel")
    assert "niet als getal lezen" in anna.text()
    anna.send("8")
    anna.send("Twee nieuwe vrijwilligers erbij")
    assert "📈 Vastgelegd: 8 voor ‘een wekelijks taalcafé" in anna.text()
    assert "▓▓▓▓▓░░░░░ 50% · 8 van 12" in anna.text() and "🟢 Op schema" in anna.text()
    rows = gservice.store.rows("SELECT value, note FROM goal_progress WHERE goal_id = ?",
                               (goal_id,))
    assert rows == [{"value": 8.0, "note": "Twee nieuwe vrijwilligers erbij"}]
    anna.press("Nieuwe stand")
    anna.press("taalcafé")
    anna.send("12")
    anna.press("Zonder notitie")
    assert "✅ Gehaald" in anna.text()


def test_chart_is_sent_as_a_photo(anna: Chat, gservice: Service) -> None:
    saved_goal(anna, gservice)
    anna.press("Grafiek")
    anna.press("taalcafé")
    photos = [a for r in anna.last.replies for a in r.attachments]
    assert len(photos) == 1 and photos[0].kind == "photo"
    assert photos[0].content.startswith(b"\x89PNG") and "taalcafé" in photos[0].caption
    assert "📊 ‘een wekelijks taalcafé" in anna.text()


def test_delete_asks_first_and_old_buttons_are_stale(anna: Chat, gservice: Service) -> None:
    goal_id = saved_goal(anna, gservice)
    anna.press("Doel verwijderen")
    anna.press("taalcafé")
    assert "verwijderen, met alle ingevulde standen?" in anna.text()
    anna.press("Nee, bewaren")
    assert GoalRepo(gservice.store).goal(gservice.user(anna.who).id, goal_id) is not None
    anna.press("Doel verwijderen")
    pick = anna.button("taalcafé")
    anna.press("taalcafé")
    anna.press("Ja, verwijderen")
    assert "🗑 Verwijderd." in anna.text() and "Nog geen doelen" in anna.text()
    anna.press_data(pick.data)
    assert anna.last.notice and "eerdere stap" in anna.last.notice


def test_reminder_button_for_a_deleted_goal_says_so(anna: Chat, gservice: Service) -> None:
    goal_id = saved_goal(anna, gservice)
    GoalRepo(gservice.store).delete_goal(gservice.user(anna.who).id, goal_id)
    anna.press_data(f"goal:log:{goal_id}")
    assert anna.last.notice == "Dit doel bestaat niet meer."
    assert "Nog geen doelen" in anna.text()
    anna.press_data("goal:log:nonsense")
    assert anna.last.notice == "Dit doel bestaat niet meer."


def test_value_for_a_goal_deleted_meanwhile_is_not_recorded(anna: Chat,
                                                            gservice: Service) -> None:
    goal_id = saved_goal(anna, gservice)
    anna.press_data(f"goal:log:{goal_id}")
    assert "Wat is de nieuwe stand?" in anna.text()
    GoalRepo(gservice.store).delete_goal(gservice.user(anna.who).id, goal_id)  # elsewhere
    anna.send("7")
    assert "intussen verwijderd" in anna.text()
    assert gservice.store.rows("SELECT * FROM goal_progress") == []


def test_someone_elses_goal_cannot_be_logged(anna: Chat, gservice: Service) -> None:
    goal_id = saved_goal(anna, gservice)
    bert = Chat(gservice, telegram_id=2002, name="Bert")
    bert.onboard("Moestuin", None)
    bert.press_data(f"goal:log:{goal_id}")
    assert bert.last.notice == "Dit doel bestaat niet meer."


def test_reminder_settings_refuse_bad_input(anna: Chat, gservice: Service) -> None:
    anna.send("/herinneringen")
    assert "elke maandag om 09:00 (Nederlandse tijd)" in anna.text()
    assert "Volgende keer: maandag 30 november 2026 om 09:00" in anna.text()
    anna.press("Andere tijd")
    anna.send("25:00")
    assert "‘25:00’ is geen tijd die ik ken" in anna.text()
    anna.send("7.45")
    assert "elke maandag om 07:45" in anna.text()
    anna.press("Tijdzone")
    anna.send("Mars/Olympus")
    assert "‘Mars/Olympus’ ken ik niet als tijdzone" in anna.text()
    anna.send("Paramaribo")
    assert "(tijd in Paramaribo)" in anna.text()
    assert gservice.user(anna.who).timezone == "America/Paramaribo"
    anna.press("Andere dag")
    anna.send("blauwdag")
    assert "geen dag van de week" in anna.text()
    anna.press("wo")
    assert "elke woensdag om 07:45" in anna.text()
    assert "woensdag 25 november 2026 om 07:45" in anna.text()
    anna.press("Pauzeren")
    assert "staat op pauze" in anna.text()
    assert GoalRepo(gservice.store).reminder(gservice.user(anna.who).id).paused  # type: ignore[union-attr]
    anna.press("Hervatten")
    assert "Volgende keer" in anna.text()


def test_english_librarian(gservice: Service) -> None:
    sam = Chat(gservice, telegram_id=3003, name="Sam", language_code="en")
    sam.onboard("Reading club", "reading")
    sam.send("/goals")
    sam.press("New SMART goal")
    for answer in ("run a reading club for fathers", "number of fathers per session", "2",
                   "10", "the library's volunteers"):
        sam.send(answer)
    sam.send("fathers read more with their children")
    sam.send("end of March")
    assert ("By 31 March 2027, Reading club and the library together want to run a reading club"
            " for fathers") in sam.text()
    sam.send("/reminders")
    assert "every Monday at 09:00" in sam.text()
