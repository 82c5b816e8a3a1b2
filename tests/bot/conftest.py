"""Fixtures several bot test modules share (a module's own fixture of the same name wins)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app.registry import FEATURES, Service
from dialogs.catalog import Catalog
from storage.store import Store
from tests.bot.features.actions.test_actions import THURSDAY
from tests.bot.features.goals.test_goals import Clock
from tests.chat import Chat


@pytest.fixture
def anna(db_path: Path, catalog: Catalog) -> Iterator[Chat]:
    """Anna with every feature, onboarded on Taalcafé Noord, on the Thursday the action
    tests count from."""
    service = Service(Store(db_path, clock=Clock(THURSDAY)), catalog, features=FEATURES)
    chat = Chat(service, telegram_id=1001, name="Anna")
    chat.onboard("Taalcafé Noord", "taal")
    yield chat
    service.store.close()
