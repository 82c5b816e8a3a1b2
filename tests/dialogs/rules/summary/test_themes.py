"""The summaries' themes are the community's subjects: nouns and noun phrases, as lemmas; no
verbs, weekdays, times or names (issue 25)."""

from __future__ import annotations

from dialogs.rules.summary import themes
from dialogs.rules.summary.models import TOP_THEMES
from search.terms import fold
from tests.dialogs.rules.summary.theme_set import CASES, Case, score

# Measured on the labelled set when the extractor was written: precision 0.83, recall 0.54
# (before: 0.48 and 0.31). The bar leaves 0.05 for a different simplemma or YAKE release
# within pyproject's ranges reading a few words otherwise (each case has 6 themes, so one
# theme more or less in a few cases moves the mean by about 0.01); lower means themes got
# worse and the change should be looked at, not the bar. Issue 26 added two cases (a street,
# number words, a bare verb stem): on the 38, 0.82 and 0.55 before its rules, 0.84 and 0.56
# after; the first 36 cases read the same as before.
MIN_PRECISION = 0.78
MIN_RECALL = 0.49

# The kind of notes the issue quotes: the themes were "geeft", "leidt", "durft", "Linde",
# "mailt Sanne", "donderdag", "dinsdag".
TAALCAFE = [
    "Fatima geeft elke dinsdag taalles in buurthuis De Linde, ze leidt het al 3 jaar",
    "op donderdag komen de moeders, veel durven nog geen Nederlands te spreken",
    "Sanne mailt het rooster van het taalcafé, inburgering blijft lastig",
    "ze durft nu wel te bellen met de huisarts",
    "Actie: mailt Sanne over de vrijwilligers van donderdag",
]


def extract(case: Case) -> list[str]:
    return themes(list(case.notes), case.lang, case.person, names=case.names)


def folded(found: list[str]) -> set[str]:
    return {fold(word) for theme in found for word in theme.split()}


def test_themes_a_librarian_would_keep() -> None:
    assert len(CASES) >= 30
    result = score(extract)
    assert result.precision >= MIN_PRECISION, result
    assert result.recall >= MIN_RECALL, result


def test_no_verbs_weekdays_or_names_in_the_notes_the_issue_quotes() -> None:
    found = themes(TAALCAFE, "nl", person_name="Fatima", names=["Buurthuis De Linde"])
    words = folded(found)
    for noise in ("geeft", "leidt", "durft", "durven", "mailt", "sanne", "donderdag", "dinsdag",
                  "linde", "fatima", "spreken", "bellen"):
        assert noise not in words, found
    assert "mailt Sanne" not in found
    assert {"taalles", "taalcafé", "inburgering"} <= set(found), found


def test_a_known_person_is_no_theme_wherever_she_is_named() -> None:
    notes = ["Gesprek met Joke over de leesclub", "joke wil een leesclub voor ouderen",
             "Joke en Bram zoeken vrijwilligers, Bram belt de wijkagent"]
    found = themes(notes, "nl", person_name="Joke", names=["Bram"])
    assert not {"joke", "bram"} & folded(found), found
    assert "leesclub" in found


def test_a_place_name_made_of_words_leaves_those_words_as_themes() -> None:
    notes = ["we zaten in het buurthuis, de koffie was op", "in Buurthuis De Linde is het druk"]
    found = themes(notes, "nl", names=["Buurthuis De Linde"])
    assert "buurthuis" in found and "linde" not in folded(found), found


def test_singular_and_plural_give_one_theme_as_lemma() -> None:
    found = themes(["De vrijwilligers zijn moe.", "Een vrijwilliger stopt, de andere "
                    "vrijwilligers blijven bij de voedselbank."], "nl")
    assert [t for t in found if fold(t).startswith("vrijwillig")] == ["vrijwilliger"], found


def test_times_and_numbers_are_no_themes() -> None:
    found = themes(["Koffieochtend op woensdagavond 19:30, in maart en april weer, 12 mensen",
                    "volgende keer maandagmiddag 14u bij de moestuin"], "nl")
    assert not folded(found) & {"woensdagavond", "maart", "april", "maandagmiddag", "19", "14u",
                                "12"}, found
    assert "koffieochtend" in found and "moestuin" in found


def test_english_themes_have_no_verbs_or_weekdays() -> None:
    found = themes(["She leads a reading group for mothers every Tuesday at 10am.",
                    "The mothers talked about school letters and volunteers."], "en",
                   person_name="Grace")
    assert not folded(found) & {"leads", "lead", "tuesday", "talked", "grace", "10am"}, found
    assert "mother" in found


def test_hashtags_still_come_first() -> None:
    found = themes(["Veel gezinnen in de wijk geven om de bieb. #voorlezen #nieuwbouw"], "nl")
    assert found[:2] == ["voorlezen", "nieuwbouw"]


def test_emoji_only_notes_have_no_themes() -> None:
    assert themes(["👍", "🙏😀", "📚 ✅"], "nl") == []


def test_a_five_thousand_character_note_gives_few_sensible_themes() -> None:
    line = ("Het taalcafé in de bibliotheek trekt elke dinsdag nieuwkomers; vrijwilligers "
            "geven les en de kinderen spelen in de leeshoek. ")
    note = (line * (5000 // len(line) + 1))[:5000]
    found = themes([note], "nl")
    assert len(found) == TOP_THEMES
    assert set(found) <= {"taalcafé", "bibliotheek", "nieuwkomer", "vrijwilliger", "les", "kind",
                          "leeshoek"}, found
    assert not folded(found) & {"dinsdag", "geven", "spelen", "trekt"}, found


def test_a_verb_after_a_subject_pronoun_is_no_theme_even_when_also_a_noun() -> None:
    found = themes(["Noor is mantelzorger. Ze mist een plek in de wijk, hij zoekt werk."], "nl",
                   person_name="Noor")
    assert not folded(found) & {"mist", "zoekt"}, found
    assert "mantelzorger" in found


def test_number_words_a_verb_stem_and_a_street_are_no_themes() -> None:
    """Amal's notes gave "Kolkstraat, drie, kind, moeder, woon, dochter": a street, a number
    word and "woon" (ik … woon) are no subjects; the people she speaks of are."""
    notes = ["Ik ben moeder van drie kinderen en woon sinds een jaar in Noord, Kolkstraat 12",
             "Ik wil met de juf van mijn dochter kunnen praten"]
    found = folded(themes(notes, "nl", "Amal"))
    assert {"kind", "moeder", "dochter"} <= found, found
    assert not found & {"drie", "woon", "kolkstraat"}, found
    more = ["De eerste avond kwamen twintig moeders, de tweede avond honderd",
            "Ze werkt in de bibliotheek aan de Dorpsstraat; ik kom en ga met de fiets",
            "Het taalcafé aan het Stationsplein en de Prinsengracht groeit"]
    found = folded(themes(more, "nl"))
    assert not found & {"eerste", "twintig", "tweede", "honderd", "kom", "ga", "dorpsstraat",
                        "stationsplein", "prinsengracht"}, found
    assert {"fiets", "taalcafé"} & found, found
    english = folded(themes(["The first three evenings twenty mothers came to the reading club"],
                            "en"))
    assert not english & {"first", "three", "twenty"}, english
