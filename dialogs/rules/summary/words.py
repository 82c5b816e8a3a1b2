"""What a word in the notes is, as far as themes go: its lemma, and whether it is a verb, an
adjective, a time word or a name.

There is no part-of-speech tagger for Dutch that installs from PyPI alone and runs offline, so
the word classes come from simplemma's dictionary (word form → lemma): a lemma is a verb when
the dictionary knows a conjugated form of it (werken ← werkt, werkte; geven ← geeft), an
adjective when it knows a comparative or superlative (leuk ← leuker, leukst). Nouns have
neither. Weekdays, months and times of day are listed here, and number words (drie, twintig,
eerste) and street names (Kolkstraat, Stationsplein) are recognised by their form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import simplemma
from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY

from search.terms import fold


def _words(text: str) -> frozenset[str]:
    """Whitespace-separated words of ``text`` as a set."""
    return frozenset(text.split())


_TIME_NL = _words("""
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag ma di wo do vr za zo
januari februari maart april mei juni juli augustus september oktober november december
jan feb mrt apr jun jul aug sep sept okt nov dec
vandaag morgen gisteren overmorgen eergisteren vanavond vanochtend vanmorgen vanmiddag vannacht
ochtend morgens middag avond nacht weekend week maand jaar uur kwartier minuut seconde
tijdstip datum begin eind half kwart
""")

_TIME_EN = _words("""
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri
sat sun january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec today tomorrow yesterday tonight morning
afternoon evening night weekend week month year hour minute am pm noon midnight
""")

_DAY_PARTS = ("ochtend", "morgen", "middag", "avond", "nacht", "morning", "afternoon",
              "evening", "night")
_WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
             "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# A Dutch word right after one of these is a verb: "ze mist", "hij zoekt".
_SUBJECTS_NL = _words("ik je jij u hij ze zij we wij men")

# English: a word right after one of these is a verb ("she leads", "to read").
_BEFORE_VERB_EN = _words("""
i you he she it we they who to will would can could should must might may also often never
always really still just don't doesn't didn't won't can't
""")


_UNITS_NL = ("een", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen")
_NUMBERS_NL = (*_UNITS_NL, "tien", "elf", "twaalf", "dertien", "veertien", "vijftien",
               "zestien", "zeventien", "achttien", "negentien", "twintig", "dertig", "veertig",
               "vijftig", "zestig", "zeventig", "tachtig", "negentig", "honderd", "duizend",
               "miljoen", "miljard")
_NUMBERS_EN = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
               "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
               "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
               "eighty", "ninety", "hundred", "thousand", "million", "billion")
_ORDINALS = {"nl": ("eerste", "derde"), "en": ("first", "second", "third", "fifth", "eighth",
                                             "ninth", "twelfth")}
# A Dutch number is written as one word: vijfentwintig, tweeëntwintig, driehonderd.
_CARDINAL_NL = re.compile("(?:" + "|".join(sorted(_NUMBERS_NL, key=len, reverse=True))
                          + r"|ën|en)+")
_CARDINAL_EN = re.compile("(?:" + "|".join(sorted(_NUMBERS_EN, key=len, reverse=True))
                          + r"|-)+")
# Where a street name ends: Kolkstraat, Noordweg, Stationsplein, Prinsengracht.
_STREETS = ("straat", "weg", "laan", "plein", "gracht", "kade", "singel", "dijk", "steeg")


def _cardinal(word: str, lang: str) -> bool:
    pattern = _CARDINAL_NL if lang == "nl" else _CARDINAL_EN
    return (pattern.fullmatch(word) is not None and word not in ("en", "ën", "-")
            and not word.startswith(("en", "ën", "-")))


def is_number(word: str, lang: str) -> bool:
    """Number words, cardinal or ordinal: drie, vijfentwintig, honderd, eerste, twintigste;
    three, twenty-one, first, fourth."""
    lower = word.lower()
    if lower in _ORDINALS.get(lang, ()) or _cardinal(lower, lang):
        return True
    ends = ("ste", "de") if lang == "nl" else ("th", "ieth")
    return any(lower.endswith(end) and _cardinal(lower[:-len(end)], lang) for end in ends)


def is_street(word: str) -> bool:
    """A street or square named as one capitalised word (Kolkstraat, Stationsplein): a
    place, like the names of people."""
    lower = word.lower()
    return word[:1].isupper() and any(lower.endswith(end) and len(lower) > len(end) + 2
                                      for end in _STREETS)


@lru_cache(maxsize=2)
def _lexicon(lang: str) -> Mapping[str, str]:
    """simplemma's dictionary for ``lang``: word form → lemma (loaded once, about a second)."""
    return DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)


