"""The report with little or odd data says so in a sentence: a community with nothing, no
goals or no activities; a period with no records; a goal without a baseline; ten goals, each
with its chart."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import docx as python_docx
import pytest

from bot.features.export.files import render
from bot.features.export.options import Options
from dialogs.catalog import Catalog
from storage.activities import ActivityRepo
from storage.export import snapshot
from storage.goals import GoalRepo
from storage.store import Store
from storage.talk import TalkRepo
from tests.access_helpers import Clock


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = Store(db_path, clock=Clock())
    yield s
    s.close()


def anna(store: Store) -> tuple[int, int]:
    user = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=1001).id
    return user, store.create_community(user, "Moestuin West", None)


def test_a_community_with_nothing_gets_one_sentence(store: Store, catalog: Catalog) -> None:
    user, cid = anna(store)
    md = render(snapshot(store, user, cid), catalog, "md").decode()
    assert "Voor Moestuin West is nog niets vastgelegd." in md
    assert "Nog niet vastgelegd" not in md and "| Doel |" not in md
    assert "Wat we deden" not in md  # no empty sections after it
    document = python_docx.Document(io.BytesIO(render(snapshot(store, user, cid), catalog,
                                                      "docx")))
    assert "Voor Moestuin West is nog niets vastgelegd." in [p.text for p in
                                                            document.paragraphs]


def test_a_period_with_no_records_says_so(store: Store, catalog: Catalog) -> None:
    user, cid = anna(store)
    chosen = Options(start=date(2026, 10, 1), end=date(2026, 12, 31))
    md = render(snapshot(store, user, cid), catalog, "md", chosen).decode()
    assert "· periode: 1 oktober – 31 december 2026*" in md  # the line under the title
    assert "Voor Moestuin West is in deze periode niets vastgelegd." in md


def test_no_goals_and_no_activities_each_one_sentence(store: Store, catalog: Catalog) -> None:
    user, cid = anna(store)
    talk = TalkRepo(store)
    conversation = talk.start(user, cid, talk.add_person(user, cid, "Joop", None, None), None)
    talk.add_turn(conversation, user, "librarian", "work", "Hij kweekt tomaten")
    md = render(snapshot(store, user, cid), catalog, "md").decode()
    for sentence in ("Er zijn nog geen SMART-doelen opgesteld.", "Er is nog geen visie",
                     "Nog geen activiteiten met de community.",
                     "Er zijn nog geen doelen gesteld en nog geen opbrengsten genoteerd.",
                     "Nog geen citaten met een ⭐"):
        assert md.count(sentence) == 1, sentence
    assert "Nog niet vastgelegd" not in md
    assert "**Joop, " in md and "Hij kweekt tomaten" in md  # under its question
    assert "Joop · 1 notitie" in md  # and once in brief


def test_a_goal_without_a_baseline_has_no_pace_or_chart(store: Store, catalog: Catalog) -> None:
    user, cid = anna(store)
    GoalRepo(store).add_goal(user, cid, specific="Tien tuinders", metric="tuinders", baseline=0,
                             target=10, achievable="", relevant="", relevant_part=None,
                             deadline=date(2025, 12, 31))
    data = snapshot(store, user, cid)
    data["communities"][0]["goals"][0]["baseline"] = None  # as an older or odd record holds it
    md = render(data, catalog, "md").decode()
    assert "| Tien tuinders | — | — | 10 | 31 december 2025 | geen startwaarde |" in md
    document = python_docx.Document(io.BytesIO(render(data, catalog, "docx")))
    assert len(document.inline_shapes) == 0


def test_ten_goals_ten_charts(store: Store, catalog: Catalog) -> None:
    user, cid = anna(store)
    goals = GoalRepo(store)
    for n in range(1, 11):
        goal = goals.add_goal(user, cid, specific=f"Doel {n}", metric="deelnemers", baseline=0,
                              target=n * 2, achievable="", relevant="", relevant_part=None,
                              deadline=date(2025, 12, 31))
        goals.log_progress(user, goal, n, None)
    document = python_docx.Document(io.BytesIO(render(snapshot(store, user, cid), catalog,
                                                      "docx")))
    assert len(document.tables[0].rows) == 11
    described = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    assert len(described) == 10 and all(d.startswith("Grafiek van het doel ‘Doel ") for d in
                                        described)
    assert described[9].endswith("van 0 naar 20 uiterlijk 31 december 2025; nu 10.")


def test_distinct_participants_never_recorded_say_so(store: Store, catalog: Catalog) -> None:
    user, cid = anna(store)
    ActivityRepo(store).add(user, cid, kind="tuinochtend", day=date(2025, 3, 1), what="zaaien",
                            participants=6, led_by="Joop", note=None)
    md = render(snapshot(store, user, cid), catalog, "md").decode()
    assert "| Bezoeken (alle deelnemers opgeteld) | 6 |" in md
    assert "| Verschillende deelnemers | nog niet bijgehouden\\* |" in md
    assert "*\\* Bij de activiteiten staat niet wie er voor het eerst was.*" in md
    assert "minstens 0" not in md
