""""Wat we hoorden" as a pure rule: what a librarian reads, from plain records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dialogs.replies import MAX_TEXT
from dialogs.rules.heard import Question, Said, Talked, heard, paged, recurring_themes

ZONE = ZoneInfo("Europe/Amsterdam")
QUESTIONS = [Question(q, f"Vraag {q}?") for q in
             ("work", "goals", "busy", "strengths", "problems", "changes", "offer", "together")]
START = datetime(2026, 11, 2, 10, tzinfo=UTC)


def day(n: int) -> datetime:
    return START + timedelta(days=n)


def test_per_question_newest_first_starred_first() -> None:
    talks = [
        Talked(1, "Fatima", day(0), [Said("problems", "Geen plek voor de groep"),
                                     Said("problems", "Te weinig vrijwilligers", starred=True)]),
        Talked(2, "Ahmed", day(7), [Said("problems", "De huur van de zaal is te hoog")]),
    ]
    [page] = heard("Taalcafé Noord", QUESTIONS, talks, "nl", ZONE).pages
    assert page.startswith("👂 Wat we hoorden over Taalcafé Noord\n\n"
                           "2 gesprekken met 2 mensen, van ma 2 nov 2026 tot ma 9 nov 2026.")
    assert ("Waar lopen ze tegenaan?\n"
            "• Ahmed, 9 nov: De huur van de zaal is te hoog\n"
            "• Fatima, 2 nov: ⭐ Te weinig vrijwilligers · Geen plek voor de groep") in page


def test_a_theme_recurs_only_when_two_different_people_give_it() -> None:
    once = [Talked(1, "Fatima", day(0), [Said("problems", "De kinderopvang is te duur")]),
            Talked(1, "Fatima", day(5), [Said("changes", "Betere kinderopvang in de wijk")]),
            Talked(2, "Ahmed", day(6), [Said("problems", "Het buurthuis sluit vroeg")])]
    assert recurring_themes(once[::-1], "nl") == []
    twice = [*once, Talked(3, "Mariam", day(8), [Said("goals", "Kinderopvang regelen")])]
    [found] = recurring_themes(twice[::-1], "nl")
    assert (found.theme, found.people) == ("kinderopvang", ["Fatima", "Mariam"])


def test_judgements_are_counted_across_conversations() -> None:
    talks = [Talked(1, "Fatima", day(0), value_both="yes", motivated="yes"),
             Talked(2, "Ahmed", day(1), value_both="not_yet", motivated="no"),
             Talked(3, "Mariam", day(2), value_both="yes"),
             Talked(4, "Sem", day(3))]
    [page] = heard("Wijk", QUESTIONS, talks, "nl", ZONE).pages
    assert "Meerwaarde voor beide partijen: 2 ja, 1 nog niet (Ahmed)" in page
    assert "Gemotiveerd om samen op te trekken: 1 ja, 1 nee (Ahmed)" in page
    [page] = heard("Wijk", QUESTIONS, talks[3:], "nl", ZONE).pages
    assert "Meerwaarde voor beide partijen: nog niet nagegaan" in page


def test_questions_nobody_was_asked_are_named() -> None:
    talks = [Talked(1, "Fatima", day(0), [Said("work", "Naaiatelier"), Said("", "Los")])]
    [page] = heard("Wijk", QUESTIONS, talks, "nl", ZONE).pages
    assert ("Nog aan niemand gevraagd: Waar willen ze naartoe? · Waar zijn ze nu mee bezig? ·"
            " Waar zijn ze goed in? · Waar lopen ze tegenaan? · Wat zien ze graag anders? ·"
            " Wat hebben ze te bieden? · Hoe zien ze samenwerken voor zich?") in page
    assert "Zonder vraag genoteerd\n• Fatima, 2 nov: Los" in page


def test_english_too() -> None:
    talks = [Talked(1, "Fatima", day(0), [Said("problems", "No room")], value_both="not_yet")]
    [page] = heard("Language café", QUESTIONS, talks, "en", ZONE).pages
    assert page.startswith("👂 What we heard about Language café\n\n1 conversation, on Mon")
    assert "What do they run into?\n• Fatima, 2 Nov: No room" in page
    assert "Value for both sides: 1 not yet (Fatima)" in page


def test_nothing_heard_is_one_clear_sentence() -> None:
    made = heard("Wijk", QUESTIONS, [], "nl", ZONE)
    assert made.pages == ["👂 Wat we hoorden over Wijk\n\nOver Wijk heb je nog geen gesprekken"
                          " vastgelegd. Begin er een met /gesprek: wat mensen je vertellen over"
                          " hun werk, hun doelen en waar ze tegenaan lopen, komt dan hier"
                          " samen, per vraag."]
    assert made.short == ""


def test_pages_fit_telegram_and_lose_nothing() -> None:
    notes = [Said("problems", "x" * 5000), Said("problems", "🙂🙂"),
             *(Said("changes", f"wens {i} " * 30) for i in range(40))]
    made = heard("Wijk", QUESTIONS, [Talked(1, "Fatima", day(0), notes)], "nl", ZONE)
    assert len(made.pages) > 2 and all(len(p) <= MAX_TEXT for p in made.pages)
    assert "".join(made.pages).count("x") >= 5000 and "🙂🙂" in "".join(made.pages)
    assert made.pages[1].startswith(f"👂 Wat we hoorden over Wijk (2/{len(made.pages)})")
    assert any("Wat zien ze graag anders? (vervolg)" in p for p in made.pages[2:])


def test_a_section_carried_over_repeats_its_heading() -> None:
    a, b, c = ("a" * 90, "b" * 90, "c" * 90)
    pages = paged("T", [["Kop", a, b, c]], "(vervolg)", "({n}/{total})", limit=200)
    assert pages == [f"T (1/2)\n\nKop\n{a}\n{b}", f"T (2/2)\n\nKop (vervolg)\n{c}"]
