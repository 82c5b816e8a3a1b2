"""The bench's own arithmetic: steadiness of per-round ratios and the profile summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.fullstack import ThroughputRun
from bench.peer_sections import steadiness
from bench.profile import summarise


def _run(throughput: float, p99: float) -> ThroughputRun:
    return ThroughputRun(bot="x", updates=100, throughput=throughput, p50_ms=1, p99_ms=p99,
                         cpu_ms_per_update=1, server_cpu_ms_per_update=1, startup_s=1,
                         errors=[])


def test_steadiness_judges_two_halves_of_the_rounds() -> None:
    # The machine got twice as fast in round 2: both bots moved, their ratio did not.
    ours = [_run(90, 150), _run(180, 75), _run(99, 180), _run(90, 180)]
    echo = [_run(100, 100), _run(200, 50), _run(110, 100), _run(100, 100)]
    peer = [_run(90, 1), _run(200, 1), _run(100, 1), _run(100, 1)]
    steady = steadiness(ours, echo, peer)
    assert steady.throughput.values == (0.9, 0.9, 0.9, 0.9)
    assert steady.p99.median == pytest.approx(1.65)
    assert steady.peer.median == pytest.approx(0.945)
    tput, p99, vs_peer = steady.figures
    assert tput.met is True and tput.value.median == 0
    # p99 ratios 1.5, 1.5 | 1.8, 1.8: the halves are 0.3 apart on a median of 1.65.
    assert p99.met is False and round(p99.value.median, 3) == 0.182
    assert vs_peer.met is True  # 0.95 | 0.94
    assert "| 2 | 200 | 180 | 0.90× | 1.50× | 0.90× |" in steady.table
    assert "| p99 ratio | 1.50× | 1.80× | 0.182 |" in steady.table


def test_profile_summary_counts_self_time_by_area(tmp_path: Path) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_text(
        "main (bot/ops/cli.py:1);handle (bot/app/service.py:2);execute (sqlite_utils/db.py:3) 6\n"
        "main (bot/ops/cli.py:1);send (httpcore/_async/http11.py:4) 3\n"
        "main (bot/ops/cli.py:1);step (dialogs/engine.py:5) 1\n")
    text = summarise(raw, top=5)
    assert text.startswith("10 samples")
    assert " 60.0%  sqlite" in text and " 30.0%  http client" in text
    assert " 10.0%  dialogs engine" in text
    assert "100.0%  main (bot/ops/cli.py:1)" in text  # inclusive, our code


def test_too_few_rounds_are_shown_not_judged() -> None:
    steady = steadiness([_run(90, 150)] * 3, [_run(100, 100)] * 3, [_run(90, 1)] * 3)
    assert [f.met for f in steady.figures] == [None, None, None]
    assert all(f.target == "" for f in steady.figures)
