"""/export, /mydata and /forget as a librarian uses them, and what is left afterwards."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import docx as python_docx
import jsonschema
import pytest

from bot.app.registry import Service
from bot.app.service import Incoming
from bot.features.export import feature as rights
from dialogs.catalog import Catalog
from storage.access import AccessRepo
from storage.export import schema
from storage.store import Store
from storage.talk import TalkRepo
from tests.access_helpers import Clock, full_service, leftovers
from tests.chat import Chat

ANNA_TG = 770_011_223
SECRET = "Zwanenbloem"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db_path: Path, clock: Clock) -> Iterator[Store]:
    s = Store(db_path, clock=clock)
    yield s
    s.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def service(store: Store, catalog: Catalog, data_dir: Path) -> Service:
    return full_service(store, catalog, data_dir)


@pytest.fixture
def anna(service: Service) -> Chat:
    chat = Chat(service, telegram_id=ANNA_TG, name="Anna")
    chat.onboard("Taalcafé Noord", "taal")
    chat.send(f"{SECRET} vertelde over het buurthuis #buurthuis")
    return chat


def document(chat: Chat) -> tuple[str, bytes]:
    attachments = [a for r in chat.last.replies for a in r.attachments]
    assert len(attachments) == 1, chat.text()
    assert attachments[0].kind == "document"
    return attachments[0].filename, attachments[0].content


def test_export_asks_what_and_which_format_then_sends_the_file(anna: Chat) -> None:
    anna.send("/export")
    assert "Wat wil je exporteren" in anna.text()
    assert anna.labels() == ["Taalcafé Noord", "📦 Alles"]
    anna.press("Taalcafé Noord")
    assert "In welk formaat" in anna.text() and anna.last.replies[0].edit
    anna.press("Word")
    name, content = document(anna)
    assert name.startswith("veldgids-taalcafe-noord-") and name.endswith(".docx")
    body = "\n".join(p.text for p in python_docx.Document(io.BytesIO(content)).paragraphs)
    # The note itself goes to the appendix, which she did not ask for; the report says so.
    assert SECRET not in body and "Niet in dit verslag: 1 notitie." in body
    assert "Hier is je export" in anna.text()
    anna.send("/export")
    anna.press("Taalcafé Noord")
    anna.press("Bijlage erbij")
    anna.press("Word")
    body = "\n".join(p.text for p in python_docx.Document(io.BytesIO(document(anna)[1])).paragraphs)
    assert SECRET in body


@pytest.mark.parametrize("fmt", ["Markdown", "CSV", "JSON"])
def test_export_of_everything_in_each_format(anna: Chat, fmt: str) -> None:
    anna.send("/export")
    anna.press("Alles")
    anna.press(fmt)
    name, content = document(anna)
    assert name.startswith("veldgids-alles-")
    text = content.decode("utf-8-sig")
    assert SECRET in text if fmt != "Markdown" else "Niet in dit verslag: 1 notitie." in text
    if fmt == "JSON":
        jsonschema.validate(json.loads(text), schema())


def test_export_of_an_empty_account(service: Service) -> None:
    empty = Chat(service, telegram_id=5, name="Leeg")
    empty.send("/export")
    assert "nog niets vastgelegd" in empty.text()
    empty.press("JSON")
    _, content = document(empty)
    data = json.loads(content)
    jsonschema.validate(data, schema())
    assert data["communities"] == [] and data["loose_notes"] == []
    empty.send("/export")
    empty.press("Markdown")
    assert "Er is nog niets vastgelegd" in document(empty)[1].decode()


def test_an_export_over_telegrams_limit_points_to_the_command_line(
        anna: Chat, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rights, "MAX_UPLOAD", 100)
    anna.send("/export")
    anna.press("Alles")
    anna.press("Markdown")
    assert not anna.last.replies[0].attachments
    assert "50 MB" in anna.text()
    assert f"veldgids export --user {ANNA_TG} --format md" in anna.text()


def test_mydata_sends_everything_as_json(anna: Chat) -> None:
    anna.send("/mijngegevens")
    name, content = document(anna)
    assert name.startswith("veldgids-mijn-gegevens-") and name.endswith(".json")
    data = json.loads(content)
    jsonschema.validate(data, schema())
    assert data["account"]["telegram_id"] == ANNA_TG and data["account"]["name"] == "Anna"
    assert any(SECRET in n["text"] for n in data["records"]["notes"])
    assert "dialog_state" in data["records"] and "processed_updates" in data["records"]


def test_forget_explains_and_no_keeps_everything(anna: Chat, store: Store) -> None:
    anna.send("/vergeetmij")
    text = anna.text()
    assert "Notities: 1" in text and "Community's met fasen en antwoorden: 1" in text
    assert "niet ongedaan" in text and "/mijngegevens" in text
    anna.press("Nee")
    assert "niets gewist" in anna.text()
    assert store.user_by_telegram(ANNA_TG) is not None and len(store.notes(1)) == 1


def test_forget_erases_every_trace(anna: Chat, service: Service, store: Store,
                                   db_path: Path, data_dir: Path) -> None:
    user = store.user_by_telegram(ANNA_TG)
    assert user is not None
    community = user.active_community
    talk = TalkRepo(store)
    person = talk.add_person(user.id, community, f"{SECRET}-Fatima", None, None)
    conv = talk.start(user.id, community, person, "Buurthuis")
    talk.add_turn(conv, user.id, "librarian", "work", f"Gesprek over {SECRET}")
    talk.set_summary(conv, f"Samenvatting {SECRET}", [SECRET])
    media = data_dir / "users" / str(user.id) / "notes-7.ogg"
    media.parent.mkdir(parents=True, exist_ok=True)
    media.write_bytes(b"OggS voice")
    store.inbox_add([(99_001, {"update_id": 99_001, "message": {
        "from": {"id": ANNA_TG}, "chat": {"id": ANNA_TG}, "text": SECRET}})])
    AccessRepo(store).create_code("invite", user.id)
    bram = Chat(service, telegram_id=880_022_334, name="Bram")
    bram.onboard("Moestuin Oost", None)
    bram.send("Kievitsbloem komt ook #tuin")
    anna.send("/mydata")  # Anna's own file, saved nowhere by the service

    anna.send("/forget")
    assert "Bestanden (spraakberichten, foto's, documenten): 1" in anna.text()
    assert "Gesprekken met verslag en samenvatting: 1" in anna.text()
    outcome = anna.press("Ja, wis alles")
    assert outcome.forgotten and "gewist" in anna.text() and outcome.replies[0].edit
    assert leftovers(db_path, data_dir, [SECRET, "Taalcafé Noord", "Anna"], ANNA_TG,
                     user.id) == []
    raw = db_path.read_bytes()
    assert SECRET.encode() not in raw  # not in the database file's free pages either
    wal = db_path.with_name(db_path.name + "-wal")
    assert not wal.exists() or SECRET.encode() not in wal.read_bytes()
    bram_notes = store.notes(store.user_by_telegram(880_022_334).id)  # type: ignore[union-attr]
    assert "Kievitsbloem" in json.dumps([asdict(n) for n in bram_notes])
    bram.send("/zoek Kievitsbloem")
    assert "Kievitsbloem" in bram.text()


def test_forget_pressed_twice_stores_nothing_new(anna: Chat, store: Store) -> None:
    anna.send("/forget")
    button = anna.button("Ja, wis alles")
    anna.press_data(button.data)
    again = anna.press_data(button.data)
    assert again.notice and "niets bewaard" in again.notice and not again.replies
    assert store.user_by_telegram(ANNA_TG) is None
    assert store.db.execute("SELECT count(*) FROM users").fetchone()[0] == 0
    anna.send("Hallo?")
    assert "uitgenodigde bibliothecarissen" in anna.text()
    assert store.user_by_telegram(ANNA_TG) is None


def test_updates_offered_again_after_forget_are_not_handled_twice(
        anna: Chat, service: Service, store: Store, db_path: Path, data_dir: Path) -> None:
    """After a crash Telegram may offer an update again, for up to a day: once Anna is
    forgotten, neither her earlier note nor her confirmation is handled a second time (the
    bot would greet her as a newcomer), and what is kept names nobody."""
    note = Incoming(kind="text", text="Fatima komt dinsdag", update_id=990_001)
    assert service.handle(anna.who, note).replies
    user = store.user_by_telegram(ANNA_TG)
    assert user is not None
    anna.send("/forget")
    confirm = Incoming(kind="press", data=anna.button("Ja, wis alles").data,
                       update_id=990_002)
    assert service.handle(anna.who, confirm).forgotten
    for again in (note, confirm):
        outcome = service.handle(anna.who, again)
        assert outcome.duplicate and not outcome.replies
    assert store.user_by_telegram(ANNA_TG) is None
    assert leftovers(db_path, data_dir, ["Fatima", "Anna"], ANNA_TG, user.id) == []


def test_forget_confirmed_after_a_week_erases_nothing(anna: Chat, store: Store,
                                                      clock: Clock) -> None:
    anna.send("/forget")
    clock.advance(days=7)
    outcome = anna.press("Ja, wis alles")
    assert not outcome.forgotten
    assert outcome.notice and "verlopen" in outcome.notice
    assert "niets gewist" in anna.text() and "/vergeetmij" in anna.text()
    assert store.user_by_telegram(ANNA_TG) is not None and len(store.notes(1)) == 1


def test_forget_asked_twice_either_confirmation_works(anna: Chat, store: Store,
                                                      clock: Clock) -> None:
    anna.send("/forget")
    first = anna.button("Ja, wis alles")
    clock.advance(hours=2)
    anna.send("/vergeetmij")
    assert anna.press_data(first.data).forgotten
    assert store.user_by_telegram(ANNA_TG) is None


def test_a_forged_forget_button_for_someone_else_erases_nothing(anna: Chat, service: Service,
                                                                store: Store) -> None:
    bram = Chat(service, telegram_id=880_022_334, name="Bram")
    bram.onboard("Moestuin", None)
    bram_id = store.user_by_telegram(880_022_334).id  # type: ignore[union-attr]
    stamp = int(service.clock().timestamp())
    for data in (f"fg:yes:{bram_id}:{stamp}", f"fg:yes:{bram_id}", "fg:yes", "fg:zap:1:2",
                 f"fg:yes:1:{stamp + 999_999}"):
        outcome = anna.press_data(data)
        assert not outcome.forgotten and outcome.notice, data
    assert store.user(bram_id) is not None and store.user_by_telegram(ANNA_TG) is not None


def test_a_revoked_librarian_can_still_be_forgotten(anna: Chat, service: Service,
                                                    store: Store) -> None:
    user = store.user_by_telegram(ANNA_TG)
    assert user is not None
    AccessRepo(store).set_status(user.id, "revoked")
    anna.send("/vergeetmij")
    anna.press("Ja, wis alles")
    assert store.user_by_telegram(ANNA_TG) is None


def test_console_exports_land_in_the_users_own_folder(service: Service,
                                                      data_dir: Path) -> None:
    from bot.console.chat import Console

    lines: list[str] = []
    console = Console(service, "anna", "nl", write=lines.append)
    console.send("/mydata")
    saved = [line for line in lines if line.startswith("📎 ")]
    assert len(saved) == 1
    path = Path(saved[0][2:])
    assert path.is_file() and path.is_relative_to(data_dir / "users")
    console.send("/forget")
    console.send("1")
    assert not path.exists()


def test_help_and_the_menu_name_the_new_commands(anna: Chat) -> None:
    from bot.app.registry import ALIASES

    anna.send("/hulp")
    anna.press("Alle commando's")
    for command in ("/export", "/mijngegevens", "/vergeetmij", "/uitnodigen", "/gebruikers"):
        assert command in anna.text()
    assert {ALIASES[a] for a in ("mijngegevens", "vergeetmij", "uitnodigen", "gebruikers")} == {
        "mydata", "forget", "invite", "users"}
