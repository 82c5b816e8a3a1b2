"""Export files are opened again: Markdown parsed, Word read by python-docx, CSV by csv,
JSON validated against its schema; awkward characters come out exactly as written."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import docx as python_docx
import jsonschema
import pytest
from markdown_it import MarkdownIt

from bot.features.export.feature import cli_export
from bot.features.export.files import CSV_DELIMITER, markdown, render
from bot.features.export.options import Options
from bot.features.export.report import Block, Report
from dialogs.catalog import Catalog
from storage.export import ExportError, everything, schema, snapshot
from storage.goals import GoalRepo
from storage.store import Store
from storage.talk import TalkRepo
from tests.access_helpers import Clock

# Quotes, the CSV delimiter, newlines, Markdown syntax, HTML, RTL text and emoji.
NASTY = ('Sanne zei: "kom; langs" | #buurthuis *sterk* _echt_ `code` [link](x) <b>vet</b>\n'
         "# geen kop\n- geen lijst\n1. geen nummer\n> geen citaat\n\n"
         "    vier spaties\nمرحبا بالعالم שלום 👋🏽👩‍👩‍👧 &amp; \\ einde")


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = Store(db_path, clock=Clock())
    yield s
    s.close()


def fill(store: Store, telegram_id: int = 1001, name: str = "Anna") -> tuple[int, int]:
    user = store.create_user(name=name, language="nl", timezone="Europe/Amsterdam",
                             telegram_id=telegram_id)
    community = store.create_community(user.id, "Taalcafé Noord", "taal")
    store.set_tick(community, "p1.policy", True)
    store.set_answer(community, "phase1.frame", "Leesplezier en ontmoeting")
    store.set_answer(community, "phase3.bond", "region")
    store.add_note(user.id, community, NASTY, ["buurthuis"])
    store.add_note(user.id, None, "Losse gedachte", [])
    talk = TalkRepo(store)
    person = talk.add_person(user.id, community, "Fatima", "voorzitter", "Vrouwen van de Wijk")
    conv = talk.start(user.id, community, person, "Buurthuis De Linde")
    talk.add_turn(conv, user.id, "bot", "work", "Wat voor werk doe je?")
    talk.add_turn(conv, user.id, "librarian", "work", "Ze organiseert een taalcafé")
    talk.set_summary(conv, "Fatima wil ruimte in de bieb", ["ruimte"])
    goals = GoalRepo(store)
    goals.save_vision(community, "Meer bereik", "Nederlands oefenen", "Samen taal leren",
                      "Fatima")
    goal = goals.add_goal(user.id, community, specific="Wekelijks taalcafé", metric="bezoekers",
                          baseline=4, target=20, achievable="ja", relevant="past",
                          relevant_part="vision", deadline=date(2025, 12, 31))
    goals.log_progress(user.id, goal, 9, "goede start")
    return user.id, community


def text_of(tokens: list[Any]) -> str:
    """The visible text of parsed Markdown, line breaks as newlines."""
    out: list[str] = []
    for token in tokens:
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append("\n")
        if token.type == "inline":
            out.append("\n")
    return "".join(out)


def test_json_export_validates_against_the_schema(store: Store) -> None:
    user_id, _ = fill(store)
    data = json.loads(render(snapshot(store, user_id), catalog=None, fmt="json"))  # type: ignore[arg-type]
    jsonschema.validate(data, schema())
    assert data["schema_version"] == 8
    community = data["communities"][0]
    assert community["notes"][0]["text"] == NASTY
    assert community["conversations"][0]["turns"][1]["text"] == "Ze organiseert een taalcafé"
    assert community["goals"][0]["progress"][0]["value"] == 9
    assert community["vision"]["vision"] == "Samen taal leren"
    assert data["loose_notes"][0]["text"] == "Losse gedachte"


def test_mydata_adds_account_and_every_row(store: Store) -> None:
    user_id, _ = fill(store)
    data = everything(store, user_id)
    jsonschema.validate(data, schema())
    assert data["account"]["telegram_id"] == 1001
    assert {"notes", "transcript", "goals", "goal_progress", "visions", "checklist"} <= set(
        data["records"])


def test_an_empty_account_exports_in_every_format(store: Store, catalog: Catalog) -> None:
    user = store.create_user(name="Leeg", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=1)
    data = snapshot(store, user.id)
    jsonschema.validate(data, schema())
    assert "nog niets vastgelegd" in render(data, catalog, "md").decode()
    document = python_docx.Document(io.BytesIO(render(data, catalog, "docx")))
    assert any("nog niets vastgelegd" in p.text for p in document.paragraphs)
    rows = list(csv.reader(io.StringIO(render(data, catalog, "csv").decode("utf-8-sig")),
                           delimiter=CSV_DELIMITER))
    assert rows == [["soort", "community", "gesprek", "vraag", "tijd", "tags", "wie",
                     "deelnemers", "voor het eerst", "tekst"]]


def test_markdown_report_shows_awkward_text_exactly_as_written(store: Store,
                                                               catalog: Catalog) -> None:
    user_id, _ = fill(store)
    source = render(snapshot(store, user_id), catalog, "md", Options(appendix=True)).decode()
    tokens = MarkdownIt("commonmark").parse(source)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "Taalcafé Noord" in headings and "Fase 1 · Strategie in kaart (1/5)" in headings
    assert not any("geen kop" in h for h in headings)  # the note's "#" made no heading
    visible = text_of(tokens)
    assert NASTY in visible
    for part in ("Gesprek met Fatima", "Fatima wil ruimte in de bieb", "Ze organiseert",
                 "Samen taal leren", "nu 9 van 20 bezoekers (begonnen bij 4)",
                 "Leesplezier en ontmoeting", "Vooral verbonden door: regio",
                 "Beleidsplan doorgenomen",
                 "Losse gedachte"):
        assert part in visible, part
    assert "- [x] Beleidsplan doorgenomen" in source and "- [ ] Organisatiedoelen" in source


@pytest.mark.parametrize("note", [NASTY, "\tmet tab", "Titel\n===", "a\n---\n***", "  - x",
                                  "<script>alert(1)</script>", "2) twee", "~~~\ncode\n~~~"])
def test_a_note_in_markdown_makes_no_markup_of_its_own(note: str) -> None:
    tokens = MarkdownIt("commonmark").parse(markdown([Block("li", note, label="10:30")]))
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert kinds <= {"bullet_list_open", "list_item_open", "paragraph_open", "inline",
                     "paragraph_close", "list_item_close", "bullet_list_close", "strong_open",
                     "text", "strong_close", "hardbreak"}
    assert text_of(tokens) == "10:30 " + note + "\n"


def test_word_report_has_headings_and_the_same_text(store: Store, catalog: Catalog) -> None:
    user_id, _ = fill(store)
    content = render(snapshot(store, user_id), catalog, "docx", Options(appendix=True))
    document = python_docx.Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading",
                                                                                 "Title"))]
    assert "Taalcafé Noord" in headings and "Gesprekken" in headings and "Notities" in headings
    assert "In één oogopslag" in headings
    body = "\n".join(p.text for p in document.paragraphs)
    assert NASTY in body
    assert "☑ Beleidsplan doorgenomen" in body and "☐ Organisatiedoelen op een rij" in body


def test_word_survives_characters_xml_cannot_hold(store: Store, catalog: Catalog) -> None:
    user = store.create_user(name="X", language="nl", timezone="UTC", telegram_id=1)
    store.add_note(user.id, None, "bel\x07 en\x0bverticaal\x00nul", [])
    document = python_docx.Document(io.BytesIO(render(snapshot(store, user.id), catalog,
                                                      "docx", Options(appendix=True))))
    assert any("bel\ufffd en\ufffdverticaal" in p.text for p in document.paragraphs)


def test_csv_opens_in_dutch_excel_with_one_row_per_note_and_turn(store: Store,
                                                                  catalog: Catalog) -> None:
    user_id, _ = fill(store)
    content = render(snapshot(store, user_id), catalog, "csv")
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""),
                               delimiter=";"))
    notes = [r for r in rows if r["soort"] == "notitie"]
    turns = [r for r in rows if r["soort"] == "gespreksbeurt"]
    assert len(notes) == 2 and len(turns) == 2
    assert notes[0]["tekst"] == NASTY and notes[0]["tags"] == "#buurthuis"
    assert notes[0]["community"] == "Taalcafé Noord" and notes[1]["community"] == ""
    assert notes[0]["tijd"] == "2025-03-03T10:30:00+01:00"  # local time, ISO, with offset
    assert turns[1]["vraag"].startswith("Wat voor werk doe je")
    assert turns[1]["gesprek"].startswith("Gesprek met Fatima")


def test_english_user_gets_english_headers(store: Store, catalog: Catalog) -> None:
    user = store.create_user(name="Sam", language="en", timezone="Europe/London",
                             telegram_id=2)
    store.add_note(user.id, None, "hello", [])
    header = render(snapshot(store, user.id), catalog, "csv").decode("utf-8-sig").splitlines()[0]
    assert header == ("kind;community;conversation;question;time;tags;who;participants;"
                      "first time;text")
    assert "Made on" in render(snapshot(store, user.id), catalog, "md").decode()


def test_one_community_only(store: Store, catalog: Catalog) -> None:
    user_id, community = fill(store)
    other = store.create_community(user_id, "Moestuin", None)
    store.add_note(user_id, other, "Tomaten", [])
    data = snapshot(store, user_id, other)
    assert [c["name"] for c in data["communities"]] == ["Moestuin"]
    assert "loose_notes" not in data
    assert "Taalcafé" not in render(data, catalog, "md").decode()


def test_someone_elses_community_is_refused(store: Store) -> None:
    anna, community = fill(store)
    bram = store.create_user(name="Bram", language="nl", timezone="UTC", telegram_id=2)
    with pytest.raises(ExportError):
        snapshot(store, bram.id, community)


def test_report_blocks_list_items_stay_one_list(store: Store, catalog: Catalog) -> None:
    user_id, _ = fill(store)
    blocks = Report(snapshot(store, user_id), catalog).build()
    source = markdown(blocks)
    assert "\n\n- [ ] Organisatiedoelen" not in source


def test_cli_export_finds_user_and_community(store: Store, catalog: Catalog) -> None:
    fill(store)
    name, content = cli_export(store, catalog, "1001", "md", "taalcafé noord")
    assert name.startswith("veldgids-taalcafe-noord-") and name.endswith(".md")
    assert b"Taalcafe" not in content and "Taalcafé Noord".encode() in content
    with pytest.raises(ExportError, match="no community 'Nergens'"):
        cli_export(store, catalog, "1001", "csv", "Nergens")
    with pytest.raises(ExportError, match="no user"):
        cli_export(store, catalog, "9999", "csv", None)
