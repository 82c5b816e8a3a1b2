"""Conversation and community summaries: what a librarian would notice when reading them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from dialogs.catalog import Catalog
from dialogs.rules.dates import duration, short_date
from dialogs.rules.summary import (
    QUESTION_BUDGET,
    CommunityDefinition,
    CommunityDigest,
    ConversationDigest,
    ConversationLine,
    QuestionNotes,
    Reflection,
    follow_ups_from,
    summarize_community,
    summarize_conversation,
    themes,
)
from dialogs.rules.summary.texts import texts
from dialogs.rules.tags import hashtags

AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 11, 3, 14, 0, tzinfo=AMS)

LONG_NOTE = (
    "Te weinig vrijwilligers en geen vaste ruimte; soms moeten ze uitwijken naar de kerk. "
    "Dat kost veel energie, want alles moet elke week opnieuw worden opgebouwd: de koffie, "
    "de tafels, de materialen, en de kinderen moeten dan ook nog ergens heen. Ze zoeken al "
    "twee jaar naar iets vasts in de wijk."
)

QUESTIONS_NL = [
    QuestionNotes(
        key="work",
        title="Kun je iets vertellen over het werk dat je doet?",
        notes=[
            "Ze organiseert elke dinsdag een taalcafé in het buurthuis voor nieuwkomers uit "
            "Syrië en Eritrea.",
            "Het taalcafé draait volledig op vrijwilligers, er zijn er nu zes. #taalcafé",
        ],
    ),
    QuestionNotes(
        key="problems",
        title="Tegen welke problemen loop je aan?",
        notes=[
            "Veel nieuwkomers durven nog geen Nederlands te spreken buiten de les.",
            LONG_NOTE,
            "kinderen komen vaak mee, er is behoefte aan voorlezen tijdens het taalcafé",
        ],
    ),
    QuestionNotes(key="dream", title="Wat is je droom voor de wijk?", skipped=True),
    QuestionNotes(key="network", title="Met wie werk je al samen?", skipped=True),
    QuestionNotes(
        key="together",
        title="Als we zouden samenwerken, hoe zou dat er voor jou uitzien?",
        notes=[
            "Ze zou graag samen met de bibliotheek leesclubs in makkelijk Nederlands starten.",
            "Fatima vindt het echt belangrijk dat nieuwkomers zich welkom voelen in de "
            "bibliotheken.",
            "Actie: rooster van de leesclubs mailen naar Fatima",
        ],
    ),
]


def digest(**overrides: object) -> ConversationDigest:
    base: dict[str, object] = {
        "person_name": "Fatima",
        "role": "voorzitter",
        "organisation": "Vrouwen van de Wijk",
        "place": "Buurthuis De Linde",
        "started_at": START,
        "ended_at": START + timedelta(minutes=45),
        "language": "nl",
        "questions": QUESTIONS_NL,
        "shared_own": True,
        "reflection": Reflection(
            value_both="yes",
            value_why="wij bereiken nieuwkomers, zij krijgen een vaste plek",
            motivated="not_yet",
            motivated_why="het bestuur moet het nog bespreken",
            success_line="elke maand een leesclub in de bibliotheek",
        ),
        "follow_ups": ["Bestuur uitnodigen voor een rondleiding"],
        "attachments": ["photo", "photo", "voice"],
    }
    base.update(overrides)
    return ConversationDigest.model_validate(base)


def digest_en() -> ConversationDigest:
    return digest(
        person_name="Ahmed",
        role="coordinator",
        organisation="Homework Club West",
        place="Community centre De Linde",
        language="en",
        questions=[
            QuestionNotes(
                key="work",
                title="Can you tell me about the work you do?",
                notes=[
                    "He runs a homework club for refugee children every Wednesday.",
                    "The homework club depends on volunteers from the neighbourhood.",
                ],
            ),
            QuestionNotes(
                key="problems",
                title="Which problems do you run into?",
                notes=[
                    "Parents struggle with digital forms from the municipality.",
                    "Todo: send the schedule of the digital help desk",
                ],
            ),
            QuestionNotes(key="dream", title="What is your dream?", skipped=True),
        ],
        reflection=Reflection(
            value_both="not_yet", motivated="yes", motivated_why="they asked us themselves",
            success_line="a weekly digital help desk in the library",
        ),
        follow_ups=[],
        attachments=["photo"],
    )


# --------------------------------------------------------------------------- conversation


def test_headline_names_person_place_date_duration_and_note_count() -> None:
    s = summarize_conversation(digest(), AMS)
    assert s.text.splitlines()[0] == (
        "Gesprek met Fatima (voorzitter, Vrouwen van de Wijk) — Buurthuis De Linde, "
        "di 3 nov 2026, 45 min, 8 notities"
    )
    assert s.headline == s.text.splitlines()[0]
    assert s.note_count == 8


def test_themes_of_a_language_cafe_conversation() -> None:
    s = summarize_conversation(digest(), AMS)
    lowered = [k.lower() for k in s.keywords]
    assert "taalcafé" in lowered
    assert "nieuwkomer" in lowered  # as lemma (issue 25)
    assert "fatima" not in " ".join(lowered)  # the interviewee is no theme
    assert 1 <= len(s.keywords) <= 6
    assert len(set(lowered)) == len(lowered)
    assert not ({"bibliotheek", "bibliotheken"} <= set(lowered))  # near-duplicates collapse
    for filler in ("echt", "graag", "belangrijk", "veel", "de", "het", "een"):
        assert filler not in lowered
    core_line = next(line for line in s.text.splitlines() if line.startswith("Kern: "))
    assert "taalcafé" in core_line


def test_each_question_with_notes_gets_one_condensed_line() -> None:
    text = summarize_conversation(digest(), AMS).text
    lines = text.splitlines()
    work = [ln for ln in lines if ln.startswith("• Kun je iets vertellen over het werk")]
    assert len(work) == 1
    assert "taalcafé in het buurthuis" in work[0] and "vrijwilligers" in work[0]
    problems = next(ln for ln in lines if ln.startswith("• Tegen welke problemen"))
    # the long note is cut back to its first sentence with an ellipsis
    assert "uitwijken naar de kerk. …" in problems
    assert "twee jaar naar iets vasts" not in problems
    # a lower-case fragment reads as a sentence
    assert "Kinderen komen vaak mee" in problems
    for line in lines:
        if line.startswith("• ") and "?" in line:
            title, _, body = line.partition("? ")
            assert len(body) <= QUESTION_BUDGET


def test_many_long_notes_stay_within_budget_and_say_how_many_more() -> None:
    q = QuestionNotes(key="work", title="Wat doe je?", notes=[LONG_NOTE] * 6)
    text = summarize_conversation(digest(questions=[q]), AMS).text
    line = next(ln for ln in text.splitlines() if ln.startswith("• Wat doe je?"))
    body = line.removeprefix("• Wat doe je? ")
    assert len(body) <= QUESTION_BUDGET
    assert "(+" in body and "meer)" in body


def test_skipped_questions_are_mentioned_once_in_one_line() -> None:
    text = summarize_conversation(digest(), AMS).text
    skipped = [ln for ln in text.splitlines() if ln.startswith("Overgeslagen:")]
    assert skipped == ["Overgeslagen: Wat is je droom voor de wijk? · Met wie werk je al samen?"]
    assert text.count("Wat is je droom voor de wijk?") == 1


def test_reflection_reads_as_sentences() -> None:
    text = summarize_conversation(digest(), AMS).text
    # A line each: no "Reflectie: Samenwerken heeft meerwaarde …: wij …" with two colons.
    assert (
        "Reflectie:\n• Samenwerken heeft meerwaarde voor beide partijen: wij bereiken "
        "nieuwkomers, zij krijgen een vaste plek.\n"
        "• De community is zelf nog niet gemotiveerd om samen te werken: "
        "het bestuur moet het nog bespreken.\n"
        "• Een geslaagde samenwerking is voor Fatima: elke maand een leesclub in de bibliotheek."
        "\n• Je vertelde ook zelf wat jou drijft."
    ) in text


def test_reflection_not_filled_in_is_said_plainly() -> None:
    text = summarize_conversation(digest(reflection=Reflection(), shared_own=False), AMS).text
    assert "Reflectie: nog niet ingevuld." in text


def test_follow_ups_are_listed_and_not_repeated_as_notes() -> None:
    s = summarize_conversation(digest(), AMS)
    assert s.follow_ups == [
        "Bestuur uitnodigen voor een rondleiding",
        "rooster van de leesclubs mailen naar Fatima",
    ]
    block = s.text.split("Vervolgacties:\n", 1)[1].split("\n\n", 1)[0]
    assert block.splitlines() == [
        "• Bestuur uitnodigen voor een rondleiding",
        "• rooster van de leesclubs mailen naar Fatima",
    ]
    assert "Actie:" not in s.text


def test_attachments_are_counted_in_words() -> None:
    assert "Bijlagen: 2 foto's, 1 spraakbericht" in summarize_conversation(digest(), AMS).text


def test_no_notes_at_all_says_so() -> None:
    empty = [QuestionNotes(key="work", title="Wat doe je?", notes=["   "])]
    s = summarize_conversation(
        digest(questions=empty, follow_ups=[], attachments=[], reflection=Reflection()), AMS
    )
    assert s.note_count == 0
    assert s.keywords == []
    assert "0 notities" in s.headline
    assert "Tijdens dit gesprek zijn geen notities gemaakt." in s.text
    assert "Kern" not in s.text and "Vervolgacties" not in s.text

    bare = ConversationDigest(person_name="Jan", started_at=START)
    s2 = summarize_conversation(bare, AMS)
    assert s2.headline == "Gesprek met Jan — di 3 nov 2026, 0 notities"
    assert "geen notities" in s2.text


def test_one_tiny_note_does_not_break_anything() -> None:
    q = [QuestionNotes(key="work", title="Wat doe je?", notes=["taalcafé voor nieuwkomers"])]
    s = summarize_conversation(digest(questions=q, follow_ups=[]), AMS)
    assert s.note_count == 1
    assert set(s.keywords) == {"taalcafé", "nieuwkomer"}  # as lemma (issue 25)
    assert "• Wat doe je? Taalcafé voor nieuwkomers." in s.text


def test_dutch_output_has_no_english_scaffolding() -> None:
    text = summarize_conversation(digest(), AMS).text
    for english in ("Conversation", "notes", "Main themes", "Skipped", "Reflection",
                    "Follow-ups", "Attachments", "photo", "voice", "Tue", "Nov", "with",
                    "value", "motivated", "yes", "not_yet", "None"):
        assert english not in text, english


def test_english_output_has_no_dutch_scaffolding() -> None:
    s = summarize_conversation(digest_en(), AMS)
    assert s.text.splitlines()[0] == (
        "Conversation with Ahmed (coordinator, Homework Club West) — Community centre De Linde, "
        "Tue 3 Nov 2026, 45 min, 4 notes"
    )
    for dutch in ("Gesprek", "notities", "Kern", "Overgeslagen", "Reflectie", "Vervolgacties",
                  "Bijlagen", "foto", " di ", " nov ", "meerwaarde", "gemeenschap", "uur"):
        assert dutch not in s.text, dutch
    assert "Main themes: " in s.text
    assert "homework club" in [k.lower() for k in s.keywords]
    assert "Skipped: What is your dream?" in s.text
    assert "The value for both sides is not there yet." in s.text
    assert "The community itself is motivated to work together: they asked us themselves." in s.text
    assert "For Ahmed, a successful collaboration would be: a weekly digital help desk" in s.text
    assert "Follow-ups:\n• send the schedule of the digital help desk" in s.text
    assert "Attachments: 1 photo" in s.text


def test_summary_is_deterministic_and_fits_a_telegram_message() -> None:
    long_questions = [
        QuestionNotes(key=f"q{i}", title=f"Open vraag nummer {i}?", notes=[LONG_NOTE] * 5)
        for i in range(8)
    ]
    d = digest(questions=long_questions)
    assert summarize_conversation(d, AMS) == summarize_conversation(d, AMS)
    assert summarize_conversation(digest(), AMS) == summarize_conversation(digest(), AMS)
    assert len(summarize_conversation(d, AMS).text) < 4096


def test_same_themes_across_processes_with_different_hash_seeds() -> None:
    script = (
        "import json, sys; from dialogs.rules.summary import themes; "
        "print(json.dumps(themes(json.loads(sys.argv[1]), 'nl', 'Fatima')))"
    )
    notes = json.dumps([n for q in QUESTIONS_NL for n in q.notes])
    root = Path(__file__).resolve().parents[3]
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        out = subprocess.run(
            [sys.executable, "-c", script, notes], env=env, capture_output=True, text=True,
            check=True, cwd=root,
        ).stdout
        outputs.add(out)
    assert len(outputs) == 1
    assert json.loads(outputs.pop()) == themes([n for q in QUESTIONS_NL for n in q.notes], "nl",
                                                "Fatima")


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValidationError):
        ConversationDigest(person_name="Jan", started_at=datetime(2026, 1, 1, 10))


# --------------------------------------------------------------------------- pieces


@pytest.mark.parametrize(
    ("when", "nl", "en"),
    [
        (datetime(2026, 1, 5, 10, tzinfo=AMS), "ma 5 jan 2026", "Mon 5 Jan 2026"),
        (datetime(2026, 3, 18, 10, tzinfo=AMS), "wo 18 mrt 2026", "Wed 18 Mar 2026"),
        (datetime(2026, 5, 1, 10, tzinfo=AMS), "vr 1 mei 2026", "Fri 1 May 2026"),
        (datetime(2026, 10, 4, 10, tzinfo=AMS), "zo 4 okt 2026", "Sun 4 Oct 2026"),
        # 23:30 UTC is already the next day in Amsterdam
        (datetime(2026, 11, 3, 23, 30, tzinfo=UTC), "wo 4 nov 2026", "Wed 4 Nov 2026"),
    ],
)
def test_dates_use_fixed_day_and_month_names(when: datetime, nl: str, en: str) -> None:
    assert short_date(when, AMS, "nl") == nl
    assert short_date(when, AMS, "en") == en


def test_durations() -> None:
    assert duration(timedelta(minutes=45), "nl") == "45 min"
    assert duration(timedelta(minutes=80), "nl") == "1 uur 20 min"
    assert duration(timedelta(hours=2), "en") == "2 h"
    assert duration(timedelta(minutes=-5), "nl") is None
    ended_before_start = digest(ended_at=START - timedelta(minutes=5))
    assert " min" not in summarize_conversation(ended_before_start, AMS).headline


def test_follow_ups_from_markers() -> None:
    notes = [
        "TODO: bellen met de wijkagent",
        "to do:  mailen  ",
        "Actie : rooster sturen",
        "action: send the flyer",
        "action:",
        "Gewone notitie\nactie: zaal reserveren",
        "todolist: geen actie",
        "Wij hebben actie: gevoerd",
    ]
    assert follow_ups_from(notes) == [
        "bellen met de wijkagent",
        "mailen",
        "rooster sturen",
        "send the flyer",
        "zaal reserveren",
    ]
    assert follow_ups_from([]) == []


def test_hashtags() -> None:
    text = (
        "#taalcafé en #Taalcafé, #nieuw_komers! Zie https://example.org/p#frag en "
        "www.bieb.nl/#agenda, abc#geen &#39; #2026 #week2"
    )
    assert hashtags(text) == ["taalcafé", "nieuw_komers", "week2"]
    assert hashtags("") == []


def test_themes_on_empty_or_trivial_input() -> None:
    assert themes([], "nl") == []
    assert themes(["", "   ", "!!!"], "nl") == []
    assert themes(["de het een"], "nl") == []
    assert themes(["ja"], "en") == []


def test_hashtags_lead_the_themes() -> None:
    notes = ["We spraken over de wijk en de buurtkrant. #voorlezen", "Ook #voorlezen kwam terug."]
    assert themes(notes, "nl")[0] == "voorlezen"
    # a tag made of words that would be filler on their own is still the librarian's choice
    assert "samen_lezen" in themes(["Leesgroep voor moeders. #samen_lezen"], "nl")


# --------------------------------------------------------------------------- community


PHASES = {
    "nl": [("Verkennen", 4, 4), ("Definiëren", 2, 5), ("Gesprekken", 0, 3)],
    "en": [("Explore", 4, 4), ("Define", 2, 5), ("Conversations", 0, 3)],
}


def community(lang: str = "nl") -> CommunityDigest:
    d = digest()
    return CommunityDigest.model_validate({
        "name": "Vrouwen van de Wijk",
        "language": lang,
        # plain (title, done, total) tuples are accepted
        "phases": PHASES[lang],
        "definition": CommunityDefinition(
            known_person="Fatima",
            bond="region",
            bond_detail="Lindenholt",
            characteristics=["veel nieuwkomers", "actief bestuur"],
            strength_each_other=4,
            strength_library=2,
        ),
        "conversations": [
            ConversationLine(
                started_at=datetime(2026, 11, 10, 10, tzinfo=AMS), person_name="Joke",
                role="vrijwilliger", themes=["koffie"], note_count=1,
            ),
            ConversationLine.from_digest(d, summarize_conversation(d, AMS)),
        ],
        "tag_counts": {"taalcafé": 5, "#vrijwilligers": 2, "leeg": 0},
    })


def test_community_summary_dutch() -> None:
    text = summarize_community(community(), AMS)
    assert text.startswith("Community: Vrouwen van de Wijk")
    assert "• Verkennen: 4/4 ✓" in text and "• Definiëren: 2/5" in text
    assert (
        "Definitie:\n• Iemand die je al kent: Fatima\n• Vooral verbonden door: regio (Lindenholt)"
        "\n• Kenmerken: veel nieuwkomers, actief bestuur\n• Onderlinge band: 4/5"
        "\n• Band met de bibliotheek: 2/5"
    ) in text
    lines = text.splitlines()
    first = lines.index("Gesprekken (2):")
    assert lines[first + 1].startswith("• di 3 nov 2026 — Fatima (voorzitter): taalcafé")
    assert lines[first + 1].endswith("(8 notities)")
    assert lines[first + 2] == "• di 10 nov 2026 — Joke (vrijwilliger): koffie (1 notitie)"
    assert "Notities per tag: #taalcafé 5 · #vrijwilligers 2" in text
    assert "leeg" not in text


def test_community_summary_english_and_empty() -> None:
    text = summarize_community(community("en"), AMS)
    assert text.startswith("Community: Vrouwen van de Wijk")
    assert "Definition:\n• Someone you already know: Fatima\n• Mainly bound by: region " \
        "(Lindenholt)" in text
    assert "• Explore: 4/4 ✓" in text
    assert "Conversations (2):" in text and "(1 note)" in text
    assert "Notes per tag: #taalcafé 5" in text
    for dutch in ("Gemeenschap", "Voortgang", "Definitie", "Gesprekken", "notities", "regio ("):
        assert dutch not in text

    bare = summarize_community(CommunityDigest(name="Buurtmoeders"), AMS)
    assert bare == (
        "Community: Buurtmoeders\n\nDefinitie: nog niet vastgelegd.\n\nNog geen gesprekken."
    )
    assert summarize_community(community(), AMS) == summarize_community(community(), AMS)


def test_summary_texts_are_catalog_texts(catalog: Catalog) -> None:
    """The summaries' sentences live in texts_summary.yaml, loaded and checked by the catalog
    like every other text, so a trainer rewords them in one place."""
    for lang in ("nl", "en"):
        words = texts(lang)
        assert {"heading", "reflection", "kind_photo", "kinds_other"} <= words.keys()
        assert all(catalog.text(f"summary_{key}", lang) == text for key, text in words.items())
