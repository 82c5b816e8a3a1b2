"""Anna with Taalcafé Noord on a service whose clock stands on a Thursday evening, for the
activities' tests that log, link and star through the service."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app.registry import FEATURES, Service
from dialogs.catalog import Catalog
from storage.store import Store
from tests.bot.features.goals.test_goals import Clock
from tests.chat import Chat

THURSDAY = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)


@pytest.fixture
def aservice(db_path: Path, catalog: Catalog) -> Iterator[Service]:
    service = Service(Store(db_path, clock=Clock(THURSDAY)), catalog, features=FEATURES)
    yield service
    service.store.close()


@pytest.fixture
def anna(aservice: Service) -> Chat:
    chat = Chat(aservice, telegram_id=1001, name="Anna")
    chat.onboard("Taalcafé Noord", "taal")
    return chat
