"""A carriage return in a note never reshapes an export (issue 27, point 10): Markdown, Word
and CSV show every line end as one line break; JSON keeps the text exactly as stored."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import docx as python_docx
import pytest
from markdown_it import MarkdownIt

from bot.features.export.files import CSV_DELIMITER, render
from bot.features.export.options import Options
from dialogs.catalog import Catalog
from storage.export import snapshot
from storage.store import Store
from tests.access_helpers import Clock
from tests.bot.features.export.test_export import text_of

LONE_CR = "Boodschappen\r- lijstje\r# kopje"
CRLF = "eerste regel\r\ntweede regel"
AS_LINES = ("Boodschappen\n- lijstje\n# kopje", "eerste regel\ntweede regel")


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = Store(db_path, clock=Clock())
    yield s
    s.close()


def fill(store: Store) -> int:
    user = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=1001)
    community = store.create_community(user.id, "Taalcafé Noord", "taal")
    store.add_note(user.id, community, LONE_CR, [])
    store.add_note(user.id, community, CRLF, [])
    return user.id


def test_a_lone_carriage_return_makes_no_list_or_heading_in_markdown(
        store: Store, catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "export.md"
    path.write_bytes(render(snapshot(store, fill(store)), catalog, "md", Options(appendix=True)))
    source = path.read_text(encoding="utf-8")
    assert "\r" not in source
    tokens = MarkdownIt("commonmark").parse(source)
    inline = [t.content for t in tokens if t.type == "inline"]
    assert not any(c.startswith(("lijstje", "kopje")) for c in inline)  # no item, no heading
    (note,) = [c for c in inline if "Boodschappen" in c]
    assert "lijstje" in note and "kopje" in note  # one list item holds the whole note
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert not any("kopje" in h for h in headings)
    visible = text_of(tokens)
    for lines in AS_LINES:
        assert lines in visible


def test_word_and_csv_show_each_line_end_as_one_break_and_json_keeps_the_text(
        store: Store, catalog: Catalog) -> None:
    data = snapshot(store, fill(store))
    document = python_docx.Document(io.BytesIO(render(data, catalog, "docx",
                                                      Options(appendix=True))))
    body = "\n".join(p.text for p in document.paragraphs)
    for lines in AS_LINES:
        assert lines in body
    table = list(csv.reader(io.StringIO(render(data, catalog, "csv").decode("utf-8-sig"),
                                        newline=""), delimiter=CSV_DELIMITER))
    assert {row[-1] for row in table[1:]} == set(AS_LINES)
    notes = json.loads(render(data, catalog, "json"))["communities"][0]["notes"]
    assert {n["text"] for n in notes} == {LONE_CR, CRLF}  # a copy of what was stored
