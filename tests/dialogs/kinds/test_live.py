"""The conversation dialog on the engine alone: who, live mode, follow-ups, reflection."""

from __future__ import annotations

from typing import Any

from dialogs.catalog import Catalog
from dialogs.state import Choice, Other
from tests.dialogs.kinds.walk import Walk

OPENING = "Open gesprek met Fatima. Stel de vragen in je eigen woorden."


def live(catalog: Catalog, **data: Any) -> Walk:
    """Live mode as /talk begins it, after recording the conversation."""
    return Walk(catalog, "talk", step="live",
                data={"person_name": "Fatima", "opening": OPENING, **data})


def test_who_hands_the_typed_line_to_the_talk_command(catalog: Catalog) -> None:
    walk = Walk(catalog, "talk", step="who_new")
    assert "Met wie praat je?" in walk.text() and not walk.result.replies[-1].buttons
    walk.say("Fatima, voorzitter, Vrouwen van de Wijk")
    assert walk.result.command == "/talk Fatima, voorzitter, Vrouwen van de Wijk"
    assert walk.state is None


def test_someone_met_before_is_one_tap(catalog: Catalog) -> None:
    people = {"people": [Choice(id="#4", label="Fatima (voorzitter)")]}
    walk = Walk(catalog, "talk", choices=people)
    walk.press("Fatima")
    assert walk.result.command == "/talk #4"


def test_the_first_question_comes_with_the_opening_once(catalog: Catalog) -> None:
    walk = live(catalog)
    [reply] = walk.result.replies
    assert reply.text.startswith(OPENING + "\n\n🗣️ Vraag 1/8") and "💡" in reply.text
    assert walk.effects("live_prompt") == [{"question": "work", "text":
                                            "Wat voor werk doe je, en hoe ben je erbij "
                                            "betrokken geraakt?"}]
    walk.press("Volgende")
    assert OPENING not in walk.text() and "Vraag 2/8" in walk.text()


def test_notes_are_acknowledged_quietly_and_keep_buttons_valid(catalog: Catalog) -> None:
    walk = live(catalog)
    rev = walk.rev
    result = walk.say("Ze geeft les aan nieuwkomers")
    assert result.ack and result.replies == [] and walk.rev == rev
    assert walk.effects("live_note") == [{"question": "work",
                                          "text": "Ze geeft les aan nieuwkomers"}]
    walk.press("Volgende")  # the prompt's button still works after notes
    assert "Vraag 2/8" in walk.text()


def test_note_counts_agree_in_number(catalog: Catalog) -> None:
    walk = live(catalog)
    walk.say("een")
    walk.press("Alle vragen")
    walk.press("Terug naar de vraag")
    assert "✍️ 1 notitie bij deze vraag" in walk.text()
    walk.say("twee")
    walk.press("Alle vragen")
    walk.press("Terug naar de vraag")
    assert "✍️ 2 notities bij deze vraag" in walk.text()


def test_ten_thousand_characters_are_one_whole_note(catalog: Catalog) -> None:
    walk = live(catalog)
    text = "verhaal " * 1250
    walk.say(text)
    assert walk.effects("live_note")[0]["text"] == text


def test_next_question_edits_the_prompt_unless_notes_came_in(catalog: Catalog) -> None:
    walk = live(catalog)
    walk.press("Volgende")
    assert walk.result.replies[-1].edit
    walk.say("een notitie")
    walk.press("Volgende")
    assert not walk.result.replies[-1].edit  # new message at the bottom of the chat


def test_back_on_the_first_question_says_so(catalog: Catalog) -> None:
    walk = live(catalog)
    result = walk.press("Vorige")
    assert result.notice == "Dit is de eerste vraag." and "Vraag 1/8" in walk.text()


def test_any_order_through_the_list(catalog: Catalog) -> None:
    walk = live(catalog)
    walk.say("notitie bij vraag 1")
    walk.press("Alle vragen")
    first = [b.label for row in walk.result.replies[-1].buttons for b in row][0]
    assert first.startswith("1. Wat voor werk") and first.endswith("✍️ 1")
    walk.press("7. Wat hebben")
    assert "Vraag 7/8" in walk.text()


def test_one_gentle_nudge_at_half_way_unless_shared(catalog: Catalog) -> None:
    walk = live(catalog)
    for _ in range(3):
        walk.press("Volgende")
    assert "Denk eraan" not in walk.text()
    walk.press("Volgende")
    assert "Denk eraan" in walk.text() and "Vraag 5/8" in walk.text()
    walk.press("Volgende")
    assert "Denk eraan" not in walk.text()

    shared = live(catalog)
    shared.press("Ik vertelde ook")
    assert shared.effects("live_mark") == [{"question": "work", "mark": "shared"}]
    for _ in range(5):
        shared.press("Volgende")
        assert "Denk eraan" not in shared.text()


