"""Downloads never starve (issue 13, point 8): through the real handlers, in-process, against
the fake Bot API (which refuses getFile over 20 MB as Telegram does)."""

from __future__ import annotations

import itertools
import stat
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.app.registry import FEATURES, Service
from bot.app.service import Defaults, Incoming, Media
from bot.telegram.app import VeldgidsApplication, build_application
from bot.telegram.media import fetch_pending
from dialogs.catalog import Catalog
from storage.downloads import MAX_TRIES
from storage.store import Store
from storage.talk import TalkRepo
from tests import figures
from tests.bot.fakerequest import factory
from tests.chat import Chat
from tests.fakebotapi import FakeBotAPI

ANNA, BEN = 1001, 1002
BIG = 25 * 1024 * 1024
TOO_BIG = "groter dan 20 MB"
GAVE_UP = "nog steeds niet ophalen"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 5, 4, 10, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def setup(tmp_path: Path, catalog: Catalog,
                clock: Clock) -> AsyncIterator[tuple[FakeBotAPI, Service, VeldgidsApplication]]:
    api = FakeBotAPI(token="123456:DL-token").start()  # files are fetched over HTTP
    store = Store(tmp_path / "v.db", clock=clock)
    service = Service(store, catalog, Defaults(admins=(ANNA, BEN), data_dir=tmp_path / "data"),
                      features=FEATURES)
    app = build_application(api.token, api.base_url, api.base_file_url, service,
                            request=factory(api), rate_limited=False)
    await app.initialize()
    yield api, service, app
    await app.shutdown()
    store.close()
    api.stop()


UPDATE_IDS = itertools.count(100_000)


async def deliver(app: VeldgidsApplication, message: dict[str, Any]) -> None:
    update = {"update_id": next(UPDATE_IDS), "message": message}
    await app.process_update(Update.de_json(update, app.bot))


def file_calls(api: FakeBotAPI) -> list[str]:
    return [str(c.get("file_id")) for c in api.calls_to("getFile")]


def told(api: FakeBotAPI, chat: int, text: str) -> int:
    return sum(text in (m.get("text") or "") for m in api.bot_messages(chat))


async def test_big_files_are_tried_once_and_never_block_a_voice_note(
        setup: tuple[FakeBotAPI, Service, VeldgidsApplication], tmp_path: Path) -> None:
    api, service, app = setup
    big = []
    for n in range(20):
        message = api.send_document(ANNA, b"%PDF-1.4 klein", file_name=f"verslag-{n}.pdf",
                                    size=BIG)
        big.append(message["document"]["file_id"])
        await deliver(app, message)
    assert sorted(file_calls(api)) == sorted(big)  # each tried once: too big is final
    assert told(api, ANNA, TOO_BIG) == 20  # one notice per file sent, never again
    voice = api.send_voice(ANNA, b"OggS\x00fatima-vertelt")
    await deliver(app, voice)
    assert file_calls(api)[20:] == [voice["voice"]["file_id"]]  # no pointless getFile calls
    await fetch_pending(app.bot, service)  # the background retry: nothing left to try
    assert len(file_calls(api)) == 21 and told(api, ANNA, TOO_BIG) == 20
    states = service.store.rows("SELECT kind, download, file_id FROM notes ORDER BY id")
    assert [s["download"] for s in states] == ["too_big"] * 20 + ["ok"]
    assert all(s["file_id"] for s in states)  # the note keeps its Telegram file id
    [saved] = (tmp_path / "data" / "users").rglob("notes-*")
    assert saved.read_bytes() == b"OggS\x00fatima-vertelt"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700
    figures.record("hardening_downloads", too_big=20, get_file_calls=len(file_calls(api)),
                   voice_waited=0)


async def test_failures_back_off_give_up_and_never_delay_another_librarian(
        setup: tuple[FakeBotAPI, Service, VeldgidsApplication], clock: Clock) -> None:
    api, service, app = setup
    failing = []
    for n in range(5):
        message = api.send_voice(ANNA, f"OggS anna {n}".encode())
        failing.append(message["voice"]["file_id"])
        api.fail_file(failing[-1], status=500)
        await deliver(app, message)
    assert file_calls(api) == failing  # one attempt each
    ben = api.send_voice(BEN, b"OggS ben")
    await deliver(app, ben)
    assert file_calls(api)[5:] == [ben["voice"]["file_id"]]  # straight away, nobody waits
    await fetch_pending(app.bot, service)
    assert len(file_calls(api)) == 6  # Anna's wait before the next attempt
    for attempt in range(2, MAX_TRIES + 1):
        clock.now += timedelta(minutes=2 ** (attempt - 1))
        await fetch_pending(app.bot, service)
        assert len(file_calls(api)) == 6 + 5 * (attempt - 1), attempt
    assert told(api, ANNA, GAVE_UP) == 5
    clock.now += timedelta(days=1)
    await fetch_pending(app.bot, service)
    assert len(file_calls(api)) == 6 + 5 * (MAX_TRIES - 1)  # given up: never tried again
    states = [r["download"] for r in service.store.rows(
        "SELECT download FROM notes ORDER BY id")]
    assert states == ["failed"] * 5 + ["ok"]


def test_due_files_are_taken_oldest_first_in_turn_across_librarians(service: Service) -> None:
    """Stored without a download attempt (as a restart finds them): the oldest of each
    librarian first, then everyone's next, so a long backlog of one delays nobody else."""
    sent = []
    for user, file_id in ((ANNA, "A1"), (ANNA, "A2"), (ANNA, "A3"), (BEN, "B1")):
        chat = Chat(service, telegram_id=user)
        chat._go(Incoming(kind="other", other="voice", media=Media(kind="voice", file_id=file_id)))
        sent.append(file_id)
    due = [row.file_id for row in TalkRepo(service.store).pending_downloads(limit=3)]
    assert due == ["A1", "B1", "A2"]
