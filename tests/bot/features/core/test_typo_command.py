"""Issue 23, point 5: a mistyped command offers the command it resembles (one tap runs it,
with what was typed after it) and keeps the dialog's buttons on screen; a lone number or a
button's label typed in a conversation is not stored as a note without asking."""

from __future__ import annotations

from pathlib import Path

from bot.app.registry import FEATURES, Service
from bot.console.chat import Console
from dialogs.catalog import Catalog
from storage.store import Store
from storage.talk import TalkRepo
from tests.chat import Chat


def at_question_3(chat: Chat) -> None:
    chat.send("/gesprek Fatima, voorzitter")
    chat.press("Volgende vraag")
    chat.press("Volgende vraag")
    assert "Vraag 3/8" in chat.text()


def notes(chat: Chat) -> list[str]:
    user = chat.service.user(chat.who)
    repo = TalkRepo(chat.service.store)
    found = [c for c in repo.conversations(user.id, user.active_community)]
    return [t.text for c in found for t in repo.transcript(c.id) if t.who == "librarian"]


def test_a_mistyped_command_offers_the_nearest_and_keeps_the_questions_buttons(
        anna: Chat) -> None:
    at_question_3(anna)
    anna.send("Ze organiseren huiswerkbegeleiding")
    anna.send("/zeok huiswerk")
    assert len(anna.last.replies) == 1  # one message
    text = anna.text()
    assert text.startswith("Dat commando ken ik niet. Bedoel je /zoek?")
    assert "Vraag 3/8" in text  # the question again, under the suggestion
    labels = anna.labels()
    assert labels[0] == "⏭ Volgende vraag"  # its buttons in their places (and numbers)
    assert labels[-1] == "▶️ /zoek huiswerk"
    anna.press("▶️ /zoek huiswerk")
    assert "huiswerkbegeleiding" in anna.text()  # the search ran, with what was typed
    anna.press("Volgende vraag")  # the conversation is where it was
    assert "Vraag 4/8" in anna.text()
    assert notes(anna) == ["Ze organiseren huiswerkbegeleiding"]


def test_a_prefix_of_two_commands_offers_both(anna: Chat) -> None:
    anna.send("/ac")  # at the menu, after onboarding: the menu stays under it
    assert anna.text().startswith("Dat commando ken ik niet. Bedoel je /acties of /activiteit?"
                                  "\n\nWat wil je doen?")
    assert anna.labels()[-2:] == ["▶️ /acties", "▶️ /activiteit"]
    anna.press("▶️ /activiteit")
    assert "Nog geen activiteiten vastgelegd voor Taalcafé Noord" in anna.text()
    anna.send("/ac")
    anna.press("▶️ /acties")
    assert "Er staan geen open acties voor Taalcafé Noord" in anna.text()


def test_in_english_the_english_names_are_offered(anna: Chat) -> None:
    anna.service.store.set_language(anna.service.user(anna.who).id, "en")
    anna.send("/serch leesclub")
    assert anna.text().startswith("I don't know that command. Did you mean /search?")
    assert anna.labels()[-1] == "▶️ /search leesclub"


def test_nothing_like_it_points_to_help(anna: Chat) -> None:
    anna.send("/vliegtuig")
    assert anna.text().startswith("Dat commando ken ik niet. /help laat zien wat ik kan.")
    assert not any(label.startswith("▶️ /") for label in anna.labels())
    anna.send("/annuleer")  # outside any dialog: the line alone
    anna.send("/vliegtuig")
    assert anna.text() == "Dat commando ken ik niet. /help laat zien wat ik kan."
    assert anna.labels() == []


def test_long_words_after_a_mistyped_command_are_kept_for_the_tap(anna: Chat) -> None:
    line = "Fatima wil een leesclub voor vaders op zaterdagochtend in de bibliotheek beginnen"
    anna.send(f"/notitei {line}")
    assert "Bedoel je /notitie?" in anna.text()
    anna.press("▶️ /notitie")
    user = anna.service.user(anna.who)
    assert [n.text for n in anna.service.store.notes(user.id)] == [line]


def test_suggestions_in_order_of_the_commands() -> None:
    from bot.app.registry import suggest

    assert [c.name for c in suggest("zeok")] == ["search"]
    assert [c.name for c in suggest("ac")] == ["actions", "activity"]
    assert [c.name for c in suggest("summery")] == ["summary"]
    assert suggest("vliegtuig") == []


