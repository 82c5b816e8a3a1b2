"""Background work on a monotonic clock: the reminder tick, search indexing, download retries.

python-telegram-bot's JobQueue (APScheduler) plans the next run in wall-clock time, so when
the server's clock is set back an hour every job waits that hour. Here each job is a loop on
the event loop's own clock (`loop.time()`, monotonic): it runs, then sleeps until its
interval has passed since the run began. Due times of the work itself (reminders, download
retries) stay in UTC wall time, read from the service's clock.

A job that fails is logged and runs again at its next turn; a locked database or a full disk
is noted once per episode by the storage guard instead (bot/telegram/resilience.py), handed in
as `Troubles`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from typing import Protocol

from bot.app.feature import Job
from bot.app.messenger import Messenger
from bot.ops.logsafe import error_summary
from storage.faults import Trouble, trouble

log = logging.getLogger("veldgids.background")

STOP_GRACE = 10.0  # seconds a running job may take to finish when the bot stops


class Troubles(Protocol):
    """Where a locked database or a full disk met by a job is noted, once per episode."""

    async def failed(self, kind: Trouble) -> None: ...

    async def recovered(self) -> None: ...


class Background:
    """Runs `jobs` while started; `stop` lets a running job finish (within STOP_GRACE)."""

    def __init__(self, jobs: list[Job], guard: Troubles) -> None:
        self.jobs = list(jobs)
        self.guard = guard
        self.runs: dict[str, int] = {job.name: 0 for job in self.jobs}
        self._troubled: set[str] = set()  # jobs whose last run met a locked or full database
        self._tasks: list[asyncio.Task[None]] = []
        self._stop = asyncio.Event()

    @property
    def names(self) -> list[str]:
        return [job.name for job in self.jobs]

    def start(self, messenger: Messenger) -> None:
        self._stop.clear()
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._loop(job, messenger), name=f"veldgids-{job.name}")
                       for job in self.jobs]

    async def stop(self) -> None:
        self._stop.set()
        if not self._tasks:
            return
        _, late = await asyncio.wait(self._tasks, timeout=STOP_GRACE)
        for task in late:
            task.cancel()
        for task in late:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def _loop(self, job: Job, messenger: Messenger) -> None:
        loop = asyncio.get_running_loop()
        if await self._pause(job.first):
            return
        while True:
            began = loop.time()
            await self.run_once(job, messenger)
            if await self._pause(max(0.0, job.interval - (loop.time() - began))):
                return

    async def run_once(self, job: Job, messenger: Messenger) -> None:
        """One run of `job`; never raises (but is cancellable)."""
        try:
            await job.run(messenger)
            if job.name in self._troubled:
                self._troubled.discard(job.name)
                await self.guard.recovered()
        except sqlite3.OperationalError as exc:
            kind = trouble(exc)
            if kind is None:
                log.error("background job %s failed: %s", job.name, error_summary(exc))
            else:  # waited out at the job's next turn
                self._troubled.add(job.name)
                await self.guard.failed(kind)
        except Exception as exc:  # noqa: BLE001 - one failed run must not end the job
            log.error("background job %s failed: %s", job.name, error_summary(exc))
        self.runs[job.name] += 1
        log.debug('background job "%s" ran', job.name)

    async def _pause(self, seconds: float) -> bool:
        """Sleep on the loop's monotonic clock; True when the bot is stopping."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)
        return self._stop.is_set()
