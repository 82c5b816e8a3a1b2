"""`python -m bench.heard [--conversations N]`: how long "Wat we hoorden" takes to build for
one community (reading its conversations through membership, the recurring themes, the
pages) — what a tap on 👂 Wat we hoorden runs on the event loop. Section 13 of
`python -m bench` (`section`).

Seeds one community with N conversations (two per person: a first meeting and a follow-up),
ten field notes each spread over the eight questions, drawn from realistic Dutch notes, and
the reflection answered.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.report import Figure, Section
from bench.stats import Runs
from bot.app.registry import FEATURES, Service, load_catalog
from bot.app.service import Defaults
from bot.features.talk.feature import Talk
from dialogs.replies import resolved
from dialogs.rules.heard import heard
from storage.store import Store

TARGET_MS = 200
QUESTIONS = ("work", "goals", "busy", "strengths", "problems", "changes", "offer", "together")
NOTES = (
    "Ze leidt al drie jaar het taalcafé voor nieuwkomers in de wijk",
    "Veel vrouwen willen Nederlands oefenen, maar er is geen plek waar dat kan",
    "De kinderopvang is te duur, dus moeders kunnen overdag niet komen",
    "Het buurthuis sluit om negen uur en is in het weekend dicht",
    "Ze zoeken vrijwilligers voor de huiswerkbegeleiding op dinsdag",
    "Jongeren hangen rond bij het winkelcentrum omdat er niets voor hen is",
    "Ouders hebben hulp nodig bij formulieren van de gemeente en DigiD",
    "Er is een groep die elke vrijdag samen kookt en dat graag vaker wil",
    "Ze hebben een groot netwerk van moskeeën, kerken en scholen",
    "Mensen voelen zich eenzaam sinds ze hier wonen, vooral ouderen",
    "Een vaste ruimte voor de naaigroep zou veel schelen",
    "Ze zijn goed in gastvrijheid: iedereen wordt persoonlijk welkom geheten",
    "Samenwerken zou betekenen: een taalcafé in de bibliotheek met hun vrijwilligers",
    "Ze willen dat hun kinderen beter kunnen lezen voordat ze naar groep drie gaan",
    "De wachtlijst voor taalles bij het ROC is meer dan een half jaar",
    "Ze bieden tolken in het Arabisch, Tigrinya en Turks",
    "Een plek om Nederlands te oefenen zonder dat het meteen een les is",
    "Over een jaar zou ze willen dat de vrouwen zelf de avonden organiseren",
)


def seed(store: Store, conversations: int) -> tuple[int, int]:
    """One librarian, one community, `conversations` ended conversations; returns the ids."""
    rnd = random.Random(25)
    now = datetime(2026, 11, 2, 10, tzinfo=UTC)
    stamp = now.isoformat(timespec="seconds")
    db = store.db
    with store.atomic():
        user = db.execute("INSERT INTO users (telegram_id, name, language, timezone,"
                          " created_at) VALUES (1, 'Anna', 'nl', 'Europe/Amsterdam', ?)",
                          (stamp,)).lastrowid
        community = db.execute("INSERT INTO communities (user_id, name, created_at) VALUES"
                               " (?, 'Taalcafé Noord', ?)", (user, stamp)).lastrowid
        db.execute("INSERT INTO members (community_id, user_id, role, joined_at)"
                   " VALUES (?, ?, 'owner', ?)", (community, user, stamp))
        db.execute("UPDATE users SET active_community = ? WHERE id = ?", (community, user))
        people = [db.execute("INSERT INTO people (user_id, community_id, name, created_at)"
                             " VALUES (?, ?, ?, ?)", (user, community, f"Persoon {p}", stamp)
                             ).lastrowid for p in range(max(1, conversations // 2))]
        for c in range(conversations):
            started = (now + timedelta(days=c)).isoformat(timespec="seconds")
            reflection = {"value_both": rnd.choice(["yes", "yes", "not_yet"]),
                          "motivated": rnd.choice(["yes", "not_yet", "no"])}
            cid = db.execute(
                "INSERT INTO conversations (user_id, community_id, person_id, started_at,"
                " ended_at, status, reflection) VALUES (?, ?, ?, ?, ?, 'ended', ?)",
                (user, community, people[c % len(people)], started, started,
                 json.dumps(reflection))).lastrowid
            db.conn.executemany(
                "INSERT INTO transcript (conversation_id, user_id, who, question, text,"
                " created_at) VALUES (?, ?, 'librarian', ?, ?, ?)",
                [(cid, user, QUESTIONS[n % 8], rnd.choice(NOTES), started) for n in range(10)])
    return int(user or 0), int(community or 0)


@dataclass(frozen=True)
class Figures:
    build_ms: list[float]  # reading and building, as a first tap does (cold)
    read_ms: list[float]  # the part on the event loop: reading what was said
    turn_ms: list[float]  # a page turn, built already
    pages: int
    first: int  # characters on the first page


def timed(fn: Callable[[], object], times: int) -> list[float]:
    out = []
    for _ in range(times):
        began = time.perf_counter()
        fn()
        out.append((time.perf_counter() - began) * 1000)
    return out


def measure(conversations: int, times: int) -> Figures:
    with tempfile.TemporaryDirectory(prefix="veldgids-bench-") as tmp:
        store = Store(Path(tmp) / "heard.db")
        user_id, community = seed(store, conversations)
        service = Service(store, load_catalog(), Defaults(data_dir=Path(tmp)),
                          features=FEATURES)
        talk = service.features["talk"]
        assert isinstance(talk, Talk)
        user = store.user(user_id)
        assert user is not None
        heard(*talk._inputs(user, community))  # noqa: SLF001  warm-up: YAKE, dictionaries

        def cold() -> None:
            talk.built.clear()
            resolved(talk.heard_page(user, 0, "summary", edit=False))

        build = timed(cold, times)
        read = timed(lambda: talk._inputs(user, community), times)  # noqa: SLF001
        made = talk.heard(user, community)
        turn = timed(lambda: talk.heard_page(user, 1, "summary", edit=True), times)
        store.close()
    return Figures(build, read, turn, len(made.pages), len(made.pages[0]))


def section(quick: bool) -> Section:
    """Section 13: "Wat we hoorden" for a community with 50 conversations."""
    conversations, times = (50, 2) if quick else (50, 9)
    f = measure(conversations, times)
    build = statistics.median(f.build_ms)
    return Section("13. “Wat we hoorden”", [
        Figure(f"build and first page, {conversations} conversations (heavy-work process)",
               Runs.of(f.build_ms), "ms", target=f"≤ {TARGET_MS} ms, else off the event loop",
               met=build <= TARGET_MS or None, fmt="{:.0f}",
               why="" if build <= TARGET_MS else "YAKE over every note; so it is built off"
               " the event loop, and kept for page turns"),
        Figure("of which on the event loop (reading what was said)", Runs.of(f.read_ms), "ms",
               target=f"≤ {TARGET_MS} ms", met=statistics.median(f.read_ms) <= TARGET_MS,
               fmt="{:.0f}"),
        Figure("a page turn (built already)", Runs.of(f.turn_ms), "ms", fmt="{:.0f}"),
    ], before=[
        f"One community, {conversations} ended conversations with {conversations // 2} people,"
        " ten notes each over the eight questions (`bench/heard.py`). A tap reads them through"
        " membership on the event loop; the build (recurring themes: YAKE over every note,"
        f" then the pages) runs in the heavy-work process unless built already; {f.pages}"
        f" pages, the first {f.first} characters. {times} runs each after one warm-up.",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.heard", description=__doc__)
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    f = measure(args.conversations, args.runs)
    for name, ms in (("build and first page", f.build_ms), ("on the event loop", f.read_ms),
                     ("page turn", f.turn_ms)):
        print(f"{args.conversations} conversations, {f.pages} pages, {name}: median"
              f" {statistics.median(ms):.0f} ms, min {min(ms):.0f}, max {max(ms):.0f}")


if __name__ == "__main__":
    main()
