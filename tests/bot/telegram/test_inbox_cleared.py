"""An update leaves the inbox with its step: handled once, never replayed at the next start,
whether the step's own transaction took it out or the front end had to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from telegram import Update

from bot.app.registry import Service
from bot.app.service import Defaults, Outcome, Who
from bot.telegram.app import build_application
from bot.telegram.polling import Poller
from dialogs.catalog import Catalog
from storage.store import Store
from tests.bot.fakerequest import factory
from tests.fakebotapi import FakeBotAPI


async def _handle(store: Store, service: Service, api: FakeBotAPI,
                  updates: list[dict[str, Any]]) -> int:
    """Keep the updates in the inbox as polling does, handle them, then replay the inbox as
    the next start would: how many updates that start would handle again."""
    app = build_application(api.token, api.base_url, api.base_file_url, service,
                            request=factory(api), rate_limited=False)
    await app.initialize()
    try:
        store.inbox_add([(u["update_id"], u) for u in updates])
        for update in updates:
            await app.process_update(Update.de_json(update, app.bot))
        return await Poller(app, store, timeout=0).replay_inbox()
    finally:
        await app.shutdown()


async def test_handled_updates_are_not_replayed(store: Store, catalog: Catalog,
                                                tmp_path: Path) -> None:
    api = FakeBotAPI(token="123456:INBOX-token")
    service = Service(store, catalog, Defaults(admins=(1001,), data_dir=tmp_path))
    texts = ["/start", "Taalcafé Noord", "taal", "/fase"]
    updates = [{"update_id": 100 + n, "message": api.send_text(1001, text)}
               for n, text in enumerate(texts)]
    assert await _handle(store, service, api, updates) == 0
    assert store.inbox() == []
    assert "Rond welk thema" in api.bot_messages(1001)[1]["text"]  # each answered once
    assert len(api.bot_messages(1001)) == 4


async def test_a_failed_update_leaves_the_inbox_too(store: Store, catalog: Catalog,
                                                    tmp_path: Path) -> None:
    """No step transaction marked it handled: the front end takes it out (it is kept
    aside for the admin instead, bot/telegram/delivery.py)."""
    api = FakeBotAPI(token="123456:INBOX-token")
    service = Service(store, catalog, Defaults(admins=(1001,), data_dir=tmp_path))

    def broken(turn: Any) -> Outcome:
        raise ValueError("kapot")

    service.slots["idle_text"] = broken
    with store.atomic():
        service.user(Who(telegram_id=1001, name="Anna"))
    update = {"update_id": 7, "message": api.send_text(1001, "hallo")}
    assert await _handle(store, service, api, [update]) == 0
    assert store.inbox() == []
    assert "Er ging iets mis" in api.bot_messages(1001)[-1]["text"]
