"""The shareable ("om te delen") text of an export: it names no community member.

`anonymise(text, people, colleagues)` removes, in this order of trust:

1. The people the librarian recorded (`Person(name, role)`): full name, first name,
   surname with its tussenvoegsel ("van der Berg"), each optionally after a title
   ("mevrouw", "dhr.") and with a possessive ("Fatima's", "Jans"); whole words,
   case-insensitively. Each becomes its role with an article ("een vrijwilliger", capitalised
   at the start of a sentence) or, without a role, its initial ("F."); a possessive keeps
   its "'s" after the initial ("F.'s idee": "een vrijwilliger's" is not Dutch).
   Names that are also common Dutch words (`COMMON_WORD_NAMES`: "Roos", "Bram", "Merel"…)
   count as the person only when written with a capital: "Roos kwam ook" is the person (at
   the start of a sentence a Dutch singular noun takes an article: "De roos bloeit"), "de
   roos in de tuin" stays.
2. Dutch phone numbers, e-mail addresses and birth dates, by pattern.
3. What deduce finds (`bot/features/export/deduce_spans.py`): person names, street
   addresses and postcodes, phone numbers, e-mail addresses, URLs, BSN and other long
   numbers, each as a neutral placeholder ("[naam]", "[adres]"…).

Colleagues' names (`colleagues`) are never touched: a recorded name that is also a
colleague's first name is not matched on its own (only in full), and a name deduce finds
that consists of colleagues' names only is kept.
Kept on purpose: dates (a report needs them) except birth dates ("geboren op 3-4-1985",
"geb. 14 februari" become "[geboortedatum]"), ages, place names ("de bibliotheek in
Utrecht": a town names no one; a street with a number does) and organisations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.features.export import deduce_spans

# First names that are also ordinary Dutch words (or words used in Dutch).
COMMON_WORD_NAMES = frozenset({
    "amber", "bas", "berk", "bloem", "bram", "constant", "eik", "fleur", "frank", "hazel",
    "hoop", "iris", "jade", "jasmijn", "jet", "job", "joy", "lelie", "lieve", "linde", "lot",
    "maan", "madelief", "mark", "mars", "mees", "merel", "roos", "rozemarijn", "ster", "storm",
    "vink", "vos", "wil", "wolf",
})
TUSSENVOEGSELS = frozenset({
    "van", "de", "der", "den", "het", "ter", "ten", "te", "in", "'t", "op", "la", "le", "el",
    "al", "da", "di", "du", "von", "zu", "bin", "ben", "vd", "v.d.", "'s",
})
TITLES = r"(?:mevrouw|meneer|mevr\.|mw\.|dhr\.|de\s+heer|juf|meester)\s+"
ARTICLES = ("een ", "de ", "het ", "onze ", "mijn ")

# Placeholders, by kind; a recorded person's replacement is their role or initial.
PLACEHOLDERS = {
    "naam": "[naam]", "adres": "[adres]", "telefoonnummer": "[telefoonnummer]",
    "e-mailadres": "[e-mailadres]", "url": "[link]", "nummer": "[nummer]",
    "geboortedatum": "[geboortedatum]",
}
# When spans overlap, the kind that decides the replacement: the fixed forms first (an
# e-mail address holding a recorded first name is an e-mail address), then a recorded
# person, then a name deduce found.
RANK = ("e-mailadres", "url", "telefoonnummer", "geboortedatum", "adres", "nummer",
        "persoon", "naam")


@dataclass(frozen=True)
class Person:
    """A community member the librarian recorded; `role` as she typed it, or None."""

    name: str
    role: str | None = None


@dataclass(frozen=True)
class Span:
    """Characters `start:end` of a text to replace; `kind` is a key of PLACEHOLDERS or
    "persoon" (a recorded person, whose `replacement` is their role or initial)."""

    start: int
    end: int
    kind: str
    replacement: str


# A detector gets the text and the colleagues' names to keep; it gives (start, end, kind).
Detector = Callable[[str, Sequence[str]], list[tuple[int, int, str]]]


def role_phrase(person: Person) -> str:
    """'een vrijwilliger' for role 'Vrijwilliger'; 'F.' for Fatima without a role."""
    role = (person.role or "").strip()
    if not role:
        words = [w for w in person.name.split() if w.lower() not in TUSSENVOEGSELS]
        first = (words or person.name.split() or ["?"])[0]
        return first[0].upper() + "."
    head = role.split()[0]
    if not (head.isupper() or any(c.isupper() for c in head[1:])):  # "ROC-docent" stays
        role = role[0].lower() + role[1:]
    return role if role.lower().startswith(ARTICLES) else f"een {role}"


def _variants(name: str) -> list[str]:
    """Full name, first name and surname (with its tussenvoegsel) of a recorded name."""
    words = name.split()
    if not words:
        return []
    found = [" ".join(words), words[0]]
    if len(words) > 1:
        found.append(" ".join(words[1:]))  # "van der Berg", "Yilmaz"
        if words[1].lower() not in TUSSENVOEGSELS and len(words) > 2:
            found.append(words[-1])
    return [v for v in dict.fromkeys(found) if len(v.strip(".")) > 1]


def _word_pattern(word: str, common_words: frozenset[str]) -> str:
    if word.lower() in common_words:
        return re.escape(word[0].upper()) + "(?i:" + re.escape(word[1:]) + ")"
    return "(?i:" + re.escape(word) + ")"


def _variant_pattern(variant: str, common_words: frozenset[str]) -> re.Pattern[str]:
    words = [_word_pattern(w, common_words) for w in variant.split()]
    body = r"\s+".join(words)
    # Whole words: "Jan" is not in "Dirk-Jan" nor "Janneke", nor in an e-mail address.
    return re.compile(rf"(?<![\w@-])(?i:{TITLES})?{body}(?P<pos>['’]s|['’]|s)?(?![\w@]|-\w)")


def _colleague_words(colleagues: Iterable[str]) -> set[str]:
    return {" ".join(n.split()).lower() for c in colleagues for n in [c, *c.split()[:1]]
            if n.strip()}


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t-*•>")
    return not before or before[-1] in ".!?\n:"


def _capitalised(phrase: str) -> str:
    return phrase[0].upper() + phrase[1:] if phrase else phrase


def recorded_spans(text: str, people: Sequence[Person], colleagues: Sequence[str] = (),
                   common_words: frozenset[str] = COMMON_WORD_NAMES) -> list[Span]:
    """Where the recorded people are named, longest names first."""
    kept = _colleague_words(colleagues)
    variants = [(v, p) for p in people for v in _variants(p.name)
                if " ".join(v.split()).lower() not in kept]
    variants.sort(key=lambda vp: -len(vp[0]))
    spans: list[Span] = []
    for variant, person in variants:
        for match in _variant_pattern(variant, common_words).finditer(text):
            if any(s.start < match.end() and match.start() < s.end for s in spans):
                continue
            # "Fatima's idee" reads "F.'s idee": "een vrijwilliger's idee" is not Dutch.
            possessive = bool(match.group("pos"))
            phrase = role_phrase(Person(person.name) if possessive else person)
            if _sentence_start(text, match.start()):
                phrase = _capitalised(phrase)
            if possessive:
                phrase += "’s" if "’" in match.group("pos") else "'s"
            spans.append(Span(match.start(), match.end(), "persoon", phrase))
    return sorted(spans, key=lambda s: s.start)


_MONTHS = ("(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober"
           r"|november|december|(?:jan|feb|mrt|apr|jun|jul|aug|sept|sep|okt|nov|dec)\.?)")
_DATE = (rf"(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:\d{{4}}|\d{{2}})|\d{{1,2}}\s+{_MONTHS}"
         rf"(?:\s+\d{{4}})?|(?:19|20)\d{{2}})")
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("e-mailadres", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    # 06-12345678, 030 123 4567, +31 6 1234 5678, 0031 (0)30-1234567: nine digits after 0/+31.
    ("telefoonnummer", re.compile(
        r"(?<![\w+])(?P<x>(?:(?:\+|00)31[\s-]?(?:\(0\)[\s-]?)?|\(?0)(?:\d\)?[\s.-]?){8}\d)"
        r"(?!\d)")),
    # Only the date after a birth word; other dates stay.
    ("geboortedatum", re.compile(
        rf"(?i)\b(?:geboren|geb\.|geboortedatum|verjaardag|jarig)(?![\w])[^\n.!?\d]{{0,40}}?"
        rf"(?P<x>{_DATE})(?!\d)")),
)


def pattern_spans(text: str) -> list[Span]:
    """Dutch phone numbers, e-mail addresses and birth dates."""
    return [Span(*m.span("x" if "x" in pattern.groupindex else 0), kind, PLACEHOLDERS[kind])
            for kind, pattern in PATTERNS for m in pattern.finditer(text)]


def combine(spans: Iterable[Span], text: str = "") -> list[Span]:
    """Overlapping spans become one, replaced as its highest-ranked kind; addresses that
    only a comma or space separates ("Kerkstraat 12, 3511 AB") become one "[adres]"."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        last = merged[-1] if merged else None
        joins = last is not None and (span.start < last.end or (
            last.kind == span.kind == "adres"
            and not text[last.end:span.start].strip(" ,")))
        if last is None or not joins:
            merged.append(span)
            continue
        best = min((last, span), key=lambda s: RANK.index(s.kind))
        merged[-1] = Span(last.start, max(last.end, span.end), best.kind, best.replacement)
    return merged


