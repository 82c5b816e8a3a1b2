"""Issue 23, point 4: an action made during a conversation leaves the question and its
buttons where they were, and a done action can be opened again (from the message that
marked it done, and from the list of done actions under /acties)."""

from __future__ import annotations

from pathlib import Path

from bot.app.registry import FEATURES, Service
from bot.console.chat import Console
from dialogs.catalog import Catalog
from storage.actions import ActionRepo
from storage.store import Store
from storage.talk import TalkRepo
from tests.chat import Chat

SAID = "Fatima vraagt in de groepsapp wie op dinsdagmiddag kan"


def at_question_3(chat: Chat) -> None:
    chat.send("/gesprek Fatima, voorzitter")
    chat.press("Volgende vraag")
    chat.press("Volgende vraag")
    assert "Vraag 3/8" in chat.text()


def done_at(chat: Chat) -> list[tuple[str, bool]]:
    user = chat.service.user(chat.who)
    assert user.active_community is not None
    return [(a.what, a.done_at is not None)
            for a in ActionRepo(chat.service.store).all(user.id, user.active_community)]


def test_a_typed_action_at_question_3_keeps_the_question_and_its_buttons(anna: Chat) -> None:
    at_question_3(anna)
    anna.send(f"actie: {SAID}")
    assert len(anna.last.replies) == 1  # one message: what was kept, above the question
    reply = anna.last.replies[0]
    assert reply.text.startswith(f"✅ Actie bewaard: ‘{SAID}’.")
    assert "Vraag 3/8" in reply.text
    assert not reply.edit  # at the bottom of the chat, under the typed line
    labels = anna.labels()
    assert labels[0] == "⏭ Volgende vraag"  # the question's own buttons, in their places
    assert not any(label.startswith("✅") or label in ("⏰", "✏️") for label in labels)
    anna.press_data(reply.buttons[0][0].data)  # the first button: the next question
    assert "Vraag 4/8" in anna.text()
    assert done_at(anna) == [(SAID, False)]  # still open
    user = anna.service.user(anna.who)
    conversation = TalkRepo(anna.service.store).open_conversation(user.id)
    assert conversation is not None
    assert f"actie: {SAID}" in [t.text for t in TalkRepo(anna.service.store).transcript(
        conversation.id)]


def test_a_typed_action_with_an_impossible_date_in_a_conversation_keeps_the_question(
        anna: Chat) -> None:
    at_question_3(anna)
    anna.send("actie: zaal boeken 31 februari")
    assert len(anna.last.replies) == 1
    text = anna.text()
    assert "✅ Actie bewaard, nog zonder datum. 31 februari bestaat niet." in text
    assert "Welke datum bedoel je" not in text  # no question she cannot answer here
    assert "/acties" in text and "Vraag 3/8" in text
    assert anna.labels()[0] == "⏭ Volgende vraag"
    assert done_at(anna) == [("zaal boeken", False)]


def test_done_can_be_undone_from_the_message_that_said_so(anna: Chat) -> None:
    anna.send("Actie: Fatima mailen over een ruimte vrijdag")
    anna.press("✅ Fatima mailen")
    assert "✅ Gedaan: ‘Fatima mailen over een ruimte’." in anna.text()
    assert done_at(anna) == [("Fatima mailen over een ruimte", True)]
    assert anna.labels()[-1] == "↩ Ongedaan maken"  # last: the list's buttons keep their places
    anna.press("↩ Ongedaan maken")
    assert "↩ ‘Fatima mailen over een ruimte’ staat weer open." in anna.text()
    assert done_at(anna) == [("Fatima mailen over een ruimte", False)]
    assert "1. Fatima mailen over een ruimte" in anna.text()  # back in the open list


def test_reopening_twice_is_harmless_and_says_so(anna: Chat) -> None:
    anna.send("Actie: Fatima mailen over een ruimte vrijdag")
    anna.press("✅ Fatima mailen")
    reopen = anna.button("↩ Ongedaan maken")
    anna.press_data(reopen.data)
    anna.press_data(reopen.data)  # the same button again (a double tap, an old message)
    assert "‘Fatima mailen over een ruimte’ stond al open; er is niets veranderd." \
        in anna.text()
    assert done_at(anna) == [("Fatima mailen over een ruimte", False)]
    user = anna.service.user(anna.who)
    assert len(ActionRepo(anna.service.store).open(user.id, user.active_community or 0)) == 1


def test_done_actions_are_listed_from_acties_and_can_be_reopened_there(anna: Chat) -> None:
    anna.send("Actie: flyers maken")
    anna.send("Actie: zaal vragen bij de school")
    anna.send("/acties")
    anna.press("✅ 1. flyers maken")
    anna.press("✅ 1. zaal vragen")
    assert "Er staan geen open acties" in anna.text()
    anna.press("☑️ Afgerond (2)")
    text = anna.text()
    assert "☑️ Afgeronde acties voor Taalcafé Noord" in text
    assert "1. zaal vragen bij de school · vandaag gedaan" in text  # newest first
    assert "2. flyers maken · vandaag gedaan" in text
    anna.press("↩ 2. flyers maken")
    assert "↩ ‘flyers maken’ staat weer open." in anna.text()
    assert "1. zaal vragen bij de school" in anna.text()  # the done list, one fewer
    assert done_at(anna) == [("flyers maken", False), ("zaal vragen bij de school", True)]
    anna.press("📋 Open acties")
    assert "1. flyers maken" in anna.text()


def test_done_in_a_conversation_from_an_earlier_message_can_be_reopened(anna: Chat) -> None:
    """The daily message's buttons answer in a message of their own; that one can undo."""
    anna.send("Actie: Fatima mailen")  # outside the conversation: the action's buttons
    at_question_3(anna)
    anna.press("✅ Fatima mailen")
    assert "✅ Gedaan: ‘Fatima mailen’." in anna.text()
    anna.press("↩ Ongedaan maken")
    assert done_at(anna) == [("Fatima mailen", False)]


def test_console_an_action_then_1_is_the_next_question_not_done(
        tmp_path: Path, catalog: Catalog) -> None:
    """The console numbers the newest buttons: after the action they are the question's
    again, so "1" is ⏭ Volgende vraag, as the librarian meant."""
    out: list[str] = []
    store = Store(tmp_path / "c.db")
    console = Console(Service(store, catalog, features=FEATURES), "anna", "nl",
                      write=out.append)
    for line in ["/start", "Taalcafé Noord", "taal", "/gesprek Fatima", "1", "1",
                 f"actie: {SAID}"]:
        console.send(line)
    shown = "\n".join(out[-12:])
    assert f"✅ Actie bewaard: ‘{SAID}’." in shown and "[1] ⏭ Volgende vraag" in shown
    console.send("1")
    assert any("Vraag 4/8" in line for line in out[-12:])
    user = store.user_by_console("anna")
    assert user is not None and user.active_community is not None
    assert [a.done_at for a in ActionRepo(store).all(user.id, user.active_community)] == [None]
    console.send("/acties")
    console.send("1")  # ✅ on the first action
    assert any("✅ Gedaan" in line for line in out[-12:])
    assert "[1] ↩ Ongedaan maken" not in "\n".join(out[-12:])  # the undo is last, not [1]
    store.close()
