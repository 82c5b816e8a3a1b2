"""No stranger, no single chat and no single update holds the librarians up (issue 27, points
1, 3 and 5), with the real bot process against the fake Bot API."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.chaos import ENV, onboard
from tests.e2e.harness import BotProcess
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e
ANNA, BEN = 1001, 1002
SET_ASIDE = "apart gezet"  # the admins' notice (texts_faults.yaml: update_set_aside_admin)


def query(tmp_path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    db = sqlite3.connect(tmp_path / "veldgids.db")
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def told(api: FakeBotAPI, chat: int, text: str) -> int:
    return sum(text in (m.get("text") or "") for m in api.bot_messages(chat))


# -- 3. one malformed update ------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["lone surrogate", "update_id 2^70"])
def test_a_malformed_update_is_set_aside_and_its_batch_goes_on(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path,
        bad: str) -> None:
    bot = bot_factory(ENV).start()
    onboard(api, ANNA, "Taalcafé")
    onboard(api, BEN, "Moestuin")
    assert bot.terminate() == 0
    before = api.last_bot_message(BEN)
    assert before is not None
    # While the bot is down: one batch with the malformed update and a colleague's note.
    if bad == "lone surrogate":
        api.send_text(ANNA, "Kapot \ud800 bericht")
        api.send_text(BEN, "Sanne van het buurthuis wil meedoen")
    else:
        api.send_text(BEN, "Sanne van het buurthuis wil meedoen")
        api.send_update({"update_id": 2**70, "message": {
            "message_id": api.new_message_id(ANNA), "date": int(time.time()),
            "chat": {"id": ANNA, "type": "private", "first_name": "Anna"},
            "from": {"id": ANNA, "is_bot": False, "first_name": "Anna"},
            "text": "Een bericht met een onmogelijk nummer"}})
    bot.start()
    api.wait_for_message(BEN, "Genoteerd bij Moestuin", timeout=20,
                         newer_than=before["message_id"])
    api.wait_until_confirmed(timeout=20)  # the whole batch, the bad update too
    api.wait_for(lambda: told(api, BEN, SET_ASIDE), what="the admins told")
    assert bot.proc is not None and bot.proc.poll() is None, bot.output()
    notes = [t for (t,) in query(tmp_path, "SELECT text FROM notes ORDER BY id")]
    assert notes == ["Sanne van het buurthuis wil meedoen"]
    if bad == "lone surrogate":  # kept aside, readable, with the error's name only
        [(payload, error)] = query(tmp_path, "SELECT payload, error FROM failed_updates")
        assert "Kapot" in str(payload) and error == "UnicodeEncodeError"
    assert "\ud800" not in bot.output() and "Kapot" not in bot.output()

    # A restart does not meet it again; the admins were told once; Ben goes on.
    assert bot.terminate() == 0
    bot.start()
    since = api.last_bot_message(BEN)
    assert since is not None
    api.send_text(BEN, "Na de herstart")
    api.wait_for_message(BEN, "Genoteerd bij Moestuin", newer_than=since["message_id"])
    assert bot.proc is not None and bot.proc.poll() is None
    assert told(api, BEN, SET_ASIDE) == 1 and told(api, ANNA, SET_ASIDE) == 1
    assert bot.terminate() == 0