def apply(text: str, spans: Sequence[Span]) -> str:
    """The text with each (non-overlapping, sorted) span replaced."""
    out, at = [], 0
    for span in spans:
        out += [text[at:span.start], span.replacement]
        at = span.end
    out.append(text[at:])
    return "".join(out)


def shareable_spans(text: str, people: Sequence[Person], colleagues: Sequence[str] = (),
                    detect: Detector | None = None) -> list[Span]:
    """Every span `anonymise` replaces; `detect` defaults to deduce."""
    if not text or not any(c.isalnum() for c in text):
        return []
    recorded = recorded_spans(text, people, colleagues)
    detected = [Span(start, end, kind, PLACEHOLDERS[kind])
                for start, end, kind in (detect or deduce_spans.detect)(text, colleagues)]
    return combine([*recorded, *pattern_spans(text), *_from_recorded(detected, recorded)], text)


def _from_recorded(detected: list[Span], recorded: list[Span]) -> list[Span]:
    """A name found around a recorded person starts where that person does: what comes
    after is their surname ("Fatima de Vries"), what comes before is an ordinary word
    deduce took along ("Volgens Fatima", "van Els Verhoeven")."""
    out = []
    for span in detected:
        inside = [r for r in recorded if span.kind == "naam"
                  and span.start < r.start < span.end]
        out.append(Span(inside[0].start, span.end, span.kind, span.replacement)
                   if inside else span)
    return out


def anonymise(text: str, people: Sequence[Person] = (), colleagues: Sequence[str] = (),
              detect: Detector | None = None) -> str:
    """The text naming no community member (module docstring: what goes, what stays)."""
    return apply(text, shareable_spans(text, people, colleagues, detect))
