"""Section 15 of `python -m bench`: the Word report of a community after a year's work — 50
conversations, 200 activities and 10 goals, each goal with its chart — made as the bot makes
it: `export_file` through `bot/ops/offload.py` in the heavy-work process. Its time there and
the file's size, against a Word report of an empty community and the Markdown of the same
data, measured in the same run; and other librarians' reply p99 while such reports are made,
against the same at rest (section 9's machinery, `bench/heavy.py` `export_run`).
"""

from __future__ import annotations

import io
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bench.heard import NOTES, QUESTIONS
from bench.load import Action, press, text
from bench.report import Figure, Section
from bench.stats import Runs
from storage.actions import ActionRepo
from storage.activities import ActivityRepo
from storage.collaboration import CollaborationRepo
from storage.goals import GoalRepo
from storage.store import Store

if TYPE_CHECKING:
    from bench.sections import Sizes
    from dialogs.catalog import Catalog

TELEGRAM_ID = 800_001
COMMUNITY, EMPTY = "Taalcafé Noord", "Leeskring Zuid"
CONVERSATIONS, ACTIVITIES, GOALS = 50, 200, 10
KINDS = (("taalcafe", "Taalcafé"), ("voorlezen", "Voorlezen"),
         ("huiswerk", "Huiswerkbegeleiding"), ("digicafe", "Digicafé"))
LEADERS = ("Anna", "Fatima", "Karim", "een vrijwilliger")
GOAL_TEXTS = ("Vaste bezoekers van het taalcafé", "Vrijwilligers die zelf een avond leiden",
              "Voorleesmiddagen met ouders", "Nieuwe bibliotheekpassen via het taalcafé",
              "Kinderen bij de huiswerkbegeleiding", "Bezoekers van het digicafé",
              "Partners die meedoen", "Ambassadeurs in de wijk",
              "Deelnemers die doorstromen naar taalles", "Buurtlunches")
EXPORT: list[Action] = [  # section 9's, for this community rather than everything
    text("/export", "sendMessage", "Wat wil je exporteren", "export"),
    press(COMMUNITY, "editMessageText", "In welk formaat", "export"),
    press("Word", "sendDocument", "", "export"),
]


@dataclass(frozen=True)
class Built:
    path: Path
    telegram_id: int
    user_id: int
    community_id: int
    empty_id: int  # the same librarian's community with nothing in it
    now: datetime  # everything recorded lies before this moment
    seconds: float  # time it took to build


def build(path: Path, now: datetime | None = None) -> Built:
    """One librarian with a year's work in one community, and a second one empty."""
    began = time.perf_counter()
    now = now or datetime.now(UTC).replace(microsecond=0)
    moment = [now - timedelta(days=365)]
    store = Store(path, clock=lambda: moment[0])
    rnd = random.Random(26)
    try:
        with store.atomic():
            user = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                                     telegram_id=TELEGRAM_ID)
            community = store.create_community(user.id, COMMUNITY, "taal")
            empty = store.create_community(user.id, EMPTY, "lezen")
            store.db.execute("UPDATE users SET active_community = ? WHERE id = ?",
                             (community, user.id))
            _talks(store, user.id, community, now, rnd)
            _together(store, user.id, community, now, rnd, moment)
    finally:
        store.close()
    return Built(path, TELEGRAM_ID, user.id, community, empty, now,
                 time.perf_counter() - began)


