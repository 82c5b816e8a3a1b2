"""/zoek finds every kind of text she wrote, says what and where each hit is, and opens it
with one tap; bad searches get a clear answer. Through the service, on a real SQLite file."""

from __future__ import annotations

import re
from datetime import date

import pytest

from storage.activities import ActivityRepo
from storage.collaboration import CollaborationRepo
from storage.fieldwork import ItemRepo
from storage.goals import GoalRepo
from storage.people import PeopleRepo
from storage.store import Store, User
from storage.talk import TalkRepo
from tests.chat import Chat


def me(chat: Chat, store: Store) -> User:
    found = store.user_by_telegram(chat.who.telegram_id or 0)
    assert found is not None and found.active_community
    return found


def plant(store: Store, user: User, text: str) -> dict[str, int]:
    """A record of each kind holding `text`; returns their ids by kind."""
    uid, cid = user.id, user.active_community or 0
    talk = TalkRepo(store)
    ahmed = talk.add_person(uid, cid, "Ahmed", "vrijwilliger", f"Stichting {text}")
    conversation = talk.start(uid, cid, ahmed, None)
    goals = GoalRepo(store)
    goal = goals.add_goal(uid, cid, specific=f"Meer bezoekers via {text}", metric="bezoekers",
                          baseline=0, target=20, achievable="", relevant="",
                          relevant_part=None, deadline=date(2027, 6, 1))
    goals.log_progress(uid, goal, 4, f"Flyers bij {text} werkten")
    return {
        "note": store.add_note(uid, cid, f"Notitie over {text}", []),
        "turn": talk.add_turn(conversation, uid, "librarian", "problems", f"Ahmed mist {text}"),
        "activity": ActivityRepo(store).add(uid, cid, kind="Kookavond", day=date(2026, 12, 6),
                                            what="Samen koken", participants=12,
                                            led_by="community", note=f"Er was {text}")[0],
        "item": ItemRepo(store).add(cid, "p2.scan", f"{text} doet al veel in de wijk"),
        "outcome": CollaborationRepo(store).add_outcome(uid, cid, "knowledge",
                                                        f"Gespreksonderwerpen over {text}"),
        "goal": goal,
    }


@pytest.fixture
def anna(chat: Chat) -> Chat:
    chat.onboard()
    return chat


def test_each_hit_says_what_it_is_and_where(anna: Chat, store: Store) -> None:
    plant(store, me(anna, store), "Vluchtelingenwerk")
    anna.send("/zoek vluchtelingenwerk")
    text = anna.text()
    for said in ("Notitie · Taalcafé Noord", "Gesprek met Ahmed, vraag 5",
                 "Activiteit 6 dec · Kookavond", "Omgevingsscan", "Opbrengst", "Doel",
                 "Voortgang bij ‘Meer bezoekers via Vluchtelingenwerk’", "Persoon"):
        assert said in text, said
    assert "8 resultaten" in text
    assert [b[:3] for b in anna.labels()] == [f"{n}. " for n in range(1, 9)]


def test_a_conversation_note_is_one_hit_not_two(anna: Chat, store: Store) -> None:
    anna.send("/gesprek Fatima")
    anna.send("Ze zoeken een plek om Nederlands te oefenen")
    anna.press("Einde")
    anna.press("Ja")
    anna.press("Overslaan")
    anna.press("Ja")
    anna.press("Overslaan")
    anna.send('/zoek "een plek om"')
    assert "1 resultaat" in anna.text() and "Gesprek met Fatima" in anna.text()


@pytest.mark.parametrize(("kind", "opens"), [
    ("note", "Notitie over Baklava"),
    ("turn", "Gesprek met Ahmed"),
    ("activity", "Kookavond"),
    ("item", "Omgevingsscan"),
    ("outcome", "Fase 6"),
    ("goal", "Meer bezoekers via Baklava"),
])
def test_a_hits_button_opens_it_where_it_was_written(anna: Chat, store: Store, kind: str,
                                                     opens: str) -> None:
    ids = plant(store, me(anna, store), "Baklava")
    anna.send("/zoek baklava")
    button = next(b for r in anna.last.replies for row in r.buttons for b in row
                  if b.data.endswith(f":{kind}:{ids[kind]}"))
    assert len(button.data.encode()) <= 64
    anna.press_data(button.data)
    assert opens in anna.text(), anna.text()


def test_a_hit_in_another_community_opens_there(anna: Chat, store: Store) -> None:
    plant(store, me(anna, store), "Baklava")
    anna.send("/community")
    anna.press("Nieuwe community")
    anna.send("Moestuin Zuid")
    anna.press("Overslaan")
    anna.send("/zoek baklava")
    anna.press("Activiteit")
    assert "Je werkt nu met Taalcafé Noord" in anna.text() and "Kookavond" in anna.text()


def test_a_deleted_record_says_so_when_its_button_is_tapped(anna: Chat, store: Store) -> None:
    ids = plant(store, me(anna, store), "Baklava")
    anna.send("/zoek baklava")
    data = anna.button("Notitie").data
    store.delete_note(me(anna, store).id, ids["note"])
    anna.press_data(data)
    assert anna.last.notice == "Dat staat er niet meer."


@pytest.mark.parametrize(("typed", "said"), [
    ("AND OR NOT NEAR", "geen woord in om naar te zoeken"),
    ('" * ( ) AND', "geen woord in om naar te zoeken"),
    ("😀🎉", "geen woord in om naar te zoeken"),
    ("de het een van", "alleen heel gewone woorden"),
])
def test_a_search_without_words_gets_a_clear_answer(anna: Chat, typed: str, said: str) -> None:
    anna.send(f"/zoek {typed}")
    assert said in anna.text()


@pytest.mark.parametrize("word", ["图书馆很好", "ห้องสมุด", "المكتبة", "पुस्तकालय"])
def test_words_of_other_scripts_are_found(anna: Chat, store: Store, word: str) -> None:
    plant(store, me(anna, store), word)
    anna.send(f"/zoek {word}")
    # Each hit, with the word marked (split where SQLite's tokenizer splits it, as in Hindi).
    assert "8 resultaten" in anna.text() and word in re.sub("<[^>]+>", "", anna.text())


def test_long_and_emoji_only_records_keep_search_working(anna: Chat, store: Store) -> None:
    user = me(anna, store)
    long = ("Een lang verhaal over de wijk. " * 170)[:4980] + " Zeldzaamwoord"
    ids = plant(store, user, long)
    plant(store, user, "😀🎉🙏")
    anna.send("/zoek zeldzaamwoord")
    assert "8 resultaten" in anna.text()
    assert all(len(r.text) <= 4096 for r in anna.last.replies)
    anna.press_data(next(b.data for r in anna.last.replies for row in r.buttons for b in row
                         if b.data.endswith(f":note:{ids['note']}")))
    assert "Zeldzaamwoord" in anna.text()


def test_a_forgotten_person_leaves_the_index(anna: Chat, store: Store) -> None:
    user = me(anna, store)
    plant(store, user, "Baklava")
    person = PeopleRepo(store).people(user.id, user.active_community)[0]
    with store.atomic():
        PeopleRepo(store).forget(user.id, person.id, "[iemand]")
    anna.send("/zoek ahmed")
    assert "Niets gevonden" in anna.text()
    anna.send("/zoek baklava")
    assert "Persoon" not in anna.text() and "Gesprek, vraag 5" in anna.text()
