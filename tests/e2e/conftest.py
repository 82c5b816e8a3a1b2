from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import TOKEN, BotProcess
from tests.fakebotapi import FakeBotAPI


@pytest.fixture
def api() -> Iterator[FakeBotAPI]:
    with FakeBotAPI(token=TOKEN) as server:
        yield server


@pytest.fixture
def mode() -> str:
    """How the bot receives updates; a test runs in both with
    `@pytest.mark.parametrize("mode", MODES)` (tests/e2e/harness.py)."""
    return "polling"


@pytest.fixture
def bot_factory(api: FakeBotAPI, tmp_path: Path,
                mode: str) -> Iterator[Callable[..., BotProcess]]:
    started: list[BotProcess] = []

    def make(env: dict[str, str] | None = None) -> BotProcess:
        process = BotProcess(api, tmp_path, env, mode)
        started.append(process)
        return process

    yield make
    for process in started:
        process.stop()


@pytest.fixture
def bot(bot_factory: Callable[..., BotProcess]) -> BotProcess:
    return bot_factory().start()
