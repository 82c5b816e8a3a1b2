from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app.registry import Service, load_catalog
from dialogs.catalog import Catalog
from storage.store import Store
from tests.chat import Chat


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "veldgids.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = Store(db_path)
    yield s
    s.close()


@pytest.fixture
def service(store: Store, catalog: Catalog) -> Service:
    """The service with every feature installed, as `veldgids run` builds it."""
    from bot.app.registry import FEATURES

    built = Service(store, catalog, features=FEATURES)
    return built


@pytest.fixture
def chat(service: Service) -> Chat:
    return Chat(service, telegram_id=1001, name="Anna")
