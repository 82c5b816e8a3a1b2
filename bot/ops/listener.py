"""What listens on VELDGIDS_LISTEN: `/healthz`, `/metrics` (when on) and, in webhook mode,
the webhook's path. A small ASGI app served by uvicorn on the bot's own event loop.

Why uvicorn and not aiohttp or python-telegram-bot's tornado server: a well-kept server on
h11, which httpx already brought in, that adds a few tens of milliseconds to start-up where
aiohttp adds a few hundred (docs/benchmarks.md measures start-up); and tornado's handler in
python-telegram-bot answers before the update is stored (bot/telegram/webhook.py). We bind the
socket
ourselves (a taken address is our clear error, not uvicorn's exit) and keep our own signal
handling and logging.

Strangers can reach this port (through the reverse proxy), so nothing they send may hold it:
a webhook request without our secret is refused on its headers, before a byte of its body is
read; a connection gets REQUEST_TIMEOUT to send a complete request head and an authorized one
BODY_TIMEOUT for its body; at most MAX_WAITING connections may wait without a request in hand
(the oldest is closed first; bot/ops/connections.py), so open files stay well below the limit
and Telegram's deliveries and /healthz, which send their request at once, keep getting through.
Refusals are logged as episodes (class Refusals), never a line per request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import uvicorn

from bot.ops.connections import Guard, NotHTTP, WatchedProtocol
from bot.ops.health import Health
from bot.ops.settings import HEALTH_PATH, METRICS_PATH
from bot.telegram.webhook import WebhookReceiver

if TYPE_CHECKING:  # prometheus-client is imported only when /metrics is on
    from bot.ops.metrics import Metrics

log = logging.getLogger("veldgids.listen")

MAX_BODY = 1 << 20  # a Telegram update is a few kB; anything near this is not one
BODY_TIMEOUT = 10.0  # seconds for an authorized webhook request's body; Telegram's take ms
BACKLOG = 128  # connections accepted per turn of the loop: keeps a burst below MAX_WAITING
QUIET = 10.0  # seconds without a refusal that end an episode
SUMMARY_EVERY = 60.0  # a summary line at most this often while an episode goes on
MAX_ADDRESSES = 10_000  # distinct senders counted per summary
Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class ListenError(Exception):
    """VELDGIDS_LISTEN can't be bound."""


class Refusals:
    """Requests refused and connections closed because of what a stranger sent (or did not
    send). The first of each kind in an episode is logged at once; the rest are counted and
    summed up in one line when QUIET seconds pass without one (and every SUMMARY_EVERY
    seconds while they go on): an attack costs a few log lines, not one per request."""

    def __init__(self) -> None:
        self._timer: asyncio.TimerHandle | None = None
        self._told: set[str] = set()  # kinds whose first line this episode was logged
        self._start()

    def _start(self) -> None:
        self.counts: Counter[str] = Counter()
        self.addresses: set[str] = set()
        self.since: float | None = None  # the first refusal counted here
        self.last = time.monotonic()

    def note(self, kind: str, client: str, first_line: str) -> None:
        """One refusal of `kind` from `client`; `first_line` is logged if it opens the kind's
        part of the episode (with %s for the client)."""
        self.counts[kind] += 1
        if len(self.addresses) < MAX_ADDRESSES:
            self.addresses.add(client)
        self.last = time.monotonic()
        if self.since is None:
            self.since = self.last
        if kind not in self._told:
            self._told.add(kind)
            self.counts[kind] -= 1  # it has its own line
            log.warning(first_line, client)
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(QUIET, self._tick)

    def _tick(self) -> None:
        now = time.monotonic()
        ended = now - self.last >= QUIET
        if ended or now - (self.since or now) >= SUMMARY_EVERY:
            self.summarise()
        if ended:
            self._told.clear()
            self._timer = None
        else:
            self._timer = asyncio.get_running_loop().call_later(
                max(QUIET / 10, QUIET - (now - self.last)), self._tick)

    def summarise(self) -> None:
        """The summary line of what was counted since the last one (none if nothing was)."""
        total = sum(self.counts.values())
        if total:
            kinds = ", ".join(f"{kind} {n}" for kind, n in self.counts.most_common() if n)
            addresses = len(self.addresses)
            log.warning("%d more requests refused or connections closed within %.1f s, from %s "
                        "address%s: %s", total, self.last - (self.since or self.last),
                        f"{addresses}+" if addresses >= MAX_ADDRESSES else addresses,
                        "" if addresses == 1 else "es", kinds)
        self._start()

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
            self.summarise()


@dataclass
class Routes:
    health: Health
    metrics: Metrics | None = None
    webhook: WebhookReceiver | None = None
    refusals: Refusals = field(default_factory=Refusals)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        try:
            if self.webhook is not None and path == self.webhook.path:
                if method != "POST":
                    return await _answer(send, 405)
                return await self._webhook(scope, receive, send, self.webhook)
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

    async def _webhook(self, scope: Scope, receive: Receive, send: Send,
                       webhook: WebhookReceiver) -> None:
        """Headers first: without the secret, or announcing too big a body, the request is
        refused and its connection closed before a byte of the body is read."""
        headers = dict(scope["headers"])
        client = str((scope.get("client") or ("?", 0))[0])
        token = headers.get(b"x-telegram-bot-api-secret-token")
        if not webhook.authorized(token):
            kind = "no secret token" if token is None else "wrong secret token"
            self.refusals.note(kind, client, f"webhook request from %s refused: {kind}")
            return await _answer(send, 403, close=True)
        length = headers.get(b"content-length", b"0")
        if not length.isdigit() or int(length) > MAX_BODY:
            return await self._too_big(send, client)
        try:
            async with asyncio.timeout(BODY_TIMEOUT):
                body = await _body(receive)
        except TimeoutError:
            self.refusals.note("body too slow", client, "webhook request from %s refused: "
                               f"its body took over {BODY_TIMEOUT:.0f} s")
            return await _answer(send, 408, close=True)
        if body is None:
            return await self._too_big(send, client)
        return await _answer(send, await webhook.receive(body, client))

    async def _too_big(self, send: Send, client: str) -> None:
        self.refusals.note("body too big", client,
                           f"webhook request from %s refused: body over {MAX_BODY} bytes")
        await _answer(send, 413, close=True)


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
                  content_type: str = "text/plain; charset=utf-8", close: bool = False) -> None:
    """`close`: the connection ends with this answer (its body, if any, is not read)."""
    headers = [(b"content-type", content_type.encode()),
               (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
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
        self.refusals = routes.refusals
        protocol = type("Protocol", (WatchedProtocol,), {"guard": Guard(routes.refusals)})
        config = uvicorn.Config(routes, log_config=None, access_log=False, lifespan="off",
                                interface="asgi3", http=protocol, ws="none",
                                server_header=False, timeout_graceful_shutdown=5,
                                backlog=BACKLOG)
        self.server = _Server(config)
        self.task: asyncio.Task[None] | None = None

    @property
    def address(self) -> str:
        host, port = self.sock.getsockname()[:2]
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def start(self) -> None:
        uvicorn_log = logging.getLogger("uvicorn.error")
        uvicorn_log.setLevel(logging.WARNING)  # no start/stop chatter
        if not any(isinstance(f, NotHTTP) for f in uvicorn_log.filters):
            uvicorn_log.addFilter(NotHTTP())
        self.task = asyncio.create_task(self.server.serve(sockets=[self.sock]))

    async def stop(self) -> None:
        """Refuse new connections, finish the requests in hand (each a quick store)."""
        if self.task is None:
            return
        self.server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        self.task = None
        self.refusals.close()
