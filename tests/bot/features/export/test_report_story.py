"""The report tells the story, figures first: the Word file is opened again with python-docx
and page 1 holds the goals' table with their values, the figures of the period and the ⭐
quotes; the file is a proper document (Heading styles, a repeating header row, charts with
alt text, A4, nl-NL, title and author); transcripts and notes only in an appendix asked for.
"""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import docx as python_docx
import jsonschema
import pytest
from docx.oxml.ns import qn

from bot.features.export.files import render
from bot.features.export.options import Options
from bot.features.export.report import Report, period_words
from dialogs.catalog import Catalog
from storage.export import schema, snapshot
from storage.store import Store
from storage.talk import TalkRepo
from tests.access_helpers import Clock
from tests.bot.features.export.story import QUOTE, community


@pytest.fixture
def store(clocked_store: Store) -> Store:
    return clocked_store



def page_one(document: Any) -> list[str]:
    """The paragraphs before the first page break."""
    out = []
    for paragraph in document.paragraphs:
        if paragraph._p.xpath(".//w:br[@w:type='page']"):
            break
        out.append(paragraph.text)
    return out


def cells(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_page_one_holds_the_goals_the_figures_and_the_quotes(story: dict[str, Any],
                                                              catalog: Catalog) -> None:
    document = python_docx.Document(io.BytesIO(render(story, catalog, "docx", Options())))
    first = page_one(document)
    assert "In één oogopslag" in first
    assert "Gezamenlijke visie: Samen oefenen we Nederlands, zonder drempel, elke week" in first
    goals, figures = (cells(t) for t in document.tables[:2])
    assert goals[0] == ["Doel", "Startwaarde", "Nu", "Streefwaarde", "Einddatum", "Voortgang"]
    assert goals[1] == ["Wekelijks taalcafé met vaste bezoekers", "0", "4", "10",
                        "31 maart 2027", "op koers"]
    # 97 of 121 days gone: the plan says 9,6 of 12 by now, so 10 whole evenings
    assert goals[2][5] == "achter: 5 van 12, volgens planning nu 10"
    assert figures[0] == ["Wat", "Aantal", "Wat", "Aantal"]  # two figures a row
    shown = dict(pair for row in figures[1:] for pair in (row[:2], row[2:]) if pair[0])
    assert shown["Gesprekken"] == "3" and shown["Mensen gesproken"] == "3"
    assert shown["Activiteiten"] == "6" and shown["Bezoeken (alle deelnemers opgeteld)"] == "69"
    assert shown["Verschillende deelnemers"] == "minstens 18*"
    assert "* Een schatting: niet bij elke activiteit is genoteerd wie er voor het eerst was." \
        in first
    assert shown["Ambassadeurs uit de community"] == "2" and shown["Partners"] == "1"
    assert shown["Opbrengsten"] == "2" and shown["Acties gedaan / nog open"] == "1 / 2"
    quotes = [p for p in first if p.startswith("“")]
    assert quotes[1] == f"“{QUOTE}” — Karim, 2 oktober 2026" and len(quotes) == 3
    assert len(document.inline_shapes) == 3  # a chart per goal, on page 1
    assert not any("Versie om te delen" in p for p in first)


def test_the_word_file_is_a_proper_document(story: dict[str, Any], catalog: Catalog) -> None:
    document = python_docx.Document(io.BytesIO(render(story, catalog, "docx", Options())))
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["Taalcafé Noord"] == "Heading 1" and styles["In één oogopslag"] == "Heading 2"
    assert styles["SMART-doelen: meetbaar en met een einddatum"] == "Heading 3"
    assert styles["Wat we hoorden"] == "Heading 2"
    for table in document.tables:
        assert table.style.name == "Light Grid Accent 1"
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    alt = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert alt[0] == ("Grafiek van het doel ‘Wekelijks taalcafé met vaste bezoekers’: aantal"
                      " verschillende deelnemers van 0 naar 10 uiterlijk 31 maart 2027; nu 4.")
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    for name in ("Normal", "Heading 1", "Heading 2", "List Bullet"):
        lang = document.styles[name].element.rPr.find(qn("w:lang"))
        assert lang.get(qn("w:val")) == "nl-NL", name
    assert document.core_properties.author == "Anna de Vries"
    assert document.core_properties.title == \
        "Veldgids – veldwerk van Anna de Vries · Taalcafé Noord"


def test_the_story_follows_in_order_and_says_things_in_words(story: dict[str, Any],
                                                             catalog: Catalog) -> None:
    md = render(story, catalog, "md", Options()).decode()
    order = ["### In één oogopslag", "| Doel | Startwaarde | Nu | Streefwaarde |",
             "### Wat we hoorden", "### Wat we deden", "### Wat het opleverde", "### Rollen",
             "### Lessen en volgende stappen", "### De route: fasen van de werkwijze"]
    assert [md.index(part) for part in order] == sorted(md.index(part) for part in order)
    assert "Kern:" not in md and "donderdag, geeft" not in md  # no keyword lists in brief
    assert "**2 oktober 2026:** Karim · Bibliotheek Noord · 2 notities, waarvan 1 met ⭐" in md
    assert "**20 november 2026:** 4 verschillende deelnemers — vier vaste gezichten" in md
    assert "**1 oktober 2026:** 1 avond\n" in md  # history in words, one in the singular
    assert "Stand" not in md and "loopt" not in md
    assert ("**Waar het staat:** op koers — nu 4 van 10 verschillende deelnemers (begonnen"
            " bij 0), einddatum 31 maart 2027") in md
    assert "**oktober 2026:** 3 keer, 28 bezoeken, 12 voor het eerst · geleid door Fatima" in md
    assert ("**Wat we deden:** 5 keer taalcafé, 55 bezoeken, 18 verschillende"
            " deelnemers") in md
    assert "*De activiteiten ‘taalcafé’ tellen mee voor dit doel.*" in md
    assert "Flyer in het Arabisch laten vertalen — te laat, moest uiterlijk 30 november" in md
    assert "Twaalf taalcafé-avonden — achter: 5 van 12, volgens planning nu 10" in md
    assert "**De bibliotheek:** Anna de Vries" in md
    # two ambassadors on one line, the one partner in the singular
    assert "- **Ambassadeurs:** Fatima en Mariam" in md and "- **Partner:** Buurthuis" in md


def test_transcripts_and_notes_only_in_the_appendix_asked_for(story: dict[str, Any],
                                                               catalog: Catalog) -> None:
    without = python_docx.Document(io.BytesIO(render(story, catalog, "docx", Options())))
    text = "\n".join(p.text for p in without.paragraphs)
    assert "Bijlage" not in text and "Verslag:" not in text
    assert "Niet in dit verslag: 3 gespreksverslagen. Die komen erbij als je bij /export" in text
    asked = render(story, catalog, "docx", Options(appendix=True))
    document = python_docx.Document(io.BytesIO(asked))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Bijlage: gespreksverslagen en notities" in headings
    assert "Gesprek met Karim, 2 oktober 2026" in headings
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Verslag:" in body and f"{QUOTE}" in body.split("Bijlage")[1]


def test_the_shareable_version_says_so_on_page_one_and_the_period_in_words(
        story: dict[str, Any], catalog: Catalog) -> None:
    chosen = Options(start=date(2026, 10, 1), end=date(2026, 12, 31), shareable=True)
    document = python_docx.Document(io.BytesIO(render(story, catalog, "docx", chosen)))
    first = page_one(document)
    assert first[:2] == ["Taalcafé Noord", "Veldwerk van Anna de Vries · gemaakt op 7 december"
                         " 2026 · periode: 1 oktober – 31 december 2026"]
    mark = "Versie om te delen: zonder de namen van mensen uit de community"
    assert any(p.startswith(mark) for p in first)
    t = Report(story, catalog).t
    assert period_words(Options(), t, "nl") == "Periode: sinds de start"
    assert period_words(Options(start=date(2026, 12, 1), end=date(2026, 12, 31)), t,
                        "nl") == "Periode: 1 – 31 december 2026"
    assert period_words(Options(start=date(2025, 10, 1), end=date(2026, 1, 31)), t,
                        "nl") == "Periode: 1 oktober 2025 – 31 januari 2026"


def test_the_json_holds_page_one_as_figures(story: dict[str, Any], catalog: Catalog) -> None:
    data = json.loads(render(story, catalog, "json",
                             Options(start=date(2026, 10, 1), end=date(2026, 12, 31))))
    jsonschema.validate(data, schema())
    glance = data["communities"][0]["at_a_glance"]
    assert glance["period"] == {"start": "2026-10-01", "end": "2026-12-31"}
    assert (glance["visits"], glance["distinct_participants"], glance["distinct_estimated"]) \
        == (69, 18, True)
    assert [g["pace"] for g in glance["goals"]] == ["on_track", "behind", "behind"]
    assert glance["goals"][1]["planned"] == 10
    assert [q["person"] for q in glance["quotes"]] == ["Mariam", "Karim", "Fatima"]


def test_a_deleted_starred_note_leaves_no_quote_behind(store: Store, clock: Clock,
                                                       catalog: Catalog) -> None:
    user, cid = community(store, clock)
    store.db.execute("DELETE FROM transcript WHERE text = ?", (QUOTE,))
    data = snapshot(store, user, cid)
    md = render(data, catalog, "md", Options(appendix=True)).decode()
    assert QUOTE not in md and "Karim, 2 oktober 2026" not in md.split("---")[0]
    quotes = [line for line in md.split("#### Wat mensen zeiden")[1].split("---")[0].splitlines()
              if line.startswith("- ")]
    assert len(quotes) == 2  # Mariam's and Fatima's, nothing dangling
    assert TalkRepo(store).conversations(user, cid)  # the conversation itself is still there


def test_a_goal_counting_distinct_participants_says_so_in_the_chain(story: dict[str, Any],
                                                                   catalog: Catalog) -> None:
    visitors = story["communities"][0]["goals"][0]
    visitors["counts"] = {"measure": "distinct", "kind": "taalcafé"}
    md = render(story, catalog, "md", Options()).decode()
    assert ("*Wie voor het eerst kwam bij de activiteiten ‘taalcafé’, telt mee voor dit doel.*"
            in md)
    visitors["counts"] = {"measure": "distinct", "kind": None}
    md = render(story, catalog, "md", Options()).decode()
    assert "*Wie voor het eerst kwam bij een activiteit, telt mee voor dit doel.*" in md
    assert ("**Wat we deden:** 6 activiteiten, 69 bezoeken, minstens 18 verschillende"
            " deelnemers") in md
