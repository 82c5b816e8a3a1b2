"""What the librarian shares herself in live mode: 🙋 turns the next note into hers, a note
starting with "ik:" is hers, and neither is ever the person's answer."""

from __future__ import annotations

from dialogs.catalog import Catalog
from tests.dialogs.kinds.test_live import live


def test_the_hand_turns_the_next_note_into_hers_and_says_so_in_one_message(
        catalog: Catalog) -> None:
    walk = live(catalog)
    walk.press("Ik vertelde ook")
    [reply] = walk.result.replies
    assert reply.edit  # the question in place, with the line on top: one message
    assert "volgende notitie" in reply.text.lower() and "nog eens op 🙋" in reply.text
    assert walk.effects("live_mark") == [{"question": "work", "mark": "shared"}]
    walk.say("Ik woonde zelf in Spanje, dat was eenzaam")
    assert walk.effects("live_note") == [{"question": "work", "own": True,
                                          "text": "Ik woonde zelf in Spanje, dat was eenzaam"}]
    walk.say("Ze leidt het taalcafé")  # the note after is the person's again
    assert walk.effects("live_note") == [{"question": "work", "text": "Ze leidt het taalcafé"}]


def test_tapping_the_hand_again_undoes_it(catalog: Catalog) -> None:
    walk = live(catalog)
    walk.press("Ik vertelde ook")
    walk.press("Toch niet")
    assert "volgende notitie" not in walk.text().lower()
    walk.say("Ze leidt het taalcafé")
    assert walk.effects("live_note") == [{"question": "work", "text": "Ze leidt het taalcafé"}]


def test_moving_to_another_question_undoes_it(catalog: Catalog) -> None:
    walk = live(catalog)
    walk.press("Ik vertelde ook")
    walk.press("Volgende")
    walk.say("Ze willen groeien")
    assert walk.effects("live_note") == [{"question": "goals", "text": "Ze willen groeien"}]


def test_a_note_starting_with_ik_is_hers_in_any_case(catalog: Catalog) -> None:
    walk = live(catalog)
    for number, typed in enumerate(("ik: ik heb zelf twee kinderen", "Ik: ook ik zocht werk",
                                    "IK :en ik", "I: I lived in Spain")):
        walk.say(typed)
        [effect] = walk.effects("live_note")
        assert effect["own"] is True and ":" not in str(effect["text"])
        # "iets van jezelf gedeeld" is ticked by the first, as 🙋 ticks it
        assert walk.effects("live_mark") == (
            [{"question": "work", "mark": "shared"}] if number == 0 else [])


def test_ik_alone_or_with_spaces_is_not_a_note_but_the_hand(catalog: Catalog) -> None:
    for typed in ("ik:", "Ik:    ", "ik :"):
        walk = live(catalog)
        walk.say(typed)
        assert walk.effects("live_note") == []
        assert "volgende notitie" in walk.text().lower()
        walk.say("Ik ben zelf ook nieuwkomer geweest")
        assert walk.effects("live_note")[0]["own"] is True
