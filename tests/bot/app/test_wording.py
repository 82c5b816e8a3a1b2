"""Dutch a librarian would write: the phrasings the field test tripped over stay gone,
counts agree with their nouns, and /herinneringen explains itself once."""

from __future__ import annotations

import re

import pytest

from dialogs.catalog import Catalog
from tests.chat import Chat

# Found in the field test (issue 12); each reads as a translation or is plainly wrong.
AWKWARD = ["Voor je community's gaat verbinden", "Geef haar een korte naam", "bekend persoon",
           "Je hebt zelf ook iets van jezelf gedeeld", "is het er nog niet, typ dan 0",
           "Tik een dag", "veel plezier met wat eruit voortkomt", "notitie(s)", "note(s)",
           "resultaten voor ‘{query}’ (beste eerst)"]


@pytest.mark.parametrize("phrase", AWKWARD)
def test_no_text_says_it_like_that_any_more(catalog: Catalog, phrase: str) -> None:
    everything = [t.nl for t in catalog.texts.values()] + [t.en for t in catalog.texts.values()]
    for dialog in catalog.dialogs.values():
        for step in dialog.steps.values():
            everything += [step.text.nl, step.text.en]
    assert not [text for text in everything if phrase in text]


def test_no_count_is_written_as_a_singular_with_s(catalog: Catalog) -> None:
    for key, text in catalog.texts.items():
        for words in (text.nl, text.en):
            assert not re.search(r"\w\(s\)|\w\(en\)", words), key


def test_reminders_explain_themselves_once_not_after_every_change(chat: Chat) -> None:
    chat.onboard()
    chat.send("/herinneringen")
    [first] = chat.last.replies
    assert "In je weekoverzicht staan je doelen" in first.text
    assert "elke maandag om 09:00" in first.text
    chat.press("Andere tijd")
    chat.send("10:30")
    [after] = chat.last.replies
    assert "elke maandag om 10:30" in after.text
    assert "In je weekoverzicht staan" not in after.text
    chat.press("Andere dag")
    chat.press("wo")
    assert "elke woensdag om 10:30" in chat.text() and "staan je doelen" not in chat.text()