def test_a_lone_number_in_a_conversation_is_not_a_note_without_asking(anna: Chat) -> None:
    at_question_3(anna)
    anna.send("1")
    text = anna.text()
    assert text.startswith("‘1’ heb ik nog niet als notitie bewaard. Bedoel je de knop "
                           "‘⏭ Volgende vraag’? Tik die dan hieronder aan.")
    assert "Vraag 3/8" in text
    assert anna.labels()[0] == "⏭ Volgende vraag"
    assert anna.labels()[-1] == "✍️ ‘1’ toch bewaren"
    assert notes(anna) == []
    anna.press("Volgende vraag")
    assert "Vraag 4/8" in anna.text()
    assert notes(anna) == []


def test_a_number_meant_as_a_note_is_kept_with_one_tap(anna: Chat) -> None:
    at_question_3(anna)
    anna.send("40")  # no button 40: still asked, as it may be a slip
    assert anna.text().startswith(
        "‘40’ heb ik nog niet als notitie bewaard. Wilde je een knop kiezen?")
    anna.press("✍️ ‘40’ toch bewaren")
    assert notes(anna) == ["40"]
    assert anna.last.notice == "✍️ Bewaard."
    assert "✍️ 1 notitie bij deze vraag" in anna.text()


def test_a_button_label_typed_in_a_conversation_is_asked_about(anna: Chat) -> None:
    at_question_3(anna)
    anna.send("volgende vraag")
    assert anna.text().startswith("‘volgende vraag’ heb ik nog niet als notitie bewaard. Bedoel je "
                                  "de knop ‘⏭ Volgende vraag’?")
    assert notes(anna) == []
    anna.send("Ze kent de wijkagent")  # a real note: kept as always, quietly
    assert anna.last.ack and not anna.last.replies
    assert notes(anna) == ["Ze kent de wijkagent"]


def test_console_a_typo_then_1_takes_the_button_shown_with_that_number(
        tmp_path: Path, catalog: Catalog) -> None:
    """The console numbers buttons: after the typo the question's are shown again, with the
    numbers they had, so "1" is the next question, as the librarian meant."""
    out: list[str] = []
    store = Store(tmp_path / "c.db")
    console = Console(Service(store, catalog, features=FEATURES), "anna", "nl",
                      write=out.append)
    for line in ["/start", "Taalcafé Noord", "taal", "/gesprek Fatima", "1", "1"]:
        console.send(line)
    assert "Vraag 3/8" in out[-2] or any("Vraag 3/8" in o for o in out[-12:])
    console.send("/zeok huiswerk")
    shown = "\n".join(out[-12:])
    assert "Bedoel je /zoek?" in shown and "[1] ⏭ Volgende vraag" in shown
    console.send("1")
    assert any("Vraag 4/8" in o for o in out[-12:])
    user = store.user_by_console("anna")
    assert user is not None
    repo = TalkRepo(store)
    conversation = repo.open_conversation(user.id)
    assert conversation is not None
    assert [t.text for t in repo.transcript(conversation.id) if t.who == "librarian"] == []
    store.close()


def test_a_lone_number_as_the_reflections_why_is_asked_about(anna: Chat) -> None:
    """The reflection's free answers go into the summary too: "1" there (the console's
    number of ⏩ Overslaan) is asked about rather than kept as the reason."""
    anna.send("/gesprek Fatima")
    anna.send("Ze zoekt een ruimte voor haar groep")
    anna.press("Einde")
    anna.press("Ja")
    assert "Waarom?" in anna.text()
    anna.send("1")
    assert "Is ‘1’ echt je antwoord, of wilde je een knop kiezen?" in anna.text()
    anna.press("Nee, opnieuw typen")
    assert "Waarom?" in anna.text()
    anna.press("Overslaan")
    anna.press("Ja")
    anna.send("2.")
    anna.press("Ja, zo laten")  # she meant it: kept as typed
    anna.send("Een vaste avond in de bieb")
    summary = anna.text()
    assert "Een vaste avond in de bieb" in summary
    assert "meerwaarde voor beide partijen: 1" not in summary
    assert "2." in summary
