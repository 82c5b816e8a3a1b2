"""`python -m bench.page_one OUT.png` (`make docs-picture`): the README's picture of the Word
report's page 1.

Builds an example community in a temporary SQLite store — a taalcafé after half a year: a
vision, three SMART goals with their progress, activities, outcomes, roles, actions and
conversations with quotes the librarian starred (⭐), in Dutch — makes its Word report with
the real export code (`export_file`, as /export does), and draws page 1 of that .docx
(`bench/docx_page.py`): what Word holds, not the report's internal blocks.

It lives in bench/ with the other tools that build realistic data in a real store and run the
real code on it; like them it is not part of the bot and not part of `make test` (drawing the
charts takes seconds); `tests/bench/test_page_one.py` checks it on a small report.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from storage.actions import ActionRepo
from storage.activities import ActivityRepo
from storage.collaboration import CollaborationRepo
from storage.goals import GoalRepo
from storage.store import Store
from storage.talk import TalkRepo

if TYPE_CHECKING:
    from dialogs.catalog import Catalog

NOW = datetime(2027, 3, 1, 10, tzinfo=UTC)  # the example's export: fixed, so the picture is
START = datetime(2026, 9, 1, 10, tzinfo=UTC)  # the same whenever it is made
PEOPLE = (  # name, role, organisation, when, [(question, note, starred)]
    ("Fatima", "voorzitter", "Vrouwen van de Wijk", 20, [
        ("work", "Ze leidt al drie jaar een naaiatelier in het buurthuis", False),
        ("problems", "Veel vrouwen willen Nederlands oefenen, maar durven niet naar een les",
         False),
        ("offer", "Ze wil de vrouwen van het atelier meenemen naar het taalcafé", False)]),
    ("Ahmed", "deelnemer", None, 45, [
        ("goals", "Hij wil beter Nederlands spreken voor zijn werk in de zorg", False),
        ("strengths", "Hier durf ik fouten te maken", True)]),
    ("Mariam", "moeder", "Basisschool De Regenboog", 70, [
        ("problems", "Geen kinderopvang op woensdagochtend, dus ze kan dan niet komen",
         False),
        ("changes", "Sinds het taalcafé praat ik met de juf zonder mijn zoon als tolk", True)]),
    ("Karim", "imam", "Moskee Al Fath", 95, [
        ("together", "Hij noemt het taalcafé in de vrijdagpreek", False),
        ("changes", "Mensen komen nu ook voor de boeken, niet alleen voor de koffie", True)]),
)
GOALS = (  # specific, metric, baseline, target, deadline, monthly values
    ("Vaste bezoekers van het taalcafé", "bezoekers", 0, 20, date(2027, 6, 30),
     [4, 7, 9, 12, 13, 15]),
    ("Vrijwilligers die zelf een avond leiden", "vrijwilligers", 0, 4, date(2027, 6, 30),
     [0, 1, 1, 1, 1, 2]),
    ("Deelnemers met een bibliotheekpas", "deelnemers", 2, 15, date(2027, 9, 1),
     [3, 5, 6, 8, 9, 10]),
)


def example(path: Path) -> tuple[int, int]:
    """The example community in a new store at `path`: (user id, community id)."""
    moment = [START]
    store = Store(path, clock=lambda: moment[0])
    try:
        user = store.create_user(name="Anna de Vries", language="nl",
                                 timezone="Europe/Amsterdam", telegram_id=1)
        community = store.create_community(user.id, "Taalcafé De Linde", "taal en ontmoeting")
        goals = GoalRepo(store)
        goals.save_vision(
            community, "Nieuwkomers vinden de weg naar de bibliotheek en haar cursussen",
            "Samen Nederlands oefenen zonder drempel, in de eigen wijk",
            "Een plek waar iedereen durft te praten, ook met fouten",
            "Fatima en Karim")
        ids = [goals.add_goal(user.id, community, specific=s, metric=m, baseline=b, target=t,
                              achievable="", relevant="", relevant_part=None, deadline=d)
               for s, m, b, t, d, _ in GOALS]
        for month in range(6):
            moment[0] = START + timedelta(days=30 * month + 25)
            for goal_id, goal in zip(ids, GOALS, strict=True):
                goals.log_progress(user.id, goal_id, goal[5][month], None)
        _talks(store, user.id, community, moment)
        _activities(store, user.id, community)
        moment[0] = NOW - timedelta(days=3)
        together = CollaborationRepo(store)
        together.add_outcome(user.id, community, "change",
                             "Het buurthuis houdt de dinsdagavond vrij voor het taalcafé")
        together.add_outcome(user.id, community, "series",
                             "Het taalcafé is elke week, ook in de schoolvakanties")
        together.add_role(user.id, community, "Fatima", "ambassador")
        together.add_role(user.id, community, "Buurthuis De Linde", "partner")
        actions = ActionRepo(store)
        actions.add(user.id, community, "Kinderopvang op woensdag navragen bij de school",
                    due=date(2027, 3, 15))
        actions.done(user.id, actions.add(user.id, community, "Folder in vijf talen laten"
                                          " maken", due=date(2027, 2, 1)))
    finally:
        store.close()
    return user.id, community


def _talks(store: Store, user_id: int, community: int, moment: list[datetime]) -> None:
    talk = TalkRepo(store)
    for name, role, organisation, day, notes in PEOPLE:
        moment[0] = START + timedelta(days=day)
        person = talk.add_person(user_id, community, name, role, organisation)
        conversation = talk.start(user_id, community, person, "Buurthuis De Linde")
        for question, text, starred in notes:
            turn = talk.add_turn(conversation, user_id, "librarian", question, text)
            if starred:
                talk.star_note(user_id, turn, True)
        talk.finish(user_id, conversation, {"value_both": "yes", "motivated": "yes"})


def _activities(store: Store, user_id: int, community: int) -> None:
    activities = ActivityRepo(store)
    for week in range(24):
        day = (START + timedelta(days=7 * week + 1)).date()
        # Each evening says who came for the first time: six at the start, then one or two
        # a week, so page 1 shows the distinct participants beside the visits.
        activities.add(user_id, community, kind="taalcafe", day=day, what="Taalcafé",
                       participants=6 + week // 2, led_by="Fatima" if week % 4 == 3 else "Anna",
                       note=None, first_time=6 if week == 0 else 1 + (week % 3 == 0))
        if week % 4 == 1:
            activities.add(user_id, community, kind="voorlezen", day=day,
                           what="Voorlezen met moeders", participants=5 + week // 4,
                           led_by="Anna", note=None, first_time=5 if week == 1 else 1)


def word_report(path: Path, user_id: int, community: int, asked_at: datetime,
                catalog: Catalog | None = None) -> bytes:
    """The community's Word report, made by the real export code as /export makes it."""
    from bot.app.registry import load_catalog
    from bot.features.export.job import export_file

    return export_file(str(path), user_id, community, catalog or load_catalog(), "docx",
                       asked_at)[1]


def picture(content: bytes, dpi: int = 110) -> bytes:
    """Page 1 of the Word file as a PNG."""
    from bench.docx_page import first_page

    buffer = io.BytesIO()
    first_page(content, dpi).image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.page_one", description=__doc__)
    parser.add_argument("out", help="the PNG to write, e.g. docs/rapport-pagina-1.png")
    parser.add_argument("--dpi", type=int, default=110)
    parser.add_argument("--docx", help="also keep the Word file here")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory(prefix="veldgids-page-one-") as tmp:
        path = Path(tmp) / "veldgids.db"
        user_id, community = example(path)
        content = word_report(path, user_id, community, NOW)
    if args.docx:
        Path(args.docx).write_bytes(content)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_bytes(picture(content, args.dpi))
    print(f"wrote {args.out} (page 1 of a {len(content) // 1024} KB Word report)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
