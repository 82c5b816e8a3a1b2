"""The listener's settings and its ASGI app in process (httpx's ASGI transport, no socket):
what VELDGIDS_WEBHOOK_URL and VELDGIDS_LISTEN accept, and requests the webhook refuses
before it reads them. The end-to-end tests (tests/e2e/test_operations.py) cover the rest."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.app.registry import build_service
from bot.ops import listener
from bot.ops.health import Health
from bot.ops.listener import MAX_BODY, ListenError, Routes, bind
from bot.ops.settings import Settings, listen_address, webhook_url
from bot.telegram.app import build_application
from bot.telegram.inbox import Inbox
from bot.telegram.telemetry import Telemetry
from bot.telegram.webhook import WebhookReceiver

URL = "https://bieb.example.nl/veldgids/telegram"


@pytest.mark.parametrize("value", [URL, "https://bieb.example.nl:8443/x", "https://b.nl:88"])
def test_webhook_urls_telegram_delivers_to(value: str) -> None:
    assert webhook_url(value) == value


@pytest.mark.parametrize(("value", "problem"), [
    ("http://bieb.example.nl/hook", "must be a public https:// URL"),
    ("bieb.example.nl/hook", "must be a public https:// URL"),
    ("https:///hook", "must be a public https:// URL"),
    ("https://bieb.example.nl:8080/hook", "only delivers to ports 443, 80, 88 and 8443"),
    ("https://bieb.example.nl:99999/hook", "has an invalid port"),
    ("https://bieb.example.nl/healthz", "its path may not be /healthz"),
])
def test_webhook_urls_refused_with_a_reason(value: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        webhook_url(value)


@pytest.mark.parametrize(("value", "address"), [
    ("127.0.0.1:8080", ("127.0.0.1", 8080)), ("0.0.0.0:80", ("0.0.0.0", 80)),
    ("[::1]:9000", ("::1", 9000)), ("localhost:0", ("localhost", 0))])
def test_listen_addresses(value: str, address: tuple[str, int]) -> None:
    assert listen_address(value) == address


@pytest.mark.parametrize("value", ["8080", ":8080", "host:", "host:http", "host:70000"])
def test_listen_addresses_refused(value: str) -> None:
    with pytest.raises(ValueError, match="must be host:port"):
        listen_address(value)


def test_a_taken_address_is_one_clear_error() -> None:
    first = bind("127.0.0.1", 0)
    port = first.getsockname()[1]
    try:
        with pytest.raises(ListenError, match=f"cannot listen on 127.0.0.1:{port}: Address "
                                              "already in use$"):
            bind("127.0.0.1", port)
    finally:
        first.close()
    with pytest.raises(ListenError, match="cannot listen on no-such-host.invalid:80"):
        bind("no-such-host.invalid", 80)


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, WebhookReceiver]]:
    settings = Settings(_env_file=None, VELDGIDS_DB=tmp_path / "v.db",  # type: ignore[call-arg]
                        VELDGIDS_DATA_DIR=tmp_path / "data", VELDGIDS_WEBHOOK_URL=URL)
    service = build_service(settings)
    app = build_application("123456:" + "A" * 35, "http://127.0.0.1:9/bot",
                            "http://127.0.0.1:9/file/bot", service)
    telemetry = Telemetry(service.store.clock)
    receiver = WebhookReceiver(app, Inbox(app, service.store), URL, telemetry)
    routes = Routes(Health(settings.db, telemetry, "webhook"), None, receiver)
    transport = httpx.ASGITransport(app=routes)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://bot") as http:
        yield http, receiver
    service.store.close()


async def test_an_oversized_body_is_refused_unread(
        client: tuple[httpx.AsyncClient, WebhookReceiver]) -> None:
    http, receiver = client
    headers = {"X-Telegram-Bot-Api-Secret-Token": receiver.secret}
    big = b'{"update_id": 5, "message": "' + b"x" * MAX_BODY + b'"}'
    assert (await http.post("/veldgids/telegram", content=big, headers=headers)).status_code == 413
    assert receiver.inbox.store.inbox() == []
    assert (await http.post("/elders", content=b"{}", headers=headers)).status_code == 404
    assert (await http.head("/healthz")).status_code in (200, 503)
    assert (await http.get("/metrics")).status_code == 404  # off unless asked for


async def test_the_secret_is_compared_in_full(
        client: tuple[httpx.AsyncClient, WebhookReceiver]) -> None:
    http, receiver = client
    update = b'{"update_id": 7, "message": {"message_id": 1, "date": 0, "chat": {"id": 1, ' \
             b'"type": "private"}, "from": {"id": 1, "is_bot": false, "first_name": "A"}, ' \
             b'"text": "hallo"}}'
    for wrong in (receiver.secret[:-1], receiver.secret + "x", receiver.secret.upper(), ""):
        response = await http.post("/veldgids/telegram", content=update,
                                   headers={"X-Telegram-Bot-Api-Secret-Token": wrong})
        assert response.status_code == 403
    assert receiver.inbox.store.inbox() == []
    response = await http.post("/veldgids/telegram", content=update,
                               headers={"X-Telegram-Bot-Api-Secret-Token": receiver.secret})
    assert response.status_code == 200
    assert [u["update_id"] for u in receiver.inbox.store.inbox()] == [7]  # stored before the 200


async def test_refusals_are_logged_as_episodes(monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture) -> None:
    """A steady stream of refusals: its first line, a summary each SUMMARY_EVERY while it
    goes on and one when it stops; together they count every refusal once."""
    monkeypatch.setattr(listener, "QUIET", 0.2)
    monkeypatch.setattr(listener, "SUMMARY_EVERY", 0.5)
    refusals = listener.Refusals()
    caplog.set_level(logging.WARNING, logger="veldgids.listen")
    started = time.monotonic()
    for _ in range(60):  # about 1.2 s
        refusals.note("no secret token", "192.0.2.7", "refused from %s: no secret token")
        await asyncio.sleep(0.02)
    lasted = time.monotonic() - started
    await asyncio.sleep(0.5)  # quiet: the episode ends
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0] == "refused from 192.0.2.7: no secret token"
    summaries = lines[1:]
    assert 2 <= len(summaries) <= lasted / 0.5 + 2, lines
    counted = [int(line.split()[0]) for line in summaries]
    assert sum(counted) == 59 and all("from 1 address: no secret token" in x for x in summaries)
    refusals.note("too slow", "192.0.2.8", "closed %s: too slow")  # a new episode
    refusals.note("no secret token", "192.0.2.7", "refused from %s: no secret token")
    assert [r.getMessage() for r in caplog.records][-2:] == [
        "closed 192.0.2.8: too slow", "refused from 192.0.2.7: no secret token"]
    refusals.close()
