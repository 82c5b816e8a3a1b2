"""The transcription worker takes only time the bot leaves: every one of its threads runs
under SCHED_IDLE, numpy's BLAS thread (started on import, before the worker's own code runs)
included. A thread left at normal priority competes with the bot for a core."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CHILD = """
import os
import bot.features.voice.worker as worker  # imports numpy, whose BLAS starts a thread
worker.yield_to_the_bot()
policies = [os.sched_getscheduler(int(t)) for t in os.listdir("/proc/self/task")]
print(len(policies), sum(p == os.SCHED_IDLE for p in policies))
"""


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux scheduling policy")
def test_every_thread_of_the_worker_yields_to_the_bot() -> None:
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                         check=True, timeout=120).stdout.split()
    threads, idle = int(out[0]), int(out[1])
    assert threads >= 2  # the main thread and numpy's
    assert idle == threads
