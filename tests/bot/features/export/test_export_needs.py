"""The needs a goal answers travel with it: in the JSON export (checked against its schema),
in /mydata's rows, and in the report's goal section ("Antwoord op: …")."""

from __future__ import annotations

import copy
import io
import json
from datetime import date

import docx as python_docx
import jsonschema
import pytest

from bot.features.export.files import render
from storage.export import everything, schema, snapshot
from storage.goals import GoalRepo
from tests.chat import Chat

NEEDS = ["een plek om Nederlands te oefenen", "kinderopvang"]


def goals(chat: Chat) -> int:
    user = chat.service.user(chat.who)
    repo = GoalRepo(chat.service.store)
    for specific, needs in (("Wekelijks taalcafé", NEEDS), ("Voorleesmiddag", [])):
        repo.add_goal(user.id, user.active_community or 0, specific=specific, metric="avonden",
                      baseline=0, target=4, achievable="", relevant="", relevant_part=None,
                      deadline=date(2027, 6, 1), needs=needs)
    return user.id


def test_the_json_export_lists_each_goals_needs(anna: Chat) -> None:
    user_id = goals(anna)
    data = json.loads(render(snapshot(anna.service.store, user_id), anna.service.catalog,
                             "json"))
    jsonschema.validate(data, schema())
    assert data["schema_version"] == 8
    assert [g["needs"] for g in data["communities"][0]["goals"]] == [NEEDS, []]
    wrong = copy.deepcopy(data)
    wrong["communities"][0]["goals"][0]["needs"] = "kinderopvang"  # the schema says a list
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(wrong, schema())


def test_mydata_holds_the_needs_as_stored(anna: Chat) -> None:
    user_id = goals(anna)
    data = everything(anna.service.store, user_id)
    jsonschema.validate(data, schema())
    rows = data["records"]["goals"]
    assert [r["needs"] for r in rows] == ["een plek om Nederlands te oefenen\nkinderopvang", ""]


def test_the_report_says_what_each_goal_answers(anna: Chat) -> None:
    user_id = goals(anna)
    data = snapshot(anna.service.store, user_id)
    catalog = anna.service.catalog
    document = python_docx.Document(io.BytesIO(render(data, catalog, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("Antwoord op: een plek om Nederlands te oefenen, kinderopvang") == 1
    assert text.count("Antwoord op") == 1  # the goal without needs says nothing about them
    assert "**Antwoord op:** een plek om Nederlands te oefenen, kinderopvang" in render(
        data, catalog, "md").decode()