def test_skip_marks_and_moves_on(catalog: Catalog) -> None:
    walk = live(catalog)
    walk.press("Overslaan")
    assert walk.effects("live_mark") == [{"question": "work", "mark": "skipped"}]
    assert "Vraag 2/8" in walk.text()


def test_a_follow_up_starts_at_the_open_questions_and_next_goes_to_the_next_open_one(
        catalog: Catalog) -> None:
    walk = live(catalog, q=2, open=["busy", "offer"])
    assert "Vraag 3/8" in walk.text()
    walk.say("ze zoeken vrijwilligers")
    assert walk.effects("live_note") == [{"question": "busy", "text": "ze zoeken vrijwilligers"}]
    walk.press("Volgende")
    assert "Vraag 7/8" in walk.text()
    walk.press("Volgende")
    assert "Vraag 8/8" in walk.text()  # past the open ones: plain order again


def test_without_a_chosen_question_notes_belong_to_the_conversation(catalog: Catalog) -> None:
    walk = live(catalog, q=-1)
    assert "geen vraag gekozen" in walk.text() and "Vraag 1/8" not in walk.text()
    assert not walk.effects("live_prompt")
    labels = [b.label for row in walk.result.replies[-1].buttons for b in row]
    assert {"⏹ Einde", "👤 Gegevens", "🙋 Ik vertelde ook over mezelf"} <= set(labels)
    walk.say("het gaat goed met de groep")
    assert walk.effects("live_note") == [{"question": None, "text": "het gaat goed met de groep"}]
    assert walk.state is not None and walk.state.data["noted"] == {}
    walk.press("4. Waar is")
    assert "Vraag 4/8" in walk.text()


def test_details_are_added_from_the_conversation_and_it_carries_on(catalog: Catalog) -> None:
    walk = live(catalog, q=1, prompted=1)
    walk.press("Gegevens")
    assert "Wat wil je aanvullen over Fatima?" in walk.text()
    walk.press("Rol")
    walk.say("voorzitter")
    assert walk.effects("update_person")[0]["role"] == "voorzitter"
    assert "Vraag 2/8" in walk.text()
    assert not walk.effects("live_prompt")  # the question is not written down twice


def test_end_leads_to_the_reflection_and_the_end_effect(catalog: Catalog) -> None:
    walk = live(catalog)
    walk.press("Einde")
    assert "meerwaarde voor beide partijen" in walk.text()
    walk.press("Nog niet")
    walk.say("We kennen elkaar nog te weinig")
    walk.press("Ja")
    walk.press("Overslaan")
    walk.say("Een vaste avond in de bieb")
    ended = walk.effects("end_conversation")[0]
    assert ended["value_both"] == "not_yet" and ended["motivated"] == "yes"
    assert ended["success_line"] == "Een vaste avond in de bieb"
    assert walk.state is None and walk.text().startswith("Gesprek vastgelegd.")


def test_someone_waiting_is_one_tap_after_the_wrap_up(catalog: Catalog) -> None:
    data = {"q": 3, "person_name": "Fatima", "pending_line": "Jan, buurman",
            "pending_name": "Jan"}
    walk = Walk(catalog, "talk", step="open_pending", data=data, facts={"talk_pending": True},
                values={"person": "Fatima", "last_summary": "Gesprek met Fatima — …"})
    assert "daarna begin je met één tik aan het gesprek met Jan" in walk.text()
    walk.press("Eerst afronden")
    for _ in range(2):
        walk.press("Ja")
        walk.press("Overslaan")
    walk.press("Overslaan")
    assert "Nu het gesprek met Jan beginnen?" in walk.text()
    walk.press("Ja, beginnen")
    assert walk.result.command == "/talk Jan, buurman"


def test_photo_in_live_mode_is_not_an_error_in_the_engine_sticker_is(catalog: Catalog) -> None:
    walk = live(catalog)
    result = walk.go(Other(kind="sticker"))
    assert "Hier heb ik tekst nodig" in result.replies[0].text


def test_resume_at_the_live_step_with_earlier_data(catalog: Catalog) -> None:
    data = {"q": 3, "prompted": 3, "noted": {"work": 2}, "skipped": [], "shared": False,
            "nudged": False}
    walk = Walk(catalog, "talk", step="open_exists", data=data)
    assert "Je gesprek met Fatima staat nog open" in walk.text()
    walk.press("Verder")
    assert "Vraag 4/8" in walk.text() and not walk.effects("live_prompt")
