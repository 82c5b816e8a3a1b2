"""The README's picture of the report's page 1 is drawn from the real Word file: an A4 page,
what page 1 holds (headings, text, a table's cells) and nothing after its page break."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import docx as python_docx
from PIL import Image

from bench.docx_page import first_page
from bench.page_one import picture, word_report
from dialogs.catalog import Catalog
from storage.activities import ActivityRepo
from storage.goals import GoalRepo
from storage.store import Store

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)


def test_a_small_report_becomes_an_a4_picture_of_its_first_page(tmp_path: Path,
                                                                catalog: Catalog) -> None:
    store = Store(tmp_path / "veldgids.db", clock=lambda: NOW)
    try:
        user = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                                 telegram_id=1)
        community = store.create_community(user.id, "Taalcafé Noord", "taal")
        GoalRepo(store).save_vision(community, "Nieuwkomers vinden de weg",
                                    "Samen Nederlands oefenen", "Iedereen durft te praten",
                                    "Fatima")
        ActivityRepo(store).add(user.id, community, kind="taalcafe", day=date(2026, 11, 5),
                                what="Taalcafé", participants=12, led_by="Fatima", note=None)
    finally:
        store.close()
    content = word_report(tmp_path / "veldgids.db", user.id, community, NOW, catalog)

    png = picture(content, dpi=40)

    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert abs(image.height / image.width - 29.7 / 21) < 0.01
    shown = "\n".join(first_page(content, dpi=40).texts)
    assert "Taalcafé Noord" in shown


def test_page_one_ends_at_the_page_break_and_holds_the_table(tmp_path: Path) -> None:
    document = python_docx.Document()
    document.add_heading("In één oogopslag", level=1)
    document.add_paragraph("Op pagina 1")
    table = document.add_table(rows=2, cols=2, style="Table Grid")
    table.cell(0, 0).text, table.cell(0, 1).text = "Doel", "Nu"
    table.cell(1, 0).text, table.cell(1, 1).text = "Tien vaste bezoekers", "7"
    document.add_page_break()
    document.add_paragraph("Op pagina 2")
    buffer = io.BytesIO()
    document.save(buffer)

    page = first_page(buffer.getvalue(), dpi=40)

    assert page.texts == ["In één oogopslag", "Op pagina 1", "Doel", "Nu",
                          "Tien vaste bezoekers", "7"]
    assert page.image.height > page.image.width  # the document's own page: Letter here


def test_a_column_widens_for_its_longest_word_as_word_autofits(tmp_path: Path) -> None:
    document = python_docx.Document()
    table = document.add_table(rows=1, cols=6, style="Table Grid")
    table.cell(0, 0).text = "Bibliotheekpassen"
    table.cell(0, 1).text = "Streefwaarde"
    buffer = io.BytesIO()
    document.save(buffer)

    assert first_page(buffer.getvalue(), dpi=72).texts == ["Bibliotheekpassen", "Streefwaarde"]


def test_a_word_wider_than_the_page_is_broken_not_cut(tmp_path: Path) -> None:
    document = python_docx.Document()
    document.add_paragraph("Bibliotheekpassen" * 6)
    buffer = io.BytesIO()
    document.save(buffer)

    texts = first_page(buffer.getvalue(), dpi=72).texts

    assert len(texts) > 1 and "".join(texts) == "Bibliotheekpassen" * 6


def test_a_fixed_table_keeps_its_columns_and_breaks_the_word(tmp_path: Path) -> None:
    document = python_docx.Document()
    table = document.add_table(rows=1, cols=6, style="Table Grid")
    table.autofit = False
    table.cell(0, 0).text = "Bibliotheekpassen"
    buffer = io.BytesIO()
    document.save(buffer)

    texts = first_page(buffer.getvalue(), dpi=72).texts

    assert len(texts) > 1 and "".join(texts) == "Bibliotheekpassen"
