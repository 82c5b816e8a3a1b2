"""Full stack through HTTP: Veldgids and the echo bot against the same fake Bot API server.

Sections 1 (throughput and latency) and 5 (start-up and memory) of docs/benchmarks.md.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.fake import TimedFakeBotAPI
from bench.load import Action, Driver, Mode, Result, mix, onboarding, text
from bench.procs import BotProcess, Kind, admit

FIRST_ID = 700_001


def librarian_ids(count: int) -> list[int]:
    return list(range(FIRST_ID, FIRST_ID + count))


@dataclass
class ThroughputRun:
    """One run of one bot: the measured phase after every librarian was onboarded."""

    bot: str
    updates: int
    throughput: float
    p50_ms: float
    p99_ms: float
    cpu_ms_per_update: float
    server_cpu_ms_per_update: float  # the bench process: fake server and librarians
    startup_s: float
    errors: list[str]
    by_category: dict[str, tuple[int, float, float]] = field(default_factory=dict)


def _start(api: TimedFakeBotAPI, kind: Kind, workdir: Path, ids: list[int],
           env: dict[str, str] | None = None) -> BotProcess:
    if kind.startswith("veldgids"):
        admit(workdir / "veldgids.db", ids)
    return BotProcess(api, kind, workdir, env).start()


def kind_of(mode: Mode) -> Kind:
    return {"echo": "echo", "peer": "peer"}.get(mode, "veldgids-unlimited")  # type: ignore[return-value]


def throughput(mode: Mode, librarians: int, updates: int, think: float = 0.0,
               env: dict[str, str] | None = None) -> ThroughputRun:
    """Onboard `librarians` into live mode (not measured), then measure `updates` updates
    of the mix, spread evenly over the librarians (each pausing `think` s on average between
    an answer and their next update; 0 for as fast as the bot answers)."""
    ids = librarian_ids(librarians)
    with tempfile.TemporaryDirectory(prefix="veldgids-bench-") as tmp, \
            TimedFakeBotAPI() as api:
        bot = _start(api, kind_of(mode), Path(tmp), ids, env)
        try:
            Driver(api, mode).run({uid: onboarding(n) for n, uid in enumerate(ids)})
            per = updates // librarians
            cpu_before, own_before = bot.cpu_seconds(), time.process_time()
            result = Driver(api, mode, think=think).run(
                {uid: mix(n, per) for n, uid in enumerate(ids)})
            cpu = bot.cpu_seconds() - cpu_before
            own = time.process_time() - own_before
        finally:
            bot.stop()
    return _summary(mode, result, cpu, own, bot.startup)


def _summary(mode: str, result: Result, cpu: float, own: float,
             startup: float) -> ThroughputRun:
    categories = sorted({r.category for r in result.records})
    return ThroughputRun(
        bot=mode, updates=len(result.records), throughput=result.throughput,
        p50_ms=result.latency_ms(50), p99_ms=result.latency_ms(99),
        cpu_ms_per_update=cpu * 1000 / max(len(result.records), 1),
        server_cpu_ms_per_update=own * 1000 / max(len(result.records), 1), startup_s=startup,
        errors=result.errors,
        by_category={c: (sum(1 for r in result.records if r.category == c),
                         result.latency_ms(50, c), result.latency_ms(99, c))
                     for c in categories})


@dataclass
class MemoryRun:
    bot: str
    startup_s: float
    rss_idle_mb: float
    rss_mb: float


def startup(mode: Mode) -> float:
    """Seconds from starting the real command (`python -m bot.ops.cli run`, rate limiter on; or
    the echo bot) to its first getUpdates."""
    kind: Kind = "echo" if mode == "echo" else "veldgids"
    with tempfile.TemporaryDirectory(prefix="veldgids-bench-") as tmp, \
            TimedFakeBotAPI() as api:
        bot = BotProcess(api, kind, Path(tmp)).start()
        bot.stop()
    return bot.startup


def memory(mode: Mode, users: int) -> MemoryRun:
    """Start-up time, then VmRSS once `users` librarians each have a dialog in progress
    (Veldgids: each sent /start, so the start dialog waits for their community's name)."""
    ids = librarian_ids(users)
    # Without the rate limiter, which holds 30 replies a second back and does not change the
    # memory held for the dialogs.
    kind: Kind = "echo" if mode == "echo" else "veldgids-unlimited"
    with tempfile.TemporaryDirectory(prefix="veldgids-bench-") as tmp, \
            TimedFakeBotAPI() as api:
        bot = _start(api, kind, Path(tmp), ids)
        try:
            idle = bot.rss_mb()
            script: list[Action] = [
                text("/start", "sendMessage", "Met welke community", "start")]
            Driver(api, mode, stall=60).run({uid: script for uid in ids})
            rss = bot.rss_mb()
        finally:
            bot.stop()
    return MemoryRun(mode, bot.startup, idle, rss)


@dataclass
class DrainRun:
    """Replies to librarians while the reminder batch goes out (rate limiter on)."""

    batch: int  # reminders due at the start
    p50_ms: float
    p99_ms: float
    answered: int
    reminders_sent: int  # reminder messages (text and charts) that reached the server
    seconds: float


def drain(batch: int, librarians: int, seconds: float, think: float,
          tick: float) -> DrainRun:
    """Real `veldgids run` (rate limiter on, tick every `tick` s) with `batch` reminders
    due; `librarians` others keep typing field notes for `seconds`. batch=0 is the same
    without reminders: the baseline."""
    from datetime import UTC, datetime, timedelta

    from bench import reminders

    ids = librarian_ids(librarians)
    notes = max(1, int(seconds / think))
    with tempfile.TemporaryDirectory(prefix="veldgids-bench-") as tmp, \
            TimedFakeBotAPI() as api:
        workdir = Path(tmp)
        due = datetime.now(UTC) - timedelta(seconds=30)
        remind = reminders.seed(workdir / "veldgids.db", batch, due=due) if batch else []
        api.add_chats(remind)
        admit(workdir / "veldgids.db", ids)
        bot = BotProcess(api, "veldgids", workdir,
                         {"VELDGIDS_REMINDER_TICK": str(tick)}).start()
        try:
            driver = Driver(api, "veldgids", think=think)
            setup: list[Action] = [
                text("/start", "sendMessage", "Met welke community", "start"),
                text("Taalcafé West", "sendMessage", "Rond welk thema", "answer"),
                text("taal", "sendMessage", "Wat wil je doen", "answer"),
            ]
            Driver(api, "veldgids").run({uid: setup for uid in ids})
            sent_before = _sent_to(api, set(remind))
            script = [text(f"{FIELD_NOTE} {i}", "sendMessage", "Genoteerd", "field note")
                      for i in range(notes)]
            result = driver.run({uid: script for uid in ids})
            sent = _sent_to(api, set(remind)) - sent_before
        finally:
            bot.stop()
    return DrainRun(batch, result.latency_ms(50), result.latency_ms(99), len(result.records),
                    sent, result.seconds)


FIELD_NOTE = "Gesprek bij de bushalte over het voorleesuur"


def _sent_to(api: TimedFakeBotAPI, chats: set[int]) -> int:
    return sum(1 for call in api.calls if call.method in ("sendMessage", "sendPhoto")
               and call.params.get("chat_id") in chats)
