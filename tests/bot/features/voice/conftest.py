from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.app.registry import FEATURES, Service
from bot.app.service import Defaults
from bot.features.voice.engine import Transcriber, worker_threads
from bot.features.voice.feature import Voice
from bot.features.voice.worker import Worker
from bot.telegram.app import build_application
from bot.telegram.messenger import TelegramMessenger
from dialogs.catalog import Catalog
from storage.store import Store
from tests.bot.fakerequest import factory
from tests.chat import Chat
from tests.fakebotapi import FakeBotAPI

TOKEN = "123456:voice-test-token"
ANNA = 1001


@pytest.fixture(scope="session")
def transcriber() -> Transcriber:
    """The packaged base model with the worker's thread setting, loaded once per run."""
    return Transcriber.load("", worker_threads())


@dataclass
class Field:
    """One librarian, the service with every feature, the real Telegram handlers' bot on the
    fake Bot API server (in process), and a worker with the real model."""

    api: FakeBotAPI
    bot: Any
    service: Service
    store: Store
    chat: Chat
    worker: Worker
    data_dir: Path

    @property
    def messenger(self) -> TelegramMessenger:
        return TelegramMessenger(self.bot)

    @property
    def voice(self) -> Voice:
        feature = self.service.features["voice"]
        assert isinstance(feature, Voice)
        return feature

    def replies_to(self, message_id: int) -> list[dict]:
        return [m for m in self.api.bot_messages(ANNA)
                if (m.get("reply_to_message") or {}).get("message_id") == message_id]


@pytest.fixture
def field_data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def field_service(store: Store, catalog: Catalog, field_data: Path) -> Service:
    return Service(store, catalog, Defaults(admins=(ANNA,), data_dir=field_data),
                   features=FEATURES)


@pytest.fixture
async def field(field_service: Service, store: Store, transcriber: Transcriber,
                field_data: Path) -> AsyncIterator[Field]:
    api = FakeBotAPI(token=TOKEN).start()  # files are fetched over HTTP
    app = build_application(TOKEN, api.base_url, api.base_file_url, field_service,
                            request=factory(api), rate_limited=False)
    await app.initialize()
    api.add_private_chat(ANNA)
    chat = Chat(field_service, telegram_id=ANNA, name="Anna")
    try:
        yield Field(api, app.bot, field_service, store, chat, Worker(store, transcriber, "t"),
                    field_data)
    finally:
        await app.shutdown()
        api.stop()


@pytest.fixture
def audio() -> Iterator[Path]:
    from tests.bot.features.voice.recordings import AUDIO

    yield AUDIO
