"""The bench's own arithmetic: steadiness of per-round ratios and the profile summary."""

from __future__ import annotations

from pathlib import Path

from bench.fullstack import ThroughputRun
from bench.peer_sections import steadiness
from bench.profile import summarise


def _run(throughput: float, p99: float) -> ThroughputRun:
    return ThroughputRun(bot="x", updates=100, throughput=throughput, p50_ms=1, p99_ms=p99,
                         cpu_ms_per_update=1, server_cpu_ms_per_update=1, startup_s=1,
                         errors=[])


def test_steadiness_judges_the_ratio_of_each_round() -> None:
    # The machine got twice as fast in round 2: both bots moved, their ratio did not.
    ours = [_run(90, 150), _run(180, 75), _run(99, 180)]
    echo = [_run(100, 100), _run(200, 50), _run(110, 100)]
    peer = [_run(90, 1), _run(200, 1), _run(100, 1)]
    steady = steadiness(ours, echo, peer)
    assert steady.throughput.values == (0.9, 0.9, 0.9)
    assert steady.p99.median == 1.5 and steady.peer.median == 0.99
    spread_tput, spread_p99 = steady.figures
    assert spread_tput.met is True and spread_p99.met is False  # 1.5, 1.5, 1.8
    assert "| 2 | 200 | 180 | 0.90× | 1.50× | 0.90× |" in steady.table


def test_profile_summary_counts_self_time_by_area(tmp_path: Path) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_text(
        "main (bot/cli.py:1);handle (bot/service.py:2);execute (sqlite_utils/db.py:3) 6\n"
        "main (bot/cli.py:1);send (httpcore/_async/http11.py:4) 3\n"
        "main (bot/cli.py:1);step (dialogs/engine.py:5) 1\n")
    text = summarise(raw, top=5)
    assert text.startswith("10 samples")
    assert " 60.0%  sqlite" in text and " 30.0%  http client" in text
    assert " 10.0%  dialogs engine" in text
    assert "100.0%  main (bot/cli.py:1)" in text  # inclusive, our code


def test_one_round_has_no_spread_to_judge() -> None:
    steady = steadiness([_run(90, 150)], [_run(100, 100)], [_run(90, 1)])
    assert [f.met for f in steady.figures] == [None, None]
    assert all(f.target == "" for f in steady.figures)
