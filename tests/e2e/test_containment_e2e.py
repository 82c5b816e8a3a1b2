"""No stranger, no single chat and no single update holds the librarians up (issue 27, points
1, 3 and 5), with the real bot process against the fake Bot API."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.chaos import ENV, onboard
from tests.e2e.harness import MODES, BotProcess
from tests.fakebotapi import FakeBotAPI
from tests.figures import record

pytestmark = pytest.mark.e2e
ANNA, BEN = 1001, 1002
COLLEAGUES = ((BEN, "Moestuin"), (1003, "Leesclub"), (1004, "Repair Café"))
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


# -- latency of the other librarians ----------------------------------------------------------

def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Arrivals:
    """When each bot message appeared, per chat, seen by a thread woken at every change."""

    def __init__(self, api: FakeBotAPI) -> None:
        self.api = api
        self.seen: dict[int, dict[int, float]] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.watch, daemon=True)

    def watch(self) -> None:
        state = self.api.state
        while not self.done.is_set():
            with state.lock:
                now = time.monotonic()
                for chat, ids in state.bot_order.items():
                    seen = self.seen.setdefault(chat, {})
                    for message_id in ids:
                        seen.setdefault(message_id, now)
                state.lock.wait(0.01)

    def __enter__(self) -> Arrivals:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join(5)

    def answers(self, chat: int, contains: str, after: int) -> list[float]:
        """Arrival times of the bot's messages in `chat` containing `contains`, oldest
        first, among those newer than message `after`."""
        with self.api.state.lock:
            seen = dict(self.seen.get(chat, {}))
        messages = [m for m in self.api.bot_messages(chat) if m["message_id"] > after
                    and contains in (m.get("text") or "")]
        return [seen[m["message_id"]] for m in messages if m["message_id"] in seen]


def paced_notes(api: FakeBotAPI, users: tuple[int, ...], count: int = 24,
                interval: float = 0.25, timeout: float = 90) -> list[float]:
    """Librarians note at a steady pace (one note every `interval` s, in turn), whatever
    happens meanwhile; returns each note's seconds until its answer."""
    marks = {user: (api.last_bot_message(user) or {"message_id": 0})["message_id"]
             for user in users}
    sent: dict[int, list[float]] = {user: [] for user in users}
    with Arrivals(api) as arrivals:
        start = time.monotonic()
        for n in range(count):
            time.sleep(max(0.0, start + n * interval - time.monotonic()))
            user = users[n % len(users)]
            sent[user].append(time.monotonic())
            api.send_text(user, f"Notitie {n} over de wijk")
        api.wait_for(lambda: all(len(arrivals.answers(u, "Genoteerd", marks[u])) == len(sent[u])
                                 for u in users), timeout=timeout, what="every note answered")
        return [arrived - at for user in users
                for at, arrived in zip(sent[user], arrivals.answers(user, "Genoteerd",
                                                                    marks[user]), strict=True)]


def figures(calm: list[float], during: list[float]) -> dict[str, float]:
    return {"calm_p50_s": round(percentile(calm, 0.5), 3),
            "calm_p99_s": round(percentile(calm, 0.99), 3),
            "during_p50_s": round(percentile(during, 0.5), 3),
            "during_p99_s": round(percentile(during, 0.99), 3)}


def near_calm(calm: list[float], during: list[float]) -> bool:
    """The issue's target is at most 1.5x calm; on a busy shared 2-core machine the test
    allows 2x, or 0.3 s more, whichever is larger (docs/reliability.md has the measured
    ratio)."""
    calm50, calm99 = percentile(calm, 0.5), percentile(calm, 0.99)
    return (percentile(during, 0.5) <= max(2 * calm50, calm50 + 0.3)
            and percentile(during, 0.99) <= max(2 * calm99, calm99 + 1.0))


# -- 1. a stranger's group -------------------------------------------------------------------

STRANGER, GROUP, CHANNEL = 6666, -600, -1006


