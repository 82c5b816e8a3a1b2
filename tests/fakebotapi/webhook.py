"""Webhook delivery, the way Telegram does it.

`setWebhook` with a public HTTPS URL (ports 443, 80, 88 or 8443, an optional secret token of
1-256 characters `A-Za-z0-9_-`) switches the bot from getUpdates (now refused with 409) to
deliveries: each pending update is POSTed as JSON, with the secret in the
`X-Telegram-Bot-Api-Secret-Token` header, and counts as confirmed only when the bot answers
2xx; otherwise it is offered again after a pause, and getWebhookInfo reports the last error.
Like Telegram, updates of one chat go one at a time, in order; different chats are delivered
concurrently, up to `max_connections` (40 by default).

Telegram reaches the public URL; the fake has no DNS or TLS, so a test tells it where that
host really listens: ``api.route_webhook("veldgids.example", "127.0.0.1:8443")`` makes
``https://veldgids.example/tg`` arrive as ``http://127.0.0.1:8443/tg``. A host nobody routed
fails like an unknown name does at Telegram.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from typing import Any
from urllib.parse import urlsplit

from tests.fakebotapi.errors import ApiError, bad_request
from tests.fakebotapi.state import ChatState

WEBHOOK_ACTIVE = ("Conflict: can't use getUpdates method while webhook is active; use "
                  "deleteWebhook to delete the webhook first")
TERMINATED = "Conflict: terminated by setWebhook request"
PORTS = (443, 80, 88, 8443)
SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TIMEOUT = 30.0  # seconds a delivery may take before it counts as failed
MAX_PAUSE = 1.0  # Telegram waits longer between tries; tests should not


def chat_of(update: dict) -> int:
    """The queue an update waits in: its chat (or sender); 0 when it has neither."""
    for value in update.values():
        if not isinstance(value, dict):
            continue
        message = value.get("message") if isinstance(value.get("message"), dict) else value
        chat = message.get("chat") if isinstance(message, dict) else None
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            return chat["id"]
        sender = value.get("from")
        if isinstance(sender, dict) and isinstance(sender.get("id"), int):
            return sender["id"]
    return 0


class Webhooks:
    """The webhook's settings and the deliveries. Bot API calls hold the state's lock."""

    def __init__(self, state: ChatState) -> None:
        self.state = state
        self.routes: dict[str, str] = {}  # public host[:port] -> listen address
        self.url = ""
        self.secret: str | None = None
        self.max_connections = 40
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self.busy: set[int] = set()  # chats with a delivery in flight
        self.paused: dict[int, float] = {}  # chat -> monotonic time of its next try
        self.tries: dict[int, int] = {}  # chat -> failed tries in a row
        self.deliveries: list[tuple[int, int | str]] = []  # (update_id, status or error)
        self.running = False

    # -- the Bot API methods -----------------------------------------------------------------

    def set(self, p: dict) -> bool:
        url = str(p.get("url") or "")
        if not url:
            return self.delete(p)
        parts = urlsplit(url)
        if parts.scheme != "https":
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        try:
            port = parts.port or 443
        except ValueError:
            raise bad_request("bad webhook: Wrong port number specified in the URL") from None
        if port not in PORTS:
            raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 "
                              "or 8443")
        if parts.netloc not in self.routes:
            raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
        secret = p.get("secret_token")
        if secret is not None and not SECRET_SHAPE.fullmatch(str(secret)):
            raise bad_request("secret token contains unallowed characters")
        if "allowed_updates" in p:
            self.state.allowed = set(p["allowed_updates"] or []) or None
        if p.get("drop_pending_updates"):
            self.state.updates.clear()
        self.url, self.secret = url, secret
        self.max_connections = min(max(int(p.get("max_connections") or 40), 1), 100)
        self.paused.clear()  # a new webhook is tried at once
        self.tries.clear()
        self.state.lock.notify_all()
        return True

    def delete(self, p: dict) -> bool:
        if p.get("drop_pending_updates"):
            self.state.updates.clear()
        self.url, self.secret = "", None
        self.last_error_date = self.last_error_message = None
        return True

    def info(self) -> dict[str, Any]:
        info: dict[str, Any] = {"url": self.url, "has_custom_certificate": False,
                                "pending_update_count": len(self.state.updates)}
        if self.url:
            info["max_connections"] = self.max_connections
            if self.state.allowed:
                info["allowed_updates"] = sorted(self.state.allowed)
        if self.last_error_date is not None:
            info["last_error_date"] = self.last_error_date
            info["last_error_message"] = self.last_error_message
        return info

    # -- test side ---------------------------------------------------------------------------

    def route(self, public: str, listen: str) -> None:
        """Deliveries for https://<public>/... go to http://<listen>/... instead."""
        with self.state.lock:
            self.routes[public] = listen

    # -- delivering --------------------------------------------------------------------------

    def start(self) -> None:
        with self.state.lock:
            self.running = True
        threading.Thread(target=self._loop, daemon=True, name="webhook-deliveries").start()

    def stop(self) -> None:
        with self.state.lock:
            self.running = False
            self.state.lock.notify_all()

    def _loop(self) -> None:
        with self.state.lock:
            while self.running:
                for update in self._next():
                    chat = chat_of(update)
                    self.busy.add(chat)
                    threading.Thread(target=self._deliver, args=(update, chat, self.url,
                                                                 self.secret), daemon=True).start()
                self.state.lock.wait(0.05)

    def _next(self) -> list[dict]:
        """Pending updates that may go now: the first of each chat that is neither in flight
        nor pausing after a failure, within max_connections."""
        if not self.url:
            return []
        self.state.updates = [u for u in self.state.updates if self.state.wanted(u)]
        now, seen, ready = time.monotonic(), set(), []
        for update in self.state.updates:
            chat = chat_of(update)
            if chat in seen:
                continue
            seen.add(chat)
            if chat in self.busy or self.paused.get(chat, 0) > now:
                continue
            if len(self.busy) + len(ready) >= self.max_connections:
                break
            ready.append(update)
        return ready

    def _deliver(self, update: dict, chat: int, url: str, secret: str | None) -> None:
        parts = urlsplit(url)
        target = self.routes.get(parts.netloc, "")
        host, _, port = target.rpartition(":")
        body = json.dumps(update, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "Content-Length": str(len(body))}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        outcome: int | str
        try:
            conn = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
            try:
                conn.request("POST", (parts.path or "/") + (f"?{parts.query}" if parts.query
                                                            else ""), body, headers)
                response = conn.getresponse()
                response.read()
                outcome = response.status
            finally:
                conn.close()
        except ConnectionRefusedError:
            outcome = "Connection refused"
        except TimeoutError:
            outcome = "Read timeout expired"
        except (OSError, http.client.HTTPException):
            outcome = "Connection reset by peer"
        with self.state.lock:
            self.busy.discard(chat)
            self.deliveries.append((update["update_id"], outcome))
            if isinstance(outcome, int) and 200 <= outcome < 300:
                self.state.updates = [u for u in self.state.updates if u is not update]
                self.tries.pop(chat, None)
            else:
                self.last_error_date = int(time.time())
                self.last_error_message = (
                    f"Wrong response from the webhook: {outcome} "
                    f"{http.client.responses.get(outcome, '')}".rstrip()
                    if isinstance(outcome, int) else outcome)
                tries = self.tries[chat] = self.tries.get(chat, 0) + 1
                self.paused[chat] = time.monotonic() + min(0.05 * 2 ** tries, MAX_PAUSE)
            self.state.lock.notify_all()


def refuse_polling(webhooks: Webhooks) -> None:
    """getUpdates while a webhook is set: Telegram's 409."""
    if webhooks.url:
        raise ApiError(409, WEBHOOK_ACTIVE)

