"""Several steps: choices tick on and off in place, typed words are added, done and skip lead
on; a step's `clears` drops data an answer makes obsolete."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogs.model import DefinitionError
from dialogs.state import Choice
from tests.dialogs.kinds.walk import Walk, small_catalog

PICK = """
id: pick
title: {nl: Kiezen, en: Choose}
start: menu
steps:
  menu:
    kind: choice
    text: {nl: Menu, en: Menu}
    save: menu
    clears: [needs]
    options: [{id: go, label: {nl: Nieuw, en: New}, next: needs}]
  needs:
    kind: several
    text: {nl: "Welke behoeften?", en: "Which needs?"}
    options_from: heard_needs
    validate: [nonempty, one_line, "max_length:40"]
    save: needs
    next: bye
  bye:
    kind: message
    text: {nl: "Klaar.", en: "Done."}
    next: menu
"""
THEMES = {"heard_needs": [Choice(id="n1", label="Nederlands"),
                          Choice(id="n2", label="kinderopvang")]}


def walk(tmp_path: Path) -> Walk:
    w = Walk(small_catalog(tmp_path, {"pick": PICK}), "pick", choices=THEMES)
    w.press("Nieuw")
    return w


def labels(w: Walk) -> list[str]:
    return [b.label for row in w.result.replies[-1].buttons for b in row]


def test_ticks_in_place_words_of_her_own_and_done(tmp_path: Path) -> None:
    w = walk(tmp_path)
    assert labels(w) == ["Nederlands", "kinderopvang", "Overslaan"]
    shown = w.rev
    w.press("kinderopvang")
    assert w.rev == shown and w.result.replies[0].edit
    assert labels(w) == ["Nederlands", "✓ kinderopvang", "✅ Klaar"]
    w.say("NEDERLANDS")  # a choice typed ticks that choice, in its own words
    w.say("vervoer")
    assert w.text() == "Welke behoeften?\n\nGekozen: kinderopvang, Nederlands, vervoer"
    w.press("✓ vervoer")  # her own words tick off too
    w.press("Klaar")
    assert w.state is not None and w.state.data["needs"] == ["kinderopvang", "Nederlands"]


def test_refused_text_is_kept_as_a_note_and_the_picks_stay(tmp_path: Path) -> None:
    w = walk(tmp_path)
    w.press("Nederlands")
    w.say("een heel lang verhaal over wat ze nodig hebben")
    assert w.text().startswith("Je tekst is bewaard als notitie. Dat is te lang")
    assert w.effects("note") == [{"text": "een heel lang verhaal over wat ze nodig hebben"}]
    assert w.state is not None and w.state.data["needs"] == ["Nederlands"]


def test_skip_empties_and_the_menu_clears_the_last_picks(tmp_path: Path) -> None:
    w = walk(tmp_path)
    w.press("Nederlands")
    w.press("Klaar")
    assert w.state is not None and w.state.data["needs"] == ["Nederlands"]
    w.press("Nieuw")
    assert "needs" not in w.state.data and labels(w)[0] == "Nederlands"
    w.press("Nederlands")
    w.press("✓ Nederlands")
    w.press("Overslaan")
    assert w.state.data["needs"] == []


@pytest.mark.parametrize(("old", "new", "message"), [
    ("    options_from: heard_needs\n", "", "a several step needs options_from"),
    ("    clears: [needs]\n", "    clears: [nothing]\n", "clears 'nothing', which no step"),
])
def test_definitions_are_checked(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        small_catalog(tmp_path, {"pick": PICK.replace(old, new)})
