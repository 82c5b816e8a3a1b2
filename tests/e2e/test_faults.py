"""Telegram misbehaves, the bot waits: faults injected by the fake Bot API server.

Rate limits (429 with retry_after), bursts of 500/502, timeouts, connection refused at
start-up and while running, a user who blocked the bot (403), and replies that could not be
sent: the bot waits or retries, never dies, keeps what the user sent, and shows the user
where they are once it can reach them again.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests import figures
from tests.e2e.chaos import ENV, onboard
from tests.e2e.harness import MODES, BotProcess, press
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e
ANNA, BEN = 1001, 1002
LOST = "Mijn vorige antwoord is misschien niet bij je aangekomen"


class Faults:
    """Injects through the fake server and counts, for docs/reliability.md."""

    def __init__(self, api: FakeBotAPI) -> None:
        self.api = api
        self.count = 0

    def inject(self, method: str, status: int, times: int = 1, **kwargs: int) -> None:
        self.api.inject(method, status, times=times, **kwargs)  # type: ignore[arg-type]
        self.count += times

    def delay(self, method: str, seconds: float) -> None:
        self.api.inject_delay(method, seconds)
        self.count += 1


@pytest.fixture
def faults(api: FakeBotAPI, request: pytest.FixtureRequest) -> Iterator[Faults]:
    injected = Faults(api)
    yield injected
    figures.record(f"faults_{request.node.name}", faults=injected.count)


@pytest.fixture
def start(bot_factory: Callable[..., BotProcess]) -> Callable[..., BotProcess]:
    return lambda **env: bot_factory({**ENV, **env}).start()


def newest(api: FakeBotAPI, user: int) -> int:
    last = api.last_bot_message(user)
    return last["message_id"] if last else 0


def notes(tmp_path: Path, user: int) -> list[str]:
    db = sqlite3.connect(tmp_path / "veldgids.db")
    try:
        return [t for (t,) in db.execute(
            "SELECT n.text FROM notes n JOIN users u ON u.id = n.user_id"
            " WHERE u.telegram_id = ? ORDER BY n.id", (user,))]
    finally:
        db.close()


def errors(api: FakeBotAPI, method: str, status: int) -> int:
    return sum(1 for m, _, code, _ in api.errors if m == method and code == status)


@pytest.mark.parametrize("mode", MODES)
def test_429_the_bot_waits_as_told_and_the_reply_arrives(
        api: FakeBotAPI, start: Callable[..., BotProcess], faults: Faults,
        tmp_path: Path, mode: str) -> None:
    bot = start()
    onboard(api, ANNA, "Taalcafé")
    faults.inject("sendMessage", 429, retry_after=2)
    since, shown, t0 = newest(api, ANNA), len(api.bot_messages(ANNA)), time.monotonic()
    api.send_text(ANNA, "Sanne wil een leesclub beginnen #leesclub")
    api.wait_for_message(ANNA, "Genoteerd bij Taalcafé", newer_than=since)
    assert time.monotonic() - t0 >= 2.0  # retry_after honoured, not hammered
    tries = [c for c in api.calls_to("sendMessage") if "Genoteerd" in c.get("text", "")]
    assert len(tries) == 2 and len(api.bot_messages(ANNA)) == shown + 1
    assert notes(tmp_path, ANNA) == ["Sanne wil een leesclub beginnen #leesclub"]
    if mode == "webhook":
        return  # a webhook is not polled, so there is no poll to refuse

    faults.inject("getUpdates", 429, retry_after=2)
    api.wait_for(lambda: errors(api, "getUpdates", 429), what="a refused poll")
    since = newest(api, ANNA)
    api.send_text(ANNA, "Na de pauze gaat het gewoon verder met Ben")
    api.wait_for_message(ANNA, "Genoteerd bij Taalcafé", newer_than=since, timeout=10)
    assert "getUpdates rate limited; waiting 2 s" in bot.output()
    assert notes(tmp_path, ANNA) == ["Sanne wil een leesclub beginnen #leesclub",
                                     "Na de pauze gaat het gewoon verder met Ben"]


@pytest.mark.parametrize("mode", MODES)
def test_bursts_of_500_and_502_the_bot_recovers_by_itself(
        api: FakeBotAPI, start: Callable[..., BotProcess], faults: Faults,
        tmp_path: Path, mode: str) -> None:
    bot = start()
    onboard(api, ANNA, "Moestuin")
    faults.inject("sendMessage", 500, times=2)
    faults.inject("sendMessage", 502, times=1)
    since, shown = newest(api, ANNA), len(api.bot_messages(ANNA))
    api.send_text(ANNA, "De moestuin zoekt vrijwilligers voor het voorjaar")
    reply = api.wait_for_message(ANNA, "Genoteerd bij Moestuin", newer_than=since)
    assert len(api.bot_messages(ANNA)) == shown + 1 and LOST not in reply["text"]
    assert "sendMessage failed" in bot.output()
    if mode == "webhook":
        return  # a webhook is not polled, so there is no poll to refuse

    faults.inject("getUpdates", 502, times=1)
    faults.inject("getUpdates", 500, times=1)
    api.wait_for(lambda: errors(api, "getUpdates", 502), what="a refused poll")
    since = newest(api, ANNA)
    api.send_text(ANNA, "Tweede notitie tijdens een storing bij Telegram")
    api.wait_for_message(ANNA, "Genoteerd bij Moestuin", newer_than=since, timeout=20)
    output = bot.output()
    assert "sendMessage failed" in output and "getUpdates failed" in output
    assert notes(tmp_path, ANNA) == ["De moestuin zoekt vrijwilligers voor het voorjaar",
                                     "Tweede notitie tijdens een storing bij Telegram"]


def test_timeouts_on_sending_and_on_polling(
        api: FakeBotAPI, start: Callable[..., BotProcess], faults: Faults,
        tmp_path: Path) -> None:
    bot = start()
    onboard(api, ANNA, "Leesclub")
    # Longer than the client's read timeout (5 s; a poll gets its own timeout plus 5 s).
    faults.delay("sendMessage", 6.5)
    faults.delay("getUpdates", 8)
    since = newest(api, ANNA)
    api.send_text(ANNA, "Notitie terwijl Telegram traag is")
    # The server still delivers the slow reply; the bot stopped waiting for it at 5 s.
    api.wait_for_message(ANNA, "Genoteerd bij Leesclub", newer_than=since, timeout=15)
    api.wait_for(lambda: "getUpdates failed" in bot.output(), timeout=15,
                 what="the slow poll to time out")
    since = newest(api, ANNA)
    api.send_text(ANNA, "/fase")
    first = api.wait_for_message(ANNA, LOST, newer_than=since, timeout=15)
    api.wait_for_message(ANNA, "De zes fasen voor Leesclub", newer_than=first["message_id"])
    output = bot.output()
    assert "not delivered: TimedOut" in output and "getUpdates failed (TimedOut)" in output
    assert notes(tmp_path, ANNA) == ["Notitie terwijl Telegram traag is"]


@pytest.mark.parametrize("mode", MODES)
def test_connection_refused_at_start_up_and_while_running(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], faults: Faults,
        tmp_path: Path, mode: str) -> None:
    api.stop()
    bot = bot_factory(ENV).start(wait=False)
    api.wait_for(lambda: bot.output().count("not reachable") >= 2, timeout=20,
                 what="the bot to retry at least twice")
    assert bot.proc is not None and bot.proc.poll() is None, bot.output()
    faults.count += bot.output().count("not reachable")
    api.start()  # same port
    ready = "getUpdates" if mode == "polling" else "setWebhook"
    api.wait_for(lambda: api.calls_to(ready), timeout=30, what=f"{ready} to come")
    onboard(api, ANNA, "Buurthuis")
    if mode == "webhook":  # Telegram away: nothing is delivered until it is back
        api.stop()
        api.send_text(ANNA, "Notitie terwijl de verbinding weg is")
        faults.count += 1
        api.start()
        api.wait_for_message(ANNA, "Genoteerd bij Buurthuis", timeout=30)
        assert notes(tmp_path, ANNA) == ["Notitie terwijl de verbinding weg is"]
        return

    failed = bot.log_count("getUpdates failed")
    api.stop()  # Telegram goes away while the bot runs; meanwhile Anna types
    api.send_text(ANNA, "Notitie terwijl de verbinding weg is")
    # Two failed polls: the cut one, and at least one refused while the server is down.
    bot.wait_for_log("getUpdates failed", 2, since=failed)
    faults.count += 1
    api.start()
    api.wait_for_message(ANNA, "Genoteerd bij Buurthuis", timeout=30)
    assert "retrying in 1 s" in bot.output() and "getUpdates failed" in bot.output()
    assert notes(tmp_path, ANNA) == ["Notitie terwijl de verbinding weg is"]


@pytest.mark.parametrize("mode", MODES)
def test_a_user_who_blocked_the_bot_does_not_stop_the_others(
        api: FakeBotAPI, start: Callable[..., BotProcess], faults: Faults,
        tmp_path: Path) -> None:
    bot = start()
    onboard(api, ANNA, "Taalcafé")
    onboard(api, BEN, "Jonge ondernemers")
    api.block_user(ANNA)
    faults.count += 1
    api.send_text(ANNA, "Notitie vlak voordat ik de bot blokkeerde")
    api.wait_for(lambda: errors(api, "sendMessage", 403), what="the refused reply")
    since = newest(api, BEN)
    api.send_text(BEN, "Ben gaat gewoon door met zijn notities")
    api.wait_for_message(BEN, "Genoteerd bij Jonge ondernemers", newer_than=since)
    assert notes(tmp_path, ANNA) == ["Notitie vlak voordat ik de bot blokkeerde"]
    assert re.search(r"of user #\d+ not delivered: Forbidden", bot.output())

    api.unblock_user(ANNA)
    since = newest(api, ANNA)
    api.send_text(ANNA, "/fase")
    first = api.wait_for_message(ANNA, LOST, newer_than=since)
    api.wait_for_message(ANNA, "De zes fasen voor Taalcafé", newer_than=first["message_id"])


@pytest.mark.parametrize("mode", MODES)
def test_a_reply_that_could_not_be_sent_shows_the_step_again(
        api: FakeBotAPI, start: Callable[..., BotProcess], faults: Faults,
        tmp_path: Path) -> None:
    bot = start()
    onboard(api, ANNA, "Taalcafé")
    api.send_text(ANNA, "/fase")
    api.wait_for_message(ANNA, "De zes fasen")
    press(api, ANNA, "1. Strategie")
    api.wait_for_message(ANNA, "Fase 1 · Strategie in kaart (0/5)")
    # The question replaces the checklist, but Telegram fails every try (1 + 4 retries).
    faults.inject("editMessageText", 500, times=5)
    press(api, ANNA, "Kapstok")
    api.wait_for(lambda: errors(api, "editMessageText", 500) == 5, timeout=15)
    api.wait_for(lambda: "not delivered" in bot.output(), what="the failure logged")

    # Anna never saw the question: what she types is kept as a note, not taken as the answer.
    since = newest(api, ANNA)
    api.send_text(ANNA, "Hallo? Ik zie niets gebeuren")
    again = api.wait_for_message(ANNA, "Hier was je gebleven", newer_than=since)
    assert "Beschrijf je kapstok" in again["text"] and LOST in again["text"]
    assert notes(tmp_path, ANNA) == ["Hallo? Ik zie niets gebeuren"]
    api.send_text(ANNA, "Wij staan voor leesplezier, meedoen en ontmoeting in de wijk.")
    api.wait_for_message(ANNA, "Kapstok bewaard", newer_than=again["message_id"])

    # Not reachable, then stopped: the next start shows her where she is, without her asking.
    api.block_user(ANNA)
    api.send_text(ANNA, "Een notitie die geen antwoord krijgt")
    api.wait_for(lambda: errors(api, "sendMessage", 403), what="the refused reply")
    assert bot.terminate() == 0
    api.unblock_user(ANNA)
    faults.count += 1
    since = newest(api, ANNA)
    start()
    shown = api.wait_for_message(ANNA, "Hier was je gebleven", newer_than=since)
    assert "Fase 1 · Strategie in kaart (1/5)" in shown["text"]
    assert notes(tmp_path, ANNA)[-1] == "Een notitie die geen antwoord krijgt"
