"""The tests' fake Bot API server, timed: every call is reported with its arrival time.

`TimedFakeBotAPI` is `tests.fakebotapi.FakeBotAPI` unchanged, plus a listener that hears of
each finished Bot API call (arrival time at the server, method, chat, status). The load
driver reacts to those events instead of polling the fake, so simulating 100 librarians
costs the bench process almost nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.fakebotapi import FakeBotAPI, _Handler, _Server

# Token-shaped like a real one (the bot's log redaction works on it as in production).
TOKEN = "7350981234:AAHk3-benchSECRET_tokenpart_abcdefgh"


@dataclass(frozen=True)
class CallEvent:
    """A Bot API call the bot made, as the server saw it."""

    at: float  # time.perf_counter() when the request reached the server
    method: str
    chat_id: int | None
    status: int
    text: str


Listener = Callable[[CallEvent], None]


class _WideServer(_Server):
    # socketserver's default listen backlog of 5 drops connections when a bot opens a
    # hundred at once; Telegram's servers don't, so neither may the bench's.
    request_queue_size = 1024
    accepted = 0
    peak = 0

    def finish_request(self, request: Any, client_address: Any) -> None:
        type(self).accepted += 1
        type(self).peak = max(type(self).peak, len(self.connections) + 1)
        super().finish_request(request, client_address)


class TimedFakeBotAPI(FakeBotAPI):
    """FakeBotAPI that tells a listener about every answering call, and when polls began."""

    def __init__(self, token: str = TOKEN, **kwargs: Any) -> None:
        super().__init__(token, **kwargs)
        self.listener: Listener | None = None
        self.poll_times: list[float] = []
        self.query_chat: dict[str, int] = {}  # callback query id -> chat, for answers

    def start(self) -> TimedFakeBotAPI:
        """As FakeBotAPI.start, with a listen backlog like a real server's."""
        self._server = _WideServer((self.host, self.port), _Handler, self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def __enter__(self) -> TimedFakeBotAPI:
        return self.start()

    def handle(self, token: str, method: str, params: dict,
               alive: Callable[[], bool] = lambda: True) -> tuple[int, dict]:
        at = time.perf_counter()
        if method == "getUpdates":
            self.poll_times.append(at)
            return super().handle(token, method, params, alive)
        status, body = super().handle(token, method, params, alive)
        listener = self.listener
        if listener is not None:
            chat = params.get("chat_id")
            if chat is None and "callback_query_id" in params:
                chat = self.query_chat.get(str(params["callback_query_id"]))
            listener(CallEvent(at, method, chat if isinstance(chat, int) else None, status,
                               str(params.get("text") or "")))
        return status, body

    def add_chats(self, user_ids: list[int]) -> None:
        """Private chats the bot may write to first (reminders), without any update."""
        with self._cond:
            for user_id in user_ids:
                user = self._users.setdefault(user_id, {"id": user_id, "is_bot": False,
                                                        "first_name": "Bibliothecaris",
                                                        "language_code": "nl"})
                self._chats.setdefault(user_id, {"id": user_id, "type": "private",
                                                 "first_name": user["first_name"]})

    def press_label(self, user_id: int, label_part: str) -> bool:
        """Press the newest button whose label contains `label_part`; False if none is shown."""
        with self._cond:
            for message_id in reversed(self._bot_order.get(user_id, [])):
                message = self._messages[(user_id, message_id)]
                for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                    for button in row:
                        if label_part in button.get("text", "") and "callback_data" in button:
                            self._press(user_id, message_id, button["callback_data"])
                            return True
        return False

    def press_any(self, user_id: int, data: str) -> bool:
        """Press on the newest bot message, whatever its buttons (the echo bot has none)."""
        with self._cond:
            order = self._bot_order.get(user_id, [])
            if not order:
                return False
            self._press(user_id, order[-1], data)
            return True

    def _press(self, user_id: int, message_id: int, data: str) -> None:
        query_id = self.press(user_id, message_id, data, check=False)
        self.query_chat[query_id] = user_id


def measure_server(seconds: float = 3.0, connections: int = 8) -> dict[str, float]:
    """The fake server alone: sendMessage round trips per second from a separate process
    with `connections` keep-alive connections, and its p50 round trip in ms."""
    with TimedFakeBotAPI() as api:
        api.add_user(1)
        api.send_text(1, "hallo")  # the chat must exist for sendMessage
        out = subprocess.run(
            [sys.executable, "-m", "bench.serverload", api.base_url + TOKEN,
             str(seconds), str(connections)],
            capture_output=True, text=True, check=True, env={**os.environ},
        )
    return dict(json.loads(out.stdout))
