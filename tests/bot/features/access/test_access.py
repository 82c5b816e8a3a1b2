"""Closed by default: strangers, invite links, the claim code, admins, revoking."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from telegram import Update

from bot.app.registry import Service
from bot.app.service import Incoming
from bot.features.access.feature import Access
from bot.telegram.inbox import _inboxable
from dialogs.catalog import Catalog
from storage.access import AccessRepo, code_hash
from storage.store import Store
from tests.access_helpers import Clock, full_service
from tests.chat import Chat

STRANGER = 555_000_111


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


def access(service: Service) -> Access:
    gate = service.gates[0]
    assert isinstance(gate.__self__, Access)  # type: ignore[attr-defined]
    return gate.__self__  # type: ignore[attr-defined, no-any-return]


def rows(store: Store, table: str) -> int:
    return int(store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def make_admin(service: Service, telegram_id: int = 1001, name: str = "Anna") -> Chat:
    admin = Chat(service, telegram_id=telegram_id, name=name)
    user = service.store.user_by_telegram(telegram_id)
    assert user is not None
    AccessRepo(service.store).set_admin(user.id, True)
    return admin


def invite_code(admin: Chat) -> str:
    admin.send("/uitnodigen")
    found = re.search(r"/start (\S+)|start=(\S+)", admin.text())
    assert found, admin.text()
    return found.group(1) or found.group(2)


def test_a_stranger_gets_one_short_answer_a_day_and_nothing_is_stored(
        service: Service, store: Store, clock: Clock) -> None:
    stranger = Chat(service, telegram_id=STRANGER, name="Eve", admitted=False)
    stranger.send("Hallo, mag ik meedoen? Mijn geheime notitie")
    assert "uitgenodigde bibliothecarissen" in stranger.text()
    assert "beheerder" in stranger.text()
    stranger.send("/start")
    stranger.send("Nog een bericht")
    stranger.other("sticker")
    assert stranger.last.replies == [] and len(stranger.replies) == 1
    assert rows(store, "users") == 0 and rows(store, "notes") == 0
    assert rows(store, "processed_updates") == 0 and rows(store, "dialog_state") == 0
    day = clock().date().isoformat()
    assert AccessRepo(store).strangers(day) == 4
    clock.advance(days=1)
    stranger.send("Weer een dag")
    assert "uitgenodigde" in stranger.text()


def test_a_strangers_button_press_is_answered_but_changes_nothing(
        service: Service, store: Store) -> None:
    stranger = Chat(service, telegram_id=STRANGER, admitted=False)
    outcome = stranger.press_data("1.o:phases")
    assert outcome.notice and "niets bewaard" in outcome.notice
    assert rows(store, "users") == 0


def test_invite_link_lets_a_colleague_in_once(service: Service, store: Store) -> None:
    service.bot_username = "veldgids_test_bot"
    admin = make_admin(service)
    code = invite_code(admin)
    assert f"https://t.me/veldgids_test_bot?start={code}" in admin.text()
    assert len(code) >= 16  # 96 random bits
    assert code not in str(store.db.execute("SELECT * FROM invites").fetchall())
    assert store.db.execute("SELECT code_hash FROM invites").fetchone()[0] == code_hash(code)

    bram = Chat(service, telegram_id=2002, name="Bram", admitted=False)
    bram.send(f"/start {code}")
    assert "uitnodiging is aangenomen" in bram.text() and "Met welke community" in bram.text()
    bram.send("Buurthuis De Linde")
    assert "Rond welk thema" in bram.text()
    assert store.user_by_telegram(2002) is not None

    eve = Chat(service, telegram_id=STRANGER, admitted=False)
    eve.send(f"/start {code}")
    assert "al gebruikt" in eve.text()
    assert store.user_by_telegram(STRANGER) is None


def test_expired_invite_is_refused(service: Service, store: Store, clock: Clock) -> None:
    code = invite_code(make_admin(service))
    clock.advance(days=7, seconds=1)
    bram = Chat(service, telegram_id=2002, admitted=False)
    bram.send(f"/start {code}")
    assert "verlopen" in bram.text() and "nieuwe" in bram.text()
    assert store.user_by_telegram(2002) is None


def test_a_day_before_expiry_the_invite_still_works(service: Service, clock: Clock) -> None:
    code = invite_code(make_admin(service))
    clock.advance(days=6, hours=23)
    bram = Chat(service, telegram_id=2002, admitted=False)
    bram.send(f"/start {code}")
    assert "aangenomen" in bram.text()


@pytest.mark.parametrize("code", ["verzonnen-code-123", "x", "A" * 64, "'; DROP TABLE users;--"])
def test_made_up_codes_are_refused(service: Service, store: Store, code: str) -> None:
    make_admin(service)
    eve = Chat(service, telegram_id=STRANGER, admitted=False)
    eve.send(f"/start {code}")
    assert "ken ik niet" in eve.text()
    assert store.user_by_telegram(STRANGER) is None and rows(store, "users") == 1


def test_non_admin_cannot_invite_or_list_users(service: Service, store: Store) -> None:
    bram = Chat(service, telegram_id=2002, name="Bram")
    bram.send("/invite")
    assert "alleen een beheerder" in bram.text()
    bram.send("/gebruikers")
    assert "alleen een beheerder" in bram.text()
    forged = bram.press_data("ac:list")
    assert forged.notice and "alleen een beheerder" in forged.notice and not forged.replies
    assert rows(store, "invites") == 0


def test_claim_code_makes_the_first_user_admin_then_stops_working(
        service: Service, store: Store) -> None:
    code = access(service).claim()
    assert code is not None
    first = Chat(service, telegram_id=3003, name="Carla", admitted=False)
    first.send(f"/start {code}")
    assert "beheerder van Veldgids" in first.text()
    carla = store.user_by_telegram(3003)
    assert carla is not None and carla.is_admin
    second = Chat(service, telegram_id=3004, admitted=False)
    second.send(f"/start {code}")
    assert "al gebruikt" in second.text()
    assert store.user_by_telegram(3004) is None
    assert access(service).claim() is None  # an admin exists: no new claim code


def test_claim_code_is_refused_once_an_admin_exists(service: Service, store: Store) -> None:
    code = access(service).claim()
    assert code is not None
    make_admin(service)  # e.g. an admin added some other way meanwhile
    late = Chat(service, telegram_id=3004, admitted=False)
    late.send(f"/start {code}")
    assert "al een beheerder" in late.text()
    assert store.user_by_telegram(3004) is None


def test_a_new_claim_code_replaces_the_old_one(service: Service, store: Store) -> None:
    old = access(service).claim()
    new = access(service).claim()
    assert old and new and old != new
    someone = Chat(service, telegram_id=3004, admitted=False)
    someone.send(f"/start {old}")
    assert "ken ik niet" in someone.text()


def test_admins_from_the_settings_get_in_without_a_code(store: Store, catalog: Catalog,
                                                        tmp_path: Path) -> None:
    service = full_service(store, catalog, tmp_path / "data", admins=(4242,))
    assert access(service).claim() is None
    boss = Chat(service, telegram_id=4242, name="Dirk", admitted=False)
    boss.send("/start")
    assert "Met welke community" in boss.text()
    boss.send("/invite")
    assert "/start " in boss.text()  # no bot username known: the code to send


def test_revoked_user_is_answered_politely_and_nothing_is_stored(
        service: Service, store: Store) -> None:
    admin = make_admin(service)
    bram = Chat(service, telegram_id=2002, name="Bram")
    bram.onboard("Moestuin")
    admin.send("/users")
    assert "Bram" in admin.text()
    admin.press("intrekken: Bram")
    assert admin.last.notice and "ingetrokken" in admin.last.notice
    assert "toegang ingetrokken" in admin.text() and admin.last.replies[0].edit
    notes = rows(store, "notes")
    processed = rows(store, "processed_updates")
    bram.send("Deze notitie mag niet bewaard worden")
    assert "ingetrokken" in bram.text() and "/mijngegevens" in bram.text()
    bram.send("/fase")
    assert "ingetrokken" in bram.text()
    assert rows(store, "notes") == notes and rows(store, "processed_updates") == processed
    bram.send("/mydata")  # their rights remain
    assert bram.last.replies[0].attachments
    admin.send("/gebruikers")
    admin.press("teruggeven: Bram")
    bram.send("/fase")
    assert "De zes fasen" in bram.text()


def test_an_admin_cannot_revoke_themselves_or_a_settings_admin(
        store: Store, catalog: Catalog, tmp_path: Path) -> None:
    service = full_service(store, catalog, tmp_path / "data", admins=(4242,))
    boss = Chat(service, telegram_id=4242, name="Dirk")
    anna = make_admin(service)
    anna.send("/users")
    assert not any("Dirk" in label or "Anna" in label for label in anna.labels())
    anna_id = store.user_by_telegram(1001).id  # type: ignore[union-attr]
    boss_id = store.user_by_telegram(4242).id  # type: ignore[union-attr]
    for target in (anna_id, boss_id, 999, "abc"):
        outcome = anna.press_data(f"ac:rv:{target}")
        assert outcome.notice and "eerdere stap" in outcome.notice
    assert all(u.status == "active" for u in AccessRepo(store).users())
    boss.send("/start")


def test_already_admitted_user_with_a_link_keeps_the_code_unused(service: Service,
                                                                  store: Store) -> None:
    admin = make_admin(service)
    code = invite_code(admin)
    bram = Chat(service, telegram_id=2002)
    bram.send(f"/start {code}")
    assert "al toegang" in bram.text()
    assert store.db.execute("SELECT used_at FROM invites").fetchone()[0] is None


def test_console_is_always_allowed(service: Service) -> None:
    from bot.console.chat import Console

    lines: list[str] = []
    console = Console(service, "anna", "nl", write=lines.append)
    console.send("/start")
    assert any("Met welke community" in line for line in lines)


def _update(user_id: int, text: str) -> Update:
    return Update.de_json({"update_id": 1, "message": {
        "message_id": 1, "date": 0, "text": text,
        "chat": {"id": user_id, "type": "private"},
        "from": {"id": user_id, "is_bot": False, "first_name": "X"}}}, None)  # type: ignore[arg-type]


def test_the_inbox_keeps_admitted_users_only(service: Service) -> None:
    Chat(service, telegram_id=2002)
    admitted = service.admitted
    assert _inboxable(_update(2002, "notitie"), admitted)
    assert not _inboxable(_update(STRANGER, "hallo"), admitted)
    assert not _inboxable(_update(STRANGER, "/start somecode"), admitted)


def test_a_strangers_start_code_is_handled_without_storing_the_update(
        service: Service, store: Store) -> None:
    admin = make_admin(service)
    code = invite_code(admin)
    outcome = service.handle(Chat(service, telegram_id=2002, admitted=False).who,
                             Incoming(kind="command", command="start", args=code,
                                      update_id=900_001))
    assert outcome.replies
    assert store.user_by_telegram(2002) is not None
