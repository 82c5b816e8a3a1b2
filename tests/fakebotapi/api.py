"""`FakeBotAPI`: the fake Bot API server tests and benchmarks start.

It ties the parts together: the state (state.py), files (files.py), faults (faults.py),
the Bot API methods (methods.py) and the HTTP server (server.py); simulated users
(users.py) and observation (observe.py) are its test-side API. Every public method is
thread-safe.
"""

from __future__ import annotations

import re
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from tests.fakebotapi.errors import ApiError
from tests.fakebotapi.faults import Faults
from tests.fakebotapi.files import FileStore, Streamed, Upload
from tests.fakebotapi.methods import API_METHODS, BotApiMethods
from tests.fakebotapi.observe import Observation
from tests.fakebotapi.server import RequestHandler, Server
from tests.fakebotapi.state import Call, ChatState
from tests.fakebotapi.users import SimulatedUsers
from tests.fakebotapi.webhook import Webhooks


class FakeBotAPI(SimulatedUsers, Observation):
    """State of the fake Bot API plus the synchronous test-side API (all thread-safe).

    `backlog` is the listen backlog (socketserver's 5 by default; a benchmark opening a
    hundred connections at once needs more, as Telegram's servers have).
    """

    def __init__(self, token: str = "123456:TEST-token", *, port: int = 0,
                 host: str = "127.0.0.1", callback_ttl: float | None = None,
                 backlog: int = 5) -> None:
        self.token, self.host, self.port, self.backlog = token, host, port, backlog
        self.state = ChatState(token, callback_ttl)
        self.files = FileStore(self.state.lock, self.state.ids)
        self.faults = Faults(self.state.lock)
        self.webhooks = Webhooks(self.state)
        self.methods = BotApiMethods(self.state, self.files, self.faults, self.webhooks)
        self.extra_methods: dict[str, Callable[[dict], Any]] = {}  # see set_handler
        self.server: Server | None = None
        self.thread: threading.Thread | None = None
        # What the bot did, as lists tests read (the same objects the state appends to).
        self.bot_user = self.state.bot_user
        self.errors = self.state.errors  # (method, params, status, description)
        self.internal_errors = self.state.internal_errors  # bugs in the fake itself
        self.reactions = self.state.reactions
        self.uploads = self.state.uploads  # files the bot sent, with their content
        self.callback_answers = self.state.callback_answers
        self.deleted = self.state.deleted  # (chat_id, message_id)
        self.queued = self.state.queued  # every update ever queued, e.g. to re-deliver one

    @property
    def callback_ttl(self) -> float | None:
        """Seconds a callback query stays answerable (None: until answered)."""
        return self.state.callback_ttl

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeBotAPI:
        """Starts serving in a background thread (re-binds the same port after a stop)."""
        self.server = Server((self.host, self.port), RequestHandler, self, self.backlog)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        self.webhooks.start()
        return self

    def stop(self) -> None:
        """Stops the server and cuts open connections; state is kept for a later start()."""
        server, self.server = self.server, None
        if server is None:
            return
        self.webhooks.stop()
        server.shutdown()
        server.cut_connections()
        server.server_close()
        if self.thread:
            self.thread.join(5)
        with self.state.lock:
            self.state.epoch += 1
            self.state.lock.notify_all()

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self.server is not None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return self.url + "/bot"

    @property
    def base_file_url(self) -> str:
        return self.url + "/file/bot"

    # -- fault injection ---------------------------------------------------------------------

    def inject(self, method: str, status: int = 429, description: str | None = None,
               retry_after: int | None = None, times: int = 1) -> None:
        """The next `times` calls of `method` ("*" = any) fail with Telegram's error shape."""
        self.faults.inject(method, status, description, retry_after, times)

    def inject_delay(self, method: str, seconds: float, times: int = 1) -> None:
        """The next `times` calls of `method` wait `seconds` before being processed."""
        self.faults.delay(method, seconds, times)

    def inject_body(self, method: str, content: bytes, times: int = 1) -> None:
        """The next `times` calls of `method` answer 200 with `content` as the body."""
        self.faults.body(method, content, times)

    def flood_chat(self, chat_id: int, retry_after: int, times: int = 1) -> None:
        """Telegram's per-chat flood control: the next `times` calls to this chat each start
        a pause of `retry_after` seconds, during which every call to it gets 429 (with the
        seconds left); other chats are not affected. Groups also get 429 past 20 messages a
        minute, always."""
        self.faults.flood(chat_id, retry_after, times)

    @property
    def left_chats(self) -> set[int]:
        """Groups and channels the bot has left (leaveChat)."""
        with self.state.lock:
            return set(self.state.left)

    def block_user(self, chat_id: int) -> None:
        """Sends and edits to this chat fail with 403 from now on."""
        with self.state.lock:
            self.faults.blocked.add(chat_id)

    def unblock_user(self, chat_id: int) -> None:
        with self.state.lock:
            self.faults.blocked.discard(chat_id)

    def route_webhook(self, public: str, listen: str) -> None:
        """Webhook deliveries to https://<public>/... go to http://<listen>/... (webhook.py)."""
        self.webhooks.route(public, listen)

    def set_handler(self, method: str, handler: Callable[[dict], Any]) -> None:
        """Serves an extra method: handler(params) returns the result or raises ApiError."""
        with self.state.lock:
            self.extra_methods[method.lower()] = handler

    # -- request processing (called by the HTTP server) --------------------------------------

    def handle(self, token: str, method: str, params: dict,
               alive: Callable[[], bool] = lambda: True) -> tuple[int, dict | bytes]:
        """Processes one Bot API request; returns (HTTP status, response JSON, or the raw
        body a test injected)."""
        self.methods.request.alive = alive
        if token != self.token:
            ok_shape = re.fullmatch(r"\d+:[A-Za-z0-9_-]+", token)
            err = ApiError(401, "Unauthorized") if ok_shape else ApiError(404, "Not Found")
            return err.code, {"ok": False, "error_code": err.code, "description": err.description}
        name = API_METHODS.get(method.lower())
        impl = getattr(self.methods, name) if name else None
        name = name or method
        state = self.state
        with state.lock:
            state.calls.append(Call(name, {k: ({"file_name": v.file_name, "size": len(v.content),
                                                "mime_type": v.mime_type}
                                               if isinstance(v, Upload) else v)
                                           for k, v in params.items()}))
            state.lock.notify_all()
        delay = self.faults.next_delay(method)
        if delay:
            time.sleep(delay)
        if (body := self.faults.next_body(method)) is not None:
            return 200, body
        try:
            with state.lock:
                if err := self.faults.next_error(method):
                    raise err
                if custom := self.extra_methods.get(method.lower()):
                    result = custom(params)
                elif impl is None:
                    raise ApiError(404, "Not Found")
                else:
                    result = impl(params)
                state.lock.notify_all()
            return 200, {"ok": True, "result": result}
        except ApiError as e:
            with state.lock:
                state.errors.append((name, params, e.code, e.description))
                state.lock.notify_all()
            return e.code, e.body()
        except Exception:  # a bug in the fake: make it loud
            state.internal_errors.append(f"{name}: {traceback.format_exc()}")
            print(state.internal_errors[-1], file=sys.stderr)
            return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}

    def download(self, token: str, path: str) -> tuple[int, bytes | Streamed | dict]:
        """Serves /file/bot<token>/<path>: the bytes, or a JSON error."""
        return self.files.download(token == self.token, path)
