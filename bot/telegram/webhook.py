"""Webhook mode: Telegram POSTs each update to VELDGIDS_WEBHOOK_URL, and the answer is 200
only once the update is stored in the inbox polling uses too (bot/telegram/inbox.py). A crash before
that answer means Telegram delivers the update again; one stored twice is recognised by its id.

python-telegram-bot's own webhook server answers 200 as soon as an update is queued, before
anything is written, so a crash in between would lose it: that is why this is our own small
handler behind bot/ops/listener.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import secrets
from datetime import datetime
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application

from bot.ops import logsafe
from bot.telegram.inbox import Inbox
from bot.telegram.telemetry import Telemetry
from storage.ops import waiting_or_done

log = logging.getLogger("veldgids.webhook")

CHECK_EVERY = 60.0  # seconds between two looks at the webhook's state at Telegram
MAX_BACKOFF = 30.0
MAX_UPDATE_ID = 2**63 - 1  # SQLite's largest integer


class WebhookRefused(Exception):
    """Telegram will not deliver to the configured URL."""


class WebhookReceiver:
    def __init__(self, app: Application, inbox: Inbox, url: str, telemetry: Telemetry) -> None:
        self.app = app
        self.inbox = inbox
        self.url = url
        self.path = urlsplit(url).path or "/"
        self.telemetry = telemetry
        # New at every start and never stored: a leaked one is useless after a restart.
        self.secret = secrets.token_urlsafe(32)
        logsafe.hide(self.secret)
        self._last_error: datetime | None = None

    def authorized(self, token: bytes | None) -> bool:
        """Whether a request carries our secret token; asked before a byte of its body is read
        (bot/ops/listener.py refuses and logs the others)."""
        if token is not None and hmac.compare_digest(token, self.secret.encode()):
            return True
        self.telemetry.error("webhook_unauthorized")
        return False

    async def receive(self, body: bytes, client: str) -> int:
        """One authorized POST from Telegram; returns the HTTP status to answer with. Refusals
        are logged with the sender's address and the body's size, never its content."""
        payload = _update(body)
        if payload is None:
            self.telemetry.error("webhook_malformed")
            log.warning("webhook request from %s refused: %d bytes that are not a Telegram "
                        "update", client, len(body))
            return 400
        if waiting_or_done(self.inbox.store, payload["update_id"]):
            return 200  # delivered again (our 200 got lost): it is handled or in hand already
        kept = await self.inbox.keep([payload])
        if kept is None:  # locked or full: not stored, so Telegram must deliver it again
            return 503
        for update in kept:
            await self.app.update_queue.put(update)
        return 200

    async def run(self, stop: asyncio.Event) -> None:
        """Hand over what waits in the inbox, point Telegram at us, then watch the webhook."""
        await self.inbox.replay()  # before new deliveries, so each chat keeps its order
        if not await self._set(stop):
            return
        log.info("webhook set: Telegram delivers to %s", self.url)
        while not stop.is_set():
            await _sleep(stop, CHECK_EVERY)
            if not stop.is_set():
                await self.check()

    async def _set(self, stop: asyncio.Event) -> bool:
        backoff = 1.0
        while not stop.is_set():
            try:
                await self.app.bot.set_webhook(self.url, allowed_updates=list(Update.ALL_TYPES),
                                               secret_token=self.secret)
                return True
            except RetryAfter as exc:
                delay = float(exc.retry_after if isinstance(exc.retry_after, int | float)
                              else exc.retry_after.total_seconds())
                log.warning("setWebhook rate limited; waiting %.0f s", delay)
                await _sleep(stop, delay)
            except (NetworkError, TimedOut) as exc:
                log.warning("setWebhook failed (%s); retrying in %.0f s", exc, backoff)
                await _sleep(stop, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
            except TelegramError as exc:
                raise WebhookRefused(f"Telegram refused the webhook {self.url}: "
                                     f"{exc.message}") from None
        return False

    async def check(self) -> None:
        """Ask Telegram how delivery goes: keeps /healthz's Bot API contact fresh when nobody
        writes, feeds /metrics, and tells the operator about failed deliveries."""
        try:
            info = await self.app.bot.get_webhook_info()
        except TelegramError as exc:
            log.warning("getWebhookInfo failed (%s)", type(exc).__name__)
            return
        self.telemetry.webhook_pending = info.pending_update_count
        if info.url != self.url:
            log.warning("the webhook now points to %r, not %s: is another instance running "
                        "with this bot token?", info.url, self.url)
        if info.last_error_date and info.last_error_date != self._last_error:
            self._last_error = info.last_error_date
            log.warning("Telegram could not deliver to the webhook at %s: %s (%d waiting)",
                        info.last_error_date.isoformat(timespec="seconds"),
                        info.last_error_message, info.pending_update_count)


def _update(body: bytes) -> dict | None:
    """The body as an update, or None when it is none: not JSON, nested too deep to parse
    (RecursionError), or without an update_id SQLite can keep (Telegram's are positive)."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(payload, dict):
        return None
    update_id = payload.get("update_id")
    if type(update_id) is not int or not 0 <= update_id <= MAX_UPDATE_ID:
        return None
    return payload


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
