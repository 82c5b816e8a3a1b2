"""Sections 1, 4 and 5 of docs/benchmarks.md (the bot processes and the reminder tick), and
the sizes of a full and a quick run. Each section runs its measurements and returns figures
and notes; sections 2, 3 and 6 are in bench/step_search_growth.py."""

from __future__ import annotations

import math
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import fullstack, notes, peer_sections, reminders
from bench.fake import measure_server
from bench.load import Mode
from bench.report import Figure, Section
from bench.stats import Runs


@dataclass(frozen=True)
class Sizes:
    runs: int
    librarians: int
    updates: int
    calm_librarians: int  # section 1 again at a moderate pace: latency without queuing
    calm_updates: int
    calm_think: float
    memory_users: int
    memory_runs: int
    starts: int
    steps: int
    light: int  # section 3: librarians x notes each
    notes: int
    queries: int
    growth_queries: int
    growth_light: int  # section 6: ten times the notes, some of them heavy writers
    growth_heavy: int
    reminders: int
    drain_librarians: int
    drain_seconds: float
    drain_think: float
    drain_tick: float
    stack_rounds: int = 8  # section 1: rounds of the saturated runs (calm ones: `runs`)
    kill_runs: int = 2  # section 8: SIGKILL runs per bot, and librarians in each
    kill_librarians: int = 50
    kill_window: tuple[float, float] = (3.0, 12.0)  # the kill's moment, s into the load
    heavy_others: int = 30  # section 9: librarians at a calm pace, for how long
    heavy_seconds: float = 20.0
    heavy_think: float = 1.0
    export_notes: int = 5000
    exports: int = 2
    heavy_reminders: int = 1000


FULL = Sizes(runs=3, librarians=100, updates=2000, calm_librarians=20, calm_updates=200,
             calm_think=0.5, memory_users=1000, memory_runs=1, starts=3, steps=1000,
             light=50, notes=2000, queries=200, growth_queries=100, growth_light=450,
             growth_heavy=5, reminders=10_000, drain_librarians=10, drain_seconds=20,
             drain_think=1.0, drain_tick=2.0)
QUICK = Sizes(runs=1, librarians=10, updates=200, calm_librarians=5, calm_updates=50,
              calm_think=0.5, memory_users=40, memory_runs=1, starts=1, steps=100, light=5,
              notes=200, queries=20, growth_queries=20, growth_light=40, growth_heavy=1,
              reminders=300, drain_librarians=3, drain_seconds=4, drain_think=1.0,
              drain_tick=2.0, kill_runs=1, kill_librarians=10, kill_window=(1.0, 3.0),
              heavy_others=5, heavy_seconds=4.0, export_notes=500, exports=1,
              heavy_reminders=100, stack_rounds=2)

# The bots of section 1: label, mode, extra environment.
BOTS: tuple[tuple[str, Mode, dict[str, str] | None], ...] = (
    ("echo", "echo", None),
    ("peer, 60 s", "peer", {"PEER_UPDATE_INTERVAL": "60"}),
    ("peer, 1 s", "peer", {"PEER_UPDATE_INTERVAL": "1"}),
    ("veldgids", "veldgids", None),
)


_BEGAN = time.perf_counter()


def log(message: str) -> None:
    print(f"[bench {time.perf_counter() - _BEGAN:5.0f} s] {message}", file=sys.stderr,
          flush=True)


def runs_of(values: list[float]) -> Runs:
    """The figure of several runs, leaving out runs that measured nothing."""
    return Runs.of([v for v in values if not math.isnan(v)])


# 1 and 5: full stack ------------------------------------------------------------------------

