"""Background work keeps its pace when the clock jumps back (point 4); the write-ahead log is
emptied after an erase as soon as no reader holds it, and admins hear when one does (point
10); processed ids and failed updates do not grow for ever, and a forgotten librarian's
Telegram id is in no log line written afterwards (point 11)."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from telegram import Update

from bot.app.registry import FEATURES, Service
from bot.app.service import Defaults
from bot.features.upkeep.feature import WIPE_TRIES, Upkeep
from bot.ops.logsafe import RedactTokens
from bot.telegram.app import build_application
from dialogs.catalog import Catalog
from storage.delivery import DeliveryLog
from storage.store import Store
from tests.bot.fakerequest import factory
from tests.chat import Chat
from tests.fakebotapi import FakeBotAPI

ADMIN, ANNA = 1001, 5550123
SECRET = "Zwanenbloem-geheim"


class Bot:
    """Records what the bot would send (admins' notices)."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []

    async def send_message(self, chat_id: int, text: str, **_: Any) -> None:
        self.sent.append((chat_id, text))


async def test_background_work_keeps_its_pace_when_the_clock_is_set_back(
        store: Store, catalog: Catalog, tmp_path: Path) -> None:
    api = FakeBotAPI(token="123456:CLOCK-token")
    service = Service(store, catalog, Defaults(data_dir=tmp_path, reminder_tick=0.05),
                      features=FEATURES)
    app = build_application(api.token, api.base_url, api.base_file_url, service,
                            request=factory(api), rate_limited=False)
    assert app.background is not None
    await app.initialize()
    await app.start()
    try:
        with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
            await asyncio.sleep(0.5)
            before = app.background.runs["weekly-reminders"]
            assert before >= 3
            traveller.move_to(datetime.now(UTC) - timedelta(hours=1))  # the wall clock
            await asyncio.sleep(0.5)
            after = app.background.runs["weekly-reminders"]
        assert after - before >= 3  # still every 0.05 s, not an hour from now
    finally:
        await app.stop()
        await app.shutdown()


async def test_a_reader_that_keeps_the_log_is_reported_and_outwaited(
        store: Store, catalog: Catalog, db_path: Path, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    service = Service(store, catalog, Defaults(admins=(ADMIN,), data_dir=tmp_path),
                      features=FEATURES)
    anna = Chat(service, telegram_id=ANNA)
    anna.onboard("Taalcafé")
    anna.send(f"Notitie: {SECRET}")
    backup_tool = sqlite3.connect(db_path)
    backup_tool.execute("BEGIN")
    backup_tool.execute("SELECT count(*) FROM notes").fetchone()
    anna.send("/vergeetmij")
    anna.press("Ja, wis alles")
    assert store.wipe_pending
    upkeep = service.features["upkeep"]
    assert isinstance(upkeep, Upkeep)
    bot = Bot()
    for _ in range(WIPE_TRIES + 3):
        await upkeep.wipe(bot)
    assert [chat for chat, _ in bot.sent] == [ADMIN]  # once, not on every try
    assert "een ander programma leest de database" in bot.sent[0][1]
    assert any("cannot be emptied" in r.getMessage() for r in caplog.records
               if r.levelno == logging.WARNING)
    backup_tool.execute("COMMIT")
    backup_tool.close()
    await upkeep.wipe(bot)
    assert not store.wipe_pending and "is nu leeg" in bot.sent[-1][1]
    raw = b"".join(p.read_bytes() for p in db_path.parent.iterdir()
                   if p.name.startswith(db_path.name))
    assert SECRET.encode() not in raw


def test_processed_ids_and_failed_updates_are_pruned(store: Store, catalog: Catalog,
                                                     tmp_path: Path) -> None:
    clock = [datetime(2026, 3, 1, 12, tzinfo=UTC)]
    timed = Store(tmp_path / "timed.db", clock=lambda: clock[0])
    try:
        service = Service(timed, catalog, Defaults(data_dir=tmp_path), features=FEATURES)
        anna = Chat(service, telegram_id=ANNA)
        anna.onboard("Taalcafé")
        timed.inbox_add([(999_999, {"update_id": 999_999, "message": {"text": "kapot"}})])
        with timed.atomic():
            assert DeliveryLog(timed).quarantine(999_999, ANNA, "KeyError")
        clock[0] += timedelta(days=2)
        anna.send("nieuwe notitie")
        upkeep = service.features["upkeep"]
        assert isinstance(upkeep, Upkeep)
        processed, failed = upkeep.prune()
        assert processed >= 3 and failed == 0  # failed updates are kept for 30 days
        assert timed.one("SELECT count(*) AS n FROM processed_updates")["n"] == 1  # type: ignore[index]
        clock[0] += timedelta(days=30)
        assert upkeep.prune() == (0, 1)
    finally:
        timed.close()


async def test_a_forgotten_librarians_telegram_id_is_in_no_later_log_line(
        store: Store, catalog: Catalog, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    api = FakeBotAPI(token="123456:FORGET-token")
    service = Service(store, catalog, Defaults(admins=(ANNA,), data_dir=tmp_path),
                      features=FEATURES)
    app = build_application(api.token, api.base_url, api.base_file_url, service,
                            request=factory(api), rate_limited=False)
    await app.initialize()
    ids = iter(range(1, 100))

    async def send(update: dict[str, Any]) -> None:
        await app.process_update(Update.de_json({"update_id": next(ids), **update}, app.bot))

    try:
        for text in ("/start", "Taalcafé", "taal", "een notitie", "/vergeetmij"):
            await send({"message": api.send_text(ANNA, text)})
        confirm = api.bot_messages(ANNA)[-1]
        [[yes], _] = confirm["reply_markup"]["inline_keyboard"]
        caplog.clear()
        caplog.handler.addFilter(RedactTokens(api.token))  # as `veldgids run` logs
        with caplog.at_level(logging.DEBUG):
            api.block_user(ANNA)  # the answer to the erase can't be delivered: logged
            query = api.press(ANNA, confirm["message_id"], yes["callback_data"])
            await send({"callback_query": api.queued[-1]["callback_query"]})
            api.unblock_user(ANNA)
            service.slots["idle_text"] = lambda turn: 1 / 0  # a failing update, logged too
            await send({"message": api.send_text(ANNA, "nog iets")})
        assert query
        lines = caplog.text.splitlines()
        assert any("not delivered" in line for line in lines)
        assert any("failed: ZeroDivisionError" in line for line in lines)
        assert not [line for line in lines if str(ANNA) in line]
    finally:
        await app.shutdown()
