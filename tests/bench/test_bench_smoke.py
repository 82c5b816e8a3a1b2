"""`python -m bench --quick` runs every section end to end and writes a complete report.

Not part of `make test` (it takes about three minutes): run it with `pytest -m bench`. It
checks that the benchmarks still work against the current code, never how fast anything is.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.bench
ROOT = Path(__file__).resolve().parents[2]


def test_quick_run_writes_every_section(tmp_path: Path) -> None:
    out = tmp_path / "benchmarks.md"
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=420)
    assert done.returncode == 0, done.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    for heading in ("## Machine", "## Summary: the targets", "## 1. Full stack",
                    "## 2. Engine step", "## 3. Search", "## 4. Reminder tick",
                    "## 5. Start-up and memory", "## 6. Growth", "## 7. Voice transcription",
                    "## 8. Killed mid-load", "## 9. Heavy work", "## 10. Sharing",
                    "## 15. The Word report",
                    "## 11. An admin's /overzicht", "## 12. Summary themes",
                    "## 13. “Wat we hoorden”",
                    "## 14. De-identification for the shareable export",
                    "## Closing note"):
        assert heading in report
    assert "python -m bench --quick" in report
    assert "| throughput |" in report
    assert "| peer, PicklePersistence every 1 s |" in report
    assert "Steadiness of the echo comparison" in report  # per-round ratios and spreads
    assert "| echo comparison: two halves of the rounds, throughput ratio |" in report
    assert "| figures + first page (on the event loop) |" in report
    assert "| others' reply p99 while weekly reminders with charts go out" in report
    assert "data unchanged since last week (kept drawing)" in report
    charts = next(line for line in report.splitlines()
                  if line.startswith("| charts in it (pictures in the .docx) |"))
    assert charts.endswith("| ✅ met |")  # one per goal at least
