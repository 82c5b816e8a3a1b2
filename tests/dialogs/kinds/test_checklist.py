"""Checklist steps: a tap ticks in place (the buttons stay valid); an item may ask instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogs.model import DefinitionError
from tests.dialogs.kinds.walk import Walk, small_catalog

LIST = """
id: list
title: {nl: Lijst, en: List}
start: todo
steps:
  todo:
    kind: checklist
    checklist: demo
    text: {nl: "Te doen ({demo}):", en: "To do ({demo}):"}
    items:
      - {id: call, label: {nl: Bellen, en: Call}}
      - {id: mail, label: {nl: Mailen, en: Mail}}
      - {id: why, label: {nl: Waarom, en: Why}, ask: reason}
    options: [{id: done, label: {nl: Klaar, en: Done}, next: bye}]
  reason:
    kind: question
    text: {nl: Waarom?, en: Why?}
    save: reason
    next: todo
  bye:
    kind: end
    text: {nl: Klaar., en: Done.}
"""


def walk(tmp_path: Path, ticks: set[str] | None = None, definition: str = LIST) -> Walk:
    return Walk(small_catalog(tmp_path, {"list": definition}), "list",
                ticks={"demo": ticks or set()})


def labels(w: Walk) -> list[str]:
    return [b.label for row in w.result.replies[-1].buttons for b in row]


def test_a_tap_ticks_the_item_in_place_and_keeps_the_buttons_valid(tmp_path: Path) -> None:
    w = walk(tmp_path, {"mail"})
    assert w.text() == "Te doen (1/3):"
    assert labels(w) == ["⬜ Bellen", "✅ Mailen", "⬜ Waarom", "Klaar"]
    shown = w.rev
    w.press("Bellen")
    assert w.rev == shown and w.result.replies[0].edit
    assert labels(w)[0] == "✅ Bellen" and w.text() == "Te doen (2/3):"
    assert [(e.name, e.data, e.shown) for e in w.result.effects] == [
        ("tick", {"item": "demo.call", "on": True}, True)]
    w.press("Mailen")  # an older button of the same message still counts
    assert w.effects("tick") == [{"item": "demo.mail", "on": False}]


def test_an_item_with_ask_opens_its_question(tmp_path: Path) -> None:
    w = walk(tmp_path)
    w.press("Waarom")
    assert w.state is not None and w.state.step == "reason" and not w.effects("tick")
    w.say("Omdat het moet")
    assert w.state is not None and w.state.step == "todo" and w.state.data["reason"]


def test_typed_text_gets_the_tick_hint_when_no_open_item_takes_text(tmp_path: Path) -> None:
    w = walk(tmp_path, {"why"})
    w.say("huh")
    assert "Tik op een onderdeel" in w.result.replies[0].text
    assert not w.effects("offer_note")


def test_typed_text_is_offered_to_the_open_items_that_take_text(tmp_path: Path) -> None:
    w = walk(tmp_path, {"call"})
    shown = w.rev
    w.say("omdat de wijk erom vraagt")
    assert w.effects("offer_note") == [{"text": "omdat de wijk erom vraagt",
                                        "items": ["demo.why"]}]
    assert w.rev == shown and w.state is not None and w.state.step == "todo"
    assert not w.result.replies  # the application answers with the offer


def test_what_an_item_holds_is_shown_under_the_checklist(tmp_path: Path) -> None:
    w = Walk(small_catalog(tmp_path, {"list": LIST}), "list", ticks={"demo": {"why"}},
             values={"item.demo.why": "omdat " + "de wijk erom vraagt " * 30})
    text = w.text()
    assert text.startswith("Te doen (1/3):\n\n• Waarom: omdat de wijk erom vraagt")
    assert len(text.splitlines()[-1]) <= 220 and text.endswith("…")


@pytest.mark.parametrize(("old", "message"), [
    ("    checklist: demo\n", "a checklist step needs a checklist id"),
    ("    items:\n"
     "      - {id: call, label: {nl: Bellen, en: Call}}\n"
     "      - {id: mail, label: {nl: Mailen, en: Mail}}\n"
     "      - {id: why, label: {nl: Waarom, en: Why}, ask: reason}\n",
     "a checklist step needs items"),
])
def test_a_checklist_needs_items_and_an_id(tmp_path: Path, old: str, message: str) -> None:
    broken = LIST.replace(old, "")
    with pytest.raises(DefinitionError, match=message):
        small_catalog(tmp_path, {"list": broken})
