"""Fault injection: errors and delays for the next calls of a method, blocked chats."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from typing import Any

from tests.fakebotapi.errors import STATUS_TEXT, ApiError

GROUP_PER_MINUTE = 20  # Telegram: a bot sends at most 20 messages a minute to one group


class Faults:
    """What the server should do wrong. Methods are matched case-insensitively; "*" = any."""

    def __init__(self, lock: threading.Condition) -> None:
        self.lock = lock
        self.errors: list[dict] = []  # {"method", "left", "value": ApiError}
        self.delays: list[dict] = []  # {"method", "left", "value": seconds}
        self.raw: list[dict] = []  # {"method", "left", "value": body bytes}, answered with 200
        self.blocked: set[int] = set()
        # Per-chat flood control: {"left": floods still to start, "seconds", "until"}.
        self.floods: dict[int, dict] = {}
        self.group_sent: dict[int, deque[float]] = {}  # when messages went to each group

    def flood(self, chat_id: int, retry_after: int, times: int = 1) -> None:
        """The next `times` calls to this chat each start a flood pause of `retry_after`
        seconds; while one runs, every call to the chat gets 429 with the seconds left."""
        with self.lock:
            self.floods[chat_id] = {"left": times, "seconds": retry_after, "until": 0.0}

    def check_flood(self, chat_id: int) -> None:
        """Telegram's per-chat flood control: raises the 429 this chat's call gets, if any."""
        with self.lock:
            flood = self.floods.get(chat_id)
            if flood is None:
                return
            now = time.monotonic()
            if now >= flood["until"]:
                if flood["left"] <= 0:
                    return
                flood["left"] -= 1
                flood["until"] = now + flood["seconds"]
            raise too_many(math.ceil(flood["until"] - now))

    def check_group_rate(self, chat: dict) -> None:
        """A message to a group or supergroup: 429 past 20 in the last minute."""
        if chat.get("type") not in ("group", "supergroup"):
            return
        with self.lock:
            sent = self.group_sent.setdefault(chat["id"], deque())
            now = time.monotonic()
            while sent and sent[0] <= now - 60:
                sent.popleft()
            if len(sent) >= GROUP_PER_MINUTE:
                raise too_many(math.ceil(sent[0] + 60 - now))
            sent.append(now)

    def inject(self, method: str, status: int = 429, description: str | None = None,
               retry_after: int | None = None, times: int = 1) -> None:
        """The next `times` calls of `method` fail with Telegram's error shape."""
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = (f"Too Many Requests: retry after {retry_after}" if status == 429
                           else STATUS_TEXT.get(status, "Internal Server Error"))
        params = {"retry_after": retry_after} if retry_after is not None else None
        with self.lock:
            self.errors.append({"method": method.lower(), "left": times,
                                "value": ApiError(status, description, params)})

    def delay(self, method: str, seconds: float, times: int = 1) -> None:
        """The next `times` calls of `method` wait `seconds` before being processed."""
        with self.lock:
            self.delays.append({"method": method.lower(), "left": times, "value": seconds})

    def body(self, method: str, content: bytes, times: int = 1) -> None:
        """The next `times` calls of `method` get a 200 answer with this body (truncated
        JSON, an HTML page from a proxy...)."""
        with self.lock:
            self.raw.append({"method": method.lower(), "left": times, "value": content})

    def next_body(self, method: str) -> bytes | None:
        """Takes the raw body injected for this call of `method`, if any."""
        return self._take(self.raw, method)

    def next_error(self, method: str) -> ApiError | None:
        """Takes the error injected for this call of `method`, if any."""
        return self._take(self.errors, method)

    def next_delay(self, method: str) -> float | None:
        """Takes the delay injected for this call of `method`, if any."""
        return self._take(self.delays, method)

    def _take(self, queue: list[dict], method: str) -> Any:
        with self.lock:
            for item in queue:
                if item["method"] in (method.lower(), "*") and item["left"] > 0:
                    item["left"] -= 1
                    return item["value"]
            return None


def too_many(retry_after: int) -> ApiError:
    retry_after = max(retry_after, 1)
    return ApiError(429, f"Too Many Requests: retry after {retry_after}",
                    {"retry_after": retry_after})
