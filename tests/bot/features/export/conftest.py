"""deduce, loaded once per test session: its first load in a fresh install builds its lookup
structures (about 100 s), later loads take seconds and about 1 GB. And the story community
(tests/bot/features/export/story.py) the report's tests read, on a store with a set clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.features.export import deduce_spans
from storage.export import snapshot
from storage.store import Store
from tests.access_helpers import Clock
from tests.bot.features.export.story import community, first_timers


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def clocked_store(db_path: Path, clock: Clock) -> Iterator[Store]:
    s = Store(db_path, clock=clock)
    yield s
    s.close()


@pytest.fixture
def story(clocked_store: Store, clock: Clock) -> dict[str, Any]:
    user, cid = community(clocked_store, clock)
    data = snapshot(clocked_store, user, cid)
    first_timers(data, [8, 3, 1, 2, 4, None])  # the voorleesochtend recorded none
    return data


@pytest.fixture(scope="session")
def deduce_loaded() -> None:
    deduce_spans.load()
