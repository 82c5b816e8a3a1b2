"""Simulated librarians: scripted chats driven by the bot's own calls to the fake server.

Each librarian sends one update, waits until the bot has made the last call that answers it
(e.g. the edit after a checklist tap), then sends the next: a closed loop with one update in
flight per librarian. Latency is the time from queuing the update to the bot's first
answering call for that chat; since a librarian waits for the previous answer to be
complete, every call in between belongs to the update in flight.
"""

from __future__ import annotations

import heapq
import queue
import random
import time
from dataclasses import dataclass, field
from typing import Literal

from bench.fake import CallEvent, TimedFakeBotAPI
from bench.stats import percentile

Mode = Literal["veldgids", "echo", "peer"]  # the peer answers with Veldgids' words


@dataclass(frozen=True)
class Action:
    """One update a librarian sends, and the bot call that completes Veldgids' answer."""

    kind: Literal["text", "press"]
    value: str  # the text, or part of the button label to press
    done_method: str
    done_text: str = ""
    category: str = ""


def text(value: str, done_method: str, done_text: str = "", category: str = "") -> Action:
    return Action("text", value, done_method, done_text, category)


def press(label: str, done_method: str, done_text: str = "", category: str = "") -> Action:
    return Action("press", label, done_method, done_text, category)


@dataclass
class Record:
    """One answered update."""

    category: str
    queued: float
    first: float
    done: float
    user: int = 0
    value: str = ""  # the text sent or the label pressed

    @property
    def latency(self) -> float:
        return self.first - self.queued


@dataclass
class Result:
    records: list[Record] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    began: float = 0.0
    ended: float = 0.0

    @property
    def seconds(self) -> float:
        return self.ended - self.began

    @property
    def throughput(self) -> float:
        return len(self.records) / self.seconds if self.seconds > 0 else 0.0

    def latency_ms(self, p: float, category: str | None = None) -> float:
        values = [r.latency for r in self.records if category in (None, r.category)]
        return percentile(values, p) * 1000


class StuckError(RuntimeError):
    """A librarian waited too long for an answer; the message says who and for what."""


@dataclass
class _Librarian:
    user_id: int
    script: list[Action]
    index: int = -1
    queued: float = 0.0
    first: float | None = None


class Driver:
    """Plays every librarian's script against one bot through one fake server."""

    def __init__(self, api: TimedFakeBotAPI, mode: Mode, stall: float = 20.0,
                 think: float = 0.0) -> None:
        """`think`: mean seconds a librarian waits after an answer before the next update
        (0: at once, a closed loop that measures the most the bot can take)."""
        self.api = api
        self.mode = mode
        self.stall = stall
        self.think = think
        self.random = random.Random(3)

    def run(self, scripts: dict[int, list[Action]], until: float | None = None) -> Result:
        """Play the scripts; with `until` (a time.perf_counter() value), stop there and
        leave what is in flight in `self.in_flight` (user id: action not yet answered)."""
        self.in_flight: dict[int, Action] = {}
        events: queue.SimpleQueue[CallEvent] = queue.SimpleQueue()
        librarians = {uid: _Librarian(uid, script) for uid, script in scripts.items() if script}
        self._librarians = librarians
        result = Result()
        later: list[tuple[float, int]] = []  # (when, user id): sends after thinking
        self.api.listener = events.put
        try:
            result.began = time.perf_counter()
            for librarian in librarians.values():
                # Thinking librarians start at random moments, not all in the same instant.
                self._next(librarian, later if self.think > 0 else None)
            busy = len(librarians)
            waited = 0.0
            while busy:
                if until is not None and time.perf_counter() >= until:
                    # Answers already here were seen before the stop: not in flight.
                    while not events.empty():
                        if (done := self._record(events.get(), result)) is not None:
                            done.queued = 0.0
                    self.in_flight = self._waiting()
                    break
                while later and later[0][0] <= time.perf_counter():
                    self._send(librarians[heapq.heappop(later)[1]])
                timeout = later[0][0] - time.perf_counter() if later else self.stall
                if until is not None:
                    timeout = min(timeout, until - time.perf_counter())
                try:
                    event = events.get(timeout=max(timeout, 0.0))
                    waited = 0.0
                except queue.Empty:
                    waited += max(timeout, 0.0)
                    if waited >= self.stall:
                        raise StuckError(self._stuck(librarians)) from None
                    continue
                done = self._record(event, result)
                if done is not None and not self._next(done, later):
                    busy -= 1
        finally:
            # Stopped for a kill: answers still arriving before it are kept for `settle`.
            self.late: list[CallEvent] = []
            self.api.listener = self.late.append if until is not None else None
        return result

    def settle(self, result: Result) -> None:
        """After the bot was killed: an update in flight at the stop whose answer came
        before the kill was answered, as its librarian saw."""
        self.api.listener = None
        for event in self.late:
            done = self._record(event, result)
            if done is not None:
                done.queued = 0.0  # answered: no longer in flight
        self.in_flight = self._waiting()

    def _waiting(self) -> dict[int, Action]:
        return {lib.user_id: lib.script[lib.index] for lib in self._librarians.values()
                if 0 <= lib.index < len(lib.script) and lib.queued}

    def _record(self, event: CallEvent, result: Result) -> _Librarian | None:
        """Note an answering call; the librarian whose update it completed, if any."""
        librarian = self._librarians.get(event.chat_id or 0)
        if (librarian is None or not 0 <= librarian.index < len(librarian.script)
                or not librarian.queued):  # nothing of theirs waits for an answer
            return None
        if librarian.first is None:
            librarian.first = event.at
        if event.status != 200:
            result.errors.append(f"{event.method} -> {event.status}")
        action = librarian.script[librarian.index]
        if not self._completes(action, event):
            return None
        result.records.append(Record(action.category, librarian.queued, librarian.first,
                                     event.at, librarian.user_id, action.value))
        result.ended = event.at
        return librarian

    def _completes(self, action: Action, event: CallEvent) -> bool:
        if self.mode == "echo":
            wanted = "sendMessage" if action.kind == "text" else "editMessageText"
            return event.method == wanted
        return event.method == action.done_method and action.done_text in event.text

    def _next(self, librarian: _Librarian,
              later: list[tuple[float, int]] | None = None) -> bool:
        librarian.index += 1
        librarian.first = None
        librarian.queued = 0.0
        if librarian.index >= len(librarian.script):
            return False
        if later is not None and self.think > 0:
            pause = self.random.uniform(0.5, 1.5) * self.think
            heapq.heappush(later, (time.perf_counter() + pause, librarian.user_id))
        else:
            self._send(librarian)
        return True

    def _send(self, librarian: _Librarian) -> None:
        action = librarian.script[librarian.index]
        librarian.queued = time.perf_counter()
        if action.kind == "text":
            self.api.send_text(librarian.user_id, action.value, first_name="Bibliothecaris")
        elif self.mode == "echo":
            if self.api.press_newest(librarian.user_id, "tap") is None:
                raise StuckError(f"librarian {librarian.user_id}: no message to press on")
        elif self.api.press_label(librarian.user_id, action.value) is None:
            raise StuckError(f"librarian {librarian.user_id}: no button {action.value!r}\n"
                             + self.api.dump(8))

    def _stuck(self, librarians: dict[int, _Librarian]) -> str:
        waiting = [lib for lib in librarians.values() if lib.index < len(lib.script)]
        lib = waiting[0]
        action = lib.script[lib.index]
        return (f"{len(waiting)} librarian(s) got no answer for {self.stall:.0f} s; e.g."
                f" {lib.user_id} after {action.kind} {action.value!r} waits for"
                f" {action.done_method} with {action.done_text!r}\n{self.api.dump(8)}")


