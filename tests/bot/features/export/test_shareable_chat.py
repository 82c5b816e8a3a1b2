"""/export "Om te delen" in the chat: a tap on a format says the file takes a moment (the
names come out), the file names no one, and when it cannot be made she hears so in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.features.export import job
from bot.features.export.share_process import ShareError
from dialogs.catalog import Catalog
from storage.store import Store
from tests.access_helpers import full_service
from tests.chat import Chat


@pytest.fixture
def anna(store: Store, catalog: Catalog, tmp_path: Path) -> Chat:
    chat = Chat(full_service(store, catalog, tmp_path / "data"), telegram_id=1001, name="Anna")
    chat.onboard("Taalcafé Noord", "taal")
    chat.send("Fatima de Vries belde: 06-12345678. Een roos op tafel.")
    chat.send("/export")
    chat.press("Taalcafé Noord")
    chat.press("Om te delen")
    return chat


def test_a_tap_on_a_format_says_it_takes_a_moment_then_the_file_names_no_one(
        anna: Chat, deduce_loaded: None) -> None:
    anna.press("Markdown")
    assert anna.last.notice == "Even geduld: ik haal de namen eruit. Dat duurt zo’n halve minuut."
    [file] = [a for r in anna.last.replies for a in r.attachments]
    assert file.filename.endswith("-om-te-delen.md")
    text = file.content.decode()
    assert "Fatima" not in text and "06-12345678" not in text and "Versie om te delen" in text


def test_when_the_version_to_share_fails_she_hears_it_in_words(
        anna: Chat, monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(data: object) -> object:
        raise ShareError("the shareable export's process ended (-9)")

    monkeypatch.setattr(job, "shared", fails)
    anna.press("Word")
    assert anna.text() == ("De versie om te delen is nu niet gelukt. Probeer het zo nog eens;"
                           " de interne versie kan wel meteen.")
    assert not [a for r in anna.last.replies for a in r.attachments]
