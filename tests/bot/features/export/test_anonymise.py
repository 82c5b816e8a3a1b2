"""The shareable export's text names no community member: the rules of anonymise.py with
deduce left out (fast), then with deduce on the labelled set (tests/.../deid_set.py)."""

from __future__ import annotations

import time
from collections.abc import Sequence

import pytest

from bot.features.export.anonymise import Person, anonymise, role_phrase
from tests.bot.features.export import deid_set

PEOPLE = (Person("Fatima de Vries", "Vrijwilliger"), Person("Roos"),
          Person("Jan van der Berg", "buurtbewoner"), Person("Bram Smit", "taalmaatje"))
COLLEAGUES = ("Anke de Wit", "Sanne")
# What deduce found on the labelled set (deduce 3.0.6): 22 of 25 names typed only in a
# text; it misses names written in lower case ("yusuf") and names outside its Dutch lists.
NOTE_NAME_RECALL_BAR = 0.88
PRECISION_BAR = 0.95


def nothing(text: str, colleagues: Sequence[str]) -> list[tuple[int, int, str]]:
    return []


def plain(text: str) -> str:
    return anonymise(text, PEOPLE, COLLEAGUES, detect=nothing)


@pytest.mark.parametrize(("person", "phrase"), [
    (Person("Fatima", "Vrijwilliger"), "een vrijwilliger"),
    (Person("Fatima", None), "F."),
    (Person("Fatima", "  "), "F."),
    (Person("van Dijk", None), "D."),
    (Person("Ömer", None), "Ö."),
    (Person("Ahmed", "ROC-docent"), "een ROC-docent"),
    (Person("Ahmed", "de voorzitter van de wijkraad"), "de voorzitter van de wijkraad"),
])
def test_people_become_their_role_or_initial(person: Person, phrase: str) -> None:
    assert role_phrase(person) == phrase


@pytest.mark.parametrize(("text", "shared"), [
    ("Gesprek met Fatima de Vries.", "Gesprek met een vrijwilliger."),
    ("Gesprek met fatima over boeken.", "Gesprek met een vrijwilliger over boeken."),
    ("Fatima's idee viel goed.", "F.'s idee viel goed."),
    ("Mevrouw De Vries belde.", "Een vrijwilliger belde."),
    ("Ik sprak meneer Van der Berg.", "Ik sprak een buurtbewoner."),
    ("Jan kwam. Bram ook.", "Een buurtbewoner kwam. Een taalmaatje ook."),
    # whole words only: not inside another name or word
    ("Jip en Janneke, met Dirk-Jan en Fatimaatje.", "Jip en Janneke, met Dirk-Jan en Fatimaatje."),
    # common words: only the capitalised person
    ("De roos in de tuin bloeit.", "De roos in de tuin bloeit."),
    ("Roos kwam ook.", "R. kwam ook."),
    ("Met Roos en de roos.", "Met R. en de roos."),
    ("Roos' buurvrouw kwam.", "R.'s buurvrouw kwam."),
    ("een braam, een bram en Bram.", "een braam, een bram en een taalmaatje."),
    # colleagues stay
    ("Anke de Wit en Sanne met Fatima.", "Anke de Wit en Sanne met een vrijwilliger."),
])
def test_recorded_people(text: str, shared: str) -> None:
    assert plain(text) == shared


def test_a_colleague_sharing_a_first_name_keeps_it_only_the_full_name_goes() -> None:
    people = [Person("Sanne Jansen", "moeder")]
    assert anonymise("Sanne en Sanne Jansen", people, COLLEAGUES, detect=nothing) == \
        "Sanne en een moeder"


