"""Connections to the listener (bot/ops/listener.py) that hold it without a request: each
waiting connection gets REQUEST_TIMEOUT to send its request head, and of more than
MAX_WAITING the oldest is closed, so open files stay well below the limit. What is closed is
noted with the listener's refusals, which log it as an episode."""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

REQUEST_TIMEOUT = 10.0  # seconds from connecting (or the last answer) to a complete request head
MAX_WAITING = 256  # connections without a request in hand; a quarter of the usual 1,024 files


class Noted(Protocol):
    def note(self, kind: str, client: str, first_line: str) -> None: ...


class Guard:
    """The connections waiting for a request (new, or idle after an answer): each gets
    REQUEST_TIMEOUT to send its request head, and of more than MAX_WAITING the oldest is
    closed. A request in hand (its head is in) is no longer waiting."""

    def __init__(self, refusals: Noted) -> None:
        self.refusals = refusals
        self.timers: dict[WatchedProtocol, asyncio.TimerHandle] = {}  # oldest first

    def waiting(self, conn: WatchedProtocol) -> None:
        self.working(conn)
        self.timers[conn] = conn.loop.call_later(REQUEST_TIMEOUT, self._too_slow, conn)
        while len(self.timers) > MAX_WAITING:
            oldest = next(iter(self.timers))
            self._close(oldest, "too many connections", "connection from %s closed: over "
                        f"{MAX_WAITING} connections were waiting without a request")

    def working(self, conn: WatchedProtocol) -> None:
        timer = self.timers.pop(conn, None)
        if timer is not None:
            timer.cancel()

    def _too_slow(self, conn: WatchedProtocol) -> None:
        self._close(conn, "too slow", "connection from %s closed: no complete request "
                    f"within {REQUEST_TIMEOUT:.0f} s")

    def _close(self, conn: WatchedProtocol, kind: str, first_line: str) -> None:
        self.working(conn)
        self.refusals.note(kind, conn.client[0] if conn.client else "?", first_line)
        conn.transport.close()


class WatchedProtocol(H11Protocol):
    """uvicorn's h11 protocol, watched by a Guard (set per listener)."""

    guard: Guard

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.guard.waiting(self)

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # a request head is in
            self.guard.working(self)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.transport.is_closing():
            return
        if self.conn.our_state is h11.DONE and self.conn.their_state is h11.SEND_BODY:
            self.transport.close()  # answered without reading the body: don't wait for it
        elif self.conn.their_state is h11.IDLE:
            self.guard.waiting(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.guard.working(self)
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        self.guard.refusals.note("not HTTP", self.client[0] if self.client else "?",
                                 "request from %s refused: not HTTP")
        super().send_400_response(msg)


class NotHTTP(logging.Filter):
    """uvicorn logs each unreadable request; the Refusals count them instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "Invalid HTTP request received."
