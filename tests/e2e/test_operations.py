"""Running it at a library, with the real `veldgids run`: /healthz and /metrics on
VELDGIDS_LISTEN, and the bad input webhook mode must refuse (a missing or wrong secret token,
a body that is not an update, an update delivered twice, a webhook URL that is not HTTPS, a
listen address already taken)."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.chaos import ENV, onboard
from tests.e2e.harness import ROOT, WEBHOOK_URL, BotProcess
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e
ANNA = 1001
PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def health(bot: BotProcess) -> tuple[int, dict]:
    status, body = bot.get("/healthz")
    return status, json.loads(body)


def stored_notes(tmp_path: Path) -> list[str]:
    db = sqlite3.connect(tmp_path / "veldgids.db")
    try:
        return [t for (t,) in db.execute("SELECT text FROM notes ORDER BY id")]
    finally:
        db.close()


def test_healthz_tells_a_stuck_database_and_a_silent_telegram(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    offset = tmp_path / "clock-offset"
    bot = bot_factory({**ENV, "VELDGIDS_CLOCK_OFFSET_FILE": str(offset)}).start()
    assert health(bot) == (200, {"status": "ok", "mode": "polling", "database": "ok",
                                 "telegram": "ok", "seconds_since_bot_api_answered": 0})

    # Another process holds the write lock: the database takes no write now.
    other = sqlite3.connect(tmp_path / "veldgids.db")
    other.execute("BEGIN IMMEDIATE")
    status, body = health(bot)
    other.rollback()
    other.close()
    assert status == 503 and body["database"] == "not writable: database is locked"
    assert body["telegram"] == "ok"
    assert health(bot)[0] == 200

    # Telegram away for six minutes (the clock moves instead of the test waiting).
    api.stop()
    offset.write_text("360")
    status, body = health(bot)
    assert status == 503 and body["status"] == "failing" and body["database"] == "ok"
    assert body["telegram"] == "no answer from the Bot API for 6 minutes"
    api.start()
    api.wait_for(lambda: health(bot)[0] == 200, timeout=30, what="/healthz to recover")


@pytest.fixture
def metrics_bot(bot_factory: Callable[..., BotProcess]) -> BotProcess:
    return bot_factory({**ENV, "VELDGIDS_METRICS": "on"}).start()


def samples(bot: BotProcess) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    status, body = bot.get("/metrics")
    assert status == 200
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(body.decode())
            for s in family.samples}


def test_metrics_count_work_and_show_no_user_data(
        api: FakeBotAPI, metrics_bot: BotProcess) -> None:
    onboard(api, ANNA, "Taalcafé")  # /start, a name, a theme: three messages
    api.send_text(ANNA, "Sanne van het buurthuis belt dinsdag")
    api.wait_for_message(ANNA, "Genoteerd")
    api.send_sticker(ANNA)
    api.wait_for(lambda: samples(metrics_bot)[
        ("veldgids_updates_handled_total", (("kind", "message"),))] == 5, what="5 handled")
    found = samples(metrics_bot)
    sent = len([c for c in api.calls_to("sendMessage") if c.get("chat_id") == ANNA])
    assert found[("veldgids_replies_sent_total", (("method", "sendMessage"),))] == sent
    assert found[("veldgids_queue_depth", (("queue", "inbox"),))] == 0
    assert found[("veldgids_queue_depth", (("queue", "downloads"),))] == 0
    assert found[("veldgids_queue_depth", (("queue", "transcriptions"),))] == 0
    assert found[("veldgids_errors_total", (("kind", "update_failed"),))] == 0
    assert ("veldgids_queue_depth", (("queue", "reminders_due"),)) in found
    assert found[("process_resident_memory_bytes", ())] > 10_000_000
    body = metrics_bot.get("/metrics")[1].decode()
    for private in ("Sanne", "buurthuis", "Taalcafé", str(ANNA), "Anna"):
        assert private not in body


def test_metrics_are_off_unless_asked_for(bot: BotProcess) -> None:
    assert bot.get("/metrics")[0] == 404
    assert bot.get("/healthz")[0] == 200


def test_the_container_health_check_command_follows_healthz(bot: BotProcess) -> None:
    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot.ops.healthcheck"], capture_output=True,
                              text=True, timeout=30, cwd=ROOT,
                              env={**os.environ, "VELDGIDS_LISTEN": f"0.0.0.0:{bot.port}"})
    assert check().returncode == 0
    assert bot.terminate() == 0
    stopped = check()
    assert stopped.returncode == 1 and "Connection refused" in stopped.stdout


@pytest.fixture
def webhook_bot(bot_factory: Callable[..., BotProcess], mode: str) -> Iterator[BotProcess]:
    yield bot_factory(ENV).start()


@pytest.mark.parametrize("mode", ["webhook"])
def test_webhook_requests_without_the_right_secret_or_an_update_are_refused(
        api: FakeBotAPI, webhook_bot: BotProcess, tmp_path: Path) -> None:
    bot = webhook_bot
    onboard(api, ANNA, "Taalcafé")
    secret = api.calls_to("setWebhook")[-1]["secret_token"]
    update = {"update_id": 99001, "message": {
        "message_id": 900, "date": 0, "chat": {"id": ANNA, "type": "private"},
        "from": {"id": ANNA, "is_bot": False, "first_name": "Anna"},
        "text": "Geheim: Sanne belt dinsdag"}}
    body = json.dumps(update).encode()
    json_type = {"Content-Type": "application/json"}
    assert bot.request("POST", PATH, body, json_type)[0] == 403
    assert bot.request("POST", PATH, body, {**json_type, SECRET_HEADER: "raden"})[0] == 403
    right = {**json_type, SECRET_HEADER: secret}
    assert bot.request("POST", PATH, b'{"update_id": 99002, "message": ', right)[0] == 400
    assert bot.request("POST", PATH, b'{"geen": "update"}', right)[0] == 400
    assert bot.request("GET", PATH)[0] == 405
    output = bot.output()
    assert output.count("refused: no secret token") == 1
    assert output.count("refused: wrong secret token") == 1
    assert output.count("bytes that are not a Telegram update") == 2
    assert "Geheim" not in output and "Sanne" not in output and "raden" not in output
    assert stored_notes(tmp_path) == []  # nothing of it was kept
    # The same update with the right secret, twice (an answer that got lost): kept once.
    assert bot.request("POST", PATH, body, right)[0] == 200
    assert bot.request("POST", PATH, body, right)[0] == 200
    api.wait_for_message(ANNA, "Genoteerd bij Taalcafé")
    api.send_text(ANNA, "Daarna gewoon verder")
    api.wait_for(lambda: len(stored_notes(tmp_path)) == 2, what="the next note")
    assert stored_notes(tmp_path) == ["Geheim: Sanne belt dinsdag", "Daarna gewoon verder"]
    def noted() -> int:
        return sum("Genoteerd" in m.get("text", "") for m in api.bot_messages(ANNA))

    api.wait_for(lambda: noted() >= 2, what="the reply to the next note")  # sent after commit
    assert noted() == 2


@pytest.mark.parametrize("mode", ["webhook"])
def test_an_update_telegram_delivers_twice_is_handled_once(
        api: FakeBotAPI, webhook_bot: BotProcess, tmp_path: Path) -> None:
    onboard(api, ANNA, "Taalcafé")
    api.send_text(ANNA, "Eén keer bewaren, ook als Telegram het twee keer stuurt")
    api.wait_for_message(ANNA, "Genoteerd")
    api.wait_until_confirmed()
    delivered = len(api.webhooks.deliveries)
    api.redeliver(api.queued[-1])
    api.wait_for(lambda: len(api.webhooks.deliveries) > delivered, what="the second delivery")
    api.wait_until_confirmed()
    api.send_text(ANNA, "/hulp")  # the bot is past the duplicate once this is answered
    api.wait_for_message(ANNA, "Veldgids begeleidt je")
    assert api.webhooks.deliveries[delivered][1] == 200  # answered, so Telegram stops
    assert stored_notes(tmp_path) == ["Eén keer bewaren, ook als Telegram het twee keer stuurt"]
    assert sum("Genoteerd" in m.get("text", "") for m in api.bot_messages(ANNA)) == 1


def test_a_webhook_url_that_is_not_https_is_refused_at_start(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess]) -> None:
    bot = bot_factory({**ENV, "VELDGIDS_WEBHOOK_URL": WEBHOOK_URL.replace("https", "http")})
    bot.start(wait=False)
    assert bot.proc is not None and bot.proc.wait(timeout=30) == 1
    assert bot.output().strip().splitlines() == [
        "veldgids: error: configuration: VELDGIDS_WEBHOOK_URL: must be a public https:// "
        "URL, not 'http://veldgids.example/telegram/webhook'"]
    assert api.calls == []  # refused before a word to Telegram


@pytest.fixture
def taken(bot_factory: Callable[..., BotProcess]) -> Iterator[Callable[[], BotProcess]]:
    """A bot whose VELDGIDS_LISTEN another program already listens on."""
    holder = socket.socket()

    def make() -> BotProcess:
        bot = bot_factory(ENV)
        holder.bind(("127.0.0.1", bot.port))
        holder.listen()
        return bot

    yield make
    holder.close()


@pytest.mark.parametrize("mode", ["webhook"])
def test_webhook_mode_refuses_to_start_on_a_taken_address(
        api: FakeBotAPI, taken: Callable[[], BotProcess]) -> None:
    bot = taken()
    bot.start(wait=False)
    assert bot.proc is not None and bot.proc.wait(timeout=30) == 1
    lines = bot.output().strip().splitlines()
    assert lines[-1] == (f"veldgids: error: cannot listen on 127.0.0.1:{bot.port}: Address "
                         "already in use; webhook mode needs VELDGIDS_LISTEN (choose a free "
                         "address)")
    assert "Traceback" not in bot.output() and api.calls_to("setWebhook") == []


def test_polling_mode_runs_without_healthz_on_a_taken_address(
        api: FakeBotAPI, taken: Callable[[], BotProcess], tmp_path: Path) -> None:
    bot = taken().start()
    assert (f"cannot listen on 127.0.0.1:{bot.port}: Address already in use: running "
            "without /healthz and /metrics") in bot.output()
    onboard(api, ANNA, "Taalcafé")
    api.send_text(ANNA, "Het werkt ook zonder /healthz")
    api.wait_for_message(ANNA, "Genoteerd")
    assert stored_notes(tmp_path) == ["Het werkt ook zonder /healthz"]
    assert bot.terminate() == 0


def test_from_webhook_mode_back_to_polling_needs_nothing(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    hooked = BotProcess(api, tmp_path, ENV, "webhook").start()
    onboard(api, ANNA, "Taalcafé")
    assert hooked.terminate() == 0
    api.send_text(ANNA, "Terwijl de bot overstapt")  # waits at Telegram meanwhile
    polling = bot_factory(ENV).start()  # removes the webhook, then polls
    api.wait_for_message(ANNA, "Genoteerd bij Taalcafé")
    assert api.calls_to("deleteWebhook") and not [e for e in api.errors if e[2] == 409]
    assert stored_notes(tmp_path) == ["Terwijl de bot overstapt"]
    assert polling.terminate() == 0