def full_stack(sizes: Sizes) -> Section:
    """Throughput and latency of the echo bot, the peer and Veldgids."""
    server = measure_server()
    log(f"fake server alone: {server['rps']:.0f} sendMessage/s")
    runs: dict[str, list[fullstack.ThroughputRun]] = {label: [] for label, _, _ in BOTS}
    calm: dict[str, list[fullstack.ThroughputRun]] = {label: [] for label, _, _ in BOTS}
    for _label, mode, env in BOTS:  # warm-up, not counted: caches, compiled files, the disk
        fullstack.throughput(mode, max(1, sizes.librarians // 10), sizes.updates // 10,
                             env=env)
    for r in range(sizes.stack_rounds):
        # Every other round in reverse order, so a machine getting busier or calmer during
        # the run weighs on every bot alike; many short rounds rather than a few long ones,
        # so the median of the per-round ratios steps over a busy moment.
        for label, mode, env in (BOTS if r % 2 == 0 else BOTS[::-1]):
            if r and label == "peer, 60 s":
                continue  # one round: it measures the same as the echo bot (nothing saved)
            run = fullstack.throughput(mode, sizes.librarians, sizes.updates, env=env)
            runs[label].append(run)
            log(f"run {r + 1} {label}: {run.throughput:.0f} updates/s, p50 {run.p50_ms:.0f}"
                f" ms, p99 {run.p99_ms:.0f} ms, {run.cpu_ms_per_update:.2f} ms CPU/update")
        if r >= sizes.runs:
            continue  # the calm runs hardly vary: fewer rounds of them
        for label, mode, env in BOTS:
            if r and label == "peer, 60 s":
                continue
            run = fullstack.throughput(mode, sizes.calm_librarians, sizes.calm_updates,
                                       sizes.calm_think, env=env)
            calm[label].append(run)
            log(f"calm run {r + 1} {label}: {run.throughput:.0f} updates/s,"
                f" p50 {run.p50_ms:.0f} ms, p99 {run.p99_ms:.0f} ms")
    v, e = runs["veldgids"], runs["echo"]
    cv, ce = calm["veldgids"], calm["echo"]

    def both(get: Callable[[fullstack.ThroughputRun], float]) -> tuple[Runs, Runs]:
        return runs_of([get(x) for x in v]), runs_of([get(x) for x in e])

    tput, tput_e = both(lambda x: x.throughput)
    p50, p50_e = both(lambda x: x.p50_ms)
    p99, p99_e = both(lambda x: x.p99_ms)
    steady = peer_sections.steadiness(v, e, runs["peer, 1 s"])
    cpu, cpu_e = both(lambda x: x.cpu_ms_per_update)
    srv, srv_e = both(lambda x: x.server_cpu_ms_per_update)
    rate = runs_of([x.throughput for x in cv + ce])
    calm50, calm50_e = runs_of([x.p50_ms for x in cv]), runs_of([x.p50_ms for x in ce])
    calm99, calm99_e = runs_of([x.p99_ms for x in cv]), runs_of([x.p99_ms for x in ce])
    figures = [
        Figure("throughput", tput, "updates/s", tput_e, "echo bot", "≥ 0.8× echo",
               steady.throughput.median >= 0.8, "{:.0f}",
               why=f"Median of the per-round ratios {steady.throughput.median:.2f}×; bot CPU"
               f" per update {cpu.median:.2f} ms against the echo bot's {cpu_e.median:.2f} ms. "
               + notes.WHY["throughput"]),
        Figure("reply latency p50", p50, "ms", p50_e, "echo bot", fmt="{:.0f}"),
        Figure("reply latency p99", p99, "ms", p99_e, "echo bot", "≤ 1.5× echo",
               steady.p99.median <= 1.5, "{:.0f}"),
        *steady.figures,
        Figure("bot CPU per update", cpu, "ms", cpu_e, "echo bot", fmt="{:.2f}"),
        Figure(f"reply latency p50 at about {rate.median:.0f} updates/s", calm50, "ms",
               calm50_e, "echo bot", fmt="{:.0f}"),
        Figure(f"reply latency p99 at about {rate.median:.0f} updates/s", calm99, "ms",
               calm99_e, "echo bot", fmt="{:.0f}"),
        Figure("bench process CPU per update (fake server + librarians)", srv, "ms", srv_e,
               "echo run", fmt="{:.2f}"),
    ]
    middle = sorted(v, key=lambda x: x.throughput)[len(v) // 2]
    cats = ["| update | count | p50 ms | p99 ms |", "|---|---|---|---|"]
    cats += [f"| {name} | {n} | {a:.0f} | {b:.0f} |"
             for name, (n, a, b) in middle.by_category.items()]
    errors = sum(len(x.errors) for xs in runs.values() for x in xs)
    peer = runs_of([x.throughput for x in runs["peer, 1 s"]])
    peer_cpu = runs_of([x.cpu_ms_per_update for x in runs["peer, 1 s"]])
    peer60 = runs_of([x.throughput for x in runs["peer, 60 s"]])
    figures[1:1] = [
        Figure("throughput against the peer at its shortest interval", tput, "updates/s",
               peer, "peer, PicklePersistence every 1 s", "≥ 1.0× peer (1 s)",
               steady.peer.median >= 1.0, "{:.0f}",
               why=f"Median of the per-round ratios {steady.peer.median:.2f}×; bot CPU per"
               f" update {cpu.median:.2f} ms against the peer's {peer_cpu.median:.2f} ms. "
               + notes.WHY["throughput against the peer at its shortest interval"]),
        Figure("throughput against the peer as the library sets it", tput, "updates/s",
               peer60, "peer, every 60 s (default)", fmt="{:.0f}"),
    ]
    three = peer_sections.three_way(runs, calm)
    section = Section(
        "1. Full stack through HTTP",
        figures,
        before=[
            f"{sizes.librarians} simulated librarians send {sizes.updates:,} updates in total"
            f" ({sizes.updates // sizes.librarians} each) to the echo bot"
            " (`bench/echo_bot.py`), to the peer (`bench/peer_bot.py`: the same checklist and"
            " notes built the way python-telegram-bot's examples do, a persistent"
            " `ConversationHandler` with `PicklePersistence`, saved every 60 s as the library"
            " sets it and every 1 s) and to the real `veldgids run` process, in each of"
            f" {sizes.stack_rounds} rounds (after one short warm-up run of each bot, not"
            " counted; every other round in reverse order), each bot through the same fake"
            " Bot API server"
            " (`tests/fakebotapi/`) on 127.0.0.1. Each librarian"
            " first gets from /start into live mode of an open conversation (4 updates, not"
            " measured), then repeats a cycle of ten: `/fase`, two menu taps and two checklist"
            " taps, a field note typed at the checklist, `/gesprek`, and three live-mode notes."
            " A librarian sends the next update once the bot's answer to the previous one is"
            " complete: one update in flight per librarian, so this measures the most each bot"
            " can take. Latency runs from queuing the update at the server to the bot's first"
            " answering call for that chat. With every librarian waiting on the bot, most of"
            " that latency is queuing (a hundred updates in flight divided by the throughput),"
            f" so the first {sizes.runs} rounds also run {sizes.calm_librarians} librarians"
            " who pause"
            f" {sizes.calm_think:g} s on average between an answer and their next update"
            f" ({sizes.calm_updates} updates of the same mix): the \"at about … updates/s\""
            " rows, where latency is the bot's own time per update.",
            "",
            f"The fake server alone (a separate process sending sendMessage over 8 keep-alive"
            f" connections) answers {server['rps']:.0f} requests/s at a p50 round trip of"
            f" {server['p50_ms']:.1f} ms, several times what either bot asks of it, so the"
            " server is not the bottleneck; it does share the two cores with the bot.",
            "",
            "All three bots run python-telegram-bot with the same HTTP transport"
            " (`bot/telegram/transport.py`): 8 connections to the Bot API, further requests"
            " queued in"
            " asyncio, for their calls and for getUpdates. With the library's default pool"
            " of 256 connections httpcore checks every open connection for each request,"
            " which made the echo bot's own throughput swing by a third between rounds.",
        ],
        after=[
            *three,
            "",
            *steady.table,
            "",
            "Veldgids' latency per kind of update (the run with the median throughput):",
            "",
            *cats,
            "",
            f"Failed Bot API calls in all runs: {errors}. The moderate-pace p99 rests on the"
            f" slowest two of {sizes.calm_updates} updates per run and moves a lot between"
            " runs (p50 is the steadier comparison there).",
        ],
    )
    return section


def startup_memory(sizes: Sizes) -> Section:
    memory: dict[str, list[fullstack.MemoryRun]] = {"veldgids": [], "echo": []}
    startups: dict[str, list[float]] = {"veldgids": [], "echo": []}
    modes: tuple[Mode, ...] = ("echo", "veldgids")
    for _ in range(sizes.starts):
        for mode in modes:
            startups[mode].append(fullstack.startup(mode))
    log("start-up: " + ", ".join(f"{mode} {min(times):.2f}–{max(times):.2f} s"
                                 for mode, times in startups.items()))
    for r in range(sizes.memory_runs):
        for mode in modes:
            run = fullstack.memory(mode, sizes.memory_users)
            memory[mode].append(run)
            log(f"memory run {r + 1} {mode}: start-up {run.startup_s:.2f} s,"
                f" {run.rss_idle_mb:.0f} MiB idle, {run.rss_mb:.0f} MiB")
    start, start_e = runs_of(startups["veldgids"]), runs_of(startups["echo"])
    rss = runs_of([r.rss_mb for r in memory["veldgids"]])
    rss_e = runs_of([r.rss_mb for r in memory["echo"]])
    idle = runs_of([r.rss_idle_mb for r in memory["veldgids"]])
    idle_e = runs_of([r.rss_idle_mb for r in memory["echo"]])
    return Section("5. Start-up and memory", [
        Figure("start-up: process start to first getUpdates", start, "s", start_e, "echo bot",
               "≤ 1.5 s", start.median <= 1.5, "{:.2f}"),
        Figure("resident memory (VmRSS) when idle", idle, "MiB", idle_e, "echo bot",
               fmt="{:.0f}"),
        Figure(f"resident memory with {sizes.memory_users:,} dialogs in progress", rss, "MiB",
               rss_e, "echo bot, same updates", "≤ 150 MB", rss.median * 1.048576 <= 150,
               "{:.0f}"),
    ], before=[
        f"Start-up: {sizes.starts} starts of each bot, from `Popen` of the real"
        " `python -m bot.ops.cli run` (the echo bot: `python -m bench.echo_bot`) to its first"
        " getUpdates at the server. Memory: the bot's VmRSS (rate limiter off) after"
        f" {sizes.memory_users:,} admitted librarians each sent /start, so each has the start"
        " dialog waiting for their community's name (the echo bot got the same updates).",
    ])


# 4: reminders -------------------------------------------------------------------------------

def reminder_tick(sizes: Sizes) -> Section:
    from bot.features.goals.reminders import BATCH

    ticks: list[reminders.TickFigures] = []
    selects: list[float] = []
    for r in range(sizes.runs):
        with tempfile.TemporaryDirectory(prefix="veldgids-bench-") as tmp:
            db = Path(tmp) / "reminders.db"
            reminders.seed(db, sizes.reminders)
            selects.append(reminders.select_seconds(db))
            ticks.append(reminders.tick(db))
            log(f"reminder run {r + 1}: {ticks[-1].sent:,} in {ticks[-1].seconds:.2f} s")
    seconds, select = runs_of([t.seconds for t in ticks]), runs_of(selects)
    chart = runs_of([t.chart_ms for t in ticks])
    sent = ticks[-1].sent
    charts = ticks[-1].charts
    busy = fullstack.drain(sizes.reminders, sizes.drain_librarians, sizes.drain_seconds,
                           sizes.drain_think, sizes.drain_tick)
    idle = fullstack.drain(0, sizes.drain_librarians, sizes.drain_seconds,
                           sizes.drain_think, sizes.drain_tick)
    log(f"drain: p99 {busy.p99_ms:.0f} ms with the batch, {idle.p99_ms:.0f} ms without")
    per_second = 30
    deliver_min = (sent + charts) / per_second / 60
    chart_min = charts * chart.median / 1000 / 60
    tick_min = seconds.median / 60
    return Section("4. Reminder tick", [
        Figure(f"select, compose (text) and hand over {sent:,} due reminders", seconds, "s",
               select, "selecting the due rows alone", "≤ 2 s", seconds.median <= 2, "{:.2f}"),
        Figure("one progress chart (matplotlib PNG)", chart, "ms", fmt="{:.0f}"),
        Figure("reply latency p50 while the batch drains", Runs.of([busy.p50_ms]), "ms",
               Runs.of([idle.p50_ms]), "no batch", fmt="{:.0f}"),
        Figure("reply latency p99 while the batch drains", Runs.of([busy.p99_ms]), "ms",
               Runs.of([idle.p99_ms]), "no batch", fmt="{:.0f}"),
    ], before=[
        f"{sizes.reminders:,} librarians, each with a community, one active SMART goal with"
        " three progress entries and a weekly reminder due at the same minute. In process,"
        " `bot.features.goals.reminders.ReminderTick.run_once` is called back to back until"
        " nothing is due:"
        " it claims due rows a batch at a time, composes the reminder text (goals, the phase's"
        " next items, open reflections) and hands it to a sender that returns at once (no"
        " Telegram, so no rate limiter), then records the outcome. Chart jobs are counted but"
        " not rendered there; one chart render is timed on its own. The baseline is the one"
        " query that selects all due rows.",
    ], after=[
        f"What this means for delivery: the batch is {sent:,} text messages plus"
        f" {charts:,} chart photos ({sent + charts:,} messages). At Telegram's limit of about"
        f" {per_second} messages per second per bot that is at least {deliver_min:.0f} minutes"
        f" of sending, and rendering the charts takes {chart_min:.0f}"
        " minutes of CPU on its own. The tick claims"
        f" {BATCH} reminders at a time and keeps taking batches until none is due, sending one"
        f" at a time; handing over the whole batch takes it {seconds.median:.1f} s of its own"
        " work. So "
        + ("drawing the charts (one at a time, in a worker thread), not Telegram, sets the"
           " pace." if chart_min > max(tick_min, deliver_min) else
           "the tick, not Telegram, sets the pace." if tick_min > deliver_min else
           "Telegram's limit sets the pace."),
        "",
        f"Full stack during the drain: the real `veldgids run` (rate limiter on, tick every"
        f" {sizes.drain_tick:g} s so that it keeps sending) with {sizes.reminders:,} reminders"
        f" due at start-up, while {sizes.drain_librarians} other librarians type field notes"
        f" (one every {sizes.drain_think:g} s on average) for {sizes.drain_seconds:g} s;"
        f" {busy.reminders_sent} reminder messages reached the server in that time and"
        f" {busy.answered} notes were answered. The baseline is the same run with no reminder"
        f" due ({idle.answered} notes). One run each.",
    ])
