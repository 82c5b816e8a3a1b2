"""`python -m bench.deid [--notes N] [--runs N]`: the cost of the shareable ("om te delen")
export's de-identification (bot/features/export/anonymise.py).

deduce's load in a fresh process (time and peak memory); a community's snapshot made
shareable as the bot does it (share_process.py: a fresh process that loads deduce and ends)
and the memory of the process that asked; then the time per 1,000 notes of recorded-people
matching alone, deduce alone, all combined and the whole snapshot's `shareable()`, over the
labelled set's texts (tests/bot/features/export/deid_set.py) repeated; and that set's
precision and recall.
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
from typing import Any

from bench.report import Figure, Section
from bench.stats import Runs
from bot.features.export import deduce_spans, share_process
from bot.features.export.anonymise import Span
from bot.features.export.shareable import shareable
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
    fresh_s: list[float]  # a community's shareable snapshot made as the bot does it
    asker_mib: tuple[float, float]  # resident memory of the process that asked, before/after


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


def community(texts: list[str]) -> dict[str, Any]:
    """A snapshot (storage/export.py's shape) of one community holding these notes."""
    return {"librarian": {"name": deid_set.COLLEAGUES[0]}, "communities": [{
        "id": 1, "name": "Taalcafé Overvecht", "members": [
            {"name": name, "role": "member"} for name in deid_set.COLLEAGUES[1:]],
        "people": [{"id": n, "name": p.name, "role": p.role}
                   for n, p in enumerate(deid_set.PEOPLE)],
        "notes": [{"id": n, "text": text, "tags": []} for n, text in enumerate(texts)]}]}


def resident_mib() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def made_shareable(data: dict[str, Any]) -> float:
    """Seconds share_process.shared takes for `data` (in a fresh process unless this one
    holds deduce already)."""
    began = time.perf_counter()
    share_process.shared(data)
    return time.perf_counter() - began


def measure(notes: int, runs: int) -> Figures:
    loads = [load_in_fresh_process() for _ in range(runs)]
    pool = [item.text for item in deid_set.SET]
    # Each note its own text, as in a real community (shareable() does a repeated text once).
    texts = [f"{pool[n % len(pool)]} ({n})" for n in range(notes)]
    before = resident_mib()
    fresh = [made_shareable(community(texts)) for _ in range(runs)]
    after = resident_mib()
    deduce_spans.load()
    methods = {"(a) recorded people": deid_set.recorded_only,
               "(b) deduce": deid_set.deduce_only, "(c) combined": deid_set.combined}
    per = {name: [per_1000(m, texts) for _ in range(runs)] for name, m in methods.items()}
    per["(d) the whole snapshot, shareable()"] = [
        _whole(community(texts)) / len(texts) * 1000 for _ in range(runs)]
    return Figures([s for s, _, _ in loads], max(p for _, p, _ in loads),
                   max(h for _, _, h in loads), per, notes, fresh, (before, after))


def _whole(data: dict[str, Any]) -> float:
    began = time.perf_counter()
    shareable(data)
    return time.perf_counter() - began


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
        Figure(f"a community of {f.notes:,} notes made shareable as the bot does it (a"
               " fresh process: load, de-identify, end)", Runs.of(f.fresh_s), "s"),
        Figure("resident memory of the process that asked, after it (before: "
               f"{f.asker_mib[0]:.0f})", Runs.of([f.asker_mib[1]]), "MiB", fmt="{:.0f}"),
    ], before=[
        f"{f.notes:,} notes (the labelled set's {len(deid_set.SET)} texts, about 100"
        f" characters each, repeated), {runs} run(s) (`bench/deid.py`). The first load in a"
        " fresh install builds deduce's lookup structures once (about 70 s; `make` and the"
        " Docker image build them ahead) and saves them"
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
    print(f"{f.notes:,} notes made shareable in a fresh process: {min(f.fresh_s):.1f}–"
          f"{max(f.fresh_s):.1f} s; the asking process {f.asker_mib[0]:.0f} MiB before,"
          f" {f.asker_mib[1]:.0f} MiB after")
    scores = {name: deid_set.score(m) for name, m in deid_set.METHODS.items()}
    print("\n".join(deid_set.table(scores)))


if __name__ == "__main__":
    main()
