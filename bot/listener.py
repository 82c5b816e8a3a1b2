"""What listens on VELDGIDS_LISTEN: `/healthz`, `/metrics` (when on) and, in webhook mode,
the webhook's path. A small ASGI app served by uvicorn on the bot's own event loop.

Why uvicorn and not aiohttp or python-telegram-bot's tornado server: a well-kept server on
h11, which httpx already brought in, that adds a few tens of milliseconds to start-up where
aiohttp adds a few hundred (docs/benchmarks.md measures start-up); and tornado's handler in
python-telegram-bot answers before the update is stored (bot/webhook.py). We bind the socket
ourselves (a taken address is our clear error, not uvicorn's exit) and keep our own signal
handling and logging.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import uvicorn

from bot.health import Health
from bot.settings import HEALTH_PATH, METRICS_PATH
from bot.webhook import WebhookReceiver

if TYPE_CHECKING:  # prometheus-client is imported only when /metrics is on
    from bot.metrics import Metrics

log = logging.getLogger("veldgids.listen")

MAX_BODY = 1 << 20  # a Telegram update is a few kB; anything near this is not one
Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class ListenError(Exception):
    """VELDGIDS_LISTEN can't be bound."""


@dataclass
class Routes:
    health: Health
    metrics: Metrics | None = None
    webhook: WebhookReceiver | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        try:
            if self.webhook is not None and path == self.webhook.path:
                if method != "POST":
                    return await _answer(send, 405)
                body = await _body(receive)
                if body is None:
                    log.warning("webhook request refused: body over %d bytes", MAX_BODY)
                    return await _answer(send, 413)
                headers = dict(scope["headers"])
                client = scope.get("client") or ("?", 0)
                status = await self.webhook.receive(
                    headers.get(b"x-telegram-bot-api-secret-token"), body, str(client[0]))
                return await _answer(send, status)
            if path == HEALTH_PATH and method in ("GET", "HEAD"):
                status, payload = await self.health.check()
                return await _answer(send, status, payload, "application/json")
            if path == METRICS_PATH and self.metrics is not None and method == "GET":
                return await _answer(send, 200, self.metrics.render(), self.metrics.content_type)
            return await _answer(send, 404)
        except Exception as exc:  # noqa: BLE001 - one bad request must not end the listener
            # Type only: the message may quote what the request carried.
            log.error("request to %s failed: %s", path, type(exc).__name__)
            return await _answer(send, 500)


async def _body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def _answer(send: Send, status: int, body: bytes = b"",
                  content_type: str = "text/plain; charset=utf-8") -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type.encode()),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # SIGTERM and SIGINT are the runner's: it stops us in its own order


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, or ListenError with the reason in one line."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise ListenError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise ListenError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.setblocking(False)
    return sock


class Listener:
    """uvicorn on an already bound socket, started and stopped by the runner."""

    def __init__(self, routes: Routes, sock: socket.socket) -> None:
        self.sock = sock
        config = uvicorn.Config(routes, log_config=None, access_log=False, lifespan="off",
                                interface="asgi3", http="h11", ws="none", server_header=False,
                                timeout_graceful_shutdown=5)
        self.server = _Server(config)
        self.task: asyncio.Task[None] | None = None

    @property
    def address(self) -> str:
        host, port = self.sock.getsockname()[:2]
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def start(self) -> None:
        logging.getLogger("uvicorn.error").setLevel(logging.WARNING)  # no start/stop chatter
        self.task = asyncio.create_task(self.server.serve(sockets=[self.sock]))

    async def stop(self) -> None:
        """Refuse new connections, finish the requests in hand (each a quick store)."""
        if self.task is None:
            return
        self.server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        self.task = None
