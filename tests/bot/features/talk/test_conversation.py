"""A conversation starts in seconds, follow-ups start where the last one stopped, and phase 4
fills itself from the conversation (through the service, with a real database)."""

from __future__ import annotations

from bot.app.service import Incoming, Media
from storage.fieldwork import ItemRepo
from storage.store import Store
from storage.talk import TalkRepo
from tests.chat import Chat

FIRST_MEETING = "🤝 Eerste gesprek met"


def reflect(chat: Chat, value: str = "Ja", why: str | None = "Wij bereiken nieuwkomers",
            motivated: str = "Ja") -> None:
    """The reflection questions after a conversation, the last two skipped."""
    chat.press(value)
    chat.send(why) if why else chat.press("Overslaan")
    chat.press(motivated)
    chat.press("Overslaan")
    chat.press("Overslaan")


def wrap_up(chat: Chat, value: str = "Ja", why: str | None = "Wij bereiken nieuwkomers",
            motivated: str = "Ja") -> None:
    chat.press("Einde")
    reflect(chat, value, why, motivated)


def test_gesprek_with_a_name_is_the_first_question_in_one_message(chat: Chat,
                                                                  store: Store) -> None:
    chat.onboard()
    outcome = chat.send("/gesprek Fatima")
    [reply] = outcome.replies
    assert "🗣️ Vraag 1/8" in reply.text and "Open gesprek met Fatima" in reply.text
    assert "in je eigen woorden" in reply.text and FIRST_MEETING + " Fatima" in reply.text
    assert "Gegevens" in reply.text  # where role, organisation and place can be added
    people = TalkRepo(store).people(outcome.user_id or 0, None)
    assert [p.name for p in people] == ["Fatima"]


def test_a_new_person_typed_after_gesprek_is_two_messages(chat: Chat) -> None:
    chat.onboard()
    first = chat.send("/gesprek")
    second = chat.send("Fatima, voorzitter, Vrouwen van de Wijk, Buurthuis De Linde")
    assert len(first.replies) == 1 and len(second.replies) == 1
    assert "Met wie praat je?" in first.replies[0].text
    assert "Vraag 1/8" in second.replies[0].text
    assert "Gegevens" not in second.replies[0].text.split("🗣️")[0]  # all details were given
    chat.press("Gegevens")
    assert "voorzitter, Vrouwen van de Wijk, Buurthuis De Linde" in chat.text()


def test_role_organisation_and_place_are_read_from_the_line(chat: Chat, store: Store) -> None:
    chat.onboard()
    outcome = chat.send("/gesprek Fatima , voorzitter,Vrouwen van de Wijk, buurthuis, zaal 2")
    repo = TalkRepo(store)
    current = repo.open_conversation(outcome.user_id or 0)
    assert current is not None
    assert (current.person_name, current.person_role, current.person_org, current.place) == (
        "Fatima", "voorzitter", "Vrouwen van de Wijk", "buurthuis, zaal 2")


def test_details_can_be_added_later_from_the_conversation(chat: Chat, store: Store) -> None:
    chat.onboard()
    outcome = chat.send("/gesprek Fatima")
    chat.send("Ze leidt het taalcafé")
    chat.press("Gegevens")
    assert "Wat wil je aanvullen over Fatima? Je weet nog alleen de naam." in chat.text()
    chat.press("Plek van het gesprek")
    chat.send("Buurthuis De Linde")
    assert "Vraag 1/8" in chat.text() and "1 notitie bij deze vraag" in chat.text()
    chat.press("Gegevens")
    chat.press("Rol")
    chat.send("voorzitter")
    current = TalkRepo(store).open_conversation(outcome.user_id or 0)
    assert current is not None and current.place == "Buurthuis De Linde"
    assert current.person_role == "voorzitter"
    prompts = [t for t in TalkRepo(store).transcript(current.id) if t.who == "bot"]
    assert len(prompts) == 1  # coming back to the question does not write it down again


