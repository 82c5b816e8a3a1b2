"""Section 9: other librarians' replies while heavy work runs, against the same at rest.

The real `veldgids run` (rate limiter on, as in production) and librarians typing field
notes at a calm pace, about Telegram's 30 messages a second in all. Heavy work: one
librarian with 5,000 notes asks for Word exports of everything, one after another (read
and rendered in the heavy-work process, `bot/features/export/job.py`); the weekly reminders with
charts for 1,000 librarians (section 4's drain); voice transcription comes from section 7.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bench import dataset
from bench.fake import TimedFakeBotAPI
from bench.fullstack import FIELD_NOTE, librarian_ids
from bench.load import Action, Driver, Record, press, text
from bench.procs import BotProcess, admit
from bench.report import Figure, Section
from bench.stats import Runs, percentile

if TYPE_CHECKING:
    from bench.sections import Sizes

SETUP: list[Action] = [
    text("/start", "sendMessage", "Met welke community", "start"),
    text("Taalcafé West", "sendMessage", "Rond welk thema", "answer"),
    text("taal", "sendMessage", "Wat wil je doen", "answer"),
]
EXPORT: list[Action] = [
    text("/export", "sendMessage", "Wat wil je exporteren", "export"),
    press("Alles", "editMessageText", "In welk formaat", "export"),
    press("Word", "sendDocument", "", "export"),
]


@dataclass(frozen=True)
class Calm:
    p50_ms: float
    p99_ms: float
    answered: int


@dataclass(frozen=True)
class ExportRun:
    rest: Calm
    busy: Calm
    exports: int
    export_s: float  # median seconds from the format press to the file


def _calm(records: list[Record], since: float = 0.0, until: float = float("inf")) -> Calm:
    latencies = [r.latency for r in records
                 if r.category == "field note" and since <= r.queued <= until]
    return Calm(percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000,
                len(latencies))


def export_run(others: int, seconds: float, think: float, notes: int, exports: int, *,
               build: Callable[[Path], int] | None = None,
               export: list[Action] = EXPORT) -> ExportRun:
    """At rest: `others` librarians type notes for `seconds`. Busy: the same while one
    librarian with `notes` notes asks for `exports` Word exports in a row. `build` makes
    the database instead and returns the exporter's Telegram id; `export` is one export."""
    ids = librarian_ids(others)
    count = max(1, int(seconds / think))
    with tempfile.TemporaryDirectory(prefix="veldgids-bench-") as tmp, \
            TimedFakeBotAPI() as api:
        workdir = Path(tmp)
        exporter = build(workdir / "veldgids.db") if build else dataset.build(
            workdir / "veldgids.db", light=1, notes_per_user=notes).light[0]
        api.add_user(exporter)
        admit(workdir / "veldgids.db", ids)
        bot = BotProcess(api, "veldgids", workdir).start()
        try:
            Driver(api, "veldgids").run({uid: SETUP for uid in ids})
            script = [text(f"{FIELD_NOTE} {i}", "sendMessage", "Genoteerd", "field note")
                      for i in range(count)]
            rest = Driver(api, "veldgids", think=think).run({uid: script for uid in ids})
            scripts = {uid: script for uid in ids}
            # The exporter starts at once and asks again as soon as a file arrives.
            scripts[exporter] = export * exports
            busy = Driver(api, "veldgids", think=think, stall=120).run(scripts)
        finally:
            bot.stop()
    files = [r for r in busy.records if r.category == "export" and r.value == "Word"]
    began = min(r.queued for r in busy.records if r.category == "export")
    ended = max(r.done for r in files)
    return ExportRun(_calm(rest.records), _calm(busy.records, began, ended), len(files),
                     statistics.median(r.done - r.queued for r in files))


@dataclass(frozen=True)
class ChartCost:
    drawn_ms: float  # read, hash and draw: a chart whose data changed
    kept_ms: float  # read, hash and reuse last week's drawing: nothing changed


def chart_cpu_ms(samples: int = 5) -> ChartCost:
    """CPU (process time) of one progress chart as a reminder makes it: drawn, and taken
    from the chart cache when its data did not change since last week."""
    from bench import reminders
    from bench.handle_timing import service_for
    from bot.features.goals.chart_jobs import chart_job
    from storage.charts import ChartCache
    from storage.goals import GoalRepo

    with tempfile.TemporaryDirectory(prefix="veldgids-bench-") as tmp:
        db = Path(tmp) / "chart.db"
        reminders.seed(db, 1)
        service = service_for(db, clock=lambda: reminders.NOW)
        try:
            repo = GoalRepo(service.store)
            cache = ChartCache(service.store)
            user = service.store.user(1)
            assert user is not None
            job = chart_job(repo, user, repo.goals(user.id)[0])
            job()  # matplotlib's import and font cache are not part of a reminder
            drawn, kept = [], []
            for _ in range(samples):
                service.store.db.execute("DELETE FROM chart_cache")
                began = time.process_time()
                prepared = job.prepare()
                prepared.remember(cache, prepared())
                drawn.append(time.process_time() - began)
                began = time.process_time()
                prepared = job.prepare()
                assert prepared.cached is not None
                prepared()
                kept.append(time.process_time() - began)
        finally:
            service.store.close()
    return ChartCost(statistics.median(drawn) * 1000, statistics.median(kept) * 1000)


