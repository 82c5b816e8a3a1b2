"""How updates reach the bot — long polling or a webhook — and the listener beside them
(/healthz, /metrics and the webhook's path on VELDGIDS_LISTEN). The runner starts and stops
this; both ways store each update in the inbox before Telegram learns it arrived."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.ext import Application

from bot.app.service import Service
from bot.ops.health import Health
from bot.ops.listener import Listener, ListenError, Routes, bind
from bot.ops.settings import Settings
from bot.telegram.inbox import Inbox
from bot.telegram.polling import Poller
from bot.telegram.resilience import StorageGuard
from bot.telegram.telemetry import Telemetry
from bot.telegram.webhook import WebhookReceiver

log = logging.getLogger("veldgids.run")

MAX_BACKOFF = 30.0


class Receiving:
    def __init__(self, settings: Settings, app: Application, service: Service,
                 telemetry: Telemetry, poll_timeout: int = 20,
                 guard: StorageGuard | None = None) -> None:
        self.settings = settings
        self.app = app
        inbox = Inbox(app, service.store, service.admitted, guard)
        self.webhook = (WebhookReceiver(app, inbox, settings.webhook_url, telemetry)
                        if settings.webhook_url else None)
        self.poller = None if self.webhook else Poller(app, service.store, timeout=poll_timeout,
                                                       admitted=service.admitted, guard=guard)
        metrics = None
        if settings.metrics == "on":
            from bot.ops.metrics import Metrics  # prometheus-client only when asked for

            metrics = Metrics(telemetry, service.store)
        self.routes = Routes(Health(settings.db, telemetry, self.mode), metrics, self.webhook)
        self.listener: Listener | None = None

    @property
    def mode(self) -> str:
        return "webhook" if self.webhook else "polling"

    def listen(self) -> None:
        """Bind VELDGIDS_LISTEN. Webhook mode can't work without it (ListenError); polling
        mode can, so there a taken address costs /healthz and /metrics, and says so."""
        try:
            sock = bind(*self.settings.listen_address)
        except ListenError as exc:
            if self.webhook:
                raise ListenError(f"{exc}; webhook mode needs VELDGIDS_LISTEN (choose a free "
                                  "address)") from None
            log.warning("%s: running without /healthz and /metrics (set VELDGIDS_LISTEN to a "
                        "free address to have them)", exc)
            return
        self.listener = Listener(self.routes, sock)
        self.listener.start()
        served = ["/healthz", *(["/metrics"] if self.routes.metrics else []),
                  *([self.webhook.path + " (webhook)"] if self.webhook else [])]
        log.info("listening on %s: %s", self.listener.address, ", ".join(served))

    async def run(self, stop: asyncio.Event) -> None:
        if self.webhook is not None:
            await self.webhook.run(stop)
            return
        assert self.poller is not None
        if await self._no_webhook(stop):
            await self.poller.run(stop)

    async def _no_webhook(self, stop: asyncio.Event) -> bool:
        """getUpdates is refused while a webhook is set (after running in webhook mode)."""
        backoff = 1.0
        while not stop.is_set():
            try:
                await self.app.bot.delete_webhook()
                return True
            except RetryAfter:
                await _sleep(stop, backoff)
            except (NetworkError, TimedOut) as exc:
                log.warning("deleteWebhook failed (%s); retrying in %.0f s", exc, backoff)
                await _sleep(stop, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
        return False

    async def close(self) -> None:
        """Stop listening: no new webhook requests; the ones in hand are answered first."""
        if self.listener is not None:
            await self.listener.stop()
            self.listener = None


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
