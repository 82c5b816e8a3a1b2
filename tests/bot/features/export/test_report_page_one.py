"""Page 1 of the Word report fits one A4 page: drawn back from the .docx as Word lays it out
(bench/docx_page.py), the page holds the community's name and one line under it, the goals'
table with every value, all the figures and the three ⭐ quotes, before the page is full."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx as python_docx
import pytest

from bench.docx_page import first_page
from bot.features.export.files import render
from bot.features.export.options import Options
from dialogs.catalog import Catalog
from storage.export import snapshot
from storage.store import Store
from tests.access_helpers import Clock
from tests.bot.features.export.story import QUOTE, community, first_timers


@pytest.fixture
def story(db_path: Path) -> Iterator[dict[str, Any]]:
    clock = Clock()
    store = Store(db_path, clock=clock)
    try:
        user, cid = community(store, clock)
        data = snapshot(store, user, cid)
    finally:
        store.close()
    first_timers(data, [8, 3, 1, 2, 4, None])  # the voorleesochtend recorded none
    yield data


def test_page_one_fits_one_a4_page(story: dict[str, Any], catalog: Catalog) -> None:
    content = render(story, catalog, "docx", Options())

    page = first_page(content)

    shown = " ".join(page.texts)  # a cell's or paragraph's wrapped lines, joined again
    assert shown.startswith("Taalcafé Noord Veldwerk van Anna de Vries · gemaakt op 7 december"
                            " 2026 · periode: sinds de start")
    goals = ("Doel Startwaarde Nu Streefwaarde Einddatum Voortgang",
             "Wekelijks taalcafé met vaste bezoekers 0 4 10 31 maart 2027 op koers",
             "Twaalf taalcafé-avonden 0 5 12 31 december 2026 achter: 5 van 12, volgens"
             " planning nu 10",
             "Vijf nieuwe bibliotheekpassen 1 1 5 30 juni 2027 achter: 1 van 5, volgens"
             " planning nu 3")
    figures = ("Gesprekken 3", "Mensen gesproken 3", "Activiteiten 6",
               "Bezoeken (alle deelnemers opgeteld) 69", "Verschillende deelnemers minstens 18*",
               "Ambassadeurs uit de community 2", "Partners 1", "Opbrengsten 2",
               "Acties gedaan / nog open 1 / 2",
               "* Een schatting: niet bij elke activiteit is genoteerd wie er voor het eerst"
               " was.")
    quotes = ("“Ik lees de kinderen voor, dan kunnen de moeders rustig oefenen” — Mariam,"
              " 20 oktober 2026", f"“{QUOTE}” — Karim, 2 oktober 2026",
              "“De vrouwen durven op straat geen Nederlands te spreken” — Fatima,"
              " 15 september 2026")
    assert [part for part in goals + figures + quotes if part not in shown] == []
    assert shown.index(goals[-1]) < shown.index(figures[0]) < shown.index(quotes[0])


def test_the_tables_are_set_for_reading_at_a_glance(story: dict[str, Any],
                                                    catalog: Catalog) -> None:
    document = python_docx.Document(io.BytesIO(render(story, catalog, "docx", Options())))
    goals, figures = document.tables[:2]
    widths = [cell.width for cell in goals.rows[1].cells]
    assert widths[0] == max(widths) and widths[0] > 2 * widths[2]  # Doel widest, Nu narrow
    assert len(figures.columns) == 4
    sizes = {run.font.size.pt for table in (goals, figures) for row in table.rows
             for cell in row.cells for p in cell.paragraphs for run in p.runs}
    assert sizes and all(9 <= size <= 10 for size in sizes)