def section(sizes: Sizes, voice: Section | None, log: Callable[[str], None]) -> Section:
    from bench.fullstack import drain

    others, seconds, think = sizes.heavy_others, sizes.heavy_seconds, sizes.heavy_think
    export = export_run(others, seconds, think, sizes.export_notes, sizes.exports)
    log(f"export: others' p99 {export.rest.p99_ms:.0f} ms at rest,"
        f" {export.busy.p99_ms:.0f} ms during {export.exports} exports"
        f" ({export.export_s:.1f} s each)")
    busy = drain(sizes.heavy_reminders, others, seconds, think, sizes.drain_tick)
    idle = drain(0, others, seconds, think, sizes.drain_tick)
    log(f"reminders: others' p99 {idle.p99_ms:.0f} ms at rest, {busy.p99_ms:.0f} ms while"
        f" {busy.reminders_sent} reminder messages went out")
    chart = chart_cpu_ms()
    log(f"one chart: {chart.drawn_ms:.0f} ms CPU drawn, {chart.kept_ms:.2f} ms unchanged")

    def row(name: str, during: float, rest: float, why: str) -> Figure:
        return Figure(name, Runs.of([during]), "ms", Runs.of([rest]), "at rest",
                      "≤ 1.5× at rest", during <= 1.5 * rest, "{:.0f}", why=why)

    from bench.notes import WHY

    export_why = (f"Each export took {export.export_s:.1f} s from the press to the file;"
                  f" others' p50 moved from {export.rest.p50_ms:.0f} to"
                  f" {export.busy.p50_ms:.0f} ms. " + WHY["others' reply p99 during Word exports"])
    remind_why = (f"{busy.reminders_sent} reminder messages went out in {seconds:g} s; others'"
                  f" p50 moved from {idle.p50_ms:.0f} to {busy.p50_ms:.0f} ms. "
                  + WHY["others' reply p99 while weekly reminders"])

    figures = [
        row(f"others' reply p99 during Word exports of {sizes.export_notes:,} notes",
            export.busy.p99_ms, export.rest.p99_ms, export_why),
        Figure("others' reply p50 during those exports", Runs.of([export.busy.p50_ms]), "ms",
               Runs.of([export.rest.p50_ms]), "at rest", fmt="{:.0f}"),
        Figure(f"one Word export of {sizes.export_notes:,} notes, press to file",
               Runs.of([export.export_s]), "s", fmt="{:.1f}"),
        row(f"others' reply p99 while weekly reminders with charts go out"
            f" ({sizes.heavy_reminders:,} librarians)", busy.p99_ms, idle.p99_ms, remind_why),
        Figure("others' reply p50 while those reminders go out", Runs.of([busy.p50_ms]), "ms",
               Runs.of([idle.p50_ms]), "at rest", fmt="{:.0f}"),
        Figure("CPU of one progress chart, drawn", Runs.of([chart.drawn_ms]), "ms",
               fmt="{:.0f}"),
        Figure("CPU of one progress chart, data unchanged since last week (kept drawing)",
               Runs.of([chart.kept_ms]), "ms", fmt="{:.2f}"),
        Figure(f"CPU of a weekly batch's charts ({sizes.heavy_reminders:,} librarians), all"
               " drawn", Runs.of([chart.drawn_ms * sizes.heavy_reminders / 1000]), "s",
               fmt="{:.1f}"),
        Figure(f"CPU of a weekly batch's charts ({sizes.heavy_reminders:,} librarians), a"
               " quiet week (none changed)",
               Runs.of([chart.kept_ms * sizes.heavy_reminders / 1000]), "s", fmt="{:.2f}"),
    ]
    if voice is not None:  # shown here too; their target is counted in section 7
        figures += [replace(f, name=f"{f.name} (section 7)", target="", met=None)
                    for f in voice.figures if f.name.startswith("another librarian")]
    return Section("9. Heavy work and everyone else", figures, before=[
        f"The real `veldgids run` (rate limiter on, as in production) with {others} other"
        f" librarians typing field notes, each pausing {think:g} s on average (about"
        f" {others / think:.0f} updates/s, near Telegram's 30 messages a second), for"
        f" {seconds:g} s at rest and again while the heavy work runs; one run each."
        f" **Export**: a librarian with {sizes.export_notes:,} notes asks for a Word export of"
        f" everything ({sizes.exports} in a row; only the others' notes sent between the first"
        " /export and the last file count). **Reminders**: section 4's drain with"
        f" {sizes.heavy_reminders:,} weekly reminders (text and chart) due at start-up, tick"
        f" every {sizes.drain_tick:g} s; {busy.reminders_sent} reminder messages reached the"
        f" server during the {seconds:g} s. **Voice**: section 7's rows (another librarian's"
        " notes one after another, not at this pace). The CPU of a batch's charts is one"
        " chart's process time times the batch. Exports and charts are made in a separate,"
        " lower-priority process (`bot/ops/offload.py`); a chart whose inputs did not change since"
        " it was last drawn is taken from `chart_cache`; the weekly batch sends at most 20"
        " messages a second, leaving the rest of Telegram's 30 to replies.",
    ])
