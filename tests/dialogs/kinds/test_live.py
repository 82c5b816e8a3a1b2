"""The conversation dialog on the engine alone: live mode, nudge, reflection."""

from __future__ import annotations

from dialogs.catalog import Catalog
from dialogs.state import Choice, Other
from tests.dialogs.kinds.walk import Walk


def new_conversation(catalog: Catalog) -> Walk:
    walk = Walk(catalog, "talk")
    assert "Hoe heet de persoon" in walk.text()
    walk.say("Fatima")
    walk.press("Overslaan")
    walk.say("Vrouwen van de Wijk")
    walk.say("Buurthuis De Linde")
    assert walk.effects("start_conversation")[0]["person_name"] == "Fatima"
    return walk


def test_who_and_where_lead_into_live_mode_with_the_first_question(catalog: Catalog) -> None:
    walk = new_conversation(catalog)
    assert walk.state is not None and walk.state.step == "live"
    assert "Vraag 1/8" in walk.text() and "💡" in walk.text()
    assert walk.effects("live_prompt") == [{"question": "work", "text":
                                            "Wat voor werk doe je, en hoe ben je erbij "
                                            "betrokken geraakt?"}]


def test_someone_met_before_can_be_picked(catalog: Catalog) -> None:
    people = {"people": [Choice(id="4", label="Fatima")]}
    walk = Walk(catalog, "talk", facts={"has_people": True}, choices=people)
    walk.press("Fatima")
    assert walk.state is not None and walk.state.step == "place"
    assert walk.state.data["person_id"] == "4"


def test_notes_are_acknowledged_quietly_and_keep_buttons_valid(catalog: Catalog) -> None:
    walk = new_conversation(catalog)
    rev = walk.rev
    result = walk.say("Ze geeft les aan nieuwkomers")
    assert result.ack and result.replies == [] and walk.rev == rev
    assert walk.effects("live_note") == [{"question": "work",
                                          "text": "Ze geeft les aan nieuwkomers"}]
    walk.press("Volgende")  # the prompt's button still works after notes
    assert "Vraag 2/8" in walk.text()


def test_ten_thousand_characters_are_one_whole_note(catalog: Catalog) -> None:
    walk = new_conversation(catalog)
    text = "verhaal " * 1250
    walk.say(text)
    assert walk.effects("live_note")[0]["text"] == text


def test_next_question_edits_the_prompt_unless_notes_came_in(catalog: Catalog) -> None:
    walk = new_conversation(catalog)
    walk.press("Volgende")
    assert walk.result.replies[-1].edit
    walk.say("een notitie")
    walk.press("Volgende")
    assert not walk.result.replies[-1].edit  # new message at the bottom of the chat


def test_back_on_the_first_question_says_so(catalog: Catalog) -> None:
    walk = new_conversation(catalog)
    result = walk.press("Vorige")
    assert result.notice == "Dit is de eerste vraag." and "Vraag 1/8" in walk.text()


def test_any_order_through_the_list(catalog: Catalog) -> None:
    walk = new_conversation(catalog)
    walk.say("notitie bij vraag 1")
    walk.press("Alle vragen")
    assert "✍️ 1 1. Wat voor werk" in [b.label for row in walk.result.replies[-1].buttons
                                       for b in row][0]
    walk.press("7. Wat hebben")
    assert "Vraag 7/8" in walk.text()


def test_one_gentle_nudge_at_half_way_unless_shared(catalog: Catalog) -> None:
    walk = new_conversation(catalog)
    for _ in range(3):
        walk.press("Volgende")
    assert "duwtje" not in walk.text()
    walk.press("Volgende")
    assert "duwtje" in walk.text() and "Vraag 5/8" in walk.text()
    walk.press("Volgende")
    assert "duwtje" not in walk.text()

    shared = new_conversation(catalog)
    shared.press("Ik deelde")
    assert shared.effects("live_mark") == [{"question": "work", "mark": "shared"}]
    for _ in range(5):
        shared.press("Volgende")
        assert "duwtje" not in shared.text()


def test_skip_marks_and_moves_on(catalog: Catalog) -> None:
    walk = new_conversation(catalog)
    walk.press("Overslaan")
    assert walk.effects("live_mark") == [{"question": "work", "mark": "skipped"}]
    assert "Vraag 2/8" in walk.text()


def test_end_leads_to_the_reflection_and_the_end_effect(catalog: Catalog) -> None:
    walk = new_conversation(catalog)
    walk.press("Einde")
    assert "waarde toe voor beide partijen" in walk.text()
    walk.press("Nog niet")
    walk.say("We kennen elkaar nog te weinig")
    walk.press("Ja")
    walk.press("Overslaan")
    walk.say("Een vaste avond in de bieb")
    ended = walk.effects("end_conversation")[0]
    assert ended["value_both"] == "not_yet" and ended["motivated"] == "yes"
    assert ended["success_line"] == "Een vaste avond in de bieb"
    assert walk.state is None


def test_photo_in_live_mode_is_not_an_error_in_the_engine_sticker_is(catalog: Catalog) -> None:
    walk = new_conversation(catalog)
    result = walk.go(Other(kind="sticker"))
    assert "verwacht ik tekst" in result.replies[0].text


def test_resume_at_the_live_step_with_earlier_data(catalog: Catalog) -> None:
    data = {"q": 3, "noted": {"work": 2}, "skipped": [], "shared": False, "nudged": False}
    walk = Walk(catalog, "talk", facts={"talk_open": True}, data=data)
    assert "open gesprek met Fatima" in walk.text()
    walk.press("Verder")
    assert "Vraag 4/8" in walk.text()
