"""Order per user, concurrency between users (`PerUserOrder` in bot/telegram/app.py)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.chaos import ENV, USERS, onboard
from tests.e2e.harness import MODES, BotProcess
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e
ANNA, BEN = USERS[0], USERS[1]


def stored(tmp_path: Path, user: int) -> list[str]:
    db = sqlite3.connect(tmp_path / "veldgids.db")
    try:
        return [t for (t,) in db.execute(
            "SELECT n.text FROM notes n JOIN users u ON u.id = n.user_id"
            " WHERE u.telegram_id = ? ORDER BY n.id", (user,))]
    finally:
        db.close()


@pytest.mark.parametrize("mode", MODES)
def test_bursts_are_applied_in_the_order_they_were_sent(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    bot_factory(ENV).start()
    for user in USERS:
        onboard(api, user, f"Community {user}")
    sent: dict[int, list[str]] = {user: [] for user in USERS}
    for n in range(25):  # four librarians typing at once, interleaved
        for user in USERS:
            text = f"notitie {n} van {user}: wat ik hoorde in de wijk"
            sent[user].append(text)
            api.send_text(user, text)
    api.wait_for(lambda: all(len(stored(tmp_path, u)) == 25 for u in USERS), timeout=30,
                 what="all notes stored")
    for user in USERS:
        assert stored(tmp_path, user) == sent[user]  # note ids follow the send order


@pytest.mark.parametrize("mode", MODES)
def test_a_slow_chat_does_not_hold_up_the_others(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    bot_factory(ENV).start()
    onboard(api, ANNA, "Taalcafé")
    onboard(api, BEN, "Moestuin")
    before = len(api.bot_messages(ANNA))
    api.inject_delay("sendMessage", 4)  # the next reply, Anna's, hangs for four seconds
    api.send_text(ANNA, "Anna's notitie met een trage verbinding")
    api.wait_for_call("sendMessage", lambda p: p.get("chat_id") == ANNA
                      and "Genoteerd" in p.get("text", ""))
    api.send_text(ANNA, "/hulp")  # must not overtake the slow reply
    started = time.monotonic()
    since = api.last_bot_message(BEN)
    api.send_text(BEN, "Ben hoeft niet op Anna te wachten")
    api.wait_for_message(BEN, "Genoteerd bij Moestuin", newer_than=since["message_id"])
    assert time.monotonic() - started < 2.0
    assert len(api.bot_messages(ANNA)) == before  # Anna's reply is still on its way
    api.wait_for(lambda: len(api.bot_messages(ANNA)) == before + 2, timeout=15)
    answers = [m["text"] for m in api.bot_messages(ANNA)[before:]]
    assert answers[0] == "📝 Genoteerd bij Taalcafé." and "Veldgids begeleidt je" in answers[1]
    assert stored(tmp_path, ANNA) == ["Anna's notitie met een trage verbinding"]
