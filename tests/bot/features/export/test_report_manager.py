"""The report as a manager reads it: visits called visits, with the distinct participants
beside them as on page 1; a past period's pace as it stood then; no raw table at the end;
one goal value a day; the SMART table's estimate marked; the start of "sinds de start" named;
the route's answers in words and each once; the librarian's reflections as lessons; and the
CSV holding the goals and their progress, with the participants in columns of their own."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

import docx as python_docx
import pytest

from bot.app.documents import CSV_DELIMITER
from bot.features.export.files import render
from bot.features.export.options import Options
from bot.features.export.period import within
from bot.features.export.report import Report
from bot.features.export.report_goals import draw
from dialogs.catalog import Catalog
from storage.export import snapshot
from storage.goals import GoalRepo
from storage.store import Store
from tests.access_helpers import Clock
from tests.bot.features.export.story import at, community


@pytest.fixture
def store(clocked_store: Store) -> Store:
    return clocked_store



def md(data: dict[str, Any], catalog: Catalog, options: Options | None = None) -> str:
    chosen = options or Options()
    return render(within(data, chosen), catalog, "md", chosen).decode()


def section(text: str, heading: str) -> str:
    """A report section's Markdown, up to the next section of the same level."""
    part = text.split(f"### {heading}\n", 1)[1]
    return part.split("\n### ", 1)[0].strip()


def test_what_we_did_counts_visits_and_distinct_participants_as_page_one_does(
        story: dict[str, Any], catalog: Catalog) -> None:
    done = section(md(story, catalog), "Wat we deden")
    # before: "6 keer samen aan de slag, met in totaal 69 deelnemers."
    assert done.startswith("6 keer samen aan de slag: 69 bezoeken (alle deelnemers opgeteld)"
                           ", door minstens 18 verschillende deelnemers\\*.")
    assert "\\* Een schatting: niet bij elke activiteit is genoteerd wie er voor het eerst" \
        in done
    # before: "oktober 2026: 3 keer, 28 deelnemers"; the month's first-timers are new people
    assert "**oktober 2026:** 3 keer, 28 bezoeken, 12 voor het eerst · geleid door Fatima" \
        in done
    assert "**november 2026:** 2 keer, 27 bezoeken, 6 voor het eerst" in done
    assert "**12 november 2026:** oefenen met koffie · 15 deelnemers, 4 voor het eerst" in done
    # the voorleesochtend recorded no first-timers: its line says nothing of them
    assert "**november 2026:** 1 keer, 14 bezoeken · geleid door Mariam" in done
    assert "voorlezen in het Arabisch en Nederlands · 14 deelnemers · geleid door" in done
    assert "in totaal" not in done and " deelnemers ·" not in done.split("\n")[0]


def goal_on_track_in_october(store: Store, clock: Clock) -> tuple[int, int]:
    """Twelve evenings from 1 October to 31 December: five by 28 October (ahead then), none
    since, so behind by the export on 7 December."""
    at(clock, "2026-10-01")
    user = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=1002).id
    cid = store.create_community(user, "Leesclub Oost", None)
    goals = GoalRepo(store)
    goal = goals.add_goal(user, cid, specific="Twaalf leesavonden", metric="avonden",
                          baseline=0, target=12, achievable="", relevant="",
                          relevant_part=None, deadline=date(2026, 12, 31))
    at(clock, "2026-10-28")
    goals.log_progress(user, goal, 5, None)
    clock.now = datetime.fromisoformat("2026-12-07T09:00:00+00:00")
    return user, cid


