"""deduce, loaded once per test session: its first load in a fresh install builds its lookup
structures (about 100 s), later loads take seconds and about 1 GB."""

from __future__ import annotations

import pytest

from bot.features.export import deduce_spans


@pytest.fixture(scope="session")
def deduce_loaded() -> None:
    deduce_spans.load()