def _talks(store: Store, user_id: int, community: int, now: datetime,
           rnd: random.Random) -> None:
    """50 ended conversations with 25 people, ten notes each over the eight questions, every
    tenth note a quote she marked ⭐."""
    db = store.db
    people = [db.execute("INSERT INTO people (user_id, community_id, name, created_at)"
                         " VALUES (?, ?, ?, ?)", (user_id, community, f"Persoon {p}",
                                                  now.isoformat())).lastrowid
              for p in range(CONVERSATIONS // 2)]
    for c in range(CONVERSATIONS):
        started = (now - timedelta(days=300 - 6 * c)).isoformat(timespec="seconds")
        reflection = {"value_both": rnd.choice(["yes", "yes", "not_yet"]),
                      "motivated": rnd.choice(["yes", "not_yet", "no"])}
        cid = db.execute(
            "INSERT INTO conversations (user_id, community_id, person_id, started_at,"
            " ended_at, status, reflection) VALUES (?, ?, ?, ?, ?, 'ended', ?)",
            (user_id, community, people[c % len(people)], started, started,
             json.dumps(reflection))).lastrowid
        db.conn.executemany(
            "INSERT INTO transcript (conversation_id, user_id, who, question, text, created_at,"
            " starred) VALUES (?, ?, 'librarian', ?, ?, ?, ?)",
            [(cid, user_id, QUESTIONS[n % 8], rnd.choice(NOTES), started,
              int(c % 10 == 0 and n == 0)) for n in range(10)])


def _together(store: Store, user_id: int, community: int, now: datetime,
              rnd: random.Random, moment: list[datetime]) -> None:
    """Vision, 10 goals with monthly progress, 200 activities, outcomes, roles, actions."""
    goals = GoalRepo(store)
    goals.save_vision(community, "Nieuwkomers vinden de weg naar de bibliotheek",
                      "Samen Nederlands oefenen zonder drempel",
                      "Een plek waar iedereen durft te praten", "Fatima en Karim")
    start = now - timedelta(days=330)
    ids = []
    moment[0] = start
    for n, specific in enumerate(GOAL_TEXTS):
        ids.append((goals.add_goal(
            user_id, community, specific=specific, metric="deelnemers", baseline=n % 3,
            target=10 + 5 * n, achievable="", relevant="", relevant_part=None,
            deadline=(now + timedelta(days=60 + 10 * n)).date()), 10 + 5 * n))
    for month in range(1, 11):
        moment[0] = start + timedelta(days=30 * month)
        for goal_id, target in ids:
            goals.log_progress(user_id, goal_id, round(target * month / 12 * rnd.uniform(0.6, 1)),
                               None)
    activities = ActivityRepo(store)
    for a in range(ACTIVITIES):
        kind, what = KINDS[a % len(KINDS)]
        activities.add(user_id, community, kind=kind,
                       day=(start + timedelta(days=a * 320 // ACTIVITIES)).date(), what=what,
                       participants=rnd.randint(4, 20), led_by=rnd.choice(LEADERS),
                       note="Hier durf ik fouten te maken, zei een deelnemer" if a == 120
                       else None)
    together = CollaborationRepo(store)
    for kind, words in (("change", "Het buurthuis houdt de dinsdag vrij voor het taalcafé"),
                        ("series", "Het taalcafé is elke week, ook in de zomer"),
                        ("knowledge", "We weten nu dat moeders overdag niet kunnen"),
                        ("product", "Een folder in vijf talen")):
        together.add_outcome(user_id, community, kind, words)
    together.add_role(user_id, community, "Fatima", "ambassador")
    together.add_role(user_id, community, "Buurthuis De Schakel", "partner")
    actions = ActionRepo(store)
    actions.add(user_id, community, "Ruimte voor de zomer navragen",
                due=(now + timedelta(days=14)).date())
    done = actions.add(user_id, community, "Folder laten vertalen",
                       due=(now - timedelta(days=30)).date())
    actions.done(user_id, done)
    moment[0] = now


@dataclass(frozen=True)
class Files:
    word_s: list[float]  # the community's Word report, asked to bytes back
    empty_s: list[float]  # a Word report of an empty community
    md_s: list[float]  # the Markdown of the same community
    word_kb: float
    empty_kb: float
    md_kb: float
    charts: int  # pictures in the Word file


def _export(built: Built, catalog: Catalog, community: int, fmt: str) -> tuple[float, bytes]:
    from bot.features.export.job import export_file
    from bot.ops import offload

    began = time.perf_counter()
    _, content = offload.call(export_file, str(built.path), built.user_id, community, catalog,
                              fmt, built.now)
    return time.perf_counter() - began, content


def in_heavy_process(built: Built, runs: int) -> Files:
    """`runs` of each file through the heavy-work process, after one warm-up that starts it."""
    import docx as python_docx

    from bot.app.registry import load_catalog
    from bot.ops import offload

    catalog = load_catalog()  # registered: it travels to the worker as a mark, as in the bot
    offload.enable(catalog)
    try:
        _export(built, catalog, built.empty_id, "docx")  # the pool starts; python-docx loads
        _export(built, catalog, built.community_id, "docx")  # matplotlib loads
        word, empty, md = [], [], []
        for _ in range(runs):
            seconds, report = _export(built, catalog, built.community_id, "docx")
            word.append(seconds)
            seconds, nothing = _export(built, catalog, built.empty_id, "docx")
            empty.append(seconds)
            seconds, markdown = _export(built, catalog, built.community_id, "md")
            md.append(seconds)
    finally:
        offload.shutdown()
    charts = len(python_docx.Document(io.BytesIO(report)).inline_shapes)
    return Files(word, empty, md, len(report) / 1024, len(nothing) / 1024,
                 len(markdown) / 1024, charts)


def _builder(now: datetime) -> Callable[[Path], int]:
    def make(db: Path) -> int:
        return build(db, now).telegram_id
    return make


def section(sizes: Sizes, log: Callable[[str], None]) -> Section:
    from bench.heavy import export_run

    runs = sizes.runs
    with tempfile.TemporaryDirectory(prefix="veldgids-bench-") as tmp:
        built = build(Path(tmp) / "report.db")
        files = in_heavy_process(built, runs)
    word = statistics.median(files.word_s)
    log(f"Word report: {word:.2f} s in the heavy-work process, {files.word_kb:.0f} KB"
        f" (Markdown {files.md_kb:.0f} KB),"
        f" {files.charts} charts")
    others, seconds, think = sizes.heavy_others, sizes.heavy_seconds, sizes.heavy_think
    exports = 1 if runs == 1 else 3
    busy = export_run(others, seconds, think, 0, exports, build=_builder(built.now),
                      export=EXPORT)
    log(f"Word report: others' p99 {busy.rest.p99_ms:.0f} ms at rest,"
        f" {busy.busy.p99_ms:.0f} ms during {busy.exports} reports")
    held = f"{CONVERSATIONS} conversations, {ACTIVITIES} activities, {GOALS} goals"
    met = busy.busy.p99_ms <= 1.5 * busy.rest.p99_ms
    return Section("15. The Word report", [
        Figure(f"Word report ({held}), in the heavy-work process", Runs.of(files.word_s), "s",
               Runs.of(files.empty_s), "Word report of an empty community", fmt="{:.2f}"),
        Figure("the same report", Runs.of(files.word_s), "s", Runs.of(files.md_s),
               "Markdown of the same data", fmt="{:.2f}"),
        Figure("its size", Runs.of([files.word_kb]), "KB", Runs.of([files.empty_kb]),
               "Word report of an empty community", fmt="{:.0f}"),
        Figure("charts in it (pictures in the .docx)", Runs.of([files.charts]), "",
               target=f"≥ {GOALS}, one per goal", met=files.charts >= GOALS, fmt="{:.0f}",
               ratio=False, why="" if files.charts >= GOALS else "a goal's chart is missing"),
        Figure("others' reply p99 while such reports are made", Runs.of([busy.busy.p99_ms]),
               "ms", Runs.of([busy.rest.p99_ms]), "at rest", "≤ 1.5× at rest", met,
               fmt="{:.0f}", why="" if met else
               f"others' p50 moved from {busy.rest.p50_ms:.0f} to {busy.busy.p50_ms:.0f} ms"
               " while the heavy-work process drew the charts"),
        Figure("others' reply p50 then", Runs.of([busy.busy.p50_ms]), "ms",
               Runs.of([busy.rest.p50_ms]), "at rest", fmt="{:.0f}"),
        Figure("a report in the running bot, press to file", Runs.of([busy.export_s]), "s",
               fmt="{:.1f}"),
    ], before=[
        f"One librarian's community after a year: {held} with monthly progress (so"
        f" {GOALS} charts), {CONVERSATIONS // 2} people, a vision, outcomes, roles, actions and"
        f" starred quotes (`bench/word_report.py`, built in {built.seconds * 1000:.0f} ms)."
        " **Files**: `export_file` through `bot/ops/offload.py`, as `/export` calls it: the"
        " worker reads the snapshot and renders the file; timed from"
        " the call to the bytes back, after a warm-up that starts the process and loads"
        f" python-docx and matplotlib; {runs} run(s) of each, the three files in turn."
        f" **Others**: section 9's run — the real `veldgids run`, {others} other librarians"
        f" typing notes, each pausing {think:g} s on average, {seconds:g} s at rest and again"
        f" while this librarian asks for the community's Word report {exports} time(s) in a"
        " row (/export → the community → Word); only notes sent between the first /export"
        " and the last file count.",
    ])
