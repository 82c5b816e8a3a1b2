"""Transcribe recordings under each CPU path CTranslate2 can take on this machine.

CTranslate2 picks its kernels by the CPU's instruction set when it loads, so each path needs a
process of its own: `CT2_FORCE_CPU_ISA=GENERIC|AVX2|AVX512` (the others a CPU lacks are left
out: forcing them would crash on an illegal instruction), plus AVX512 with oneDNN instead of
Intel MKL for matrix products (`CT2_USE_MKL=0`), the library MKL picks its own kernels in, so
an Intel server's MKL path and this AMD one's are both covered. Used by the voice tests (one
child per path) and by `python -m bench.voice_isa` (every decoding setting).

Child: `python -m tests.bot.features.voice.isa SETTING...` prints one JSON line per (setting,
recording).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from bot.features.voice.engine import DECODING, Decoding, Transcriber
from tests.bot.features.voice.recordings import AUDIO, LANGUAGE, SPOKEN, overlap

ROOT = Path(__file__).resolve().parents[4]
# Name: (environment, the CPU flag it needs).
PATHS: dict[str, tuple[dict[str, str], str]] = {
    "GENERIC": ({"CT2_FORCE_CPU_ISA": "GENERIC"}, ""),
    "AVX2": ({"CT2_FORCE_CPU_ISA": "AVX2"}, "avx2"),
    "AVX512": ({"CT2_FORCE_CPU_ISA": "AVX512"}, "avx512bw"),
    "AVX512, oneDNN": ({"CT2_FORCE_CPU_ISA": "AVX512", "CT2_USE_MKL": "0"}, "avx512bw"),
}
SPEECH = [name for name, text in SPOKEN.items() if text and name in LANGUAGE]


@dataclass(frozen=True)
class Heard:
    path: str
    setting: str
    recording: str
    overlap: float
    text: str


def settings_by_name(chosen: Decoding) -> dict[str, Decoding]:
    """The worker's decoding and the variants `python -m bench.voice_isa` compares it with."""
    return {
        "chosen": chosen,
        "greedy": replace(chosen, beam_size=1),
        "beam 8": replace(chosen, beam_size=8),
        "no prompt": replace(chosen, prompt=False),
        "no VAD": replace(chosen, vad_filter=False),
        "no fallback": replace(chosen, temperatures=(0.0,)),
    }


def cpu_flags() -> set[str]:
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return set()
    line = next((x for x in info.splitlines() if x.startswith("flags")), "")
    return set(line.partition(":")[2].split())


def available() -> list[str]:
    """The paths this CPU can run: GENERIC always, the others where the CPU has the flag."""
    flags = cpu_flags()
    return [name for name, (_env, flag) in PATHS.items() if not flag or flag in flags]


def run(path: str, settings: list[str], recordings: list[str] | None = None) -> list[Heard]:
    """Transcribe each recording with each setting (names from `settings_by_name`) in a
    fresh process on one CPU path."""
    env = {**os.environ, **PATHS[path][0], "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "tests.bot.features.voice.isa", *settings, "--",
            *(recordings or SPEECH)]
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True,
                          check=False, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"{path}: the child failed: {done.stderr[-2000:]}")
    return [Heard(path=path, **json.loads(line)) for line in done.stdout.splitlines()]


def _child(argv: list[str]) -> None:
    split = argv.index("--")
    settings, recordings = argv[:split], argv[split + 1:]
    choices = settings_by_name(DECODING)
    transcriber = Transcriber.load("", 1)  # one thread: the same sums on every core count
    for setting in settings:
        for name in recordings:
            text = transcriber.transcribe(AUDIO / name, LANGUAGE[name],
                                          decoding=choices[setting]).text
            heard = {"setting": setting, "recording": name,
                     "overlap": round(overlap(SPOKEN[name], text), 3), "text": text}
            print(json.dumps(heard, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    _child(sys.argv[1:])
