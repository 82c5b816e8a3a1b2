"""`python -m bench [--quick] [--only 1,2,...] [--out FILE]`: run the benchmarks, write
docs/benchmarks.md. Sections: 1 full stack, 2 engine step, 3 search, 4 reminder tick,
5 start-up and memory, 6 growth (2, 3 and 6 share their databases), 7 voice transcription,
8 killed mid-load (SIGKILL), 9 heavy work, 10 sharing (join and leave at scale), 11 an
admin's /overzicht, 12 the summaries' themes, 13 "Wat we hoorden", 14 de-identification for
the shareable export, 15 the Word report."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench import (
    deid,
    heard,
    heavy,
    membership,
    notes,
    overview,
    peer_sections,
    sections,
    step_search_growth,
    themes,
    voice,
    word_report,
)
from bench.report import Section, load_average, render

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "docs" / "benchmarks.md"
SECTIONS = tuple(range(1, 16))


def parse(argv: list[str]) -> argparse.Namespace:
    top = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    top.add_argument("--quick", action="store_true",
                     help="small sizes and one run each: a smoke check, figures not comparable")
    top.add_argument("--only", default=",".join(map(str, SECTIONS)),
                     help="sections to run (default: all)")
    top.add_argument("--out", help="where to write the report ('-' for stdout; default:"
                     " docs/benchmarks.md, or stdout with --quick)")
    return top.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    sizes = sections.QUICK if args.quick else sections.FULL
    wanted = {int(part) for part in args.only.split(",") if part.strip()}
    began = time.perf_counter()
    load_before = load_average()
    done: dict[int, Section] = {}
    if 1 in wanted:
        done[1] = sections.full_stack(sizes)
    if wanted & {2, 3, 6}:
        step, search, growth = step_search_growth.in_process(sizes)
        done.update({2: step, 3: search, 6: growth})
    if 4 in wanted:
        done[4] = sections.reminder_tick(sizes)
    if 5 in wanted:
        done[5] = sections.startup_memory(sizes)
    if 7 in wanted:
        done[7] = voice.section(args.quick)
    if 8 in wanted:
        done[8] = peer_sections.sigkill(sizes, sections.log)
    if 9 in wanted:
        done[9] = heavy.section(sizes, done.get(7), sections.log)
    if 10 in wanted:
        done[10] = membership.section(args.quick)
    if 11 in wanted:
        done[11] = overview.section(args.quick)
    if 15 in wanted:
        done[15] = word_report.section(sizes, sections.log)
    if 12 in wanted:
        done[12] = themes.section(args.quick)
    if 13 in wanted:
        done[13] = heard.section(args.quick)
    if 14 in wanted:
        done[14] = deid.section(args.quick)
    command = "python -m bench" + (" --quick" if args.quick else "") + (
        f" --only {args.only}" if wanted != set(SECTIONS) else "")
    chosen = [done[n] for n in sorted(done) if n in wanted]
    text = render(chosen, command=command, seconds=time.perf_counter() - began,
                  load_before=load_before, load_after=load_average(),
                  notes=notes.NOTES, changes=notes.CHANGES, closing=notes.closing(chosen))
    out = args.out or ("-" if args.quick else str(DEFAULT_OUT))
    if out == "-":
        print(text)
    else:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text, encoding="utf-8")
        sections.log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