@pytest.mark.parametrize(("text", "shared"), [
    ("Bel 06-12345678.", "Bel [telefoonnummer]."),
    ("Bel +31 6 1234 5678 of 030 123 4567.", "Bel [telefoonnummer] of [telefoonnummer]."),
    ("Tel. (030) 123 4567, 0031 (0)30-1234567.", "Tel. [telefoonnummer], [telefoonnummer]."),
    ("Mail j.de-vries+bieb@gmail.com!", "Mail [e-mailadres]!"),
    ("Geboren op 3-4-1985, kwam op 12 maart 2024.", "Geboren op [geboortedatum], kwam op 12"
     " maart 2024."),
    ("geb. 14 februari 1990", "geb. [geboortedatum]"),
    ("Haar verjaardag is 14 februari.", "Haar verjaardag is [geboortedatum]."),
    ("Om 10.30 uur, 25 deelnemers, 3 april, 2024.", "Om 10.30 uur, 25 deelnemers, 3 april, 2024."),
])
def test_patterns(text: str, shared: str) -> None:
    assert plain(text) == shared


@pytest.mark.parametrize("text", ["", "   ", "😀🎉📚", "\n\n"])
def test_text_without_words_comes_back_as_it_was(text: str) -> None:
    assert anonymise(text, PEOPLE, COLLEAGUES) == text


def test_the_detector_decides_the_names_it_finds() -> None:
    def finds(text: str, colleagues: Sequence[str]) -> list[tuple[int, int, str]]:
        start = text.index("Hatice Demir")
        return [(start, start + len("Hatice Demir"), "naam")]
    assert anonymise("Hatice Demir en Fatima", PEOPLE, detect=finds) == "[naam] en een vrijwilliger"


# With deduce: loaded once per test session (conftest.py); the files made of a real store
# are in test_shareable.py.

@pytest.fixture(scope="module")
def scores(deduce_loaded: None) -> dict[str, deid_set.Score]:
    return {name: deid_set.score(method) for name, method in deid_set.METHODS.items()}


def test_the_labelled_set_is_large_enough() -> None:
    planted = [label for item in deid_set.SET for label in deid_set.labelled(item)]
    assert len(planted) >= 30
    assert {kind for _, _, kind in planted} == set(deid_set.KINDS)
    assert {item.where for item in deid_set.SET} == {"notitie", "antwoord", "activiteit",
                                                     "resultaat"}


def test_combined_removes_every_recorded_name_phone_email_address_and_birth_date(
        scores: dict[str, deid_set.Score]) -> None:
    combined = scores["(c) combined"]
    assert combined.recall(["bekend", "telefoonnummer", "e-mailadres", "adres",
                            "geboortedatum"]) == 1.0, combined.missed
    assert combined.recall(["naam"]) >= NOTE_NAME_RECALL_BAR, combined.missed
    assert combined.precision >= PRECISION_BAR
    assert combined.kept_broken == []


def test_deduce_finds_names_that_were_only_typed(scores: dict[str, deid_set.Score]) -> None:
    assert scores["(b) deduce"].recall(["naam"]) >= NOTE_NAME_RECALL_BAR
    assert scores["(a) recorded people"].recall(["naam"]) == 0.0


def test_deduce_keeps_colleagues_and_common_words(scores: dict[str, deid_set.Score]) -> None:
    assert scores["(b) deduce"].kept_broken == []
    assert anonymise("De roos in de tuin, Anke de Wit en Sanne.", PEOPLE, COLLEAGUES) == \
        "De roos in de tuin, Anke de Wit en Sanne."


def test_deduce_removes_links_and_numbers_and_keeps_places_and_dates() -> None:
    text = ("Zie www.buurtbieb-zuilen.nl; BSN 123456782, klantnummer 98765432. Op 5 oktober"
            " 2024 in de bibliotheek in Utrecht, wijk Overvecht.")
    assert anonymise(text, PEOPLE, COLLEAGUES) == (
        "Zie [link]; BSN [nummer], klantnummer [nummer]. Op 5 oktober 2024 in de bibliotheek"
        " in Utrecht, wijk Overvecht.")


def test_long_and_odd_text() -> None:
    note = "Fatima kwam langs met Hatice Demir (06-12345678). 😀 " * 100
    began = time.perf_counter()
    shared = anonymise(note[:5000], PEOPLE, COLLEAGUES)
    assert time.perf_counter() - began < 5
    assert "Fatima" not in shared and "Hatice" not in shared and "06-1234" not in shared
    assert shared.count("een vrijwilliger") >= 90
