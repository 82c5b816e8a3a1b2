"""Two librarians with look-alike data: nothing one does ever shows the other's data.

Every command is tried (parametrized: add new commands to COMMANDS), every button the other
librarian was ever shown is pressed (stale and forged ids), and exported files are opened.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import docx as python_docx
import pytest

from bot.app.registry import COMMANDS as MENU
from bot.app.registry import Service
from bot.app.service import Outcome
from dialogs.catalog import Catalog
from dialogs.replies import Button
from storage.goals import GoalRepo
from storage.store import Store
from storage.talk import TalkRepo
from tests.access_helpers import Clock, full_service
from tests.chat import Chat

ANNA_TG, BRAM_TG = 1001, 1002
# What only Bram has; Anna's data is built the same way with her own words.
BRAM_ONLY = ("Kievitsbloem", "Moestuin Kievit", "Bram-Persoon", "Bram-Doel", "Bram-Visie")
# Commands with arguments worth trying; every command of the menu is tried as well.
COMMANDS = sorted({f"/{c.name}" for c in MENU} | {
    "/search Kievit*", "/zoek bloem", "/search moestuin", "/search *", "/note Kievit?",
    "/summary", "/samenvatting", "/goals", "/doelen", "/reminders", "/export", "/mydata",
    "/start", "/users", "/invite"})


def fill(store: Store, chat: Chat, words: dict[str, str]) -> None:
    chat.onboard(words["community"], "taal")
    chat.send(f"{words['note']} vertelde over de buurt #buurt")
    user = store.user_by_telegram(chat.who.telegram_id or 0)
    assert user is not None and user.active_community is not None
    talk = TalkRepo(store)
    person = talk.add_person(user.id, user.active_community, words["person"], "voorzitter",
                             None)
    conv = talk.start(user.id, user.active_community, person, "buurthuis")
    talk.add_turn(conv, user.id, "librarian", "work", f"{words['note']} in gesprek")
    talk.set_summary(conv, f"Samenvatting {words['note']}", [words["note"]])
    goals = GoalRepo(store)
    goals.save_vision(user.active_community, "bieb", "deelnemers", words["vision"], "buren")
    goal = goals.add_goal(user.id, user.active_community, specific=words["goal"],
                          metric="bezoekers", baseline=1, target=10, achievable="ja",
                          relevant="ja", relevant_part=None, deadline=date(2025, 12, 1))
    goals.log_progress(user.id, goal, 3, words["note"])


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = Store(db_path, clock=Clock())
    yield s
    s.close()


@pytest.fixture
def service(store: Store, catalog: Catalog, tmp_path: Path) -> Service:
    return full_service(store, catalog, tmp_path / "data")


@pytest.fixture
def pair(service: Service, store: Store) -> tuple[Chat, Chat]:
    anna = Chat(service, telegram_id=ANNA_TG, name="Anna")
    bram = Chat(service, telegram_id=BRAM_TG, name="Bram")
    fill(store, anna, {"community": "Moestuin Zwaan", "note": "Zwanenbloem",
                       "person": "Anna-Persoon", "vision": "Anna-Visie", "goal": "Anna-Doel"})
    fill(store, bram, {"community": "Moestuin Kievit", "note": "Kievitsbloem",
                       "person": "Bram-Persoon", "vision": "Bram-Visie", "goal": "Bram-Doel"})
    return anna, bram


def seen(outcome: Outcome) -> str:
    """Everything a librarian would see: texts, notices, button labels, file contents."""
    parts = [outcome.notice or ""]
    for reply in outcome.replies:
        parts.append(reply.text)
        parts += [b.label for row in reply.buttons for b in row]
        for attachment in reply.attachments:
            if attachment.filename.endswith(".docx"):
                doc = python_docx.Document(io.BytesIO(attachment.content))
                parts += [p.text for p in doc.paragraphs]
            else:
                parts.append(attachment.content.decode("utf-8-sig", "replace"))
    return "\n".join(parts)


def assert_private(outcome: Outcome, what: str) -> None:
    shown = seen(outcome)
    leaked = [word for word in BRAM_ONLY if word in shown]
    assert not leaked, f"{what} showed {leaked}: {shown[:300]!r}"


def buttons(chat: Chat) -> list[Button]:
    return [b for r in chat.replies for row in r.buttons for b in row]


@pytest.mark.parametrize("command", COMMANDS)
def test_no_command_shows_the_other_librarians_data(pair: tuple[Chat, Chat],
                                                    command: str) -> None:
    anna, _ = pair
    assert_private(anna.send(command), command)
    # Follow every button the command offered (one level deep), e.g. export formats.
    for button in [b for r in anna.last.replies for row in r.buttons for b in row]:
        if "wis alles" in button.label:
            continue
        assert_private(anna.press_data(button.data), f"{command} → {button.label}")


def test_every_export_holds_only_ones_own_data(pair: tuple[Chat, Chat]) -> None:
    anna, _ = pair
    for fmt in ("Markdown", "Word", "CSV", "JSON"):
        anna.send("/export")
        anna.press("Alles")
        anna.press(fmt)
        shown = seen(anna.last)
        assert "Zwanenbloem" in shown and (fmt == "CSV" or "Anna-Doel" in shown), fmt
        assert_private(anna.last, fmt)
    anna.send("/mydata")
    shown = seen(anna.last)
    assert "Zwanenbloem" in shown
    assert_private(anna.last, "/mydata")
    data = json.loads(anna.last.replies[0].attachments[0].content)
    assert {r["telegram_id"] for r in data["records"]["users"]} == {ANNA_TG}


def test_pressing_the_other_librarians_buttons_shows_nothing_of_theirs(
        pair: tuple[Chat, Chat], store: Store, service: Service) -> None:
    anna, bram = pair
    for command in COMMANDS:
        bram.send(command)
        for button in [b for r in bram.last.replies for row in r.buttons for b in row]:
            if "wis alles" not in button.label:
                bram.press_data(button.data)
    bram_id = store.user_by_telegram(BRAM_TG).id  # type: ignore[union-attr]
    bram_community = store.communities(bram_id)[0].id
    stamp = int(service.clock().timestamp())
    forged = [f"ex:s:{bram_community}", f"ex:f:{bram_community}:json",
              f"ex:f:{bram_community}:md", f"fg:yes:{bram_id}:{stamp}", f"ac:rv:{bram_id}",
              f"ac:ok:{bram_id}", f"9.d:{bram_community}", f"1.d:{bram_community}"]
    pressed = {b.data for b in buttons(bram)} | set(forged)
    assert len(pressed) > 20
    before = store.db.execute("SELECT count(*) FROM notes WHERE user_id = ?",
                              (bram_id,)).fetchone()[0]
    for data in sorted(pressed):
        assert_private(anna.press_data(data), f"button {data}")
        anna.send("/start")  # and whatever state that left Anna in shows nothing either
        assert_private(anna.last, f"after {data}")
    assert store.user(bram_id) is not None
    assert store.db.execute("SELECT count(*) FROM notes WHERE user_id = ?",
                            (bram_id,)).fetchone()[0] == before
    assert store.communities(bram_id)[0].name == "Moestuin Kievit"
