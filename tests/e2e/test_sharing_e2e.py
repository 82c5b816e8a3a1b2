"""A shared community through the real bot process: Anna shares with Bram, both note in the
field, Bram finds Anna's note, Anna hands over and leaves keeping her contributions, Bram
still has them under "een oud-collega", and nothing of Anna's identity is left."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.access_helpers import leftovers
from tests.e2e.harness import BotProcess, press, settle
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.e2e
ANNA, BRAM = 2001, 2002  # admitted by the harness; ids no update id contains


def onboard(api: FakeBotAPI, user: int, name: str, community: str) -> None:
    api.send_text(user, "/start", first_name=name, language_code="nl")
    api.wait_for_message(user, "Met welke community werk je?")
    api.send_text(user, community)
    api.wait_for_message(user, "Rond welk thema")
    api.send_text(user, "taal")
    api.wait_for_message(user, f"Je werkt nu met {community}")


def test_share_note_find_hand_over_and_leave_keeping_contributions(
        api: FakeBotAPI, bot_factory: Callable[..., BotProcess], tmp_path: Path) -> None:
    bot = bot_factory({"VELDGIDS_REMINDER_TICK": "0.3"}).start()
    onboard(api, ANNA, "Anna", "Wijk Zwaan")
    onboard(api, BRAM, "Bram", "Eigen Tuin")

    api.send_text(ANNA, "/community")
    api.wait_for_message(ANNA, "Je community's")
    press(api, ANNA, "Delen")
    api.wait_for_message(ANNA, "Wie werkt er mee aan Wijk Zwaan")
    press(api, ANNA, "Collega uitnodigen")
    api.wait_for_message(ANNA, "Met wie wil je deze community delen")
    press(api, ANNA, "Bram")
    api.wait_for_message(ANNA, "Uitnodiging verstuurd naar Bram")
    api.wait_for_message(BRAM, "Anna wil de community Wijk Zwaan met je delen")
    press(api, BRAM, "Ja, ik doe mee")
    api.wait_for_message(BRAM, "Je doet nu mee met Wijk Zwaan")
    api.wait_for_message(ANNA, "Bram doet nu mee met Wijk Zwaan")

    api.send_text(ANNA, "Fatima van de moskee wil een taalcafé beginnen")
    api.wait_for_message(ANNA, "Genoteerd bij Wijk Zwaan")
    api.send_text(BRAM, "Ahmed helpt met de zaal in het buurthuis")
    api.wait_for_message(BRAM, "Genoteerd bij Wijk Zwaan")
    api.send_text(BRAM, "/zoek moskee")
    found = api.wait_for_message(BRAM, "Fatima")
    assert "Anna, " in found["text"]

    # Anna owns the shared community: she hands it to Bram before she can leave.
    api.send_text(ANNA, "/vergeetmij")
    api.wait_for_message(ANNA, "Draag elke gedeelde community eerst over")
    seen = max(m["message_id"] for m in api.bot_messages(ANNA))
    api.send_text(ANNA, "/community")
    api.wait_for_message(ANNA, "Je community's")
    press(api, ANNA, "Delen")
    api.wait_for_message(ANNA, "Wie werkt er mee aan Wijk Zwaan", newer_than=seen)
    press(api, ANNA, "Overdragen aan Bram")
    api.wait_for_message(ANNA, "Bram wordt eigenaar")
    press(api, ANNA, "Ja, draag over aan Bram")
    api.wait_for_message(ANNA, "Bram is nu eigenaar van Wijk Zwaan")
    api.wait_for_message(BRAM, "aan jou overgedragen")

    api.send_text(ANNA, "/vergeetmij")
    api.wait_for_message(ANNA, "een oud-collega")
    press(api, ANNA, "laat mijn bijdragen bij het team")
    api.wait_for_message(ANNA, "is gewist")

    api.send_text(BRAM, "/zoek moskee")
    found = api.wait_for_message(BRAM, "een oud-collega")
    assert "Fatima" in found["text"] and "Anna" not in found["text"]
    settle(api)
    assert bot.terminate() == 0

    db_path = tmp_path / "veldgids.db"
    db = sqlite3.connect(db_path)
    try:
        assert db.execute("SELECT count(*) FROM team_messages").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM notes WHERE text LIKE 'Fatima%'"
                          ).fetchone()[0] == 1
    finally:
        db.close()
    assert leftovers(db_path, tmp_path / "data", ["Anna"], ANNA, user_id=1) == []
