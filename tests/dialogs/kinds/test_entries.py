"""Entries steps: the several texts a checklist item holds; add, change, remove, done."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogs import paging
from dialogs.model import DefinitionError
from dialogs.state import Choice, Press
from tests.dialogs.kinds.walk import Walk, small_catalog

SCAN = """
id: scan
title: {nl: Scan, en: Scan}
start: found
steps:
  found:
    kind: entries
    holds: demo.found
    text: {nl: "Wat vond je?", en: "What did you find?"}
    validate: [nonempty, "max_length:10000"]
    next: bye
  bye:
    kind: end
    text: {nl: Klaar., en: Done.}
"""
TWO = [Choice(id="7", label="de wijkkrant schrijft over eenzaamheid"),
       Choice(id="9", label="meetup voor jonge ouders op zaterdag")]


def walk(tmp_path: Path, entries: list[Choice] | None = None) -> Walk:
    return Walk(small_catalog(tmp_path, {"scan": SCAN}), "scan",
                choices={"entries.demo.found": entries or []})


def labels(w: Walk) -> list[str]:
    return [b.label for row in w.result.replies[-1].buttons for b in row]


def test_typed_text_adds_an_entry_and_the_step_stays(tmp_path: Path) -> None:
    w = walk(tmp_path)
    assert labels(w) == ["✔️ Klaar"]
    w.say("  de bieb heeft een leesclub voor nieuwkomers ")
    assert w.effects("entry_add") == [{"item": "demo.found",
                                       "text": "de bieb heeft een leesclub voor nieuwkomers"}]
    assert w.state is not None and w.state.step == "found"
    assert w.text().startswith("✅ Bewaard.")


def test_entries_are_listed_numbered_and_can_be_changed(tmp_path: Path) -> None:
    w = walk(tmp_path, TWO)
    assert "1. de wijkkrant schrijft over eenzaamheid\n2. meetup" in w.text()
    assert "2 antwoorden" in w.text()
    w.press("Aanpassen")
    assert labels(w)[:2] == ["✏️ 1. de wijkkrant schrijft over eenzaamheid",
                             "✏️ 2. meetup voor jonge ouders op zaterdag"]
    w.press("✏️ 2.")
    assert "Typ de nieuwe tekst" in w.text() and "meetup voor jonge ouders" in w.text()
    w.say("meetup voor jonge ouders, elke zaterdag in het buurthuis")
    assert w.effects("entry_edit") == [{"item": "demo.found", "id": "9", "text":
                                        "meetup voor jonge ouders, elke zaterdag in het buurthuis"}]
    assert not w.effects("entry_add")


def test_an_entry_can_be_removed_and_done_leads_on(tmp_path: Path) -> None:
    w = walk(tmp_path, TWO)
    w.press("Weghalen")
    w.press("🗑 1.")
    assert w.effects("entry_remove") == [{"item": "demo.found", "id": "7"}]
    w.press("Klaar")
    assert w.state is None and w.text() == "Klaar."


def test_one_entry_is_counted_in_the_singular(tmp_path: Path) -> None:
    w = walk(tmp_path, TWO[:1])
    assert "1 antwoord:" in w.text() and "antwoorden" not in w.text()


def test_an_empty_answer_is_refused_in_one_message_and_a_long_one_is_shown_short(
        tmp_path: Path) -> None:
    w = walk(tmp_path)
    w.say("   ")
    [reply] = w.result.replies
    assert "mag niet leeg zijn" in reply.text and "Wat vond je?" in reply.text
    assert not w.effects("entry_add")
    long = "scan " * 1000  # 5,000 characters
    w = walk(tmp_path, [Choice(id="1", label=long.strip())])
    assert len(w.text()) < 600 and w.text().endswith("…")


def test_a_forged_entry_id_is_stale(tmp_path: Path) -> None:
    w = walk(tmp_path, TWO)
    result = w.go(Press(data=f"{w.rev}.r:12345"))
    assert result.stale and not result.effects


@pytest.mark.parametrize(("old", "message"), [
    ("    holds: demo.found\n", "an entries step needs holds"),
    ("    next: bye\n", "an entries step needs next"),
])
def test_an_entries_step_needs_an_item_and_next(tmp_path: Path, old: str, message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        small_catalog(tmp_path, {"scan": SCAN.replace(old, "")})


def test_a_long_scan_pages_its_change_buttons_within_telegrams_limits(tmp_path: Path) -> None:
    many = [Choice(id=str(n), label=f"signaal nummer {n} uit de wijk, met een lange uitleg")
            for n in range(1, 151)]
    w = walk(tmp_path, many)
    w.press("Weghalen")
    rows = w.result.replies[-1].buttons
    assert paging.fits(rows)
    assert "🗑 1. signaal nummer 1 " in " ".join(labels(w)) and "🗑 150." not in " ".join(labels(w))
    for _ in range(40):  # to the last page, one press at a time
        if "🗑 150." in " ".join(labels(w)):
            break
        w.press("Volgende")
        assert paging.fits(w.result.replies[-1].buttons)
    w.press("🗑 150.")
    assert w.effects("entry_remove") == [{"item": "demo.found", "id": "150"}]
    forged = w.go(Press(data=f"{w.rev}.p:x"))
    assert forged.stale and not forged.effects
