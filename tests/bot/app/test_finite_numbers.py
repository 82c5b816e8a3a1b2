"""No infinite number is ever kept (issue 27, point 6): 10^309 read as `inf`, `nan`, `1e309`
and `∞` are refused wherever a number is typed; a bad goal already in a database still lets
the weekly overview go out (without its chart) and never puts Infinity in a JSON export."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import math
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.app.registry import FEATURES, Service
from bot.features.export.files import render
from bot.features.goals.reminders import ReminderTick
from dialogs.catalog import Catalog
from dialogs.rules.goals.smart import Invalid, parse_number
from storage.export import snapshot
from storage.goals import GoalRepo
from storage.store import Store
from tests.bot.features.goals.test_goals import Clock, add_goal
from tests.bot.features.goals.test_reminders import FakeSender
from tests.chat import Chat

HUGE = "1" + "0" * 309  # float() makes this inf
NOT_FINITE = [HUGE, "-" + HUGE, "1" + "0" * 306 + " miljoen", "inf", "nan", "1e309", "∞",
              "Infinity"]
TOO_BIG = "Dat getal is te groot om mee te rekenen"
MONDAY_NINE = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam (winter)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))


@pytest.fixture
def service(db_path: Path, catalog: Catalog, clock: Clock) -> Service:
    s = Service(Store(db_path, clock=clock), catalog, features=FEATURES)
    yield s  # type: ignore[misc]
    s.store.close()


@pytest.fixture
def anna(service: Service) -> Chat:
    chat = Chat(service, telegram_id=1001, name="Anna")
    chat.onboard("Taalcafé Noord", "taal")
    return chat


def numbers(service: Service) -> list[float]:
    rows = service.store.rows("SELECT baseline, target FROM goals")
    rows += service.store.rows("SELECT value AS baseline, value AS target FROM goal_progress")
    return [float(r[k]) for r in rows for k in ("baseline", "target")]


@pytest.mark.parametrize("typed", NOT_FINITE)
def test_the_parser_never_returns_a_number_that_is_not_finite(typed: str) -> None:
    parsed = parse_number(typed)
    assert isinstance(parsed, Invalid) or math.isfinite(parsed)


def test_a_start_value_of_ten_to_the_309_is_refused_not_asked_about(
        anna: Chat, service: Service) -> None:
    anna.send("/doelen")
    anna.press("Nieuw SMART-doel")
    anna.send("een leesclub voor vaders")
    anna.send("aantal vaders per bijeenkomst")
    anna.send(HUGE)
    assert TOO_BIG in anna.text() and "Klopt dat" not in anna.text()
    assert "Waar staan jullie nu" in anna.text()  # asked again
    assert not any("Ja, zo laten" in label for label in anna.labels())
    for typed in NOT_FINITE[1:]:
        anna.send(typed)
        assert "Waar staan jullie nu" in anna.text(), typed
        assert "Klopt dat" not in anna.text(), typed
    anna.send("3")
    anna.send(HUGE)  # the target
    assert TOO_BIG in anna.text()
    anna.send("12")
    assert "A · Haalbaar" in anna.text()


def test_progress_and_participants_refuse_it_too(anna: Chat, service: Service) -> None:
    add_goal(anna, own="het buurthuis vol zit")
    anna.press("Opslaan")
    goal = service.store.rows("SELECT id FROM goals")[0]["id"]
    anna.press_data(f"goal:log:{goal}")
    anna.send(HUGE)
    assert TOO_BIG in anna.text() and "Wat is de nieuwe stand?" in anna.text()
    anna.send("5")
    anna.press("Zonder notitie")
    assert all(math.isfinite(n) for n in numbers(service))
    anna.send("/activiteit")
    anna.press("Activiteit vastleggen")
    anna.send("workshop")
    anna.press("Vandaag")
    anna.send("Workshop podcasten")
    anna.send(HUGE)
    assert TOO_BIG in anna.text() and "Hoeveel mensen deden mee?" in anna.text()
    anna.send("6")
    assert "Hoeveel mensen deden mee?" not in anna.text()  # on to the next question


def plant_infinite_goal(service: Service, chat: Chat) -> int:
    """A goal as the old bot stored it: baseline inf, straight into the database."""
    user = service.user(chat.who)
    assert user.active_community is not None
    repo = GoalRepo(service.store)
    with service.store.atomic():
        good = repo.add_goal(user.id, user.active_community, specific="leesclub voor vaders",
                             metric="vaders", baseline=0, target=6, achievable="",
                             relevant="", relevant_part=None, deadline=date(2027, 6, 1))
        bad = repo.add_goal(user.id, user.active_community, specific="oneindig doel",
                            metric="bezoekers", baseline=0, target=6, achievable="",
                            relevant="", relevant_part=None, deadline=date(2027, 6, 1))
        service.store.db.execute("UPDATE goals SET baseline = ? WHERE id = ?",
                                 (float("inf"), bad))
    return good


def test_a_bad_goal_in_the_database_never_stops_the_weekly_overview(
        anna: Chat, service: Service, clock: Clock, caplog: pytest.LogCaptureFixture) -> None:
    plant_infinite_goal(service, anna)
    sender = FakeSender()
    tick = ReminderTick(service, sender)
    asyncio.run(tick.run_once())  # makes the weekly row
    clock.now = MONDAY_NINE
    with caplog.at_level(logging.WARNING, logger="veldgids"):
        assert asyncio.run(tick.run_once()) == 1
    (chat_id, replies), = sender.sent
    assert chat_id == 1001
    text = replies[0].text
    assert "• leesclub voor vaders" in text
    photos = [a for r in replies[1:] for a in r.attachments]
    assert len(photos) == 1 and photos[0].content.startswith(b"\x89PNG")  # the good goal's
    bad = service.store.rows("SELECT id FROM goals WHERE specific = 'oneindig doel'")[0]["id"]
    said = [r.getMessage() for r in caplog.records]
    assert any(f"goal {bad}" in line and "not a finite number" in line for line in said), said
    clock.now += timedelta(days=7)
    assert asyncio.run(tick.run_once()) == 1  # and every week after


def test_json_export_never_writes_infinity(anna: Chat, service: Service,
                                           catalog: Catalog) -> None:
    plant_infinite_goal(service, anna)
    user = service.user(anna.who)
    content = render(snapshot(service.store, user.id), catalog, "json").decode()

    def refuse(name: str) -> None:
        raise ValueError(f"not JSON: {name}")

    data = json.loads(content, parse_constant=refuse)  # strict JSON, as other tools read it
    goals = {g["specific"]: g for g in data["communities"][0]["goals"]}
    assert goals["oneindig doel"]["baseline"] is None
    assert goals["leesclub voor vaders"]["baseline"] == 0


@pytest.mark.parametrize("fmt", ["md", "docx", "csv"])
def test_the_other_exports_are_made_with_a_bad_goal_in_the_database(
        anna: Chat, service: Service, catalog: Catalog, fmt: str) -> None:
    plant_infinite_goal(service, anna)
    user = service.user(anna.who)
    content = render(snapshot(service.store, user.id), catalog, fmt)  # type: ignore[arg-type]
    if fmt == "docx":
        import docx as python_docx

        document = python_docx.Document(io.BytesIO(content))
        body = "\n".join(p.text for p in document.paragraphs)
        assert "oneindig doel" in body and "leesclub voor vaders" in body
        assert len(document.inline_shapes) == 1  # the good goal's chart only
    elif fmt == "md":
        assert "oneindig doel" in content.decode()
