"""Message steps: their text leads into the next step's, and they never wait."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogs.model import DefinitionError
from tests.dialogs.kinds.walk import Walk, small_catalog

CHAIN = """
id: chain
title: {nl: Keten, en: Chain}
start: hello
steps:
  hello:
    kind: message
    text: {nl: "Hallo {community}.", en: "Hello {community}."}
    next: more
  more:
    kind: message
    text: {nl: Nog iets., en: One more thing.}
    next: ask
  ask:
    kind: question
    text: {nl: Wat nu?, en: What now?}
    save: what
    next: bye
  bye:
    kind: end
    text: {nl: Dag., en: Bye.}
"""


def test_messages_lead_into_the_step_that_waits(tmp_path: Path) -> None:
    walk = Walk(small_catalog(tmp_path, {"chain": CHAIN}), "chain")
    replies = walk.result.replies
    assert [r.text for r in replies] == ["Hallo Taalcafé.", "Nog iets.", "Wat nu?"]
    assert [r.lead for r in replies] == [True, True, False]
    assert walk.state is not None and walk.state.step == "ask"


def test_a_message_step_needs_next(tmp_path: Path) -> None:
    broken = CHAIN.replace("    next: more\n", "", 1)
    with pytest.raises(DefinitionError, match="a message step needs next"):
        small_catalog(tmp_path, {"chain": broken})


def test_messages_leading_in_a_circle_are_caught(tmp_path: Path) -> None:
    looping = CHAIN.replace("start: hello", "start: ask").replace(
        "    next: ask\n", "    next: hello\n").replace(
        "next: bye", "next: [{to: hello, when: has_people}, {to: bye}]")
    walk = Walk(small_catalog(tmp_path, {"chain": looping}), "chain", facts={"has_people": True})
    with pytest.raises(RuntimeError, match="loops through message steps"):
        walk.say("rond")
