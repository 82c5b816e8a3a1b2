"""`python -m bench.overview [--communities N] [--notes N]`: how long an admin's /overzicht
takes on a full library, and the memory it needs.

Seeds a database (a librarian per ten communities; per community notes, ticks, goals with
progress, actions and conversations), then times what runs on the event loop (reading the
figures and rendering the first page) and what runs in the worker (the CSV and every chart
piece), with tracemalloc's peak for the figures. Not part of `python -m bench`'s sections:
run on its own; the figures are in the report of issue 16.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.build import FEATURES, load_catalog
from bot.overview import Overview, chart_rows, csv_bytes
from bot.overview_chart import phase_chart, pieces
from bot.service import Defaults, Service
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


def runs(fn: object, times: int) -> float:
    seconds = []
    for _ in range(times):
        began = time.perf_counter()
        fn()  # type: ignore[operator]
        seconds.append(time.perf_counter() - began)
    return statistics.median(seconds) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.overview", description=__doc__)
    parser.add_argument("--communities", type=int, default=1000)
    parser.add_argument("--notes", type=int, default=100, help="notes per community")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="veldgids-bench-") as tmp:
        clock = lambda: datetime(2025, 3, 13, 9, 0, tzinfo=UTC)  # noqa: E731
        store = Store(Path(tmp) / "overview.db", clock=clock)
        began = time.perf_counter()
        seed(store, args.communities, args.notes)
        print(f"seeded {args.communities:,} communities, {args.communities * args.notes:,}"
              f" notes in {time.perf_counter() - began:.1f} s")
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
        loop = runs(lambda: overview.page(admin, overview._rows(admin), 0, edit=False),  # noqa: SLF001
                    args.runs)
        header = [str(n) for n in range(18)]
        csv_ms = runs(lambda: csv_bytes(found, header), args.runs)
        chart_pieces = pieces(chart_rows(found))
        chart_ms = runs(lambda: phase_chart(chart_pieces[0], ["1", "2", "3", "4", "5", "6"],
                                            "bench"), args.runs)
        print("| figure | value |\n|---|---|")
        print(f"| figures + first page (on the event loop), median of {args.runs} |"
              f" {loop:.0f} ms |")
        print(f"| peak Python memory while reading the figures | {peak / 2**20:.1f} MiB |")
        print(f"| CSV of {len(found):,} communities (worker) | {csv_ms:.0f} ms |")
        print(f"| one chart piece of 25 communities (worker); {len(chart_pieces)} pieces |"
              f" {chart_ms:.0f} ms |")
        store.close()


if __name__ == "__main__":
    main()
