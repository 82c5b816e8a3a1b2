"""Any input, no crash: random sequences of updates through the real handlers.

The python-telegram-bot Application from `build_application`, with the full service, gets
updates built by the fake Bot API server (`tests/bot/updates.py`); its Bot API calls go to
that server in-process, which checks them as Telegram would. After every update:
- no handler raised and nothing was logged at ERROR;
- the bot made no call Telegram would refuse;
- an allowed user's private update got an answer (a message, an edit or a reaction; a press
  exactly one answerCallbackQuery), an update seen before got none, a group at most one short
  "private chats only" (and the bot left it), and the kinds in `IGNORED` nothing;
- every stored dialog state names an existing step;
and at the end nothing sent in a group, a channel or by a stranger is stored anywhere.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from telegram import Update
from telegram.ext import ContextTypes

from bot.app.registry import FEATURES, Service
from bot.app.service import Defaults
from bot.telegram.app import build_application
from dialogs.catalog import Catalog
from storage.store import Store
from tests import figures
from tests.bot.fakerequest import factory
from tests.bot.updates import (
    ALLOWED,
    GROUP_MARK,
    IGNORED,
    STRANGER_MARK,
    STRANGERS,
    Act,
    World,
    sequences,
)
from tests.fakebotapi import NOT_MODIFIED, QUERY_TOO_OLD, FakeBotAPI

TOKEN = "123456:FUZZ-token"
ANSWERS = {"sendmessage", "sendphoto", "senddocument", "editmessagetext",
           "editmessagereplymarkup", "setmessagereaction"}
# Refusals the front end expects and handles (an edit that changed nothing, or of a message
# that is gone: it sends a new message instead).
HANDLED = (NOT_MODIFIED.removeprefix("Bad Request: "), "message to edit not found",
           "message can't be edited")


@dataclass
class Tally:
    examples: int = 0
    updates: int = 0
    kinds: dict[str, int] = field(default_factory=dict)


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def errors_logged() -> Iterator[_Errors]:
    handler = _Errors()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def _chat_of(raw: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    kind = next(k for k in raw if k != "update_id")
    return kind, raw[kind]


def _sender(obj: dict[str, Any]) -> int | None:
    return (obj.get("from") or {}).get("id")


async def run_sequence(acts: list[Act], catalog: Catalog, tally: Tally) -> None:
    api = FakeBotAPI(token=TOKEN)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(":memory:")
        service = Service(store, catalog, Defaults(admins=ALLOWED, data_dir=Path(tmp)),
                          features=FEATURES)
        app = build_application(TOKEN, api.base_url, api.base_file_url, service,
                                request=factory(api), rate_limited=False)
        raised: list[BaseException] = []

        async def keep(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
            if context.error is not None:
                raised.append(context.error)

        app.add_error_handler(keep)
        world = World(api)
        seen: set[int] = set()
        await app.initialize()
        try:
            with errors_logged() as logged:
                for act in acts:
                    for raw in world.realize(act):
                        await _feed(app, api, raw, act, raw["update_id"] in seen, raised)
                        seen.add(raw["update_id"])
                        _check_states(store, catalog)
                        tally.updates += 1
                        tally.kinds[act.kind] = tally.kinds.get(act.kind, 0) + 1
                assert not logged.records, [r.getMessage() for r in logged.records]
            _check_nothing_kept(store, service)
        finally:
            await app.shutdown()
            store.close()
    tally.examples += 1


async def _feed(app: Any, api: FakeBotAPI, raw: dict[str, Any], act: Act, again: bool,
                raised: list[BaseException]) -> None:
    calls, errors = len(api.calls), len(api.errors)
    update = Update.de_json(raw, app.bot)
    await app.update_processor.process_update(update, app.process_update(update))
    assert not raised, f"{act}: {raised[0]!r}"
    made = api.calls[calls:]
    refused = [(m, d) for m, _, _, d in api.errors[errors:]
               if not (any(h in d for h in HANDLED)
                       or (again and QUERY_TOO_OLD.removeprefix("Bad Request: ") in d))]
    assert not refused, f"{act}: Telegram would refuse {refused}"
    kind, obj = _chat_of(raw)
    chat = ((obj.get("message") or {}).get("chat") if kind == "callback_query"
            else obj.get("chat")) or {}
    sender = _sender(obj)
    to_chat = [c for c in made if c.method.lower() in ANSWERS
               and c.params.get("chat_id") == chat.get("id")]
    answers = [c for c in made if c.method.lower() == "answercallbackquery"
               and str(c.params.get("callback_query_id")) == obj.get("id")]
    if act.kind in IGNORED:
        assert not made, f"{act}: ignored kinds get no answer, got {made}"
    elif kind == "callback_query":
        assert len(answers) == (0 if again else 1) or (again and len(answers) <= 1), (
            f"{act}: a press is answered exactly once, got {answers}")
        if again or chat.get("type") != "private":
            assert not to_chat, f"{act}: nothing but the answer, got {to_chat}"
    elif chat.get("type") in ("group", "supergroup"):
        # A group hears "private chats only" once, and the bot leaves it; nothing of it is
        # stored. (The my_chat_member update saying it left gets nothing.)
        told = api.bot_messages(chat["id"])
        assert len(told) <= 1 and len(to_chat) <= 1, f"{act}: one short answer a group: {told}"
        assert not told or chat["id"] in api.left_chats, f"{act}: the bot stays in the group"
    elif again:
        assert not to_chat, f"{act}: a re-delivered update is not applied twice: {to_chat}"
    elif chat.get("type") == "private" and sender in ALLOWED:
        assert to_chat, f"{act}: an allowed user's message gets an answer; calls: {made}"


def _check_states(store: Store, catalog: Catalog) -> None:
    for dialog, step in store.db.execute("SELECT dialog, step FROM dialog_state").fetchall():
        if dialog is None:
            continue
        assert dialog in catalog.dialogs and step in catalog.dialogs[dialog].steps, (dialog, step)


def _check_nothing_kept(store: Store, service: Service) -> None:
    """No trace of group, channel or stranger text in any table; strangers are no users."""
    tables = [r[0] for r in store.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
    for table in tables:
        for row in store.db.execute(f'SELECT * FROM "{table}"').fetchall():
            for cell in row:
                if isinstance(cell, str):
                    assert GROUP_MARK not in cell and STRANGER_MARK not in cell, (table, cell)
    if service.gates:  # closed access is installed: strangers leave nothing behind
        ids = {r[0] for r in store.db.execute("SELECT telegram_id FROM users").fetchall()}
        assert not ids & set(STRANGERS), ids


def _fuzz(catalog: Catalog, examples: int) -> Tally:
    tally = Tally()

    @settings(max_examples=examples, deadline=None, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(acts=sequences)
    def check(acts: list[Act]) -> None:
        asyncio.run(run_sequence(acts, catalog, tally))

    check()
    return tally


def test_random_update_sequences_through_the_real_handlers(catalog: Catalog) -> None:
    tally = _fuzz(catalog, examples=300)
    figures.record("fuzz", examples=tally.examples, updates=tally.updates)
    assert tally.updates > 1000 and len(tally.kinds) >= 20, tally


@pytest.mark.soak
def test_random_update_sequences_soak(catalog: Catalog) -> None:
    tally = _fuzz(catalog, examples=5000)
    figures.record("fuzz_soak", examples=tally.examples, updates=tally.updates)
