"""The tests' fake Bot API server, timed: every call is reported with its arrival time.

`TimedFakeBotAPI` is `tests.fakebotapi.FakeBotAPI` unchanged (through its public interface),
with a listen backlog like a real server's, plus a listener that hears of
each finished Bot API call (arrival time at the server, method, chat, status). The load
driver reacts to those events instead of polling the fake, so simulating 100 librarians
costs the bench process almost nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.fakebotapi import FakeBotAPI

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


class TimedFakeBotAPI(FakeBotAPI):
    """FakeBotAPI that tells a listener about every answering call, and when polls began."""

    def __init__(self, token: str = TOKEN, *, backlog: int = 1024, **kwargs: Any) -> None:
        # socketserver's default listen backlog of 5 drops connections when a bot opens a
        # hundred at once; Telegram's servers don't, so neither may the bench's.
        super().__init__(token, backlog=backlog, **kwargs)
        self.listener: Listener | None = None
        self.poll_times: list[float] = []

    def start(self) -> TimedFakeBotAPI:
        super().start()
        return self

    def __enter__(self) -> TimedFakeBotAPI:
        return self.start()

    def handle(self, token: str, method: str, params: dict,
               alive: Callable[[], bool] = lambda: True) -> tuple[int, dict | bytes]:
        at = time.perf_counter()
        if method == "getUpdates":
            self.poll_times.append(at)
            return super().handle(token, method, params, alive)
        status, body = super().handle(token, method, params, alive)
        listener = self.listener
        if listener is not None:
            chat = params.get("chat_id")
            if chat is None and "callback_query_id" in params:
                chat = self.callback_query_chat(str(params["callback_query_id"]))
            if isinstance(chat, str) and chat.lstrip("-").isdigit():
                chat = int(chat)  # multipart uploads (sendDocument) carry it as text
            listener(CallEvent(at, method, chat if isinstance(chat, int) else None, status,
                               str(params.get("text") or "")))
        return status, body

    def add_chats(self, user_ids: list[int]) -> None:
        """Private chats the bot may write to first (reminders), without any update."""
        for user_id in user_ids:
            self.add_private_chat(user_id, first_name="Bibliothecaris")


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
