"""Heavy work in its own process, and weekly charts drawn only when their data changed."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.app.registry import Service
from bot.features.export.files import render
from bot.features.export.options import Options
from bot.features.goals.chart_jobs import ChartInputs
from bot.features.goals.reminders import ReminderTick
from bot.ops import offload
from bot.telegram.messenger import TelegramSender
from bot.telegram.pace import BULK, Share
from dialogs.catalog import Catalog
from dialogs.replies import Reply
from storage.export import snapshot
from storage.goals import GoalRepo
from tests.bot.features.goals.test_goals import Clock
from tests.bot.features.goals.test_reminders import (
    MONDAY_NINE,
    FakeSender,
    add_goal,
    librarians,
    make_service,
    run,
)


def _pid() -> int:
    return os.getpid()


def _crash() -> None:
    os._exit(3)  # a worker killed halfway (out of memory, SIGKILL)


@pytest.fixture
def pool(catalog: Catalog) -> Iterator[None]:
    offload.enable(catalog)
    yield
    offload.shutdown()


def test_without_a_pool_the_work_runs_in_place() -> None:
    assert offload.call(_pid) == os.getpid()


def test_the_work_runs_in_another_process_with_the_catalog(
        gservice: Service, catalog: Catalog) -> None:
    anna, = librarians(gservice, 1)
    anna.send("/notitie Bibliotheek Noord: 12 bezoekers bij het taalcafé")
    data = snapshot(gservice.store, gservice.user(anna.who).id, None)
    here = render(data, catalog, "md")
    offload.enable(catalog)
    try:
        assert offload.call(_pid) != os.getpid()
        # The catalog travels as a mark; the worker's own copy renders the same file.
        assert offload.call(render, data, catalog, "md") == here
    finally:
        offload.shutdown()


def test_a_worker_that_dies_is_replaced(pool: None) -> None:
    from concurrent.futures.process import BrokenProcessPool

    with pytest.raises(BrokenProcessPool):
        offload.call(_crash)  # dies again in the fresh pool: the error reaches the caller
    assert offload.call(_pid) != os.getpid()  # and the next export still works


@pytest.fixture
def gservice(db_path: Path, catalog: Catalog) -> Iterator[Service]:
    from datetime import UTC, datetime

    service = make_service(db_path, catalog, Clock(datetime(2026, 11, 24, 10, 0, tzinfo=UTC)))
    yield service
    service.store.close()


def _drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    titles: list[str] = []
    draw = ChartInputs.draw

    def counted(self: ChartInputs) -> bytes:
        titles.append(self.title)
        return draw(self)

    monkeypatch.setattr(ChartInputs, "draw", counted)
    return titles


def test_a_chart_whose_data_did_not_change_is_not_drawn_again(
        gservice: Service, db_path: Path, catalog: Catalog,
        monkeypatch: pytest.MonkeyPatch) -> None:
    anna, bram = librarians(gservice, 2)  # each with a goal "taalcafé"
    mine = add_goal(gservice, anna, "leesclub van Anna", date(2027, 6, 1))
    add_goal(gservice, bram, "leesclub van Bram", date(2027, 6, 1))
    drawn = _drawn(monkeypatch)
    sender = FakeSender()
    clock = gservice.store.clock
    run(ReminderTick(gservice, sender))
    clock.now = MONDAY_NINE  # type: ignore[attr-defined]
    assert run(ReminderTick(gservice, sender)) == 2
    assert len(drawn) == 4
    first = {(chat, a.caption): a.content for chat, replies in sender.sent
             for r in replies for a in r.attachments}
    assert len(first) == 4

    # A restart (a new service on the same file); Anna logs progress on one goal.
    gservice.store.close()
    again = make_service(db_path, catalog, clock)  # type: ignore[arg-type]
    GoalRepo(again.store).log_progress(again.user(anna.who).id, mine, 7, None)
    clock.now = MONDAY_NINE + timedelta(days=7)  # type: ignore[attr-defined]
    sender.sent.clear()
    assert run(ReminderTick(again, sender)) == 2
    assert drawn[4:] == ["leesclub van Anna"]  # only the chart whose data changed
    second = {(chat, a.caption): a.content for chat, replies in sender.sent
              for r in replies for a in r.attachments}
    assert second.keys() == first.keys()
    changed = (anna.who.telegram_id, "leesclub van Anna")
    assert all(second[k] == first[k] for k in first if k != changed)  # the same photos
    assert second[changed] != first[changed] and second[changed].startswith(b"\x89PNG")
    again.store.close()


def test_a_deleted_goal_leaves_no_chart_behind(gservice: Service,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    anna, = librarians(gservice, 1)
    goal = add_goal(gservice, anna, "taalcafé", date(2027, 6, 1))
    clock = gservice.store.clock
    run(ReminderTick(gservice, FakeSender()))
    clock.now = MONDAY_NINE  # type: ignore[attr-defined]
    run(ReminderTick(gservice, FakeSender()))
    count = "SELECT count(*) AS n FROM chart_cache"
    assert gservice.store.one(count) == {"n": 2}  # with the goal `librarians` gives
    GoalRepo(gservice.store).delete_goal(gservice.user(anna.who).id, goal)
    assert gservice.store.one(count) == {"n": 1}


def test_weekly_messages_are_sent_as_bulk() -> None:
    seen: list[bool] = []

    class Bot:
        async def _post(self, *_args: object, **_kwargs: object) -> None:
            seen.append(BULK.get())  # text goes out this way (bot/telegram/sending.py's `post`)

    asyncio.run(TelegramSender(Bot())(1, [Reply(text="a"), Reply(text="b")]))
    assert seen == [True, True] and not BULK.get()


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_replies_go_first_and_the_weekly_batch_takes_what_they_leave() -> None:
    t = FakeTime()
    share = Share(total=28, ceiling=20, clock=t.clock, sleep=t.sleep)

    async def weekly(count: int) -> float:
        began = t.now
        for _ in range(count):
            await share.before(bulk=True)
        return t.now - began

    # Nobody else writes: 20 weekly messages at once, the 21st waits for the next second.
    assert asyncio.run(weekly(20)) == 0
    assert 0 < asyncio.run(weekly(1)) <= 1.05
    # A second later, 27 replies went out just now (they never wait): one weekly fits.
    t.now += 2
    for _ in range(27):
        asyncio.run(share.before(bulk=False))
    assert asyncio.run(weekly(1)) == 0
    assert asyncio.run(weekly(1)) > 0  # the 29th would be over the pace: it waited


def test_the_rate_limiter_lets_weekly_messages_wait_for_replies() -> None:
    from bot.telegram.delivery import PatientRateLimiter

    limiter = PatientRateLimiter()
    t = FakeTime()
    limiter.share = Share(total=3, ceiling=3, clock=t.clock, sleep=t.sleep)
    sent: list[float] = []

    async def callback(*_args: object, **_kwargs: object) -> bool:
        sent.append(t.now)
        return True

    async def send(bulk: bool) -> None:
        BULK.set(bulk)
        await limiter.process_request(callback, (), {}, "sendMessage", {"chat_id": 1}, None)

    async def scene() -> None:
        for _ in range(3):  # three replies: the second's budget is used up
            await send(bulk=False)
        await asyncio.create_task(send(bulk=True))

    asyncio.run(scene())
    assert sent[:3] == [100.0] * 3 and sent[3] > 101.0  # the weekly one waited its turn


def test_an_export_is_read_and_made_in_the_worker_as_of_the_request(
        gservice: Service, catalog: Catalog, db_path: Path) -> None:
    from datetime import UTC, datetime

    from bot.features.export.job import export_file

    anna, = librarians(gservice, 1)
    anna.send("/notitie 12 bezoekers bij het taalcafé")
    user_id = gservice.user(anna.who).id
    asked = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    offload.enable(catalog)
    try:
        with gservice.store.atomic():  # the bot holds the write lock meanwhile: no matter
            name, content = offload.call(export_file, str(db_path), user_id, None, catalog,
                                         "md", asked, Options(appendix=True))
    finally:
        offload.shutdown()
    assert "2026-12-03" in name and name.endswith(".md")
    assert "12 bezoekers bij het taalcafé" in content.decode()


def test_an_export_of_a_community_gone_meanwhile_says_so(
        gservice: Service, catalog: Catalog, db_path: Path) -> None:
    from datetime import UTC, datetime

    from bot.features.export.job import export_file
    from storage.export import ExportError

    anna, = librarians(gservice, 1)
    with pytest.raises(ExportError):
        export_file(str(db_path), gservice.user(anna.who).id, 999_999, catalog, "docx",
                    datetime(2026, 12, 3, tzinfo=UTC))


WORKER_OF_A_BOT = """
import os, sys
from bot.ops import offload
from bot.app.registry import load_catalog
offload.enable(load_catalog())
print(offload.call(os.getpid), flush=True)
sys.stdin.read()
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_the_heavy_work_process_leaves_when_the_bot_is_killed() -> None:
    """A bot killed with SIGKILL leaves no worker, nor the forkserver behind it, running."""
    bot = subprocess.Popen([sys.executable, "-c", WORKER_OF_A_BOT], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True)
    try:
        assert bot.stdout is not None
        worker = int(bot.stdout.readline())
        server = int(Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()[1])
        assert worker != bot.pid and _alive(worker) and _alive(server)
        bot.send_signal(signal.SIGKILL)
        bot.wait()
        deadline = time.monotonic() + 10 * offload.WATCH_SECONDS
        while (_alive(worker) or _alive(server)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(worker) and not _alive(server)
    finally:
        bot.kill()
        bot.wait()
