"""Photos with an activity and files with an outcome: sent while logging, right after, or
after the record's 📷/📎 button; kept as media notes; a photo for an activity removed
meanwhile stays a note and is said so; forged buttons attach nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app.events import Incoming, Media
from bot.app.registry import FEATURES, Service
from dialogs.catalog import Catalog
from storage.activities import ActivityRepo
from storage.attachments import AttachmentRepo
from storage.collaboration import CollaborationRepo
from storage.store import Store
from tests.bot.features.activities.conftest import THURSDAY
from tests.bot.features.goals.test_goals import Clock
from tests.chat import Chat


@pytest.fixture
def clock() -> Clock:
    return Clock(THURSDAY)


@pytest.fixture
def anna(db_path: Path, catalog: Catalog, clock: Clock) -> Iterator[Chat]:
    service = Service(Store(db_path, clock=clock), catalog, features=FEATURES)
    chat = Chat(service, telegram_id=1001, name="Anna")
    chat.onboard("Taalcafé Noord", "taal")
    yield chat
    service.store.close()


def photo(chat: Chat, file_id: str, kind: str = "photo", name: str | None = None) -> None:
    chat._go(Incoming(kind="other", other=kind, message_id=None,
                      media=Media(kind=kind, file_id=file_id, file_name=name)))


def log(chat: Chat, *, photo_while: str | None = None) -> int:
    chat.send("/activiteit")
    chat.press("Activiteit vastleggen")
    chat.send("taalcafé")
    if photo_while:
        photo(chat, photo_while)
        assert "zodra je die hebt vastgelegd" in chat.text()
    chat.press("Vandaag")
    chat.send("Avond over de gemeente")
    chat.send("12")
    chat.press("Weet ik niet")
    chat.press("De bibliotheek")
    chat.press("Zonder notitie")
    user = chat.service.user(chat.who)
    return ActivityRepo(chat.service.store).of(user.id, user.active_community or 0)[0].id


def files(chat: Chat, record: str, record_id: int) -> list[str]:
    user = chat.service.user(chat.who)
    return [f.note_id and f.kind + ":" + str(f.name or "")
            for f in AttachmentRepo(chat.service.store).files(user.id, record, record_id)]


def file_ids(chat: Chat, record: str, record_id: int) -> list[str]:
    user = chat.service.user(chat.who)
    ids = [f.note_id for f in AttachmentRepo(chat.service.store).files(user.id, record,
                                                                       record_id)]
    notes = {n.id: n for n in chat.service.store.notes(user.id)}
    return [str(notes[i].file_id) for i in ids]


def test_photos_while_and_right_after_logging_go_with_the_activity(anna: Chat) -> None:
    activity = log(anna, photo_while="while-1")
    assert "📷 1 foto" in anna.text() and "Foto's erbij?" in anna.text()
    photo(anna, "after-1")
    assert "📷 Bewaard bij taalcafé (26 nov)." in anna.text()
    photo(anna, "after-2")
    assert file_ids(anna, "activity", activity) == ["while-1", "after-1", "after-2"]
    user = anna.service.user(anna.who)
    kept = [n.file_id for n in anna.service.store.notes(user.id) if n.file_id]
    assert kept == ["while-1", "after-1", "after-2"]  # kept as media notes, like any other


def test_a_photo_long_after_logging_is_a_plain_note_until_the_button_is_pressed(
        anna: Chat, clock: Clock) -> None:
    activity = log(anna)
    clock.now += timedelta(hours=2)
    photo(anna, "later-1")
    assert "Bewaard bij" not in anna.text()  # a field note, as before
    assert file_ids(anna, "activity", activity) == []
    anna.send("/activiteit")
    anna.press("📷 Foto's")
    assert "Stuur je foto's van taalcafé" in anna.text()
    photo(anna, "later-2")
    assert file_ids(anna, "activity", activity) == ["later-2"]


def test_a_photo_for_an_activity_removed_meanwhile_is_kept_as_a_note(anna: Chat) -> None:
    activity = log(anna)
    user = anna.service.user(anna.who)
    ActivityRepo(anna.service.store).delete(user.id, activity)
    photo(anna, "orphan")
    assert "Die activiteit is intussen verwijderd" in anna.text()
    assert "bewaard als notitie bij Taalcafé Noord" in anna.text()
    assert [n.file_id for n in anna.service.store.notes(user.id)] == ["orphan"]
    photo(anna, "next")  # the window is closed with it: a plain field note
    assert "intussen verwijderd" not in anna.text()


def test_a_document_right_after_an_outcome_goes_with_it(anna: Chat) -> None:
    anna.send("/activiteit")
    anna.press("Opbrengst vastleggen")
    anna.press("Een product")
    anna.send("Een meertalige folder over de bieb")
    assert "Een foto of document erbij?" in anna.text()
    photo(anna, "doc-1", kind="document", name="folder.pdf")
    assert "📎 Bewaard bij de opbrengst ‘Een meertalige folder over de bieb’." in anna.text()
    user = anna.service.user(anna.who)
    [outcome] = CollaborationRepo(anna.service.store).outcomes(user.id,
                                                               user.active_community or 0)
    assert files(anna, "outcome", outcome.id) == ["document:folder.pdf"]
    anna.send("/activiteit")
    anna.press("📎 Een meertalige folder")
    photo(anna, "photo-2")
    assert file_ids(anna, "outcome", outcome.id) == ["doc-1", "photo-2"]


@pytest.mark.parametrize("forged", ["fa:o:{theirs}", "fa:a:{theirs}", "fa:o:abc", "fa:x:1"])
def test_a_forged_outcome_or_activity_button_attaches_nothing(anna: Chat, forged: str) -> None:
    bram = Chat(anna.service, telegram_id=2002, name="Bram")
    bram.onboard("Moestuin Zuid", "groen")
    b = bram.service.user(bram.who)
    theirs = CollaborationRepo(bram.service.store).add_outcome(b.id, b.active_community or 0,
                                                               "product", "Geheim")
    out = anna.press_data(forged.format(theirs=theirs))
    assert out.notice in ("Deze opbrengst is er niet meer.", "Deze activiteit is er niet meer.")
    photo(anna, "stray")
    assert "Bewaard bij" not in anna.text()
    assert files(bram, "outcome", theirs) == []


def test_the_activity_button_in_acties_and_in_phase_6_starts_logging(anna: Chat) -> None:
    anna.send("/acties")
    anna.press("📅 Activiteit")
    assert "Wat voor activiteit?" in anna.text()
    anna.send("/cancel")
    user = anna.service.user(anna.who)
    for item in ("policy", "goals", "values", "frame", "fit"):  # past phase 1's gate
        anna.service.store.set_tick(user.active_community or 0, f"p1.{item}", True)
    anna.send("/fase")
    anna.press("6. ")
    anna.press("📅 Activiteit vastleggen")
    assert "Wat voor activiteit?" in anna.text()
    anna.send("buurtlunch")
    anna.press("Vandaag")
    assert "Wat gebeurde er?" in anna.text()


def test_exports_hold_activities_roles_and_outcomes_with_their_files(anna: Chat) -> None:
    import io

    import docx as python_docx
    from jsonschema import validate

    from bot.features.export.files import csv_rows, render
    from storage.export import schema, snapshot

    activity = log(anna)
    photo(anna, "p-1")
    photo(anna, "p-2")
    anna.send("/activiteit")
    anna.press("Ambassadeur of partner")
    anna.send("Fatima")
    anna.press("Ambassadeur uit de community")
    anna.press("Opbrengst vastleggen")
    anna.press("Een product")
    anna.send("Een meertalige folder")
    photo(anna, "doc", kind="document", name="folder.pdf")
    user = anna.service.user(anna.who)
    data = snapshot(anna.service.store, user.id)
    validate(data, schema())
    c = data["communities"][0]
    assert [(a["id"], len(a["files"])) for a in c["activities"]] == [(activity, 2)]
    assert [f["name"] for f in c["outcomes"][0]["files"]] == ["folder.pdf"]
    assert c["roles"][0]["name"] == "Fatima"
    kinds = [row[0] for row in csv_rows(data, anna.service.catalog)[1]]
    assert {"activiteit", "rol", "opbrengst"} <= set(kinds)
    [outcome_row] = [r for r in csv_rows(data, anna.service.catalog)[1] if r[0] == "opbrengst"]
    assert "Een meertalige folder" in outcome_row[-1] and "folder.pdf" in outcome_row[-1]
    text = "\n".join(p.text for p in python_docx.Document(
        io.BytesIO(render(data, anna.service.catalog, "docx"))).paragraphs)
    assert "📷 2 foto's" in text and "📎 folder.pdf" in text


def test_the_summary_lists_outcomes_and_done_actions_with_their_day(
        anna: Chat, clock: Clock) -> None:
    anna.send("/samenvatting")
    assert "Opbrengsten" not in anna.text() and "Afgeronde acties" not in anna.text()
    anna.send("actie: Fatima mailen")
    anna.send("actie: zaal boeken")
    clock.now += timedelta(days=1)  # done on Friday 27 November
    anna.send("/acties")
    anna.press("✅ 1. Fatima mailen")
    anna.send("/activiteit")
    anna.press("Opbrengst vastleggen")
    anna.press("Nieuwe kennis")
    anna.send("Wat nieuwkomers van de bieb verwachten")
    photo(anna, "doc", kind="document", name="verslag.pdf")
    anna.send("/samenvatting")
    text = anna.text()
    assert ("🌱 Opbrengsten (1):\n• Nieuwe kennis: Wat nieuwkomers van de bieb verwachten"
            " (📎 verslag.pdf)") in text
    assert "✅ Afgeronde acties (1):\n• Fatima mailen — gedaan op " in text
    assert "zaal boeken" not in text.split("Afgeronde acties")[1]  # still open: not listed there
    done_line = text.split("Afgeronde acties (1):\n")[1].splitlines()[0]
    assert "27 nov" in done_line
