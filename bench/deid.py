"""`python -m bench.deid [--notes N] [--runs N]`: the cost of the shareable ("om te delen")
export's de-identification (bot/features/export/anonymise.py).

deduce's load in a fresh process (time and peak memory), then the time per 1,000 notes of
recorded-people matching alone, deduce alone and all combined, over the labelled set's texts
(tests/bot/features/export/deid_set.py) repeated; and that set's precision and recall.
Section 14 of `python -m bench` (`section`).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.report import Figure, Section
from bench.stats import Runs
from bot.features.export import deduce_spans
from bot.features.export.anonymise import Span
from tests.bot.features.export import deid_set

LOAD = ("import gc, json, resource, time; began = time.perf_counter();"
        " from bot.features.export import deduce_spans; deduce_spans.load();"
        " took = time.perf_counter() - began; gc.collect();"
        " rss = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS')];"
        " print(json.dumps([took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,"
        " rss[0] / 1024]))")


@dataclass(frozen=True)
class Figures:
    load_s: list[float]
    load_mib: float  # peak, while loading
    held_mib: float  # resident once loaded
    per_1000_s: dict[str, list[float]]  # method: seconds per 1,000 notes, one per run
    notes: int


def load_in_fresh_process() -> tuple[float, float, float]:
    """Seconds, peak MiB and resident MiB of a new Python process that loads deduce."""
    out = subprocess.run([sys.executable, "-c", LOAD], check=True, capture_output=True,
                         text=True).stdout
    seconds, peak, held = json.loads(out.strip().splitlines()[-1])
    return float(seconds), float(peak), float(held)


def per_1000(method: Callable[[str], list[Span]], texts: list[str]) -> float:
    began = time.perf_counter()
    for text in texts:
        method(text)
    return (time.perf_counter() - began) / len(texts) * 1000


def measure(notes: int, runs: int) -> Figures:
    loads = [load_in_fresh_process() for _ in range(runs)]
    deduce_spans.load()
    pool = [item.text for item in deid_set.SET]
    texts = [pool[n % len(pool)] for n in range(notes)]
    methods = {"(a) recorded people": deid_set.recorded_only,
               "(b) deduce": deid_set.deduce_only, "(c) combined": deid_set.combined}
    return Figures([s for s, _, _ in loads], max(p for _, p, _ in loads),
                   max(h for _, _, h in loads),
                   {name: [per_1000(m, texts) for _ in range(runs)]
                    for name, m in methods.items()}, notes)


def section(quick: bool) -> Section:
    """Section 14: de-identification for the shareable export."""
    notes, runs = (200, 1) if quick else (1000, 3)
    f = measure(notes, runs)
    scores = {name: deid_set.score(m) for name, m in deid_set.METHODS.items()}
    return Section("14. De-identification for the shareable export", [
        Figure("deduce load in a fresh process (lookup structures cached)", Runs.of(f.load_s),
               "s"),
        Figure("peak memory of that process", Runs.of([f.load_mib]), "MiB", fmt="{:.0f}"),
        Figure("its resident memory once loaded", Runs.of([f.held_mib]), "MiB",
               fmt="{:.0f}"),
        *(Figure(f"{name}, per 1,000 notes", Runs.of(values), "s", fmt="{:.2f}")
          for name, values in f.per_1000_s.items()),
    ], before=[
        f"{f.notes:,} notes (the labelled set's {len(deid_set.SET)} texts, about 100"
        f" characters each, repeated), {runs} run(s) (`bench/deid.py`). The first load in a"
        " fresh install builds deduce's lookup structures once (about 100 s) and saves them"
        " next to its lists; the figure here is every later load.",
    ], after=["Precision and recall on the labelled set (tests/bot/features/export/"
              "deid_set.py):", "", *deid_set.table(scores)])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.deid", description=__doc__)
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    f = measure(args.notes, args.runs)
    print(f"deduce load in a fresh process: {min(f.load_s):.1f}–{max(f.load_s):.1f} s,"
          f" peak {f.load_mib:.0f} MiB, resident after {f.held_mib:.0f} MiB")
    for name, values in f.per_1000_s.items():
        print(f"{name}: {min(values):.2f}–{max(values):.2f} s per 1,000 notes")
    scores = {name: deid_set.score(m) for name, m in deid_set.METHODS.items()}
    print("\n".join(deid_set.table(scores)))


if __name__ == "__main__":
    main()
