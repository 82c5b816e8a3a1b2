"""Counting what the running bot does, for /healthz and /metrics: updates handled, replies
sent, errors by kind, and when the Bot API last answered. Plain counters, so counting costs
nothing and needs no Prometheus library unless /metrics is on (bot/ops/metrics.py).

Never a user id, a chat id or a word anyone wrote: labels are kinds and Bot API methods.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.error import NetworkError, TimedOut
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.telegram.transport import QueuedRequest
from storage.store import Clock

log = logging.getLogger("veldgids.telemetry")

# Bot API methods that put a message (or a changed one) in front of a librarian.
REPLY_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "editMessageText"})
UPDATE_KINDS = ("message", "edited_message", "callback_query")


class Telemetry:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.started = clock()
        self.last_contact: datetime | None = None
        self.updates: Counter[str] = Counter()
        self.replies: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.webhook_pending: int | None = None  # Telegram's count, in webhook mode

    # what the transport sees
    def answered(self, method: str, status: int) -> None:
        """The Bot API answered `method` with HTTP `status`."""
        if status < 500:  # a refusal is an answer too; 5xx is Telegram (or a proxy) in trouble
            self.last_contact = self.clock()
        if status == 200:
            if method in REPLY_METHODS:
                self.replies[method] += 1
        elif status == 429:
            self.errors["telegram_rate_limited"] += 1
        elif status >= 500:
            self.errors["telegram_unavailable"] += 1
        else:
            self.errors["telegram_refused"] += 1

    def unreachable(self) -> None:
        self.errors["telegram_unreachable"] += 1

    def error(self, kind: str) -> None:
        self.errors[kind] += 1

    def contact_age(self) -> float:
        """Seconds since the Bot API last answered (since start, before the first answer)."""
        return (self.clock() - (self.last_contact or self.started)).total_seconds()

    # what the Application sees
    def install(self, app: Application) -> None:
        """Count every update after all other handlers ran, and every update that failed."""
        app.add_handler(TypeHandler(Update, self._handled), group=100)
        app.add_error_handler(self._failed)

    async def _handled(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        kind = next((k for k in UPDATE_KINDS if getattr(update, k, None) is not None), "other")
        self.updates[kind] += 1

    async def _failed(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.errors["update_failed" if isinstance(update, Update) else "job_failed"] += 1

    def request(self) -> TrackedRequest:
        """A transport for `build_application(request=...)` that reports to this object
        (bot/telegram/transport.py: a pool of 8 connections, further requests queued)."""
        return TrackedRequest(self)


class TrackedRequest(QueuedRequest):
    """The bot's HTTP transport, telling Telemetry how each call went."""

    def __init__(self, telemetry: Telemetry, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.telemetry = telemetry

    async def do_request(self, url: str, method: str, *args: Any,
                         **kwargs: Any) -> tuple[int, bytes]:
        try:
            status, payload = await super().do_request(url, method, *args, **kwargs)
        except (NetworkError, TimedOut):
            self.telemetry.unreachable()
            raise
        # The URL ends in the method name; the token before it is never kept.
        self.telemetry.answered(url.rsplit("/", 1)[-1], status)
        return status, payload
