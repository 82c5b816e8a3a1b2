"""A follow-up action through the real bot process and the fake Bot API, with the bot's
clock moved (VELDGIDS_CLOCK_OFFSET_FILE), never slept: an "actie:" typed on Thursday with
"vrijdag" comes back on Friday morning, is snoozed to next week and comes back then, once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.e2e.harness import BotProcess, press, settle
from tests.e2e.test_goals_e2e import MovableClock
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e
ANNA = 1001
# Thursday 4 March 2027, 10:00 in Amsterdam: where the bot's clock starts.
START = datetime(2027, 3, 4, 9, 0, tzinfo=UTC)
HOUR = 3600.0
DUE = "⏰ Vandaag staat er 1 actie voor je klaar"


def due_messages(api: FakeBotAPI) -> list[dict]:
    return [m for m in api.bot_messages(ANNA) if DUE in (m.get("text") or "")]


def test_an_action_for_friday_comes_back_friday_and_after_snoozing_next_friday_once(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    clock = MovableClock(tmp_path / "clock-offset", START)
    env = {"VELDGIDS_CLOCK_OFFSET_FILE": str(clock.path), "VELDGIDS_REMINDER_TICK": "0.3",
           "VELDGIDS_TIMEZONE": "Europe/Amsterdam", "VELDGIDS_LOG_LEVEL": "DEBUG"}
    bot = bot_factory(env).start()
    api.send_text(ANNA, "/start", first_name="Anna", language_code="nl")
    api.wait_for_message(ANNA, "Met welke community werk je?")
    api.send_text(ANNA, "Taalcafé Noord")
    api.wait_for_message(ANNA, "Rond welk thema")
    api.send_text(ANNA, "taal en ontmoeting")
    api.wait_for_message(ANNA, "Je werkt nu met Taalcafé Noord")

    api.send_text(ANNA, "Actie: Fatima mailen over een ruimte vrijdag")
    api.wait_for_message(ANNA, "Actie bewaard: ‘Fatima mailen over een ruimte’, uiterlijk morgen")
    bot.wait_for_ticks("daily-actions", 2)
    settle(api)
    assert due_messages(api) == []

    clock.advance(22 * HOUR)  # Friday 07:00 in Amsterdam: not yet
    bot.wait_for_ticks("daily-actions", 3)
    assert due_messages(api) == []
    clock.advance(1 * HOUR)  # Friday 09:00: the weekly overview's time of day
    api.wait_for(lambda: len(due_messages(api)) == 1, what="Friday's action message")
    assert "• Fatima mailen over een ruimte" in due_messages(api)[0]["text"]
    bot.wait_for_ticks("daily-actions", 3)
    settle(api)
    assert len(due_messages(api)) == 1  # once

    press(api, ANNA, "⏰")
    api.wait_for_message(ANNA, "Wanneer komt ‘Fatima mailen over een ruimte’ terug?")
    press(api, ANNA, "Volgende week")
    api.wait_for_message(ANNA, "komt terug op vrijdag 12 maart")

    for _ in range(6):  # Saturday to Thursday: nothing due
        clock.advance(24 * HOUR)
        bot.wait_for_ticks("daily-actions", 2)
    settle(api)
    assert len(due_messages(api)) == 1
    clock.advance(24 * HOUR)  # Friday 12 March, 09:00
    api.wait_for(lambda: len(due_messages(api)) == 2, what="next Friday's action message")
    bot.wait_for_ticks("daily-actions", 3)
    settle(api)
    assert len(due_messages(api)) == 2
    assert bot.terminate() == 0


def test_a_live_mode_action_for_someone_met_comes_back_on_its_day(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    """➕ Actie during a conversation: what, one tap on the person, "vrijdag"; the action
    comes back on Friday morning in the daily message, with who it is for."""
    clock = MovableClock(tmp_path / "clock-offset", START)
    env = {"VELDGIDS_CLOCK_OFFSET_FILE": str(clock.path), "VELDGIDS_REMINDER_TICK": "0.3",
           "VELDGIDS_TIMEZONE": "Europe/Amsterdam", "VELDGIDS_LOG_LEVEL": "DEBUG"}
    bot = bot_factory(env).start()
    api.send_text(ANNA, "/start", first_name="Anna", language_code="nl")
    api.wait_for_message(ANNA, "Met welke community werk je?")
    api.send_text(ANNA, "Taalcafé Noord")
    api.wait_for_message(ANNA, "Rond welk thema")
    api.send_text(ANNA, "taal en ontmoeting")
    api.wait_for_message(ANNA, "Je werkt nu met Taalcafé Noord")

    api.send_text(ANNA, "/gesprek Fatima, voorzitter")
    api.wait_for_message(ANNA, "Vraag 1/8")
    press(api, ANNA, "➕ Actie")
    api.wait_for_message(ANNA, "Wat spreken jullie af?")
    api.send_text(ANNA, "Ruimte in de bieb navragen")
    api.wait_for_message(ANNA, "Wie pakt deze actie op?")
    press(api, ANNA, "Fatima")
    api.wait_for_message(ANNA, "Wanneer moet ‘Ruimte in de bieb navragen’ gedaan zijn?")
    api.send_text(ANNA, "vrijdag")
    api.wait_for_message(ANNA, "✅ Actie bewaard: ‘Ruimte in de bieb navragen’, voor Fatima,"
                               " uiterlijk morgen.")
    bot.wait_for_ticks("daily-actions", 2)
    settle(api)
    assert due_messages(api) == []

    clock.advance(23 * HOUR)  # Friday 09:00 in Amsterdam
    api.wait_for(lambda: len(due_messages(api)) == 1, what="Friday's action message")
    assert "Ruimte in de bieb navragen" in due_messages(api)[0]["text"]
    assert bot.terminate() == 0
