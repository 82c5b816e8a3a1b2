"""Choice steps: a tap or the typed label or number picks; other text is a note or a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogs.model import DefinitionError
from dialogs.state import Choice, Other, Press
from tests.dialogs.kinds.walk import Walk, small_catalog

PICK = """
id: pick
title: {nl: Kiezen, en: Choose}
start: fruit
steps:
  fruit:
    kind: choice
    text: {nl: Welke?, en: Which?}
    save: fruit
    options:
      - {id: apple, label: {nl: Appel, en: Apple}, next: who}
      - {id: pear, label: {nl: Peer, en: Pear}, value: pear_tree, next: who}
  who:
    kind: choice
    text: {nl: "{fruit} voor wie?", en: "{fruit} for whom?"}
    save: person
    options_from: people
    options: [{id: nobody, label: {nl: Niemand, en: Nobody}}]
    next: bye
  bye:
    kind: end
    text: {nl: "{fruit} voor {person}.", en: "{fruit} for {person}."}
"""
PEOPLE = {"people": [Choice(id="p7", label="Fatima"), Choice(id="p9", label="Sanne")]}


def walk(tmp_path: Path, definition: str = PICK) -> Walk:
    return Walk(small_catalog(tmp_path, {"pick": definition}), "pick", choices=PEOPLE)


@pytest.mark.parametrize("typed", ["peer", "  PEER ", "2", "pear"])
def test_typing_an_option_label_number_or_id_picks_it(tmp_path: Path, typed: str) -> None:
    w = walk(tmp_path)
    w.say(typed)
    assert w.state is not None and w.state.data["fruit"] == "pear_tree"
    assert w.result.replies[-1].text == "pear_tree voor wie?"


def test_stored_choices_come_before_the_options_and_can_be_typed(tmp_path: Path) -> None:
    w = walk(tmp_path)
    w.press("Appel")
    labels = [b.label for row in w.result.replies[-1].buttons for b in row]
    assert labels == ["Fatima", "Sanne", "Niemand"]
    w.say("sanne")
    assert w.state is None and w.text() == "apple voor p9."


def test_a_stored_choice_that_is_not_offered_is_stale(tmp_path: Path) -> None:
    w = walk(tmp_path)
    w.press("Appel")
    forged = w.go(Press(data=f"{w.rev}.d:p8"))
    assert forged.stale and not forged.effects


def test_other_text_asks_for_a_button_and_long_text_is_kept_as_a_note(tmp_path: Path) -> None:
    w = walk(tmp_path)
    shown = w.rev
    w.say("banaan")
    assert w.rev == shown and "Tik op een van de knoppen" in w.result.replies[0].text
    assert not w.effects("note")
    w.say("Sanne wil liever een banaan")
    assert w.result.replies[0].text.startswith("Je tekst is bewaard als notitie.")
    assert w.effects("note") == [{"text": "Sanne wil liever een banaan"}]


def test_a_resting_choice_leaves_text_and_stickers_to_the_application(tmp_path: Path) -> None:
    w = walk(tmp_path, PICK.replace("    save: fruit\n", "    save: fruit\n    rest: true\n"))
    said = w.say("Sanne wil liever een banaan")
    assert said.passthrough and not said.replies and not said.effects
    assert w.go(Other(kind="sticker")).passthrough


def test_a_choice_step_needs_options(tmp_path: Path) -> None:
    broken = PICK.replace("    options_from: people\n    options: [{id: nobody, label: "
                          "{nl: Niemand, en: Nobody}}]\n", "")
    with pytest.raises(DefinitionError, match="a choice step needs options or options_from"):
        small_catalog(tmp_path, {"pick": broken})
