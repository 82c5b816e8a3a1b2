"""Exports say in words what happened: no internal labels, media as what they are, the tags
of conversation notes, and what the phases' items hold (with where a tick came from)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import docx as python_docx
import pytest

from bot.features.export.files import CSV_DELIMITER, render
from bot.features.export.options import Options
from dialogs.catalog import Catalog
from storage.export import snapshot
from storage.fieldwork import ItemRepo
from storage.store import Store
from storage.talk import TalkRepo
from tests.access_helpers import Clock

INTERNAL = ("mark", "skipped", "shared", "librarian", "bot", "—")


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = Store(db_path, clock=Clock())
    yield s
    s.close()


def fieldwork(store: Store) -> int:
    user = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=1001)
    community = store.create_community(user.id, "Taalcafé Noord", "taal")
    talk = TalkRepo(store)
    person = talk.add_person(user.id, community, "Fatima", "voorzitter", None)
    conv = talk.start(user.id, community, person, "Buurthuis De Linde")
    talk.add_turn(conv, user.id, "bot", "work", "Wat voor werk doe je?")
    talk.add_turn(conv, user.id, "librarian", "work",
                  "Ze leidt het taalcafé #taalcafe #vrijwilligers")
    talk.add_turn(conv, user.id, "librarian", "work", "", kind="voice", file_id="V1",
                  duration=42)
    talk.add_turn(conv, user.id, "librarian", "work", "rooster", kind="document", file_id="D1",
                  media_name="rooster-najaar.pdf")
    talk.add_turn(conv, user.id, "mark", "goals", "skipped", kind="mark")
    talk.add_turn(conv, user.id, "mark", "busy", "shared", kind="mark")
    talk.add_turn(conv, user.id, "mark", "busy", "end", kind="mark")
    talk.add_media_note(user.id, community, "photo", "P1", "", None)
    talk.add_media_note(user.id, community, "voice", "V2", "na de bijeenkomst", None, duration=75)
    items = ItemRepo(store)
    items.add(community, "p2.themes", "In de wijk speelt eenzaamheid onder ouderen")
    items.tick(community, "p2.themes", None)
    items.tick(community, "p4.meet", "Fatima (voorzitter)")
    store.set_answer(community, "phase2.fits", "yes")
    store.set_tick(community, "p2.fits", True)
    return user.id


def test_markdown_says_in_words_what_happened(store: Store, catalog: Catalog) -> None:
    text = render(snapshot(store, fieldwork(store)), catalog, "md",
                  Options(appendix=True)).decode()
    transcript = text[text.index("Verslag:"):text.index("#### Notities")]
    assert "Vraag overgeslagen (Waar wil jullie organisatie" in transcript
    assert "Je vertelde ook iets over jezelf" in transcript and "Gesprek beëindigd" in transcript
    assert "Spraakbericht (0:42)" in transcript
    assert "Document ‘rooster-najaar.pdf’: rooster" in transcript
    for word in ("mark", "skipped", "shared", "** —", "\\(photo\\)"):
        assert word not in text, word
    notes = text[text.index("#### Notities"):]
    assert "- **" in notes and "Foto\n" in notes + "\n"
    assert "Spraakbericht (1:15): na de bijeenkomst" in notes


def test_markdown_shows_what_the_items_hold_under_them(store: Store, catalog: Catalog) -> None:
    text = render(snapshot(store, fieldwork(store)), catalog, "md").decode()
    assert "- [x] Themascan\n  - In de wijk speelt eenzaamheid onder ouderen" in text
    # the button's words without its emoji, after what it answers (before: "✅ Ja, past")
    assert "- [x] Getoetst aan de kapstok uit fase 1\n  - Past bij de kapstok: ja" in text
    assert "- [x] Kennisgemaakt met iemand uit de community\n  - Fatima (voorzitter)" in text
    assert "phase2.fits" not in text  # not again among "other answers" by its key


def test_word_shows_the_items_texts_as_nested_bullets(store: Store, catalog: Catalog) -> None:
    document = python_docx.Document(io.BytesIO(render(snapshot(store, fieldwork(store)),
                                                      catalog, "docx")))
    nested = [p.text for p in document.paragraphs if p.style.name == "List Bullet 2"]
    assert "In de wijk speelt eenzaamheid onder ouderen" in nested


def test_csv_names_who_did_what_and_keeps_the_tags_of_conversation_notes(
        store: Store, catalog: Catalog) -> None:
    raw = render(snapshot(store, fieldwork(store)), catalog, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw), delimiter=CSV_DELIMITER))
    turns = [r for r in rows if r["soort"] == "gespreksbeurt"]
    assert {r["wie"] for r in turns} == {"Veldgids", "Anna"}
    typed = next(r for r in turns if r["tekst"].startswith("Ze leidt"))
    assert typed["tags"] == "#taalcafe #vrijwilligers"
    texts = [r["tekst"] for r in rows]
    assert "Spraakbericht (0:42)" in texts and "Vraag overgeslagen" in texts
    assert "Foto" in texts and "Spraakbericht (1:15): na de bijeenkomst" in texts
    for row in rows:
        assert row["wie"] not in INTERNAL and row["tekst"] not in INTERNAL, row


def test_what_she_shared_herself_is_hers_in_every_export(store: Store, catalog: Catalog) -> None:
    user_id = fieldwork(store)
    talk = TalkRepo(store)
    [conversation] = talk.conversations(user_id, store.user(user_id).active_community)  # type: ignore[union-attr]
    talk.add_turn(conversation.id, user_id, "own", "problems", "ik woonde zelf in Spanje")
    quote = talk.add_turn(conversation.id, user_id, "librarian", "problems",
                          "Een plek om te oefenen")
    talk.star_note(user_id, quote, True)
    data = snapshot(store, user_id)
    text = render(data, catalog, "md", Options(appendix=True)).decode()
    assert "Ik vertelde (Tegen welke problemen lopen jullie aan?)** ik woonde zelf" in text
    assert "genoteerd (Tegen welke problemen lopen jullie aan?) ⭐** Een plek" in text
    raw = render(data, catalog, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw), delimiter=CSV_DELIMITER))
    assert any(r["tekst"] == "Ik vertelde: ik woonde zelf in Spanje" for r in rows)
    turns = [t for c in data["communities"][0]["conversations"] for t in c["turns"]]
    assert [t["starred"] for t in turns if t["who"] in ("own", "librarian")][-2:] == [False,
                                                                                      True]