@pytest.mark.parametrize("mode", MODES)
def test_a_strangers_group_holds_up_no_librarian(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path,
        mode: str) -> None:
    bot = bot_factory(ENV).start()
    for user, community in COLLEAGUES:
        onboard(api, user, community)
    others = tuple(user for user, _ in COLLEAGUES)
    calm = paced_notes(api, others)
    # A stranger adds the bot to a group and posts 300 messages there, and to a channel.
    api.add_to_group(STRANGER, GROUP)
    posts = 300
    for n in range(posts):
        api.send_text(STRANGER, f"Bericht {n} in de groep", chat_type="group", chat_id=GROUP)
    api.add_to_group(STRANGER, CHANNEL, chat_type="channel", title="Kanaal")
    api.send_text(STRANGER, "Een kanaalbericht", chat_type="channel", chat_id=CHANNEL)
    during = paced_notes(api, others, timeout=30)
    record(f"stranger_group_{mode}", group_posts=posts, **figures(calm, during))
    assert near_calm(calm, during), (figures(calm, during), during)
    # The group heard once that Veldgids works in private chats, and the bot left both.
    api.wait_for(lambda: {GROUP, CHANNEL} <= api.left_chats, what="the bot leaving")
    assert [m["text"] for m in api.bot_messages(GROUP)] == [
        "Ik werk alleen in een privégesprek. Stuur me een persoonlijk bericht."]
    assert api.bot_messages(CHANNEL) == []
    # Added again and written to: left again, without a second message.
    leaves = len(api.calls_to("leaveChat"))
    api.add_to_group(STRANGER, GROUP)
    api.send_text(STRANGER, "Nog eens", chat_type="group", chat_id=GROUP)
    api.wait_for(lambda: len(api.calls_to("leaveChat")) > leaves, what="leaving again")
    api.wait_until_confirmed(timeout=30)
    assert len(api.bot_messages(GROUP)) == 1
    assert len(api.calls_to("leaveChat")) == leaves + 1
    started = time.monotonic()
    assert bot.terminate(timeout=30) == 0  # systemd allows 30 s
    stopped = time.monotonic() - started
    assert stopped < 10, stopped
    assert query(tmp_path, "SELECT count(*) FROM users WHERE telegram_id = ?", STRANGER) == [(0,)]
    assert not any("groep" in str(t) for (t,) in query(tmp_path, "SELECT text FROM notes"))


# -- 5. one chat's 429 -----------------------------------------------------------------------

def test_a_429_for_one_chat_holds_up_that_chat_only(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess]) -> None:
    bot = bot_factory(ENV).start()
    for user, community in ((ANNA, "Taalcafé"), *COLLEAGUES):
        onboard(api, user, community)
    others = tuple(user for user, _ in COLLEAGUES)
    calm = paced_notes(api, others)
    # Anna forwards 20 messages at once; Telegram's flood control answers 429 for her chat
    # for 5 seconds. Her colleagues go on noting meanwhile.
    wait = 5
    api.flood_chat(ANNA, retry_after=wait)
    words = [f"woord{n}" for n in range(20)]
    for word in words:
        api.send_text(ANNA, f"/zoek {word}")
    api.wait_for(lambda: any(code == 429 for *_, code, _ in api.errors), what="the 429")
    during = paced_notes(api, others, count=int(wait / 0.25))
    record("flood_one_chat", flooded_chat_messages=len(words), retry_after_s=wait,
           **figures(calm, during))
    assert near_calm(calm, during), (figures(calm, during), during)
    # Anna's answers all arrive after her wait, in the order she asked.
    api.wait_for(lambda: sum("Niets gevonden" in (m.get("text") or "")
                             for m in api.bot_messages(ANNA)) == len(words), timeout=60,
                 what="all of Anna's answers")
    answers = [m["text"] for m in api.bot_messages(ANNA) if "Niets gevonden" in m["text"]]
    assert [next(w for w in words if f"‘{w}’" in a) for a in answers] == words
    refused = [p for m, p, code, _ in api.errors if code == 429]
    assert all(p.get("chat_id") == ANNA for p in refused)
    assert len(refused) <= 3  # the bot waited as told instead of trying again and again
    assert bot.terminate() == 0