def test_a_past_period_shows_the_pace_as_it_stood_at_its_end(store: Store, clock: Clock,
                                                             catalog: Catalog) -> None:
    user, cid = goal_on_track_in_october(store, clock)
    data = snapshot(store, user, cid)
    now = md(data, catalog)
    assert "| Twaalf leesavonden | 0 | 5 | 12 | 31 december 2026 | achter: 5 van 12" in now
    assert "#### Doelen die aandacht vragen" in now
    october = Options(start=date(2026, 10, 1), end=date(2026, 10, 31))
    then = md(data, catalog, october)
    # before: "achter: 5 van 12, volgens planning nu 9" — measured against 7 December
    assert "| Twaalf leesavonden | 0 | 5 | 12 | 31 december 2026 | op koers |" in then
    assert "Doelen die aandacht vragen" not in then and "achter:" not in then
    # the JSON's figures follow the period's end too
    glance = render(within(data, october), catalog, "json", october).decode()
    assert '"pace": "on_track"' in glance
    # a period whose records hold no value logged: the value it stood at before it began
    november = Options(start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert "| Twaalf leesavonden | 0 | 5 | 12 |" in md(data, catalog, november)


def test_the_appendix_holds_no_raw_link_table(store: Store, clock: Clock,
                                              catalog: Catalog) -> None:
    user, _ = community(store, clock)  # a goal counts the taalcafé evenings: a goal_links row
    data = snapshot(store, user)  # everything: the link lands among the unknown tables
    assert "goal_links" in data["other"]
    with_appendix = Options(appendix=True)
    text = render(data, catalog, "md", with_appendix).decode()
    assert "goal\\_links" not in text and "goal_id" not in text and "measure:" not in text
    document = python_docx.Document(io.BytesIO(render(data, catalog, "docx", with_appendix)))
    words = "\n".join(p.text for p in document.paragraphs)
    assert "goal_links" not in words and "goal_id" not in words
    # shown where it means something
    assert "activiteiten ‘taalcafé’ tellen mee voor dit doel" in text


def test_a_goal_shows_one_value_a_day_in_its_history_and_chart(store: Store, clock: Clock,
                                                               catalog: Catalog) -> None:
    user, cid = community(store, clock)
    goals = GoalRepo(store)
    visitors = goals.goals(user, cid)[0].id
    # a mistyped activity logged and deleted twice on one day: 27, 22, 27
    for hour, value in (("10", 27), ("11", 22), ("12", 27)):
        clock.now = datetime.fromisoformat(f"2026-12-04T{hour}:00:00+00:00")
        goals.log_progress(user, visitors, value, None)
    clock.now = datetime.fromisoformat("2026-12-07T09:00:00+00:00")
    data = snapshot(store, user, cid)
    text = md(data, catalog)
    assert text.count("**4 december 2026:**") == 1  # before: three times, 27, 22 and 27
    assert "**4 december 2026:** 27 verschillende deelnemers" in text
    blocks = Report(data, catalog).build()
    chart = next(b.chart for b in blocks if b.kind == "chart" and b.chart
                 and b.text == "Wekelijks taalcafé met vaste bezoekers")
    assert chart is not None
    assert [value for _, value in chart["points"]] == [4, 27]  # no dip to 22


def test_page_one_marks_an_estimated_goal_and_names_the_start(story: dict[str, Any],
                                                              catalog: Catalog) -> None:
    visitors = story["communities"][0]["goals"][0]
    visitors["counts"] = {"measure": "distinct", "kind": None}  # the voorleesochtend: None
    text = md(story, catalog)
    first = text.split("\n---\n")[0]
    # before: "| 0 | 4 | 10 |" as if exact
    assert "| Wekelijks taalcafé met vaste bezoekers | 0 | minstens 4\\* | 10 |" in first
    assert "\\* Een schatting: niet bij elke activiteit is genoteerd" in first
    # before: "periode: sinds de start"
    assert "· periode: sinds de start, 1 september 2026*" in first
    # counting only the taalcafé evenings, which all recorded theirs: exact
    visitors["counts"] = {"measure": "distinct", "kind": "taalcafé"}
    assert "| Wekelijks taalcafé met vaste bezoekers | 0 | 4 | 10 |" in md(story, catalog)


def test_the_route_says_the_answers_in_words_each_once(store: Store, clock: Clock,
                                                       catalog: Catalog) -> None:
    user, cid = community(store, clock)
    for key, value in (("phase3.bond", "affinity"), ("phase3.strength_library", "1"),
                       ("phase3.strength_people", "3"), ("phase2.fits", "yes")):
        store.set_answer(cid, key, value)
    route = section(md(snapshot(store, user, cid), catalog),
                    "De route: fasen van de werkwijze")
    # before: "Vooral verbonden door: 💡 Affiniteit", "✅ Ja, past", "(1–5): 1"
    assert "- Vooral verbonden door: affiniteit" in route
    assert "- Verbonden met de bibliotheek: 1 van 5 (nauwelijks)" in route
    assert "- Onderling verbonden: 3 van 5\n" in route
    assert "- [x] Getoetst aan de kapstok uit fase 1\n  - Past bij de kapstok: ja" in route \
        or "- [ ] Getoetst aan de kapstok uit fase 1\n  - Past bij de kapstok: ja" in route
    for leaked in ("💡", "✅", "(1–5)"):
        assert leaked not in route, leaked
    # before: a "Kapstok (fase 1)" section and the same frame again under phase 1's items
    frame = "Iedereen doet mee: taal, ontmoeting en leesplezier"
    assert route.count(frame) == 1 and "Kapstok (fase 1)" not in route
    assert "- [ ] Kapstok in eigen woorden\n  - " + frame in route
    assert "Definitie van de community" not in route


def test_lessons_hold_the_reflections_then_what_is_open(story: dict[str, Any],
                                                        catalog: Catalog) -> None:
    talks = story["communities"][0]["conversations"]
    talks[0]["reflection"] = {"value_both": "not_yet", "value_why": "Ze zoeken eerst een plek",
                              "motivated": "yes", "success_line": "Een vaste avond in de bieb"}
    lessons = section(md(story, catalog), "Lessen en volgende stappen")
    # before: only the open actions and the goals behind
    assert lessons.index("#### Wat we leerden uit de gesprekken") \
        < lessons.index("#### Nog te doen") < lessons.index("#### Doelen die aandacht vragen")
    assert ("- **Fatima, 15 september 2026:** Meerwaarde voor beide partijen: nog niet — Ze"
            " zoeken eerst een plek · Zelf gemotiveerd: ja · Geslaagde samenwerking: Een vaste"
            " avond in de bieb") in lessons


def test_the_csv_holds_the_goals_their_progress_and_countable_participants(
        story: dict[str, Any], catalog: Catalog) -> None:
    rows = list(csv.reader(io.StringIO(render(story, catalog, "csv").decode("utf-8-sig")),
                           delimiter=CSV_DELIMITER))
    header, body = rows[0], rows[1:]
    assert header == ["soort", "community", "gesprek", "vraag", "tijd", "tags", "wie",
                      "deelnemers", "voor het eerst", "tekst"]
    by = {name: header.index(name) for name in header}
    activities = [r for r in body if r[0] == "activiteit"]
    # before: "taalcafé · oefenen met koffie · 8" — the number glued into the text
    assert sum(int(r[by["deelnemers"]]) for r in activities) == 69
    assert [r[by["voor het eerst"]] for r in activities] == ["8", "3", "1", "2", "4", ""]
    assert all(not r[by["tekst"]].endswith(r[by["deelnemers"]]) for r in activities)
    goals = [r[by["tekst"]] for r in body if r[0] == "doel"]
    assert goals[0] == ("Wekelijks taalcafé met vaste bezoekers · aantal verschillende"
                        " deelnemers: startwaarde 0, nu 4, streefwaarde 10, einddatum"
                        " 31 maart 2027 · op koers")
    assert goals[1].endswith("achter: 5 van 12, volgens planning nu 10")
    progress = [r[by["tekst"]] for r in body if r[0] == "voortgang"]
    assert "Wekelijks taalcafé met vaste bezoekers: 4 verschillende deelnemers — vier vaste" \
        " gezichten" in progress
    assert any(r[0] == "visie" and "Gezamenlijke visie: Samen oefenen" in r[by["tekst"]]
               for r in body)


def test_the_csv_says_an_estimated_goal_is_a_lower_bound(story: dict[str, Any],
                                                         catalog: Catalog) -> None:
    story["communities"][0]["goals"][0]["counts"] = {"measure": "distinct", "kind": None}
    rows = list(csv.reader(io.StringIO(render(story, catalog, "csv").decode("utf-8-sig")),
                           delimiter=CSV_DELIMITER))
    goal = next(r[-1] for r in rows if r[0] == "doel")
    assert (", nu minstens 4 (een schatting: niet bij elke activiteit is genoteerd wie er voor"
            " het eerst was), streefwaarde 10") in goal


def test_the_reports_chart_names_the_goals_measure_on_its_axis(
        store: Store, clock: Clock, catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.features.goals.charts as charts

    user, cid = community(store, clock)
    blocks = Report(snapshot(store, user, cid), catalog).build()
    chart = next(b.chart for b in blocks if b.kind == "chart" and b.chart)
    assert chart is not None
    drawn: list[str] = []
    real = charts.progress_figure

    def spy(*args: Any, **kwargs: Any) -> Any:
        figure = real(*args, **kwargs)
        drawn.append(figure.axes[0].get_ylabel())
        return figure

    monkeypatch.setattr(charts, "progress_figure", spy)
    draw(chart)
    # before: "Waarde", on every chart in the report
    assert drawn and drawn[0] not in ("", "Waarde")
    assert drawn[0].replace("\n", " ") == charts.y_label(chart["metric"])
