"""Word overlap of the voice recordings per CPU path and decoding setting.

`python -m bench.voice_isa` transcribes every spoken recording of tests/bot/features/voice with each
decoding setting of `tests.bot.features.voice.isa.settings_by_name` on each CPU path this machine
can take
(CTranslate2's GENERIC, AVX2 and AVX512 kernels, and AVX512 with oneDNN instead of MKL), and
prints the table in docs/benchmarks.md: the share of spoken words found in the transcript.
The worker's setting ("chosen") is the one that scored best, or level, on the Dutch
recordings on every path; the voice tests' bars sit below its worst path.
"""

from __future__ import annotations

import argparse
import statistics
import sys

from bot.features.voice.engine import DECODING
from tests.bot.features.voice.isa import SPEECH, Heard, available, run, settings_by_name


def table(heard: list[Heard], paths: list[str], settings: list[str]) -> str:
    head = "| setting | recording | " + " | ".join(paths) + " |"
    rows = [head, "|" + "---|" * (len(paths) + 2)]
    for setting in settings:
        for name in SPEECH:
            cells = [next(f"{h.overlap:.2f}" for h in heard
                          if (h.path, h.setting, h.recording) == (p, setting, name))
                     for p in paths]
            rows.append(f"| {setting} | {name} | " + " | ".join(cells) + " |")
        dutch = [[h.overlap for h in heard if (h.path, h.setting) == (p, setting)
                  and h.recording.startswith("nl_")] for p in paths]
        rows.append(f"| {setting} | **Dutch mean** | "
                    + " | ".join(f"**{statistics.mean(d):.2f}**" for d in dutch) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--settings", nargs="*", default=list(settings_by_name(DECODING)))
    args.add_argument("--show", action="store_true", help="print every transcript too")
    chosen = args.parse_args(argv)
    paths = available()
    heard: list[Heard] = []
    for path in paths:
        print(f"[voice isa] {path} …", file=sys.stderr, flush=True)
        heard += run(path, chosen.settings)
    print(table(heard, paths, chosen.settings))
    if chosen.show:
        for h in heard:
            print(f"{h.path} · {h.setting} · {h.recording}: {h.text!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
