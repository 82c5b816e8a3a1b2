"""In process, no Telegram: one engine step and one search, each through `Service.handle`
on a real SQLite file (sections 2, 3 and 6 of docs/benchmarks.md).

`Service.handle` is the whole event: one transaction with the duplicate check, the access
gate, loading the user, dialog state and context, the engine step, its effects, saving the
state and marking the update handled. The Telegram front end calls it through
`Delivery.handle`, which adds the undelivered-reply note; that is measured too.
"""

from __future__ import annotations

import gc
import itertools
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.dataset import FIRST_UPDATE_ID, Dataset
from bench.stats import percentile
from bench.textgen import content_words
from bot.app.registry import Service, build_service
from bot.app.service import Incoming, Outcome, Who
from bot.ops.settings import Settings
from bot.telegram.delivery import Delivery
from search.terms import fts_query, owned_query
from storage.search import SEARCH_POOL, SearchIndex
from storage.store import Clock, system_clock

_update_ids = itertools.count(FIRST_UPDATE_ID)


def service_for(db: Path, clock: Clock = system_clock) -> Service:
    """The service exactly as `veldgids run` assembles it, on this database file."""
    settings = Settings(_env_file=None, VELDGIDS_DB=db,  # type: ignore[call-arg]
                        VELDGIDS_DATA_DIR=db.parent / "data")
    return build_service(settings, clock=clock)


class Librarian:
    """Sends events as the Telegram front end would, and finds buttons by label."""

    def __init__(self, service: Service, telegram_id: int) -> None:
        self.service = service
        self.who = Who(telegram_id=telegram_id, name="Bibliothecaris", language_code="nl")
        self.last = Outcome()

    def send(self, text: str) -> Outcome:
        if text.startswith("/"):
            from bot.app.registry import parse

            name, args = parse(text) or ("", "")
            return self.handle(Incoming(kind="command", command=name, args=args))
        return self.handle(Incoming(kind="text", text=text))

    def handle(self, event: Incoming) -> Outcome:
        event.update_id = next(_update_ids)
        event.message_id = event.message_id or event.update_id
        self.last = self.service.handle(self.who, event)
        return self.last

    def button(self, label_part: str) -> str:
        for reply in reversed(self.last.replies):
            for row in reply.buttons:
                for button in row:
                    if label_part in button.label:
                        return button.data
        raise RuntimeError(f"no button {label_part!r} in {[r.text for r in self.last.replies]}")

    def press(self, label_part: str) -> Outcome:
        return self.handle(Incoming(kind="press", data=self.button(label_part)))


def to_checklist(lib: Librarian) -> str:
    """Open phase 1's checklist; returns the data of its first item's button."""
    lib.send("/fase")
    lib.press("1. Strategie")
    return lib.button("Beleidsplan")


def to_live_mode(lib: Librarian) -> None:
    """Start an open conversation and reach live mode (or resume the open one)."""
    lib.send("/gesprek")
    if any("Verder met het gesprek" in b.label for r in lib.last.replies
           for row in r.buttons for b in row):
        lib.press("Verder met het gesprek")
        return
    lib.send("Fatima, voorzitter, Vrouwen van de Wijk, Buurthuis De Linde")
    if not lib.last.replies or "Vraag 1/8" not in lib.last.replies[-1].text:
        raise RuntimeError("live mode not reached: " + lib.last.replies[-1].text[:80])


@dataclass(frozen=True)
class StepFigures:
    """Median microseconds per event, over `count` events."""

    tap_us: float
    note_us: float
    tap_delivery_us: float
    note_delivery_us: float
    count: int


def _timed(fn: Callable[[int], object], count: int) -> float:
    times: list[int] = []
    gc.collect()
    for i in range(count):
        began = time.perf_counter_ns()
        fn(i)
        times.append(time.perf_counter_ns() - began)
    return statistics.median(times) / 1000


def steps(service: Service, telegram_id: int, count: int) -> StepFigures:
    """µs per checklist tap and per live-mode note, through Service.handle, then through
    Delivery.handle plus `delivered` (what the Telegram front end runs per update)."""
    lib = Librarian(service, telegram_id)
    delivery = Delivery(service)

    def via_delivery(event: Incoming) -> None:
        event.update_id = next(_update_ids)
        outcome = delivery.handle(lib.who, event)
        delivery.delivered(outcome, event.update_id)

    tap = to_checklist(lib)
    tap_us = _timed(lambda i: lib.handle(Incoming(kind="press", data=tap)), count)
    tap_delivery_us = _timed(lambda i: via_delivery(Incoming(kind="press", data=tap)), count)
    to_live_mode(lib)
    text = "Ze zoeken vrijwilligers voor de dinsdagavond in het buurthuis"
    note_us = _timed(lambda i: lib.handle(Incoming(kind="text", text=f"{text} {i}")), count)
    note_delivery_us = _timed(
        lambda i: via_delivery(Incoming(kind="text", text=f"{text} {i}", message_id=i + 1)),
        count)
    lib.send("/annuleer")
    if lib.last.replies and "Vraag" in lib.last.replies[0].text:
        raise RuntimeError("a live note was not taken as a note")
    return StepFigures(tap_us, note_us, tap_delivery_us, note_delivery_us, count)