def test_a_name_of_200_characters_is_kept_as_a_note_and_the_name_asked_again(
        chat: Chat, store: Store) -> None:
    chat.onboard()
    long = ("Fatima vertelde uitgebreid over het taalcafé en haar plannen " * 4)[:200]
    outcome = chat.send(f"/gesprek {long}")
    [reply] = outcome.replies  # one message: kept, why, and the question again
    assert "bewaard als notitie" in reply.text and "200 tekens" in reply.text
    assert reply.text.rstrip().endswith("buurthuis De Linde’. Wat je nu niet weet, vul je later"
                                        " aan.")
    assert store.notes(outcome.user_id or 0)[-1].text == long.strip()
    assert TalkRepo(store).open_conversation(outcome.user_id or 0) is None
    chat.send("Fatima")
    assert "Vraag 1/8" in chat.text()


def test_the_consent_line_comes_once_per_person(chat: Chat) -> None:
    chat.onboard()
    chat.send("/gesprek Fatima")
    chat.send("Ze leidt het taalcafé")
    wrap_up(chat)
    chat.send("/gesprek")
    chat.press("Fatima")
    assert FIRST_MEETING not in chat.text() and "Vervolggesprek met Fatima" in chat.text()
    chat.send("/annuleer")
    chat.send("/gesprek")
    chat.press("Afronden")
    reflect(chat, why=None)
    chat.send("/gesprek Bram")
    assert FIRST_MEETING + " Bram" in chat.text()


def test_a_follow_up_says_what_is_open_and_starts_there(chat: Chat, store: Store) -> None:
    chat.onboard()
    chat.send("/gesprek Fatima")
    chat.send("Ze leidt het taalcafé")  # question 1
    chat.press("Volgende")
    chat.send("Nieuwkomers laten meepraten")  # question 2
    chat.press("Volgende")
    chat.press("Volgende")  # question 3 passed without notes
    wrap_up(chat)
    chat.send("/gesprek")
    outcome = chat.press("Fatima")
    [reply] = outcome.replies
    assert reply.edit  # the question "who?" becomes the follow-up's first question
    assert "Vervolggesprek met Fatima" in reply.text
    assert ("kwamen 2 van de 8 vragen aan bod; de vragen 3, 4, 5, 6, 7 en 8 staan nog open"
            in reply.text)
    assert "🗣️ Vraag 3/8" in reply.text
    chat.send("Ze zoeken vrijwilligers")
    current = TalkRepo(store).open_conversation(outcome.user_id or 0)
    assert current is not None
    [note] = [t for t in TalkRepo(store).transcript(current.id) if t.who == "librarian"]
    assert note.question == "busy"


def test_a_follow_up_after_every_question_keeps_notes_off_question_1(chat: Chat,
                                                                    store: Store) -> None:
    chat.onboard()
    chat.send("/gesprek Fatima")
    for number in range(8):
        chat.send(f"notitie bij vraag {number + 1}")
        chat.press("Volgende")
    wrap_up(chat)
    chat.send("/gesprek")
    outcome = chat.press("Fatima")
    assert "kwamen alle vragen aan bod" in chat.text() and "Vraag 1/8" not in chat.text()
    chat.send("Het taalcafé draait nu twee avonden")
    current = TalkRepo(store).open_conversation(outcome.user_id or 0)
    assert current is not None
    [note] = [t for t in TalkRepo(store).transcript(current.id) if t.who == "librarian"]
    assert note.question is None
    wrap_up(chat)
    assert "Zonder vraag: Het taalcafé draait nu twee avonden." in chat.text()


