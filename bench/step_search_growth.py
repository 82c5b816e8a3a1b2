"""Sections 2, 3 and 6 of docs/benchmarks.md: the engine step and search in process, on the
base data and on ten times as much (the databases are built once and shared)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench import dataset, handle_timing, search_kinds
from bench.report import Figure, Section
from bench.sections import Sizes, log, runs_of

#: Communities of other librarians each heavy writer of section 6 is a member of: a search
#: reads its own community, its own notes outside any, and these.
SHARED = 2


@dataclass
class InProcess:
    tap: list[float]
    note: list[float]
    tap_d: list[float]
    note_d: list[float]
    bare: list[float]
    one50: list[float]
    one95: list[float]
    three50: list[float]
    three95: list[float]
    fts95: list[float]
    pool95: list[float]
    unranked95: list[float]
    kinds95: list[float] | None = None  # /zoek one word p95 on the database of every kind


def _measure(db: Path, data: dataset.Dataset, sizes: Sizes, who: tuple[int, ...],
             into: InProcess, queries: int) -> None:
    service = handle_timing.service_for(db)
    try:
        step = handle_timing.steps(service, who[0], sizes.steps)
        into.tap.append(step.tap_us)
        into.note.append(step.note_us)
        into.tap_d.append(step.tap_delivery_us)
        into.note_d.append(step.note_delivery_us)
        into.bare.append(handle_timing.bare_transaction_us(service, sizes.steps))
        found = handle_timing.search(service, data, queries, who)
        into.one50.append(found.one_p50)
        into.one95.append(found.one_p95)
        into.three50.append(found.three_p50)
        into.three95.append(found.three_p95)
        into.fts95.append(found.fts_p95)
        into.pool95.append(found.pool_p95)
        into.unranked95.append(found.unranked_p95)
    finally:
        service.store.close()


def _empty() -> InProcess:
    return InProcess([], [], [], [], [], [], [], [], [], [], [], [])


def in_process(sizes: Sizes) -> list[Section]:
    with tempfile.TemporaryDirectory(prefix="veldgids-bench-") as tmp:
        base_db, big_db = Path(tmp) / "base.db", Path(tmp) / "big.db"
        base = dataset.build(base_db, sizes.light, sizes.notes)
        log(f"built {base.notes:,} notes in {base.seconds:.0f} s")
        big = dataset.build(big_db, sizes.growth_light, sizes.notes, heavy=sizes.growth_heavy,
                            shared=SHARED)
        log(f"built {big.notes:,} notes in {big.seconds:.0f} s")
        mixed_db = Path(tmp) / "kinds.db"
        mixed = search_kinds.build(mixed_db, sizes.light, sizes.notes)
        log(f"built {mixed.notes:,} records of every kind in {mixed.seconds:.0f} s")
        sizes_of = (search_kinds.index_size(base_db), search_kinds.index_size(mixed_db))
        b, g, h = _empty(), _empty(), _empty()
        b.kinds95 = []
        for r in range(sizes.runs):
            _measure(base_db, base, sizes, base.light, b, sizes.queries)
            b.kinds95.append(_kinds(mixed_db, mixed, sizes.queries))
            _measure(big_db, big, sizes, big.light, g, sizes.growth_queries)
            _measure(big_db, big, sizes, big.heavy, h, sizes.growth_queries)
            log(f"in-process run {r + 1}: tap {b.tap[-1]:.0f}/{g.tap[-1]:.0f} µs, note"
                f" {b.note[-1]:.0f}/{g.note[-1]:.0f} µs, search p95 {b.one95[-1]:.1f}/"
                f"{g.one95[-1]:.1f}/{h.one95[-1]:.1f} ms")
    return [_step_section(sizes, b), _search_section(sizes, base, b, sizes_of),
            _growth_section(sizes, base, big, b, g, h)]


def _step_section(sizes: Sizes, b: InProcess) -> Section:
    tap, note, bare = runs_of(b.tap), runs_of(b.note), runs_of(b.bare)
    return Section("2. Engine step in process", [
        Figure("checklist tap, Service.handle", tap, "µs", bare, "bare transaction",
               "≤ 300 µs", tap.median <= 300, "{:.0f}"),
        Figure("live-mode note, Service.handle", note, "µs", bare, "bare transaction",
               "≤ 300 µs", note.median <= 300, "{:.0f}"),
        Figure("checklist tap, as the Telegram front end calls it", runs_of(b.tap_d), "µs",
               bare, "bare transaction", fmt="{:.0f}"),
        Figure("live-mode note, as the Telegram front end calls it", runs_of(b.note_d), "µs",
               bare, "bare transaction", fmt="{:.0f}"),
    ], before=[
        f"Median microseconds per event over {sizes.steps:,} events, through"
        " `Service.handle` on a real SQLite file (WAL, synchronous=NORMAL) holding the"
        f" {sizes.light * sizes.notes:,} notes of section 3: the duplicate check, the access"
        " gate, loading user, dialog state and context, the engine step, its effects, saving"
        " the state and marking the update handled, in one transaction. One librarian taps"
        " the same checklist item on and off, then types live-mode notes in an open"
        " conversation. \"As the Telegram front end calls it\" adds `Delivery.handle`'s"
        " undelivered-reply note and `delivered` afterwards. The baseline is the least any"
        " durable step costs: one transaction updating the dialog state and marking the"
        " update handled, nothing else.",
    ])


def _kinds(db: Path, data: dataset.Dataset, queries: int) -> float:
    """/zoek one word p95 (ms) on the database of every kind."""
    service = handle_timing.service_for(db)
    try:
        return handle_timing.search(service, data, queries, data.light).one_p95
    finally:
        service.store.close()


def _search_section(sizes: Sizes, base: dataset.Dataset, b: InProcess,
                    index: tuple[search_kinds.IndexSize, search_kinds.IndexSize]) -> Section:
    one95, three95 = runs_of(b.one95), runs_of(b.three95)
    fts = runs_of(b.fts95)
    notes_only, every = index
    kinds95 = runs_of(b.kinds95 or [])
    return Section("3. Search", [
        Figure(f"/zoek one word p95, {base.notes:,} records of every kind", kinds95, "ms",
               one95, "as many notes only", "≤ 1.5×", kinds95.median <= 1.5 * one95.median),
        Figure(f"index size, {base.notes:,} records of every kind",
               runs_of([every.bytes / 2**20]), "MB", runs_of([notes_only.bytes / 2**20]),
               "as many notes only", "≤ 1.5×", every.bytes <= 1.5 * notes_only.bytes, "{:.2f}"),
        Figure("/zoek one word, p50", runs_of(b.one50), "ms", fmt="{:.1f}"),
        Figure("/zoek one word, p95", one95, "ms", fts, "bare FTS5 MATCH p95", "≤ 20 ms",
               one95.median <= 20),
        Figure("/zoek three words, p50", runs_of(b.three50), "ms", fmt="{:.1f}"),
        Figure("/zoek three words, p95", three95, "ms", fts, "bare FTS5 MATCH p95",
               "≤ 20 ms", three95.median <= 20),
    ], before=[
        f"{base.notes:,} generated Dutch-like notes (fixed seed) from {sizes.light}"
        f" librarians ({sizes.notes:,} each), built in {base.seconds:.0f} s through the real"
        " schema and its triggers (only the FTS5 index is built in one go at the end, so it is"
        " fully merged; grown in batches it would have a few more segments). Each query is"
        " what a librarian would type: one or three words taken from one of their own notes"
        " (so there is always a hit),"
        f" {sizes.queries} of each, each sent three times and its fastest time kept (on a"
        " shared machine a p95 of one-millisecond queries otherwise measures the scheduler),"
        " as `/zoek …` through `Service.handle`: adding notes"
        " still waiting for the index (the step runs of section 2 leave a couple of thousand"
        " for the first query, so only its first send), query building (`fts_query`, stop"
        " words dropped, the last"
        " word as a prefix, every word keyed to the librarian), the FTS5 query with bm25"
        " over the newest 200 matches, joins and snippets for the eight shown"
        " (`TalkRepo.search`), and the reply's HTML. The baseline is the FTS5 MATCH of the"
        " same expression alone, ranked over all matches (no joins, no snippets), also the"
        " fastest of three. The first two rows put the same number of records of every kind"
        " /zoek finds (bench/search_kinds.py: a third notes, the rest conversation notes,"
        " actions, activities, scan texts, outcomes, roles, people, goals and progress notes,"
        " same text generator) beside these notes only, in the same run: the one-word /zoek"
        " p95, and the pages the index takes (`search_docs`, its indexes and the FTS5 tables,"
        " from `dbstat`).",
    ])


def _growth_section(sizes: Sizes, base: dataset.Dataset, big: dataset.Dataset,
                    b: InProcess, g: InProcess, h: InProcess) -> Section:
    def grow(name: str, now: list[float], was: list[float], unit: str, target: str,
             limit: float, fmt: str = "{:.0f}") -> Figure:
        value, before = runs_of(now), runs_of(was)
        return Figure(name, value, unit, before, "base data", target,
                      value.median <= limit * before.median, fmt)

    return Section("6. Growth: ten times the data", [
        grow("10× librarians: checklist tap", g.tap, b.tap, "µs", "flat (≤ 1.25×)", 1.25),
        grow("10× librarians: live-mode note", g.note, b.note, "µs", "flat (≤ 1.25×)", 1.25),
        grow("10× librarians: /zoek one word p95", g.one95, b.one95, "ms",
             "logarithmic (≤ 2×)", 2, "{:.1f}"),
        grow("10× librarians: /zoek three words p95", g.three95, b.three95, "ms",
             "logarithmic (≤ 2×)", 2, "{:.1f}"),
        grow("10× notes per librarian: checklist tap", h.tap, b.tap, "µs", "flat (≤ 1.25×)",
             1.25),
        grow("10× notes per librarian: live-mode note", h.note, b.note, "µs",
             "flat (≤ 1.25×)", 1.25),
        grow("10× notes per librarian: /zoek one word p95", h.one95, b.one95, "ms",
             "logarithmic (≤ 2×)", 2, "{:.1f}"),
        _three_words(grow("10× notes per librarian: /zoek three words p95", h.three95,
                          b.three95, "ms", "logarithmic (≤ 2×)", 2, "{:.1f}"), b, h),
        Figure("10× notes per librarian: three words, FTS5 part (newest 200, bm25) p95",
               runs_of(h.pool95), "ms", runs_of(b.pool95), "base data", fmt="{:.2f}"),
        Figure("10× notes per librarian: three words, newest 200 found, not ranked, p95",
               runs_of(h.unranked95), "ms", runs_of(b.unranked95), "base data",
               fmt="{:.2f}"),
    ], before=[
        f"Sections 2 and 3 again on a database with {big.notes:,} notes (built in"
        f" {big.seconds:.0f} s): {len(big.light)} librarians with {sizes.notes:,} notes each"
        f" (ten times as many librarians as the base data) and {len(big.heavy)} with"
        f" {10 * sizes.notes:,} each (ten times as much per librarian), each of them also a"
        f" member of {big.shared} light writers' communities (so their searches read"
        f" {big.shared + 2} keys: their community, their notes outside any, and the shared"
        " ones). The first rows are for the former, the last rows for the latter. \"Flat\""
        " means within 1.25× of the"
        " base figure; \"logarithmic\" within 2× (a cost linear in the data would be 10×)."
        " The base figures are those of sections 2 and 3, measured in the same runs."
        " The last two rows split the three-word search's FTS5 part: the query"
        " `SearchIndex.search` runs (the newest 200 matches, ranked by bm25), and the same"
        " matches found without ranking, which any ranking that keeps today's results has to"
        " do first; the rest of a /zoek (joins, snippets, the reply) stays about the same.",
    ])


def _three_words(figure: Figure, b: InProcess, h: InProcess) -> Figure:
    """The cause of the three-word growth, from this run's split of the FTS5 part."""
    med = {name: runs_of(values).median for name, values in (
        ("total", h.three95), ("base", b.three95), ("pool", h.pool95),
        ("found", h.unranked95), ("found_base", b.unranked95))}
    rest = med["total"] - med["pool"]
    floor = (rest + med["found"]) / med["base"]
    room = 2 * med["base"] - rest - med["found"]
    verdict = ("already above 2×" if room <= 0 else
               f"leaving {room * 1000:.0f} µs for a ranking that keeps today's order")
    figure.why = (
        f"Of the {med['total']:.1f} ms, the FTS5 query is {med['pool']:.1f} ms: finding"
        f" the newest 200 matches alone takes {med['found']:.2f} ms (base data"
        f" {med['found_base']:.2f} ms), since three words rarely share 200 notes, so their"
        " lists (one per community read, the librarian's own ten times longer) are walked to"
        " the end; bm25 adds the rest, counting on its first row the notes of every word in"
        " every community read (the prefix word's lists merged once more). Even with ranking"
        f" free, the rest of a /zoek (about {rest:.1f} ms: p95s do not add exactly) plus"
        f" finding the matches is {floor:.2f}× the base figure, {verdict}.")
    return figure