def known(word: str, lang: str) -> bool:
    """Whether the dictionary knows ``word`` (as written or in lower case)."""
    lex = _lexicon(lang)
    return word in lex or word.lower() in lex


@lru_cache(maxsize=8192)
def lemma(word: str, lang: str) -> str:
    """The dictionary form of ``word``: vrijwilligers → vrijwilliger, geeft → geven.

    An unknown Dutch compound takes the lemma of its known last part (leerwerkplekken →
    leerwerkplek); a nominalised adjective stays a noun (jongeren → jongere).
    """
    if lang == "nl" and word.lower() in _NOUNS_NL:
        return _NOUNS_NL[word.lower()]
    found = simplemma.lemmatize(word, lang=lang)
    if "_" in found:
        return word  # voetbal_club, op_nemen: the dictionary's split compounds
    if lang != "nl":
        return found
    if found == word and not known(word, lang):
        cut = compound_head(word)
        return word if cut is None else word[:cut] + simplemma.lemmatize(word[cut:], lang="nl")
    inflected = word[:-1].lower()
    if (word.lower().endswith("en") and _lexicon(lang).get(inflected) == found != inflected
            and (is_adjective(found, lang) or found.endswith("nd"))):
        return word[:-1]  # jongeren, alleenstaanden: the young, those living alone
    return found


# Plurals the dictionary reads as verb forms first (leden: lid, or lijden's past tense).
_NOUNS_NL = {"leden": "lid"}


def compound_head(word: str) -> int | None:
    """Where the known last part of an unknown Dutch compound starts, if it has one and that
    part is a noun: leerwerkplekken → 8 (plekken); thuislozen → None (lozen is a verb)."""
    lower = word.lower()
    lex = _lexicon("nl")
    for cut in range(3, len(lower) - 2):
        if lower[cut:] in lex:
            head = simplemma.lemmatize(lower[cut:], lang="nl")
            return None if is_verb(head, "nl") or is_adjective(head, "nl") else cut
    return None


def _stems_nl(infinitive: str) -> set[str]:
    """Present-tense stems a Dutch infinitive may have: werken → werk, geven → geef."""
    base = infinitive[:-2] if infinitive.endswith("en") else infinitive[:-1]
    stems = {base}
    if base[-1:] in ("v", "z"):
        stems.add(base[:-1] + {"v": "f", "z": "s"}[base[-1]])
    for stem in list(stems):
        if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
            stems.add(stem[:-1])  # bellen → bel
        open_syllable = re.search(r"(?<![aeiou])([aeou])([^aeiou])$", stem)
        if open_syllable:  # lezen → lees, maken → maak
            stems.add(stem[: open_syllable.start(1)] + open_syllable.group(1) * 2
                      + open_syllable.group(2))
    return stems


@lru_cache(maxsize=8192)
def is_verb(lemma_: str, lang: str) -> bool:
    """Whether the dictionary knows a conjugated form of ``lemma_`` (in lower case)."""
    lex = _lexicon(lang)
    if lang == "en":
        return any(lex.get(lemma_ + end) == lemma_ for end in ("ed", "d", "ing"))
    if len(lemma_) < 4 or not lemma_.endswith("n"):
        return False
    for stem in _stems_nl(lemma_):
        forms = [stem + "t", stem + "te", stem + "de"]
        if stem.endswith(("t", "d")):
            forms.append(stem)
        if any(lex.get(form) == lemma_ for form in forms if form != lemma_):
            return True
    return False


