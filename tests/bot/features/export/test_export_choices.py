"""/export's choices in one message, as a librarian taps them: the period (this quarter, this
year, since the start, or two dates she types), the appendix and who the file is for, each
tap editing that message; one tap on a format still gives the file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app.registry import Service
from bot.features.export import feature as rights
from bot.features.export.files import CSV_DELIMITER
from bot.features.export.options import Options
from dialogs.catalog import Catalog
from storage.store import Store
from tests.access_helpers import Clock, full_service
from tests.chat import Chat

ANNA_TG = 770_011_224


@dataclass
class Times:
    clock: Clock

    def at(self, month: int, day: int, year: int = 2025, hour: int = 10) -> None:
        self.clock.now = datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db_path: Path, clock: Clock) -> Iterator[Store]:
    s = Store(db_path, clock=clock)
    yield s
    s.close()


@pytest.fixture
def service(store: Store, catalog: Catalog, tmp_path: Path) -> Service:
    return full_service(store, catalog, tmp_path / "data")


@pytest.fixture
def anna(service: Service, clock: Clock) -> Chat:
    """Notes from June to November 2025; it is now Saturday 15 November 2025."""
    times = Times(clock)
    times.at(6, 2)
    chat = Chat(service, telegram_id=ANNA_TG, name="Anna")
    chat.onboard("Taalcafé Noord", "taal")
    chat.send("Juni: eerste kennismaking in het buurthuis")
    times.at(9, 10)
    chat.send("September: taalcafé gestart")
    times.at(10, 20)
    chat.send("Oktober: twaalf deelnemers")
    times.at(11, 15)
    return chat


def choices(chat: Chat) -> None:
    chat.send("/export")
    chat.press("Taalcafé Noord")


def document(chat: Chat) -> tuple[str, bytes]:
    attachments = [a for r in chat.last.replies for a in r.attachments]
    assert len(attachments) == 1, chat.text()
    return attachments[0].filename, attachments[0].content


def texts_in(content: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=CSV_DELIMITER))
    return [row[-1] for row in rows[1:]]


def test_the_choices_come_in_one_message_with_the_defaults_set(anna: Chat) -> None:
    choices(anna)
    reply = anna.last.replies[0]
    assert len(anna.last.replies) == 1 and reply.edit
    text = anna.text()
    for line in ("🗓 Periode: sinds de start", "📎 Bijlage met gesprekken en alle notities: nee",
                 "👥 Versie: intern",
                 "De versie om te delen noemt niemand uit de community bij naam en laat gesprekken"
                 " en contactgegevens weg.",
                 "In welk formaat wil je het?"):
        assert line in text, text
    assert anna.labels() == [
        "Dit kwartaal", "Dit jaar", "✓ Sinds de start", "✏️ Zelf kiezen",
        "☐ Bijlage erbij", "✓ Intern", "Om te delen",
        "📄 Word (.docx)", "📝 Markdown (.md)", "📊 CSV (Excel)", "🧩 JSON"]
    anna.press("CSV")  # one tap on a format: the file, as before
    name, content = document(anna)
    assert name == "veldgids-taalcafe-noord-2025-11-15.csv"
    assert [t for t in texts_in(content) if ":" in t] == [
        "Juni: eerste kennismaking in het buurthuis", "September: taalcafé gestart",
        "Oktober: twaalf deelnemers"]


def test_each_choice_edits_the_same_message(anna: Chat) -> None:
    choices(anna)
    anna.press("Bijlage erbij")
    assert [r.edit for r in anna.last.replies] == [True]
    assert "☑ Bijlage erbij" in anna.labels()
    assert "Bijlage met gesprekken en alle notities: ja" in anna.text()
    anna.press("Om te delen")
    assert [r.edit for r in anna.last.replies] == [True]
    assert "✓ Om te delen" in anna.labels() and "Intern" in anna.labels()
    assert "👥 Versie: om te delen" in anna.text()
    anna.press("Dit kwartaal")
    assert "✓ Dit kwartaal" in anna.labels() and "Sinds de start" in anna.labels()
    assert "🗓 Periode: dit kwartaal (sinds 1 oktober 2025)" in anna.text()
    # the other choices stayed as they were
    assert "☑ Bijlage erbij" in anna.labels()
    assert "✓ Om te delen" in anna.labels()
    anna.press("Dit jaar")
    assert "🗓 Periode: dit jaar (sinds 1 januari 2025)" in anna.text()


def test_this_quarters_csv_holds_this_quarters_notes(anna: Chat) -> None:
    choices(anna)
    anna.press("Dit kwartaal")
    anna.press("CSV")
    name, content = document(anna)
    assert name == "veldgids-taalcafe-noord-2025-10-01-tot-2025-11-15.csv"
    assert "Oktober: twaalf deelnemers" in texts_in(content)
    assert not {"Juni: eerste kennismaking in het buurthuis",
                "September: taalcafé gestart"} & set(texts_in(content))
    assert "Periode: dit kwartaal (sinds 1 oktober 2025)." in anna.text()


def test_the_choices_reach_the_file(anna: Chat, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[Options] = []
    made = rights.export_file

    def spy(*args: Any) -> tuple[str, bytes]:
        asked.append(args[-1])
        return made(*args)

    monkeypatch.setattr(rights, "export_file", spy)
    choices(anna)
    anna.press("Bijlage erbij")
    anna.press("Om te delen")
    anna.press("Dit jaar")
    anna.press("Word")
    document(anna)
    assert asked == [Options(start=date(2025, 1, 1), end=None, appendix=True, shareable=True)]


def test_she_types_a_period_of_her_own(anna: Chat) -> None:
    choices(anna)
    anna.press("Om te delen")
    anna.press("Zelf kiezen")
    assert "Typ twee datums" in anna.text() and not anna.last.replies[0].edit
    anna.send("1 september tot 30 september")
    assert "🗓 Periode: 1 september tot en met 30 september 2025" in anna.text()
    assert "✓ ✏️ Zelf kiezen" in anna.labels() and "✓ Om te delen" in anna.labels()
    anna.press("CSV")
    name, content = document(anna)
    assert name.startswith("veldgids-taalcafe-noord-2025-09-01-tot-2025-09-30")
    assert [t for t in texts_in(content) if ":" in t] == ["September: taalcafé gestart"]
    anna.send("Daarna gewoon een notitie")  # the question is over: a note again
    assert "periode" not in anna.text().lower()


@pytest.mark.parametrize(("typed", "answer"), [
    ("ergens in de herfst", "‘ergens in de herfst’ kan ik niet als periode lezen"),
    ("31 oktober 2025 tot 1 september 2025",
     "De einddatum (1 september 2025) ligt vóór de begindatum (31 oktober 2025)"),
    ("1 januari 2026 tot 31 maart 2026", "1 januari 2026 moet nog komen"),
])
def test_a_period_that_cannot_be_says_why_and_nothing_is_lost(anna: Chat, typed: str,
                                                              answer: str) -> None:
    choices(anna)
    anna.press("Bijlage erbij")
    anna.press("Zelf kiezen")
    anna.send(typed)
    assert answer in anna.text(), anna.text()
    assert "Typ twee datums" in anna.text()  # asked again
    anna.send("1 oktober tot 31 oktober")  # and a good one is taken
    assert "1 oktober tot en met 31 oktober 2025" in anna.text()
    assert "☑ Bijlage erbij" in anna.labels()


def test_the_choice_message_stays_usable_while_she_is_asked_for_dates(anna: Chat) -> None:
    choices(anna)
    anna.press("Zelf kiezen")
    anna.send("ergens in de herfst")
    anna.press("Dit kwartaal")  # on the choice message above
    assert "dit kwartaal" in anna.text()
    anna.press("CSV")
    assert texts_in(document(anna)[1])
    anna.send("Gewoon een notitie")
    assert "periode" not in anna.text().lower()
    anna.press("Zelf kiezen")
    anna.send("/export")  # starting over instead
    anna.send("Nog een notitie")
    assert "periode" not in anna.text().lower()


def test_old_and_forged_buttons_answer_clearly(anna: Chat, service: Service) -> None:
    community = service.store.communities(
        service.store.user_by_telegram(ANNA_TG).id)[0].id  # type: ignore[union-attr]
    for forged in (f"ex:o:{community}:zz:00", f"ex:f:{community}:csv:20251301-:00",
                   f"ex:f:{community}:csv:all:7", f"ex:o:{community}:20251130-20250901:00"):
        anna.press_data(forged)
        assert "hoort bij een oudere versie van dit bericht" in anna.text(), forged
        assert "✓ Sinds de start" in anna.labels(), forged  # the choices again, as they were
    anna.press_data(f"ex:f:{community}:csv")  # a format button from before the choices
    assert texts_in(document(anna)[1])
    anna.press_data("ex:f:999999:csv:all:00")  # someone else's community, or none
    assert "Die community vind ik niet bij jou" in anna.text()


def test_this_year_is_the_year_where_she_lives(service: Service, clock: Clock) -> None:
    # New Year's night, 01:00 UTC: in Paramaribo it is still 31 December 2025.
    clock.now = datetime(2025, 12, 20, 10, tzinfo=UTC)
    sara = Chat(service, telegram_id=ANNA_TG + 1, name="Sara")
    sara.onboard("Bibliotheek Paramaribo", "lezen")
    user = service.store.user_by_telegram(ANNA_TG + 1)
    assert user is not None
    service.store.db.execute("UPDATE users SET timezone = 'America/Paramaribo' WHERE id = ?",
                             (user.id,))
    sara.send("Leesclub in december")
    clock.now = datetime(2026, 1, 1, 1, tzinfo=UTC)
    choices_of(sara, "Bibliotheek Paramaribo")
    sara.press("Dit jaar")
    assert "dit jaar (sinds 1 januari 2025)" in sara.text()
    sara.press("CSV")
    assert "Leesclub in december" in texts_in(document(sara)[1])


def choices_of(chat: Chat, community: str) -> None:
    chat.send("/export")
    chat.press(community)
