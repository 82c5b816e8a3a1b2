"""A SMART goal and its weekly reminder through the real bot process and the fake Bot API:
the test moves the bot's clock (VELDGIDS_CLOCK_OFFSET_FILE), it does not sleep."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.e2e.harness import BotProcess, press, settle
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e
ANNA = 1001
# Wednesday 3 March 2027, 10:00 in Amsterdam: where the bot's clock starts.
START = datetime(2027, 3, 3, 9, 0, tzinfo=UTC)


class MovableClock:
    """Writes the offset the bot adds to real time; `advance` jumps the bot's clock."""

    def __init__(self, path: Path, start: datetime = START) -> None:
        self.path = path
        self.offset = start.timestamp() - time.time()
        self._write()

    def _write(self) -> None:
        self.path.write_text(f"{self.offset:.3f}", encoding="utf-8")

    def advance(self, seconds: float) -> None:
        self.offset += seconds
        self._write()


def reminders(api: FakeBotAPI) -> list[dict]:
    return [m for m in api.bot_messages(ANNA) if "🗓 Je weekoverzicht" in (m.get("text") or "")]


def test_goal_reminder_with_chart_log_from_button_and_no_duplicate_after_restart(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    clock = MovableClock(tmp_path / "clock-offset")
    # DEBUG: the background logs each run of the tick then (and no goal text, see the end).
    env = {"VELDGIDS_CLOCK_OFFSET_FILE": str(clock.path), "VELDGIDS_REMINDER_TICK": "0.3",
           "VELDGIDS_TIMEZONE": "Europe/Amsterdam", "VELDGIDS_LOG_LEVEL": "DEBUG"}
    bot = bot_factory(env).start()

    api.send_text(ANNA, "/start", first_name="Anna", language_code="nl")
    api.wait_for_message(ANNA, "Met welke community werk je?")
    api.send_text(ANNA, "Taalcafé Noord")
    api.wait_for_message(ANNA, "Rond welk thema")
    api.send_text(ANNA, "taal en ontmoeting")
    api.wait_for_message(ANNA, "Je werkt nu met Taalcafé Noord")

    api.send_text(ANNA, "/doelen")
    api.wait_for_message(ANNA, "Nog geen doelen voor Taalcafé Noord")
    press(api, ANNA, "Nieuw SMART-doel")
    for prompt, answer in (
            ("S · Specifiek", "een wekelijks taalcafé organiseren voor nieuwkomers"),
            ("M · Meetbaar", "aantal deelnemers per week"),
            ("Waar staan jullie nu", "4"),
            ("Welk getal willen jullie bereiken", "12"),
            ("A · Haalbaar", "vrijwilligers van de taalschool")):
        api.wait_for_message(ANNA, prompt)
        api.send_text(ANNA, answer)
    api.wait_for_message(ANNA, "R · Relevant")
    api.send_text(ANNA, "nieuwkomers zich thuis voelen in de wijk")
    api.wait_for_message(ANNA, "T · Tijdgebonden")
    api.send_text(ANNA, "over 3 maanden")
    api.wait_for_message(ANNA, "Uiterlijk 3 juni 2027 willen Taalcafé Noord en de bibliotheek")
    press(api, ANNA, "Opslaan")
    api.wait_for_message(ANNA, "0% · 4 van 12 (aantal deelnemers per week)")

    api.send_text(ANNA, "/herinneringen")
    api.wait_for_message(ANNA, "elke maandag om 09:00 (Nederlandse tijd)")
    press(api, ANNA, "Andere dag")
    api.wait_for_message(ANNA, "Op welke dag")
    press(api, ANNA, "wo")
    api.wait_for_message(ANNA, "elke woensdag om 09:00")
    press(api, ANNA, "Andere tijd")
    api.wait_for_message(ANNA, "Hoe laat?")
    api.send_text(ANNA, "25:00")
    api.wait_for_message(ANNA, "‘25:00’ is geen tijd die ik ken")
    api.send_text(ANNA, "10:30")  # half an hour ahead of the bot's clock
    api.wait_for_message(ANNA, "Volgende keer: woensdag 3 maart 2027 om 10:30")
    settle(api)
    assert reminders(api) == [] and not api.calls_to("sendPhoto")

    clock.advance(31 * 60)
    reminder = api.wait_for_message(ANNA, "🗓 Je weekoverzicht, Anna.")
    assert "0% · 4 van 12" in reminder["text"] and "🟢 Op schema" in reminder["text"]
    photo = api.wait_for_call("sendPhoto")
    assert int(photo["chat_id"]) == ANNA
    upload = api.uploads[-1]
    assert upload["content"].startswith(b"\x89PNG") and "taalcafé" in (upload["caption"] or "")

    press(api, ANNA, "📈 een wekelijks taalcafé")
    api.wait_for_message(ANNA, "Wat is de nieuwe stand?")
    api.send_text(ANNA, "7")
    api.wait_for_message(ANNA, "korte notitie")
    press(api, ANNA, "Zonder notitie")
    api.wait_for_message(ANNA, "📈 Vastgelegd: 7")
    settle(api)

    assert bot.terminate() == 0
    restarted = bot_factory(env).start()
    clock.advance(60)  # later the same day, after the restart: nothing new is due
    restarted.wait_for_ticks("weekly-reminders", 3)  # the first may have read the old clock
    settle(api)
    assert len(reminders(api)) == 1 and len(api.calls_to("sendPhoto")) == 1

    clock.advance(7 * 24 * 3600)  # a week later: exactly one new reminder, with the new value
    api.wait_for(lambda: len(reminders(api)) == 2, what="next week's reminder")
    restarted.wait_for_ticks("weekly-reminders", 3)  # the sending tick and two more
    settle(api)
    assert len(reminders(api)) == 2
    assert "▓▓▓░░░░░░░ 37% · 7 van 12" in reminders(api)[-1]["text"]
    assert restarted.terminate() == 0

    db = sqlite3.connect(tmp_path / "veldgids.db")
    log = db.execute("SELECT outcome FROM reminder_log ORDER BY due_at").fetchall()
    assert log == [("sent",), ("sent",)]
    everything = bot.output() + restarted.output()
    assert "taalcafé" not in everything  # goal texts stay out of the logs
