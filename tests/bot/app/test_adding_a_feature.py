"""Adding a feature touches no other: a toy one, declared in this module alone, runs through
the engine, a table of its own and the real Telegram handlers on the fake Bot API.

The toy counts visitors (/turf): a command, a dialog with a question, an effect that stores
the number, a value the dialog shows and the texts of its command. Its registration is what
a real feature's is: its class in the feature list, its module in the schema's list and its
definitions in a folder of their own.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations
from telegram import Update

from bot.app.events import Defaults, Outcome, Turn
from bot.app.feature import Ask, Feature, command, effect, provides
from bot.app.registry import FEATURES, Service, load_catalog
from bot.telegram.app import build_application
from dialogs.catalog import DEFINITIONS
from dialogs.replies import Reply
from storage import schema
from storage.store import Store, User
from tests.bot.fakerequest import factory
from tests.fakebotapi import FakeBotAPI

ANNA = 1001

# --- storage: this module is the toy's storage module (its migration set)
migrations = Migrations("tally")


@migrations()
def m001_tallies(db: Database) -> None:
    db.execute("CREATE TABLE tallies (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL"
               " REFERENCES users(id) ON DELETE CASCADE, visitors INTEGER NOT NULL)")


# --- the feature: its command, effect and the value its dialog shows
class Tally(Feature):
    name = "tally"

    @command("tally", aliases=("turf",), group="field", order=99)
    def cmd_tally(self, turn: Turn) -> Outcome:
        return self.service.begin(turn, "tally")

    @effect("count_visitors")
    def count(self, user: User, data: dict[str, Any], turn: Turn | None = None) -> list[Reply]:
        self.service.store.db.execute("INSERT INTO tallies (user_id, visitors) VALUES (?, ?)",
                                      (user.id, int(data["visitors"])))
        return []

    @provides(values=("tally_total",))
    def total(self, ask: Ask) -> dict[str, Any]:
        row = ask.store.one("SELECT coalesce(sum(visitors), 0) AS n FROM tallies"
                            " WHERE user_id = ?", (ask.user.id,))
        return {"tally_total": str(row["n"] if row else 0)}


DIALOG = """\
id: tally
title: {nl: "Turven", en: "Tally"}
start: ask
steps:
  ask:
    kind: question
    text: {nl: "Hoeveel bezoekers waren er? Tot nu toe {tally_total}.",
           en: "How many visitors were there? {tally_total} so far."}
    validate: [nonempty, one_line, "max_length:5"]
    save: visitors
    effect: count_visitors
    next: done
  done:
    kind: end
    text: {nl: "Geturfd.", en: "Counted."}
"""
TEXTS = """\
cmd_tally: {nl: "Bezoekers turven", en: "Count visitors"}
help_tally: {nl: "/turf: bezoekers turven", en: "/tally: count visitors"}
"""


@pytest.fixture
def definitions(tmp_path: Path) -> Path:
    folder = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, folder)
    (folder / "tally").mkdir()
    (folder / "tally" / "tally.yaml").write_text(DIALOG, encoding="utf-8")
    (folder / "tally" / "texts_tally.yaml").write_text(TEXTS, encoding="utf-8")
    return folder


async def test_a_toy_feature_runs_end_to_end_without_touching_another(
        tmp_path: Path, definitions: Path) -> None:
    features = (*FEATURES, Tally)  # the registry's one line
    store = Store(tmp_path / "toy.db", parts=(*schema.MODULES, sys.modules[__name__]))
    catalog = load_catalog(definitions, features=features)
    service = Service(store, catalog, Defaults(admins=(ANNA,), data_dir=tmp_path), features)
    api = FakeBotAPI(token="123456:TOY-token")
    api.add_private_chat(ANNA)
    app = build_application(api.token, api.base_url, api.base_file_url, service,
                            request=factory(api), rate_limited=False)
    await app.initialize()
    try:
        for n, text in enumerate(["/turf", "12", "/turf", "7"]):
            update = {"update_id": 500 + n, "message": api.send_text(ANNA, text)}
            await app.process_update(Update.de_json(update, app.bot))
    finally:
        await app.shutdown()
    said = [m["text"] for m in api.bot_messages(ANNA)]
    assert said == ["Hoeveel bezoekers waren er? Tot nu toe 0.", "Geturfd.",
                    "Hoeveel bezoekers waren er? Tot nu toe 12.", "Geturfd."]
    assert [r["visitors"] for r in store.rows("SELECT visitors FROM tallies")] == [12, 7]
    # Its command stands in /help with the others, from its declaration alone.
    assert "/turf" in service.menu.help_text(catalog, "nl")
    store.close()


def test_the_shipped_bot_knows_nothing_of_the_toy() -> None:
    """Declaring the toy here changed no other feature, list or table."""
    assert Tally not in FEATURES
    assert sys.modules[__name__] not in schema.MODULES
    assert (DEFINITIONS / "tally").exists() is False
