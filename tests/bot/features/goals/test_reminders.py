"""The weekly tick with a movable clock and a fake sender: once a week, DST, catch-up,
failures, blocked users, monthly nudges, and two processes racing."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.app.messenger import Delivery
from bot.app.registry import FEATURES, Service
from bot.features.goals.reminders import ReminderTick
from bot.telegram.messenger import TelegramSender
from dialogs.catalog import Catalog
from dialogs.replies import Attachment, Reply
from storage.goals import GoalRepo
from storage.reminder_rows import CLAIM_LEASE, Finished
from storage.store import Store
from tests.bot.features.goals.test_goals import Clock
from tests.chat import Chat

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY_NINE = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam (winter)


class FakeSender:
    def __init__(self) -> None:
        self.sent: list[tuple[int, list[Reply]]] = []
        self.results: list[Delivery] = []
        self.delay = 0.0

    async def __call__(self, chat_id: int, replies: list[Reply]) -> Delivery:
        await asyncio.sleep(self.delay)
        result = self.results.pop(0) if self.results else Delivery.SENT
        if result == Delivery.SENT:
            self.sent.append((chat_id, replies))
        return result

    def texts(self) -> list[str]:
        return [replies[0].text for _, replies in self.sent]


def make_service(path: Path, catalog: Catalog, clock: Clock) -> Service:
    service = Service(Store(path, clock=clock), catalog, features=FEATURES)
    return service


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))


@pytest.fixture
def gservice(db_path: Path, catalog: Catalog, clock: Clock) -> Iterator[Service]:
    service = make_service(db_path, catalog, clock)
    yield service
    service.store.close()


@pytest.fixture
def anna(gservice: Service) -> Chat:
    chat = Chat(gservice, telegram_id=1001, name="Anna")
    chat.onboard("Taalcafé Noord", "taal")
    return chat


@pytest.fixture
def sender() -> FakeSender:
    return FakeSender()


@pytest.fixture
def tick(gservice: Service, sender: FakeSender) -> ReminderTick:
    return ReminderTick(gservice, sender)


def add_goal(service: Service, chat: Chat, specific: str, deadline: date,
             baseline: float = 4, target: float = 12) -> int:
    user = service.user(chat.who)
    assert user.active_community is not None
    return GoalRepo(service.store).add_goal(
        user.id, user.active_community, specific=specific, metric="deelnemers",
        baseline=baseline, target=target, achievable="", relevant="", relevant_part=None,
        deadline=deadline)


def run(tick: ReminderTick) -> int:
    return asyncio.run(tick.run_once())


def test_two_goals_one_useful_reminder_a_week(gservice: Service, anna: Chat, tick: ReminderTick,
                                             sender: FakeSender, clock: Clock) -> None:
    taal = add_goal(gservice, anna, "wekelijks taalcafé voor nieuwkomers", date(2027, 6, 1))
    lees = add_goal(gservice, anna, "leesclub voor vaders", date(2026, 12, 10), 0, 6)
    anna.send("/fase")
    anna.press("1. Strategie")
    anna.press("Beleidsplan")
    assert run(tick) == 0  # not due yet: the row was made, Monday 09:00 is next
    clock.now = MONDAY_NINE - timedelta(seconds=1)
    assert run(tick) == 0 and sender.sent == []
    clock.now = MONDAY_NINE
    assert run(tick) == 1
    (chat_id, replies), = sender.sent
    text = replies[0].text
    assert chat_id == 1001 and text.startswith("🗓 Je weekoverzicht, Anna.")
    assert "• wekelijks taalcafé voor nieuwkomers" in text and "0% · 4 van 12" in text
    assert "🟠 Achter op schema" in text  # a week in, nothing logged on the 10-day goal
    assert "⏰ Nog 10 dagen tot de einddatum." in text  # the leesclub, not the taalcafé
    assert text.count("⏰") == 1
    assert "📋 Taalcafé Noord · Fase 1 · Strategie in kaart (1/5), nog open:" in text
    assert "• Organisatiedoelen op een rij" in text and "Beleidsplan" not in text
    assert [b.data for row in replies[0].buttons for b in row] == [f"goal:log:{taal}",
                                                                    f"goal:log:{lees}"]
    photos = [a for r in replies[1:] for a in r.attachments]
    assert [p.kind for p in photos] == ["photo", "photo"]
    assert all(p.content.startswith(b"\x89PNG") for p in photos)
    assert run(tick) == 0  # once
    clock.now += timedelta(days=6, hours=23)
    assert run(tick) == 0
    clock.now = MONDAY_NINE + timedelta(days=7)
    assert run(tick) == 1 and len(sender.sent) == 2
    anna.press_data(f"goal:log:{lees}")  # the button in the reminder
    assert "leesclub voor vaders" in anna.text() and "Wat is de nieuwe stand?" in anna.text()
    anna.send("2")
    anna.press("Zonder notitie")
    assert "📈 Vastgelegd: 2" in anna.text()


def test_goals_of_two_communities_are_grouped_and_reached_ones_left_out(
        gservice: Service, anna: Chat, tick: ReminderTick, sender: FakeSender,
        clock: Clock) -> None:
    add_goal(gservice, anna, "taalcafé elke week", date(2027, 6, 1))
    reached = add_goal(gservice, anna, "tien nieuwe pasjes", date(2027, 6, 1), 0, 10)
    anna.send("/community")
    anna.press("Nieuwe community")
    anna.send("Moestuin Oost")
    anna.press("Overslaan")
    add_goal(gservice, anna, "zaaidag met de school", date(2027, 4, 1))
    GoalRepo(gservice.store).log_progress(gservice.user(anna.who).id, reached, 10, None)
    run(tick)
    clock.now = MONDAY_NINE
    assert run(tick) == 1
    text = sender.texts()[0]
    assert text.index("🎯 Taalcafé Noord") < text.index("taalcafé elke week")
    assert text.index("🎯 Moestuin Oost") < text.index("zaaidag met de school")
    assert "pasjes" not in text
    assert len(sender.sent[0][1]) == 3  # the text and two charts


@pytest.mark.parametrize(("first", "second"), [
    # Spring forward on 29 March 2026: 09:00 is 08:00 UTC before, 07:00 UTC after.
    (datetime(2026, 3, 23, 8, 0, tzinfo=UTC), datetime(2026, 3, 30, 7, 0, tzinfo=UTC)),
    # Fall back on 25 October 2026: 07:00 UTC before, 08:00 UTC after.
    (datetime(2026, 10, 19, 7, 0, tzinfo=UTC), datetime(2026, 10, 26, 8, 0, tzinfo=UTC)),
])
def test_nine_oclock_stays_nine_oclock_across_dst(gservice: Service, anna: Chat,
                                                  tick: ReminderTick, sender: FakeSender,
                                                  clock: Clock, first: datetime,
                                                  second: datetime) -> None:
    clock.now = first - timedelta(days=3)
    add_goal(gservice, anna, "taalcafé", date(2027, 6, 1))
    run(tick)  # creates the row: Monday 09:00 Amsterdam
    moments = []
    for minute in range(0, 14 * 24 * 60, 30):  # every half hour for two weeks
        clock.now = first - timedelta(hours=1) + timedelta(minutes=minute)
        if run(tick):
            moments.append(clock.now)
    assert moments == [first, second]
    assert [m.astimezone(AMS).strftime("%a %H:%M") for m in moments] == ["Mon 09:00"] * 2


def test_late_by_two_days_sends_once_then_weekly(gservice: Service, anna: Chat,
                                                 tick: ReminderTick, sender: FakeSender,
                                                 clock: Clock) -> None:
    add_goal(gservice, anna, "taalcafé", date(2027, 6, 1))
    run(tick)
    clock.now = MONDAY_NINE + timedelta(days=2, hours=3)  # the bot was down since Sunday
    assert run(tick) == 1
    assert run(tick) == 0
    row = GoalRepo(gservice.store).reminder(gservice.user(anna.who).id)
    assert row is not None and row.next_due == MONDAY_NINE + timedelta(days=7)


def test_late_by_more_than_three_days_is_skipped(gservice: Service, anna: Chat,
                                                 tick: ReminderTick, sender: FakeSender,
                                                 clock: Clock) -> None:
    add_goal(gservice, anna, "taalcafé", date(2027, 6, 1))
    run(tick)
    clock.now = MONDAY_NINE + timedelta(days=25)  # five weeks of downtime would be 3 missed
    assert run(tick) == 0 and sender.sent == []
    repo = GoalRepo(gservice.store)
    user_id = gservice.user(anna.who).id
    assert [e.outcome for e in repo.log(user_id)] == ["skipped"]
    assert repo.reminder(user_id).next_due == MONDAY_NINE + timedelta(days=28)  # type: ignore[union-attr]
    clock.now = MONDAY_NINE + timedelta(days=28)
    assert run(tick) == 1


def test_network_trouble_leaves_it_due_for_the_next_tick(gservice: Service, anna: Chat,
                                                         tick: ReminderTick, sender: FakeSender,
                                                         clock: Clock) -> None:
    add_goal(gservice, anna, "taalcafé", date(2027, 6, 1))
    run(tick)
    clock.now = MONDAY_NINE
    sender.results = [Delivery.RETRY, Delivery.RETRY]
    assert run(tick) == 0 and run(tick) == 0
    clock.now += timedelta(seconds=30)
    assert run(tick) == 1 and run(tick) == 0
    assert len(sender.sent) == 1


def test_blocked_user_gets_reminders_paused(gservice: Service, anna: Chat, tick: ReminderTick,
                                            sender: FakeSender, clock: Clock) -> None:
    add_goal(gservice, anna, "taalcafé", date(2027, 6, 1))
    run(tick)
    clock.now = MONDAY_NINE
    sender.results = [Delivery.BLOCKED]
    assert run(tick) == 0
    clock.now += timedelta(days=7)
    assert run(tick) == 0 and sender.sent == []
    anna.send("/herinneringen")
    assert "staat op pauze" in anna.text()
    anna.press("Hervatten")
    assert "Volgende keer: maandag 14 december 2026 om 09:00" in anna.text()


def test_failed_send_is_not_repeated_every_tick(gservice: Service, anna: Chat,
                                                tick: ReminderTick, sender: FakeSender,
                                                clock: Clock) -> None:
    add_goal(gservice, anna, "taalcafé", date(2027, 6, 1))
    run(tick)
    clock.now = MONDAY_NINE
    sender.results = [Delivery.FAILED]
    assert run(tick) == 0 and run(tick) == 0
    user_id = gservice.user(anna.who).id
    assert [e.outcome for e in GoalRepo(gservice.store).log(user_id)] == ["failed"]


def test_without_goals_a_nudge_at_most_once_a_month(gservice: Service, anna: Chat,
                                                     tick: ReminderTick, sender: FakeSender,
                                                     clock: Clock) -> None:
    run(tick)  # first contact: the weekly row starts, the first nudge waits a month
    sent_on = []
    for week in range(10):
        clock.now = MONDAY_NINE + timedelta(days=7 * week)
        if run(tick):
            sent_on.append(week)
    assert sent_on == [4, 9]  # 30 days after first contact, then 30 days after that nudge
    assert all("geen lopende SMART-doelen" in t and "/doelen" in t for t in sender.texts())


def test_open_reflections_are_listed(gservice: Service, anna: Chat, tick: ReminderTick,
                                     sender: FakeSender, clock: Clock) -> None:
    user = gservice.user(anna.who)
    add_goal(gservice, anna, "taalcafé", date(2027, 6, 1))
    db = gservice.store.db
    person = db.execute("INSERT INTO people (user_id, community_id, name, created_at)"
                        " VALUES (?, ?, 'Fatima', ?)",
                        (user.id, user.active_community, clock.now.isoformat())).lastrowid
    for reflection in (None, '{"worth": "ja"}'):
        db.execute("INSERT INTO conversations (user_id, community_id, person_id, started_at,"
                   " ended_at, status, reflection) VALUES (?, ?, ?, ?, ?, 'ended', ?)",
                   (user.id, user.active_community, person, clock.now.isoformat(),
                    clock.now.isoformat(), reflection))
    run(tick)
    clock.now = MONDAY_NINE
    run(tick)
    assert "💬 Eén gesprek wacht nog op je reflectie: Fatima." in sender.texts()[0]


def test_two_processes_running_the_tick_send_each_reminder_once(
        db_path: Path, catalog: Catalog, clock: Clock) -> None:
    first = make_service(db_path, catalog, clock)
    for n in range(5):
        chat = Chat(first, telegram_id=4000 + n, name=f"L{n}")
        chat.onboard(f"Community {n}", "thema")
        add_goal(first, chat, "taalcafé", date(2027, 6, 1))
    second = make_service(db_path, catalog, clock)  # another process, its own connection
    sender = FakeSender()
    sender.delay = 0.01  # sending takes a while, so the two ticks interleave
    ticks = [ReminderTick(first, sender), ReminderTick(second, sender)]
    asyncio.run(ticks[0].run_once())
    clock.now = MONDAY_NINE

    async def both() -> list[int]:
        return list(await asyncio.gather(*(t.run_once() for t in ticks)))

    counts = asyncio.run(both())
    assert sum(counts) == 5
    assert sorted(chat_id for chat_id, _ in sender.sent) == [4000, 4001, 4002, 4003, 4004]
    assert asyncio.run(both()) == [0, 0]
    first.store.close()
    second.store.close()


class FakeBot:
    def __init__(self, errors: list[Exception | None]) -> None:
        self.errors = errors
        self.calls: list[str] = []

    async def _call(self, name: str) -> None:
        self.calls.append(name)
        error = self.errors.pop(0) if self.errors else None
        if error is not None:
            raise error

    async def _post(self, method: str, data: dict[str, Any]) -> None:
        await self._call(method)  # text goes out this way (bot/telegram/sending.py's `post`)

    async def send_photo(self, *args: Any, **kwargs: Any) -> None:
        await self._call("sendPhoto")


REMINDER = [Reply(text="🗓 Je weekoverzicht"),
            Reply(text="", attachments=[Attachment(kind="photo", filename="g.png",
                                                   content=b"\x89PNG")])]


@pytest.mark.parametrize(("errors", "expected", "calls"), [
    ([], Delivery.SENT, ["sendMessage", "sendPhoto"]),
    ([Forbidden("Forbidden: bot was blocked by the user")], Delivery.BLOCKED, ["sendMessage"]),
    ([RetryAfter(3)], Delivery.RETRY, ["sendMessage"]),
    ([NetworkError("connection reset")], Delivery.RETRY, ["sendMessage"]),
    ([BadRequest("Bad Request: chat not found")], Delivery.FAILED, ["sendMessage"]),
    # The text arrived: a failed chart must not make the whole reminder come again.
    ([None, NetworkError("timeout")], Delivery.SENT, ["sendMessage", "sendPhoto"]),
])
def test_telegram_sender_says_how_it_went(errors: list[Exception | None], expected: Delivery,
                                          calls: list[str]) -> None:
    bot = FakeBot(errors)
    assert asyncio.run(TelegramSender(bot)(1001, REMINDER)) == expected
    assert bot.calls == calls


def test_the_tick_runs_in_the_background(gservice: Service) -> None:
    from bot.telegram.app import build_application

    app = build_application("123:abc", "http://127.0.0.1:9/bot", "http://127.0.0.1:9/file/bot",
                            gservice)
    assert app.background is not None and "weekly-reminders" in app.background.names


def librarians(service: Service, count: int, first: int = 4000) -> list[Chat]:
    chats = []
    for n in range(count):
        chat = Chat(service, telegram_id=first + n, name=f"L{n}")
        chat.onboard(f"Community {n}", "thema")
        add_goal(service, chat, "taalcafé", date(2027, 6, 1))
        chats.append(chat)
    return chats


def logged(service: Service, chat: Chat) -> list[str]:
    return [e.outcome for e in GoalRepo(service.store).log(service.user(chat.who).id)]


def test_one_run_works_through_every_due_batch(gservice: Service, tick: ReminderTick,
                                               sender: FakeSender, clock: Clock,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.features.goals.reminders.BATCH", 2)
    librarians(gservice, 5)
    run(tick)
    clock.now = MONDAY_NINE
    assert run(tick) == 5  # three batches in one run, not one batch per 30-second tick
    assert sorted(chat_id for chat_id, _ in sender.sent) == [4000, 4001, 4002, 4003, 4004]
    assert run(tick) == 0


def test_someone_erased_or_pausing_while_others_are_sent_gets_nothing(
        gservice: Service, tick: ReminderTick, clock: Clock, tmp_path: Path) -> None:
    from bot.features.goals.feature import Goals
    from storage.privacy import erase

    first, gone, paused, last = librarians(gservice, 4)
    run(tick)
    clock.now = MONDAY_NINE
    sent: list[int] = []

    async def sender(chat_id: int, replies: list[Reply]) -> Delivery:
        sent.append(chat_id)
        if chat_id == first.who.telegram_id:  # their replies are handled while this send waits
            with gservice.store.atomic():
                erase(gservice.store, gservice.user(gone.who).id, tmp_path)
            Goals(gservice).set_reminder(gservice.user(paused.who), {"action": "toggle"})
        await asyncio.sleep(0)
        return Delivery.SENT

    tick.send = sender
    assert run(tick) == 2
    assert sent == [first.who.telegram_id, last.who.telegram_id]
    assert gservice.store.rows("SELECT * FROM reminder_log WHERE user_id NOT IN"
                               " (SELECT id FROM users)") == []
    assert logged(gservice, paused) == []
    assert GoalRepo(gservice.store).reminder(gservice.user(paused.who).id).paused  # type: ignore[union-attr]


def test_at_telegram_pace_each_send_is_committed_before_the_next(
        gservice: Service, tick: ReminderTick, clock: Clock, db_path: Path) -> None:
    chats = librarians(gservice, 3)
    run(tick)
    clock.now = MONDAY_NINE
    other = sqlite3.connect(db_path)  # what another process (or a restart) would see
    seen: list[int] = []

    async def sender(chat_id: int, replies: list[Reply]) -> Delivery:
        seen.append(other.execute("SELECT count(*) FROM reminder_log").fetchone()[0])
        await asyncio.sleep(0.08)  # slower than FLUSH_EVERY, like Telegram's pacing
        return Delivery.SENT

    tick.send = sender
    assert run(tick) == 3
    assert seen == [0, 1, 2]
    assert all(logged(gservice, chat) == ["sent"] for chat in chats)
    other.close()


def test_a_fast_sender_shares_commits(gservice: Service, tick: ReminderTick, clock: Clock,
                                      sender: FakeSender, monkeypatch: pytest.MonkeyPatch) -> None:
    chats = librarians(gservice, 4)
    run(tick)
    clock.now = MONDAY_NINE
    commits: list[int] = []
    finish_all = tick.repo.finish_all

    def counted(done: list[Finished], token: str) -> int:
        commits.append(len(done))
        return finish_all(done, token)

    monkeypatch.setattr(tick.repo, "finish_all", counted)
    tick.flush_every = 3600  # nothing is slow here, but chart drawing is: leave time out
    assert run(tick) == 4
    assert commits == [4]
    assert all(logged(gservice, chat) == ["sent"] for chat in chats)


def test_a_broken_sender_keeps_what_was_sent_and_gives_back_what_was_not(
        gservice: Service, tick: ReminderTick, clock: Clock) -> None:
    chats = librarians(gservice, 4)
    run(tick)
    clock.now = MONDAY_NINE
    tick.flush_every = 3600
    sent: list[int] = []

    async def breaks(chat_id: int, replies: list[Reply]) -> Delivery:
        if len(sent) == 2:
            raise RuntimeError("the connection pool is gone")
        sent.append(chat_id)
        return Delivery.SENT

    tick.send = breaks
    with pytest.raises(RuntimeError):
        run(tick)
    assert [logged(gservice, chat) for chat in chats] == [["sent"], ["sent"], [], []]
    fine = FakeSender()
    tick.send = fine
    assert run(tick) == 1  # the last one was never tried; the third may have arrived
    assert [chat_id for chat_id, _ in fine.sent] == [4003]
    clock.now += CLAIM_LEASE
    assert run(tick) == 1 and fine.sent[-1][0] == 4002


def test_charts_read_progress_only_when_drawn(gservice: Service, anna: Chat,
                                              tick: ReminderTick, clock: Clock,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    goal = add_goal(gservice, anna, "taalcafé", date(2027, 6, 1))
    user = gservice.user(anna.who)
    run(tick)
    row = tick.repo.reminder(user.id)
    assert row is not None
    reads: list[int] = []
    progress = tick.repo.progress

    def counted(goal_id: int) -> list[tuple[datetime, float]]:
        reads.append(goal_id)
        return progress(goal_id)

    monkeypatch.setattr(tick.repo, "progress", counted)
    replies, kind, charts = tick.compose(user, row, MONDAY_NINE, tick.repo.batch([user.id]))
    assert kind == "sent" and len(charts) == 1 and reads == []
    GoalRepo(gservice.store).log_progress(user.id, goal, 7, None)  # after composing
    draw = charts[0].prepare()
    assert reads == [goal]
    assert draw().content.startswith(b"\x89PNG")


def test_progress_logged_while_others_are_sent_is_in_the_reminder(
        gservice: Service, tick: ReminderTick, clock: Clock) -> None:
    first, later = librarians(gservice, 2)
    run(tick)
    clock.now = MONDAY_NINE
    texts: list[str] = []
    repo = GoalRepo(gservice.store)

    async def sender(chat_id: int, replies: list[Reply]) -> Delivery:
        texts.append(replies[0].text)
        if chat_id == first.who.telegram_id:
            user = gservice.user(later.who)
            repo.log_progress(user.id, repo.goals(user.id)[0].id, 8, None)
        return Delivery.SENT

    tick.send = sender
    assert run(tick) == 2
    assert "0% · 4 van 12" in texts[0] and "50% · 8 van 12" in texts[1]


def test_the_weekly_overview_leads_with_phase_1_until_it_is_done(
        gservice: Service, anna: Chat, tick: ReminderTick, sender: FakeSender,
        clock: Clock) -> None:
    add_goal(gservice, anna, "wekelijks taalcafé voor nieuwkomers", date(2027, 6, 1))
    run(tick)
    clock.now = MONDAY_NINE
    assert run(tick) == 1
    lines = sender.texts()[-1].split("\n")
    assert lines[0].startswith("🗓 Je weekoverzicht, Anna.")
    assert lines[2].startswith("☝️ Eerst fase 1 (nu 0/5)")
    assert lines[3] == "📋 Taalcafé Noord · Fase 1 · Strategie in kaart (0/5), nog open:"
    assert "🎯 Taalcafé Noord" in lines[4:]  # the goals come after it
    user = gservice.user(anna.who)
    assert user.active_community is not None
    for item in ("policy", "goals", "values", "frame", "fit"):
        gservice.store.set_tick(user.active_community, f"p1.{item}", True)
    clock.now = MONDAY_NINE + timedelta(days=7)
    assert run(tick) == 1
    text = sender.texts()[-1]
    assert "☝️" not in text and "Fase 1" not in text