def bare_transaction_us(service: Service, count: int) -> float:
    """The floor of a durable step: one transaction that saves a dialog state and marks an
    update handled, as every step does, and nothing else."""
    store = service.store
    user = store.db.execute("SELECT id FROM users ORDER BY id LIMIT 1").fetchone()[0]

    def one(i: int) -> None:
        with store.atomic():
            store.save_state(user, "phase1", "checklist", {"n": i}, i)
            store.mark_processed(next(_update_ids), user)

    return _timed(one, count)


@dataclass(frozen=True)
class SearchFigures:
    """Milliseconds per /zoek through Service.handle, for one- and three-word queries."""

    one_p50: float
    one_p95: float
    three_p50: float
    three_p95: float
    queries: int
    hits: float  # share of queries that found something
    fts_p95: float  # the same MATCH expressions alone, no joins or snippets
    # Three-word queries' FTS5 part as `SearchIndex.search` runs it: the newest
    # `SEARCH_POOL` matches ranked by bm25, and the same matches found but not ranked (what
    # any ranking that keeps today's results must at least do).
    pool_p95: float = 0.0
    unranked_p95: float = 0.0


def queries(service: Service, telegram_ids: tuple[int, ...], count: int,
            words: int, seed: int = 11) -> list[tuple[int, str]]:
    """Queries a librarian would type: `words` words from one of their own notes."""
    rnd = random.Random(seed + words)
    db = service.store.db
    out: list[tuple[int, str]] = []
    while len(out) < count:
        telegram_id = rnd.choice(telegram_ids)
        row = db.execute(
            "SELECT n.text FROM notes n JOIN users u ON u.id = n.user_id"
            " WHERE u.telegram_id = ? AND n.id >= ? ORDER BY n.id LIMIT 1",
            (telegram_id, rnd.randint(1, _max_note(service)))).fetchone()
        if row is None:
            continue
        picked = content_words(row[0])
        if len(picked) >= words:
            out.append((telegram_id, " ".join(rnd.sample(picked, words))))
    return out


def _max_note(service: Service) -> int:
    return int(service.store.db.execute("SELECT max(id) FROM notes").fetchone()[0] or 1)


#: Each query is sent this many times and its fastest time kept: a p95 of one-millisecond
#: queries on a shared machine otherwise measures the other processes' scheduling, not which
#: queries cost more as the data grows (two same-week runs gave 3.65× and 0.85×).
SEARCH_TRIES = 3


def search(service: Service, dataset: Dataset, count: int,
           telegram_ids: tuple[int, ...] | None = None) -> SearchFigures:
    ids = telegram_ids or dataset.light
    results: dict[int, list[float]] = {}
    bare: list[float] = []
    pools: dict[bool, list[float]] = {True: [], False: []}
    found = 0
    for words in (1, 3):
        times = []
        for telegram_id, query in queries(service, ids, count, words):
            lib = Librarian(service, telegram_id)
            tries = []
            for _ in range(SEARCH_TRIES):
                began = time.perf_counter()
                outcome = lib.handle(Incoming(kind="command", command="search", args=query))
                tries.append(time.perf_counter() - began)
            times.append(min(tries))
            found += "<b>" in outcome.replies[0].text
            bare.append(min(_bare_match(service, telegram_id, query)
                            for _ in range(SEARCH_TRIES)))
            for ranked in (pools if words == 3 else ()):
                pools[ranked].append(min(_pool(service, telegram_id, query, ranked)
                                         for _ in range(SEARCH_TRIES)))
        results[words] = times
    ms = {w: [t * 1000 for t in ts] for w, ts in results.items()}
    return SearchFigures(percentile(ms[1], 50), percentile(ms[1], 95), percentile(ms[3], 50),
                         percentile(ms[3], 95), 2 * count, found / (2 * count),
                         percentile(bare, 95) * 1000, percentile(pools[True], 95) * 1000,
                         percentile(pools[False], 95) * 1000)


def _bare_match(service: Service, telegram_id: int, query: str) -> float:
    """The FTS5 part of one search: the same MATCH, ranked, first 8 rows, nothing joined."""
    user = service.store.user_by_telegram(telegram_id)
    match = fts_query(query, "nl")
    assert user is not None and match is not None
    sql = ("SELECT rowid FROM search_docs_fts WHERE search_docs_fts MATCH ?"
           " ORDER BY bm25(search_docs_fts) LIMIT 8")
    scopes = SearchIndex(service.store).scopes(user.id)
    began = time.perf_counter()
    service.store.db.execute(sql, (owned_query(match, scopes),)).fetchall()
    return time.perf_counter() - began


def _pool(service: Service, telegram_id: int, query: str, ranked: bool) -> float:
    """The FTS5 part of `SearchIndex.search`: its newest `SEARCH_POOL` matches, ranked by
    bm25 as it does, or only found. bm25 counts, on its first row, the notes holding each
    term of each community read (a pass over every such list), so the difference is what
    ranking costs beyond finding the matches."""
    user = service.store.user_by_telegram(telegram_id)
    match = fts_query(query, "nl")
    assert user is not None and match is not None
    score = "bm25(search_docs_fts)" if ranked else "0"
    sql = (f"SELECT id FROM (SELECT rowid AS id, {score} AS score FROM search_docs_fts"
           " WHERE search_docs_fts MATCH ? ORDER BY rowid DESC LIMIT ?)"
           " ORDER BY score, id DESC LIMIT 8")
    args = (owned_query(match, SearchIndex(service.store).scopes(user.id)), SEARCH_POOL)
    began = time.perf_counter()
    service.store.db.execute(sql, args).fetchall()
    return time.perf_counter() - began
