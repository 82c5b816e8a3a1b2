"""Question steps: a checked answer, an unusual one confirmed first, an optional skip."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogs.model import DefinitionError
from dialogs.state import Press
from tests.dialogs.kinds.walk import Walk, small_catalog

ASK = """
id: ask
title: {nl: Vragen, en: Questions}
answers: true
start: when
steps:
  when:
    kind: question
    text: {nl: Wanneer?, en: When?}
    validate: [smart_deadline]
    save: deadline
    next: note
  note:
    kind: question
    text: {nl: Nog een opmerking?, en: Any remark?}
    optional: true
    save: remark
    next: bye
  bye:
    kind: end
    text: {nl: "Tot {deadline}.", en: "Until {deadline}."}
"""
VALUES = {"now": "2026-03-02T10:00:00+01:00", "tz": "Europe/Amsterdam"}


def walk(tmp_path: Path, **values: str) -> Walk:
    return Walk(small_catalog(tmp_path, {"ask": ASK}), "ask", values={**VALUES, **values})


def test_an_unusual_answer_is_confirmed_before_it_counts(tmp_path: Path) -> None:
    w = walk(tmp_path)
    w.say("2040-01-01")
    assert w.state is not None and w.state.step == "when" and not w.effects("answer")
    w.press("Nee, opnieuw typen")
    assert w.text() == "Wanneer?" and w.result.replies[0].edit
    w.say("2040-01-01")
    w.press("Ja, zo laten")
    assert w.effects("answer") == [{"key": "ask.deadline", "value": "2040-01-01"}]
    assert w.state is not None and w.state.step == "note"
    assert w.state.data["deadline"] == "2040-01-01" and "_confirm" not in w.state.data


def test_a_confirmation_with_nothing_to_confirm_is_stale(tmp_path: Path) -> None:
    w = walk(tmp_path)
    result = w.go(Press(data=f"{w.rev}.c:yes"))
    assert result.stale and not result.effects


def test_a_refused_answer_says_why_and_keeps_the_buttons_valid(tmp_path: Path) -> None:
    w = walk(tmp_path)
    shown = w.rev
    w.say("1 januari 2020")
    assert w.rev == shown and len(w.result.replies) == 1  # one message: why, then the question
    assert w.result.replies[0].text.startswith(
        "Kies een einddatum na vandaag; 1 januari 2020 is te vroeg.")
    assert w.result.replies[0].text.endswith("\n\nWanneer?") and not w.effects("answer")


def test_an_optional_question_can_be_skipped_without_an_answer(tmp_path: Path) -> None:
    w = walk(tmp_path)
    w.say("1 mei 2026")
    w.press("Overslaan")
    assert w.state is None and w.text() == "Tot 2026-05-01."
    assert not w.effects("answer")


def test_an_answer_given_before_is_shown_under_the_question(tmp_path: Path) -> None:
    w = walk(tmp_path, **{"answer.ask.deadline": "2026-06-30"})
    assert w.text() == "Wanneer?\n\nNu vastgelegd: 2026-06-30"


def test_a_question_step_needs_next(tmp_path: Path) -> None:
    broken = ASK.replace("    save: remark\n    next: bye\n", "    save: remark\n")
    with pytest.raises(DefinitionError, match="a question step needs next"):
        small_catalog(tmp_path, {"ask": broken})
