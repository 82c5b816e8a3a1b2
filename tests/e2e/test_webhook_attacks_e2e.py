"""Webhook mode under attack, against the real `veldgids run` (issue 27, points 2 and 9):
bodies that carry the right secret but are no update get a 400 and change nothing, and
strangers without the secret (big bodies, slow connections, many at once) cannot hold up
Telegram's deliveries, /healthz or the librarians' replies. All traffic goes to 127.0.0.1,
bounded in count and time."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.chaos import ENV, onboard
from tests.e2e.harness import BotProcess
from tests.fakebotapi import FakeBotAPI

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("mode", ["webhook"])]
ANNA, BEN = 1001, 1002
PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def rows(tmp_path: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(tmp_path / "veldgids.db")
    try:
        return list(db.execute(sql))
    finally:
        db.close()


def stored_notes(tmp_path: Path) -> list[str]:
    return [t for (t,) in rows(tmp_path, "SELECT text FROM notes ORDER BY id")]


def note_update(update_id: object, text: str = "Sanne belt dinsdag") -> dict:
    return {"update_id": update_id, "message": {
        "message_id": 900, "date": 0, "chat": {"id": ANNA, "type": "private"},
        "from": {"id": ANNA, "is_bot": False, "first_name": "Anna"}, "text": text}}


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


# Each with the right secret; Telegram never sends any of them.
MALFORMED = {
    "json nested 10,000 deep": nested(10_000),
    "an update nested 10,000 deep": (b'{"update_id": 99001, "message": ' + nested(10_000)
                                     + b"}"),
    "an object nested 10,000 deep": b'{"a": ' * 10_000 + b"1" + b"}" * 10_000,
    "update_id 2^70": json.dumps(note_update(2 ** 70)).encode(),
    "update_id -5": json.dumps(note_update(-5)).encode(),
    "update_id 12.0": json.dumps(note_update(12.0)).encode(),
    "update_id '12'": json.dumps(note_update("12")).encode(),
    "update_id true": json.dumps(note_update(True)).encode(),
    "no update_id": json.dumps({"message": note_update(1)["message"]}).encode(),
    "not json": b"Sanne belt dinsdag",
    "not utf-8": b'{"update_id": 99002, "text": "\xff\xfe"}',
    "a list": json.dumps([note_update(99003)]).encode(),
    "a number": b"99004",
    "empty": b"",
}


def test_bodies_that_are_no_update_get_400_and_change_nothing(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    bot = bot_factory(ENV).start()
    onboard(api, ANNA, "Taalcafé")
    secret = api.calls_to("setWebhook")[-1]["secret_token"]
    right = {"Content-Type": "application/json", SECRET_HEADER: secret}
    answers = {name: bot.request("POST", PATH, body, right)[0]
               for name, body in MALFORMED.items()}
    assert answers == dict.fromkeys(MALFORMED, 400)
    assert rows(tmp_path, "SELECT update_id FROM inbox") == []
    assert stored_notes(tmp_path) == []
    output = bot.output()
    assert output.count("bytes that are not a Telegram update") == len(MALFORMED)
    assert "Traceback" not in output and "failed: " not in output
    assert "Sanne" not in output
    # The bot keeps serving: the next note is stored and answered.
    api.send_text(ANNA, "Daarna gewoon verder")
    api.wait_for_message(ANNA, "Genoteerd bij Taalcafé")
    assert stored_notes(tmp_path) == ["Daarna gewoon verder"]
    assert bot.get("/healthz")[0] == 200