# The librarians' scripts. Texts are checked against the bot's answers, so a reworded bot
# text that breaks the bench shows up as a StuckError naming the step.
NAMES = ("Fatima", "Sanne", "Jeroen", "Aylin", "Kees", "Noor", "Mohamed", "Ilse")
FIELD_NOTES = (
    "Sanne van het buurthuis wil meedoen met het voorleesuur #buurthuis",
    "Op de markt drie ouders gesproken over huiswerkbegeleiding #ouders",
    "Wijkagent noemde het jongerenwerk als partner #jongeren",
    "Bibliotheek Noord heeft ruimte op dinsdagavond voor het taalcafé",
)
LIVE_NOTES = (
    "Ze leidt al drie jaar het taalcafé voor nieuwkomers in de wijk",
    "Ze zoeken vrijwilligers voor de dinsdagavond",
    "De ruimte in het buurthuis is te klein geworden",
    "Ze bieden vrijwilligers met veel talen en een groot netwerk",
    "Samen een taalcafé in de bibliotheek: wij zorgen voor ruimte en boeken",
)


def onboarding(n: int) -> list[Action]:
    """From a fresh (admitted) user to live mode in an open conversation: 4 updates."""
    name = NAMES[n % len(NAMES)]
    return [
        text("/start", "sendMessage", "Met welke community", "start"),
        text(f"Taalcafé {n}", "sendMessage", "Rond welk thema", "answer"),
        text("taal en ontmoeting", "sendMessage", "Wat wil je doen", "answer"),
        text(f"/gesprek {name}, voorzitter, Vrouwen van de Wijk, Buurthuis De Linde",
             "sendMessage", "Vraag 1/8", "/gesprek"),
    ]


def cycle(n: int, round_: int) -> list[Action]:
    """Ten updates: /fase, two menu taps and two checklist taps, a field note typed at the
    checklist, back into the open conversation, and three live notes."""
    k = n + round_
    return [
        text("/fase", "sendMessage", "De zes fasen", "/fase"),
        press("1. Strategie", "editMessageText", "Fase 1 ·", "menu tap"),
        press("Beleidsplan", "editMessageText", "Fase 1 ·", "checklist tap"),
        press("Organisatiedoelen", "editMessageText", "Fase 1 ·", "checklist tap"),
        text(FIELD_NOTES[k % len(FIELD_NOTES)], "sendMessage", "Genoteerd", "field note"),
        text("/gesprek", "sendMessage", "staat nog open", "/gesprek"),
        press("Verder met het gesprek", "sendMessage", "Vraag", "menu tap"),
        *(text(LIVE_NOTES[(k + i) % len(LIVE_NOTES)], "setMessageReaction", "", "live note")
          for i in range(3)),
    ]


def mix(n: int, updates: int) -> list[Action]:
    """`updates` updates of repeated cycles (a multiple of 10 keeps the mix exact)."""
    actions: list[Action] = []
    round_ = 0
    while len(actions) < updates:
        actions += cycle(n, round_)
        round_ += 1
    return actions[:updates]
