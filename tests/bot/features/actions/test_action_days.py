"""The daily action message with a movable clock and a fake sender: on the due day at the
overview's time, once; snoozed to next week and back then; nothing on a quiet day; paused
with the overview and when the user blocked the bot; DST-correct; listed in the overview."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app.messenger import Delivery
from bot.app.registry import FEATURES, Service
from bot.features.actions.days import DailyTick
from bot.features.goals.reminders import ReminderTick
from dialogs.catalog import Catalog
from dialogs.rules.actions.reading import next_daily
from storage.actions import ActionRepo
from storage.goals import GoalRepo
from storage.store import Store
from tests.bot.features.goals.test_goals import Clock
from tests.bot.features.goals.test_reminders import FakeSender
from tests.chat import Chat

AMS = ZoneInfo("Europe/Amsterdam")
THURSDAY = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
FRIDAY_NINE = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam


@pytest.fixture
def clock() -> Clock:
    return Clock(THURSDAY)


@pytest.fixture
def dservice(db_path: Path, catalog: Catalog, clock: Clock) -> Iterator[Service]:
    service = Service(Store(db_path, clock=clock), catalog, features=FEATURES)
    yield service
    service.store.close()


@pytest.fixture
def anna(dservice: Service) -> Chat:
    chat = Chat(dservice, telegram_id=1001, name="Anna")
    chat.onboard("Taalcafé Noord", "taal")
    return chat


@pytest.fixture
def sender() -> FakeSender:
    return FakeSender()


def run(service: Service, sender: FakeSender) -> int:
    """One tick of the weekly overview (which makes the schedule rows), then the daily one."""
    async def both() -> int:
        await ReminderTick(service, sender, token="w").run_once()
        return await DailyTick(service, sender, token="d").run_once()
    return asyncio.run(both())


def test_an_action_due_friday_comes_back_friday_once_then_snoozed_next_week(
        dservice: Service, anna: Chat, sender: FakeSender, clock: Clock) -> None:
    anna.send("actie: Fatima mailen over een ruimte vrijdag")
    assert run(dservice, sender) == 0  # Thursday: scheduled, nothing due yet
    clock.now = FRIDAY_NINE - timedelta(seconds=1)
    assert run(dservice, sender) == 0 and sender.sent == []
    clock.now = FRIDAY_NINE
    assert run(dservice, sender) == 1
    (chat_id, replies), = sender.sent
    assert chat_id == 1001
    assert replies[0].text == ("⏰ Vandaag staat er 1 actie voor je klaar:\n"
                               "• Fatima mailen over een ruimte")
    clock.now += timedelta(hours=3)
    assert run(dservice, sender) == 0  # once a day
    later = next(b.data for row in replies[0].buttons for b in row if b.label == "⏰")
    anna.press_data(later)
    anna.press("Volgende week")
    assert "komt terug op vrijdag 4 december" in anna.text()
    assert len(anna.last.replies) == 1 and not anna.last.replies[0].edit  # its own message
    for days in range(1, 7):  # Saturday to Thursday: nothing due (Monday is the overview)
        clock.now = FRIDAY_NINE + timedelta(days=days)
        run(dservice, sender)
    assert len(sender.sent) == 1
    clock.now = FRIDAY_NINE + timedelta(days=7)
    assert run(dservice, sender) == 1 and len(sender.sent) == 2
    assert run(dservice, sender) == 0


def test_nothing_is_sent_on_a_day_without_due_actions(
        dservice: Service, anna: Chat, sender: FakeSender, clock: Clock) -> None:
    anna.send("actie: flyers drukken")  # no date
    anna.send("actie: zaal boeken 1 februari")
    run(dservice, sender)
    for days in range(1, 9):
        clock.now = FRIDAY_NINE + timedelta(days=days)
        run(dservice, sender)
    assert sender.sent == []


def test_paused_with_the_weekly_overview_and_when_the_user_blocked_the_bot(
        dservice: Service, anna: Chat, sender: FakeSender, clock: Clock) -> None:
    anna.send("actie: Fatima mailen vrijdag")
    anna.send("actie: Bram bellen zaterdag")
    run(dservice, sender)
    user = dservice.user(anna.who)
    dservice.store.db.execute("UPDATE reminders SET paused = 1 WHERE user_id = ?", (user.id,))
    clock.now = FRIDAY_NINE
    assert run(dservice, sender) == 0
    dservice.store.db.execute("UPDATE reminders SET paused = 0 WHERE user_id = ?", (user.id,))
    clock.now = FRIDAY_NINE + timedelta(days=1)  # Friday was missed: not sent a day late
    sender.results = [Delivery.BLOCKED]
    assert run(dservice, sender) == 0  # Saturday's action was tried: the user blocked us
    reminder = GoalRepo(dservice.store).reminder(user.id)
    assert reminder is not None and reminder.paused
    assert sender.sent == [] and sender.results == []


def test_the_daily_slot_follows_the_clock_across_dst() -> None:
    nine = time(9, 0)
    before = next_daily(nine, AMS, datetime(2027, 3, 27, 9, 0, tzinfo=UTC))
    after = next_daily(nine, AMS, before)
    assert before == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)  # summer time from 28 March
    assert after == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
    assert next_daily(nine, AMS, datetime(2026, 10, 24, 8, 0, tzinfo=UTC)) == \
        datetime(2026, 10, 25, 8, 0, tzinfo=UTC)  # winter time from 25 October


def test_the_weekly_overview_lists_due_and_overdue_actions_with_their_buttons(
        dservice: Service, anna: Chat, sender: FakeSender, clock: Clock) -> None:
    anna.send("actie: Fatima mailen vrijdag")
    anna.send("actie: zaal boeken 1 februari")
    user = dservice.user(anna.who)
    assert user.active_community is not None
    late = ActionRepo(dservice.store).add(user.id, user.active_community, "flyers ophangen",
                                          due=date(2026, 11, 26))
    run(dservice, sender)  # Thursday: the overview is set for Monday 09:00
    clock.now = FRIDAY_NINE + timedelta(days=3)  # Monday 09:00: the overview
    run(dservice, sender)
    texts = [replies[0].text for _, replies in sender.sent]
    assert len(texts) == 1  # the overview only, no daily message beside it
    assert "📋 Acties die nu aan de beurt zijn:\n• flyers ophangen\n• Fatima mailen" in texts[0]
    assert "zaal boeken" not in texts[0]
    data = [b.data for row in sender.sent[0][1][0].buttons for b in row]
    assert f"act:d:{late}:n" in data
    anna.press_data(f"act:d:{late}:n")
    assert anna.text() == "✅ Gedaan: ‘flyers ophangen’."