@lru_cache(maxsize=8192)
def is_adjective(lemma_: str, lang: str) -> bool:
    """Whether the dictionary knows a comparative or superlative of ``lemma_``."""
    lex = _lexicon(lang)
    bases = {lemma_, re.sub(r"([aeou])\1([^aeiou])$", r"\1\2", lemma_)}  # groot → grot-er
    bases |= {b[:-1] + {"f": "v", "s": "z"}[b[-1]] for b in list(bases) if b[-1:] in "fs"}
    bases |= {b + b[-1] for b in list(bases) if re.search(r"[aeiou][^aeiouw]$", b)}  # dik
    # Both degrees: "kinder" alone is a compound's first part (kinderboek), no comparative.
    most = ("st", "ste") if lang == "nl" else ("est", "st")
    more = ("er", "r", "der")  # leuker, zwaarder
    return (any(lex.get(base + end) == lemma_ for base in bases for end in more)
            and any(lex.get(base + end) == lemma_ for base in bases for end in most))


def is_time(word: str, lang: str) -> bool:
    """Weekdays, months, times of day, and anything with a digit (10u, 14:00, 2015)."""
    folded = fold(word)
    if any(ch.isdigit() for ch in folded):
        return True
    times = _TIME_NL if lang == "nl" else _TIME_EN
    if folded in times or fold(lemma(word, lang)) in times:
        return True
    day = next((d for d in _WEEKDAYS if folded.startswith(d)), None)
    return day is not None and (folded[len(day):] in ("", "s") or folded[len(day):] in _DAY_PARTS)


def is_verb_form(word: str, lang: str, before: str = "", first: bool = False) -> bool:
    """Whether ``word`` (after the word ``before``; ``first`` in its sentence) is a verb:
    geeft, leidt, gesproken, werken.

    Dutch goes by the lemma, except the bare stem (boer, sponsor, werk: nouns as often as
    "ik werk"), a verb only first in a sentence (an order: "mail Sanne") or after ik/je/jij.
    English words are nouns and verbs alike (plans, help), so a bare or -s form counts as a
    verb only after a pronoun, "to" or a modal.
    """
    found = lemma(word, lang).lower()
    if lang == "nl" and fold(before) in _SUBJECTS_NL:
        return True  # ze mist, hij zoekt: whatever the dictionary reads first
    lower = word.lower()
    if lang == "nl" and lower != found and lower.endswith("en") and is_verb(lower, lang):
        # Read as a plural (spel, stroom), but an infinitive after "te" or a plural subject:
        # "kinderen spelen", "boeken stromen binnen"; "de boeken", "veel zorgen" stay nouns.
        return fold(before) == "te" or _plural_noun(before)
    if not is_verb(found, lang):
        return False
    if lang == "nl":
        if lower != found and lower in _stems_nl(found):
            # A stem that is no noun as well (woon, ga, kom: no "woontje", "woonen") is a
            # verb wherever it stands: "ik ben moeder en woon in Noord".
            return first or fold(before) in ("ik", "je", "jij") or not _noun_too(lower)
        return True
    if lower.endswith("ing"):
        return False  # meeting, training, housing: things a community does
    if lower not in (found, found + "s", found + "es"):
        return True  # talked, gave
    # After a pronoun or modal, or a plural noun or a name as the subject: "parents struggle".
    plural = before.lower().endswith("s") and lemma(before, lang).lower() != before.lower()
    return fold(before) in _BEFORE_VERB_EN or plural or before.istitle()


def _noun_too(stem: str) -> bool:
    """Whether the dictionary knows a Dutch verb stem as a noun too, by a plural or a
    diminutive of it: fiets (fietsje), les (lesje), boer (boerke), kom (kommetje); woon
    and ga have none."""
    lex = _lexicon("nl")
    forms = [stem + end for end in ("je", "tje", "pje", "etje", "ke", "s", "en")]
    forms += [stem + stem[-1] + end for end in ("etje", "en")]
    return any(lex.get(form) == stem for form in forms)


def _plural_noun(word: str) -> bool:
    """A Dutch plural noun: kinderen, ouders (not an adjective, not a verb form)."""
    lower = word.lower()
    found = lemma(word, "nl").lower() if word else ""
    return (found != lower and lower.endswith(("en", "s")) and not is_verb(found, "nl")
            and not is_adjective(found, "nl"))


def is_modifier(word: str, lang: str) -> bool:
    """Whether ``word`` can stand before a noun in a Dutch theme: an adjective (digitale,
    Syrische). English puts nouns there too (homework club), so any word can."""
    if lang != "nl":
        return True
    found = lemma(word, lang)
    inflected = word.lower().endswith("e") and not found.lower().endswith("e")
    return inflected or is_adjective(found.lower(), lang)