def test_a_follow_up_while_the_earlier_conversation_is_still_open(chat: Chat,
                                                                  store: Store) -> None:
    chat.onboard()
    outcome = chat.send("/gesprek Fatima")
    chat.send("Ze leidt het taalcafé")
    chat.press("Volgende")
    chat.send("/gesprek Fatima")  # the same person: carry on with the open conversation
    assert "Je gesprek met Fatima" in chat.text() and "stond nog open" in chat.text()
    assert "Vraag 2/8" in chat.text()
    chat.send("/annuleer")
    chat.send("/gesprek")
    assert "Je gesprek met Fatima staat nog open" in chat.text()
    chat.press("Fatima") if "Fatima" in chat.labels() else None
    repo = TalkRepo(store)
    assert len([c for c in repo.conversations(outcome.user_id or 0, store.user(
        outcome.user_id or 0).active_community)]) == 1  # type: ignore[union-attr]
    chat.send("/gesprek Jan")
    assert "Rond dat eerst af" in chat.text() and "Jan" in chat.text()
    chat.press("Eerst afronden")
    reflect(chat, why=None)
    [reply] = chat.last.replies
    assert "Gesprek met Fatima" in reply.text and "Nu het gesprek met Jan beginnen?" in reply.text
    chat.press("Ja, beginnen")
    assert FIRST_MEETING + " Jan" in chat.text()


def test_a_finished_conversation_ticks_phase_4_with_where_each_came_from(
        chat: Chat, store: Store) -> None:
    chat.onboard()
    outcome = chat.send("/gesprek Fatima, voorzitter")
    chat.send("Ze leidt het taalcafé")
    chat.press("Ik vertelde ook")
    wrap_up(chat, value="Nee", why="We kennen elkaar nog te weinig")
    assert "✅ Fase 4 bijgewerkt: 5 onderdelen afgevinkt door dit gesprek (5/5)." in chat.text()
    community = store.user(outcome.user_id or 0).active_community  # type: ignore[union-attr]
    assert community is not None
    assert store.ticks(community)["p4"] == {"meet", "open", "share", "value", "motivated"}
    sources = ItemRepo(store).sources(community)
    assert sources["p4.meet"] == "Fatima (voorzitter)"
    assert sources["p4.open"].startswith("gesprek met Fatima op ")
    assert sources["p4.value"] == "Nee: We kennen elkaar nog te weinig"
    for item in ("policy", "goals", "values", "frame", "fit"):  # phase 1 comes first
        store.set_tick(community, f"p1.{item}", True)
    chat.send("/fase")
    chat.press("4. Ken je community")
    text = chat.text()
    assert "• Kennisgemaakt met iemand uit de community: Fatima (voorzitter)" in text
    assert "• Meerwaarde voor beide partijen nagegaan: Nee: We kennen" in text
    assert "🗣️ Gesprek beginnen" in chat.labels()


def test_a_conversation_without_notes_ticks_nothing(chat: Chat, store: Store) -> None:
    chat.onboard()
    outcome = chat.send("/gesprek Fatima")
    wrap_up(chat)
    assert "Fase 4 bijgewerkt" not in chat.text()
    community = store.user(outcome.user_id or 0).active_community  # type: ignore[union-attr]
    assert community is not None and "p4" not in store.ticks(community)


def test_phase_4_start_button_starts_a_conversation(chat: Chat) -> None:
    chat.onboard()
    chat.send("/fase")
    chat.press("1. Strategie")
    for item in ("Beleidsplan", "Organisatiedoelen", "Helder waar", "Kapstok", "Weet welke"):
        chat.press(item)
        if "Beschrijf je kapstok" in chat.text():
            chat.send("We staan voor taal en ontmoeting")
    chat.press("Alle fasen")
    chat.press("4. Ken je community")
    chat.press("Gesprek beginnen")
    assert "Met wie praat je?" in chat.text()


def test_the_note_count_is_the_same_in_both_summaries(chat: Chat) -> None:
    chat.onboard()
    chat.send("/gesprek Fatima")
    chat.send("Ze leidt het taalcafé")
    chat._go(Incoming(kind="other", other="voice", message_id=91,
                      media=Media(kind="voice", file_id="VOICE1", duration=42)))
    chat._go(Incoming(kind="other", other="photo", message_id=92,
                      media=Media(kind="photo", file_id="PHOTO1", caption="flyer")))
    wrap_up(chat)
    assert "3 notities" in chat.text()
    chat.send("/samenvatting")
    assert "(3 notities)" in chat.text()
    chat.press("Fatima")
    assert "3 notities" in chat.text()
