"""`python -m bench.profile [--updates N] [--librarians N]`: where the bot's time goes in the
saturated run of section 1. py-spy samples the real `veldgids run` process during the
measured phase; prints the functions with the most samples, inclusive and self, grouped
into our code's areas."""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.fake import TimedFakeBotAPI
from bench.fullstack import _start, kind_of, librarian_ids
from bench.load import Driver, Mode, mix, onboarding

HTTP = "http client (httpx/httpcore/anyio/h11)"
AREAS = (  # first match wins: (label, substring of "function (file:line)")
    ("sqlite", "sqlite"), (HTTP, "http"), (HTTP, "anyio"), (HTTP, "h11"),
    ("logging", "logging"), ("telegram (PTB)", "(telegram/"), ("pydantic", "pydantic"),
    ("dialogs engine", "(dialogs/"), ("storage", "(storage/"), ("search", "(search/"),
    ("bot layer", "(bot/"), ("asyncio", "asyncio"), ("json", "json"),
)
OURS = ("(bot/", "(dialogs/", "(storage/", "(search/")


def record(librarians: int, updates: int, rate: int, out: Path,
           mode: Mode = "veldgids") -> tuple[float, int]:
    ids = librarian_ids(librarians)
    with tempfile.TemporaryDirectory(prefix="veldgids-profile-") as tmp, \
            TimedFakeBotAPI() as api:
        bot = _start(api, kind_of(mode), Path(tmp), ids)
        try:
            Driver(api, mode).run({uid: onboarding(n) for n, uid in enumerate(ids)})
            spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record",
                                    "--pid", str(bot.pid), "--rate", str(rate),
                                    "--format", "raw", "--output", str(out),
                                    "--nonblocking"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
            time.sleep(1.0)  # py-spy attaches
            began = time.perf_counter()
            result = Driver(api, mode).run(
                {uid: mix(n, updates // librarians) for n, uid in enumerate(ids)})
            seconds = time.perf_counter() - began
            spy.send_signal(2)  # SIGINT: py-spy writes what it has
            spy.wait(30)
        finally:
            bot.stop()
    return seconds, len(result.records)


def summarise(raw: Path, top: int) -> str:
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    areas: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        frames = stack.split(";")
        total += count
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count
        # The area of the innermost frame that names one (a C call has no file of its own).
        area = next((label for frame in reversed(frames) for label, key in AREAS
                     if key in frame), "other")
        areas[area] += count
    lines = [f"{total} samples", "", "self time by area:"]
    lines += [f"  {n / total:6.1%}  {a}" for a, n in areas.most_common()]
    lines += ["", "inclusive (our code):"]
    ours = [(f, n) for f, n in inclusive.most_common() if any(part in f for part in OURS)]
    lines += [f"  {n / total:6.1%}  {f}" for f, n in ours[:top]]
    lines += ["", "self:"]
    lines += [f"  {n / total:6.1%}  {f}" for f, n in own.most_common(top)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    top = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    top.add_argument("--librarians", type=int, default=100)
    top.add_argument("--updates", type=int, default=3000)
    top.add_argument("--rate", type=int, default=250, help="py-spy samples a second")
    top.add_argument("--top", type=int, default=40)
    top.add_argument("--bot", choices=("veldgids", "echo", "peer"), default="veldgids",
                     help="which bot to sample (the others for comparison)")
    top.add_argument("--raw", help="keep py-spy's raw stacks in this file")
    args = top.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(args.raw) if args.raw else Path(tmp) / "profile.txt"
        seconds, count = record(args.librarians, args.updates, args.rate, raw, args.bot)
        print(f"{count} updates in {seconds:.1f} s ({count / seconds:.0f}/s)")
        print(summarise(raw, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
