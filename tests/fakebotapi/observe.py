"""Observation: what the bot did, as the fake server saw it, and waiting for it. Every wait
is on the state's lock, woken by each change, with a deadline; a timeout fails the test with
`dump()`, a summary of the latest calls and errors."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from typing import Any

from tests.fakebotapi.state import Call, ChatState


class Observation:
    """Part of FakeBotAPI: recorded calls, messages as they are now, and waits."""

    state: ChatState

    @property
    def calls(self) -> list[Call]:
        with self.state.lock:
            return list(self.state.calls)

    def calls_to(self, method: str) -> list[dict]:
        """Parameters of every recorded call of `method` (case-insensitive)."""
        return [c.params for c in self.calls if c.method.lower() == method.lower()]

    def message(self, chat_id: int, message_id: int) -> dict:
        """Current state of any message (user's or bot's)."""
        with self.state.lock:
            return copy.deepcopy(self.state.messages[(chat_id, message_id)])

    def bot_messages(self, chat_id: int) -> list[dict]:
        """The bot's not-deleted messages in a chat, oldest first, as they are now."""
        with self.state.lock:
            return [copy.deepcopy(self.state.messages[(chat_id, m)])
                    for m in self.state.bot_message_ids(chat_id)]

    def last_bot_message(self, chat_id: int) -> dict | None:
        msgs = self.bot_messages(chat_id)
        return msgs[-1] if msgs else None

    @property
    def commands(self) -> dict[str, list]:
        """Commands set for the default scope, by language_code ("" = all languages)."""
        with self.state.lock:
            return {lang: list(c) for (scope, lang), c in self.state.commands.items()
                    if scope == '{"type": "default"}'}

    def commands_for(self, scope: dict | None = None, language_code: str = "") -> list:
        return self.state.commands_for(scope, language_code)

    def callback_query_chat(self, query_id: str) -> int | None:
        """The chat of a button press made with press() (None for unknown or raw ones)."""
        with self.state.lock:
            return (self.state.queries.get(str(query_id)) or {}).get("chat_id")

    def pending_updates(self) -> int:
        """How many queued updates the bot has not confirmed yet."""
        with self.state.lock:
            return len(self.state.updates)

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0,
                 what: str = "condition") -> Any:
        """Waits until predicate() is truthy and returns its value; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self.state.lock:
            while not (value := predicate()):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n"
                                         + self.dump())
                self.state.lock.wait(min(left, 0.05))
            return value

    def wait_for_message(self, chat_id: int, contains: str, timeout: float = 10.0, *,
                         newer_than: int = 0) -> dict:
        """Waits for a bot message (text or caption) containing `contains`; returns it."""
        def find() -> dict | None:
            return next((m for m in reversed(self.bot_messages(chat_id))
                         if m["message_id"] > newer_than
                         and contains in (m.get("text") or m.get("caption") or "")), None)
        return self.wait_for(find, timeout, f"a message in chat {chat_id} containing {contains!r}")

    def wait_for_call(self, method: str, predicate: Callable[[dict], bool] | None = None,
                      timeout: float = 10.0) -> dict:
        """Waits for a call of `method` (whose params satisfy predicate); returns params."""
        def find() -> dict | None:
            return next((p for p in self.calls_to(method) if predicate is None or predicate(p)),
                        None)
        return self.wait_for(find, timeout, f"a {method} call")

    def wait_until_confirmed(self, timeout: float = 10.0) -> None:
        """Waits until the bot has confirmed every queued update."""
        self.wait_for(lambda: self.pending_updates() == 0, timeout, "all updates confirmed")

    def dump(self, last: int = 20) -> str:
        """Human-readable summary of recent calls and errors, for assertion messages."""
        with self.state.lock:
            calls = [c for c in self.state.calls if c.method != "getUpdates"][-last:]
            lines = [f"pending updates: {len(self.state.updates)}; last {len(calls)} calls:"]
            lines += [f"  {c.method} {json.dumps(c.params, ensure_ascii=False, default=str)[:300]}"
                      for c in calls]
            lines += [f"  ERROR {m} -> {code} {desc}"
                      for m, _, code, desc in self.state.errors[-5:]]
            lines += [f"  INTERNAL {e}" for e in self.state.internal_errors]
            return "\n".join(lines)

    def wait_for_more(self, count: Callable[[], int], more: int = 1, timeout: float = 10.0,
                      what: str = "events", since: int | None = None) -> int:
        """A counted wait: until count() has grown by `more` from `since` (default: its value
        now), e.g. calls of a method or lines in the bot's log; returns the new count."""
        start = count() if since is None else since

        def grown() -> int:
            now = count()
            return now if now >= start + more else 0
        return int(self.wait_for(grown, timeout, f"{more} more {what} (had {start})"))
