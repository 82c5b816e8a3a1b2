"""`python -m bench.overview [--communities N] [--notes N]`: how long an admin's /overzicht
takes on a full library, and the memory it needs.

Seeds a database (a librarian per ten communities; per community notes, ticks, goals with
progress, actions and conversations), then times what runs on the event loop (reading the
figures and rendering the first page) and what runs in the worker (the CSV and every chart
piece), with tracemalloc's peak for the figures. Section 11 of `python -m bench`
(`section`); on its own with other sizes as below.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.report import Figure, Section
from bench.stats import Runs
from bot.app.registry import FEATURES, Service, load_catalog
from bot.app.service import Defaults
from bot.features.overview.chart import phase_chart, pieces
from bot.features.overview.feature import Overview, chart_rows, csv_bytes
from storage.store import Store

ADMIN = 1


def seed(store: Store, communities: int, notes: int) -> None:
    now = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    stamp = now.isoformat(timespec="seconds")
    db = store.db
    with store.atomic():
        db.execute("INSERT INTO users (id, telegram_id, name, language, timezone, is_admin,"
                   " created_at) VALUES (1, 1, 'Bea', 'nl', 'Europe/Amsterdam', 1, ?)",
                   (stamp,))
        for c in range(communities):
            owner = 2 + c // 10
            if c % 10 == 0:
                db.execute("INSERT INTO users (id, telegram_id, name, language, timezone,"
                           " created_at) VALUES (?, ?, ?, 'nl', 'Europe/Amsterdam', ?)",
                           (owner, owner, f"Bibliothecaris {owner}", stamp))
            cid = db.execute("INSERT INTO communities (user_id, name, created_at)"
                             " VALUES (?, ?, ?)", (owner, f"Community {c:05d}", stamp)).lastrowid
            db.conn.executemany(
                "INSERT INTO notes (user_id, community_id, text, created_at) VALUES (?, ?, ?, ?)",
                [(owner, cid, f"notitie {n} over de wijk", (now - timedelta(hours=n)).isoformat(
                    timespec="seconds")) for n in range(notes)])
            db.conn.executemany("INSERT INTO checklist (community_id, item, done_at)"
                                " VALUES (?, ?, ?)", [(cid, item, stamp) for item in
                            ("p1.policy", "p1.goals", "p1.frame", "p2.kind", "p2.themes")])
            for g in range(3):
                goal = db.execute(
                    "INSERT INTO goals (user_id, community_id, specific, metric, baseline,"
                    " target, deadline, created_at) VALUES (?, ?, 'doel', 'deelnemers', 0, 10,"
                    " ?, ?)", (owner, cid, date(2025, 6, 1 + g).isoformat(), stamp)).lastrowid
                db.conn.executemany("INSERT INTO goal_progress (goal_id, value, logged_at)"
                               " VALUES (?, ?, ?)", [(goal, v, stamp) for v in (1, 2, 3)])
            db.conn.executemany("INSERT INTO actions (user_id, community_id, what, due, created_at,"
                           " updated_at) VALUES (?, ?, 'actie', ?, ?, ?)",
                           [(owner, cid, date(2025, 2 + a % 3, 1).isoformat(), stamp, stamp)
                            for a in range(4)])
            db.conn.executemany("INSERT INTO conversations (user_id, community_id, started_at)"
                           " VALUES (?, ?, ?)", [(owner, cid, stamp) for _ in range(3)])


@dataclass(frozen=True)
class Figures:
    communities: int
    seed_s: float
    loop_ms: list[float]  # figures + first page, on the event loop, one per run
    peak_mib: float
    csv_ms: list[float]
    chart_ms: list[float]
    pieces: int


def timed(fn: object, times: int) -> list[float]:
    out = []
    for _ in range(times):
        began = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append((time.perf_counter() - began) * 1000)
    return out


def measure(communities: int, notes: int, times: int) -> Figures:
    with tempfile.TemporaryDirectory(prefix="veldgids-bench-") as tmp:
        clock = lambda: datetime(2025, 3, 13, 9, 0, tzinfo=UTC)  # noqa: E731
        store = Store(Path(tmp) / "overview.db", clock=clock)
        began = time.perf_counter()
        seed(store, communities, notes)
        seeded = time.perf_counter() - began
        service = Service(store, load_catalog(), Defaults(data_dir=Path(tmp)),
                          features=FEATURES)
        overview = service.features["overview"]
        assert isinstance(overview, Overview)
        admin = store.user(ADMIN)
        assert admin is not None
        tracemalloc.start()
        found = overview._rows(admin)  # noqa: SLF001  (what a press reads)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        loop = timed(lambda: overview.page(admin, overview._rows(admin), 0,  # noqa: SLF001
                                           edit=False), times)
        header = [str(n) for n in range(18)]
        csv_ms = timed(lambda: csv_bytes(found, header), times)
        chart_pieces = pieces(chart_rows(found))
        chart_ms = timed(lambda: phase_chart(chart_pieces[0], ["1", "2", "3", "4", "5", "6"],
                                             "bench"), times)
        store.close()
    return Figures(len(found), seeded, loop, peak / 2**20, csv_ms, chart_ms,
                   len(chart_pieces))


def section(quick: bool) -> Section:
    """Section 11: an admin's /overzicht on a full library."""
    communities, notes, times = (100, 20, 2) if quick else (1000, 100, 5)
    f = measure(communities, notes, times)
    return Section("11. An admin's /overzicht", [
        Figure("figures + first page (on the event loop)", Runs.of(f.loop_ms), "ms",
               fmt="{:.0f}"),
        Figure("peak Python memory while reading the figures", Runs.of([f.peak_mib]), "MiB"),
        Figure(f"CSV of {f.communities:,} communities (heavy-work process)",
               Runs.of(f.csv_ms), "ms", fmt="{:.0f}"),
        Figure(f"one chart piece of 25 communities (heavy-work process); {f.pieces} pieces",
               Runs.of(f.chart_ms), "ms", fmt="{:.0f}"),
    ], before=[
        f"{communities:,} communities, {notes} notes each (a librarian per ten communities;"
        " ticks, goals with progress, actions and conversations), seeded in"
        f" {f.seed_s:.1f} s; {times} runs of each figure (`bench/overview.py`). What a press"
        " of /overzicht reads and renders runs on the event loop; the CSV and the charts"
        " are made in the heavy-work process.",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.overview", description=__doc__)
    parser.add_argument("--communities", type=int, default=1000)
    parser.add_argument("--notes", type=int, default=100, help="notes per community")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    f = measure(args.communities, args.notes, args.runs)
    print(f"seeded {args.communities:,} communities, {args.communities * args.notes:,}"
          f" notes in {f.seed_s:.1f} s")
    print("| figure | value |\n|---|---|")
    print(f"| figures + first page (on the event loop), median of {args.runs} |"
          f" {statistics.median(f.loop_ms):.0f} ms |")
    print(f"| peak Python memory while reading the figures | {f.peak_mib:.1f} MiB |")
    print(f"| CSV of {f.communities:,} communities (worker) |"
          f" {statistics.median(f.csv_ms):.0f} ms |")
    print(f"| one chart piece of 25 communities (worker); {f.pieces} pieces |"
          f" {statistics.median(f.chart_ms):.0f} ms |")


if __name__ == "__main__":
    main()
