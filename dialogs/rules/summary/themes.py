"""The main themes of some notes: the community's subjects, as nouns and noun phrases.

Hashtags first, then YAKE keywords (n ≤ 2) kept only when they are nouns or an adjective
and a noun: no verbs in any form (a bare stem such as "woon" too), no weekdays, months or
times, no number words (drie, eerste), no names of the people and places the caller knows or
the notes write as names, street names included (Kolkstraat), no stop words (YAKE's bundled lists
plus the supplements below: its Dutch list is 500 mostly formal/archaic words and misses
everyday interview words such as "echt", "graag", "mensen", "samen"). A theme is shown as
its lemma (vrijwilligers → vrijwilliger); dialogs/rules/summary/words.py says what a word is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from dialogs.rules.summary import words
from dialogs.rules.summary.notes import clean, sentence, split_note
from dialogs.rules.summary.texts import lang_of
from dialogs.rules.tags import HASHTAG, URL, hashtags
from search.terms import STOPWORDS, fold, tokenize

#: Number of themes in a summary.
TOP_THEMES = 6


def _words(text: str) -> frozenset[str]:
    """Whitespace-separated words of ``text`` as a set."""
    return frozenset(text.split())


_THEME_NOISE_NL = _words("""
aantal af allemaal alleen altijd ander andere anderen beetje belangrijk belangrijke best
bijvoorbeeld daarna dag dagen deel deed denk denken denkt dacht ding dingen doen doet
echt eerste eigen eigenlijk elk elke erg gaan gaat gedaan gegaan gewoon ging gingen goed
goede graag groot grote hele helemaal ieder iedere iedereen jaar jaren kant keer kijken
klein kleine komen komt krijgen krijgt kwam kwamen laten leuk leuke maakt maken manier
mee mensen meestal minder misschien mogelijk natuurlijk nieuw nieuwe nooit ongeveer
paar precies samen soms soort staan staat straks tijd toe veel vaak vind vinden vindt
vond vooral vraag vragen week weken weinig weet weten wil wilde willen wilt wist zeer
zeggen zegt zeker zien ziet zit zitten zoals actie todo
gesprek idee vervolg opvolging plan overleg afspraak contact probleem problemen elkaar
ernaast via naast tussen tijdens sinds binnen buiten rond per vanaf thuis kwijt niemand vorig
daarvoor daarom daarmee daarover daarbij daarin erbij ermee erover erin ervoor nauwelijks
""")

_THEME_NOISE_EN = _words("""
actually also always bit come comes did does doing done get gets getting go goes going
good got great kind know like likes lot lots many maybe much need needs new often
people quite really said say says see sometimes sort still thing things think thinks
time times want wants way ways week weeks well year years action todo run runs ask asks
conversation idea plan follow contact problem problems via
""")

_THEME_NOISE = {"nl": _THEME_NOISE_NL, "en": _THEME_NOISE_EN}


@lru_cache(maxsize=4)
def _theme_stopwords(lang: str) -> frozenset[str]:
    """YAKE's bundled list for ``lang`` plus the search stop words and theme noise."""
    import yake  # with numpy and networkx a fifth of the bot's start-up: load when first used

    bundled = yake.KeywordExtractor(lan=lang).stopword_set
    extra = STOPWORDS[lang] | _THEME_NOISE[lang]
    return frozenset(w for w in bundled if w) | extra | frozenset(fold(w) for w in extra)


def _theme_text(notes: Iterable[str]) -> str:
    """Notes as YAKE input: follow-up markers and URLs removed, '#' dropped, one per line."""
    lines: list[str] = []
    for note in notes:
        content, actions = split_note(note)
        for piece in [content, *actions]:
            piece = URL.sub(" ", piece)
            piece = HASHTAG.sub(r"\1", piece)
            piece = sentence(clean(piece))
            if any(ch.isalnum() for ch in piece):
                lines.append(piece)
    return "\n".join(lines)


_SENTENCE_START = re.compile(r"(?:^|[.!?…:]\s*|\n\s*)$")


def _surface(keyword: str, text: str) -> str:
    """Display form: as written mid-sentence in the notes, else lower-cased."""
    words = keyword.split()
    pattern = re.compile(
        r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)", re.IGNORECASE
    )
    forms: Counter[str] = Counter()
    for m in pattern.finditer(text):
        if not _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()]) and m.start() > 0:
            forms[clean(m.group(0))] += 1
    if forms:
        return sorted(forms.items(), key=lambda kv: (-kv[1], kv[0].lower() != kv[0], kv[0]))[0][0]
    first = words[0]
    if len(first) > 1 and first.isupper():
        return keyword
    return first.lower() + ("" if len(words) == 1 else " " + " ".join(words[1:]))


def notes_language(text: str, default: str) -> str:
    """``"nl"`` or ``"en"``: whichever language's stop words occur more in ``text``."""
    nl_only = STOPWORDS["nl"] - STOPWORDS["en"]
    en_only = STOPWORDS["en"] - STOPWORDS["nl"]
    folded = [fold(t) for t in tokenize(text)]
    nl = sum(1 for t in folded if t in nl_only)
    en = sum(1 for t in folded if t in en_only)
    if nl == en:
        return lang_of(default)
    return "nl" if nl > en else "en"


# A word as the themes see it: letters with inner apostrophes or hyphens (baby's, cd-speler),
# or anything with a digit in it (14:00, 13-15u).
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*(?![\w'’-])|[\w'’:.-]*\d[\w'’:.-]*")
_SENTENCES = re.compile(r"[^.!?…:;\n]+")


@dataclass
class _Use:
    """How a word is used in the notes: how often, how often capitalised, as a verb."""

    count: int = 0
    capitalised: int = 0
    lower_inside: int = 0  # in lower case, not first in its sentence
    verbal: int = 0


def _uses(text: str, lang: str) -> dict[str, _Use]:
    uses: dict[str, _Use] = {}
    for part in _SENTENCES.findall(text):
        before = ""
        for i, word in enumerate(_WORD.findall(part)):
            use = uses.setdefault(fold(word), _Use())
            use.count += 1
            use.capitalised += word[:1].isupper()
            use.lower_inside += i > 0 and word.islower()
            use.verbal += words.is_verb_form(word, lang, before, first=i == 0)
            before = word
    return uses


def _name_parts(names: Iterable[str]) -> frozenset[str]:
    return frozenset(fold(t) for name in names for t in _WORD.findall(name) if len(t) >= 2)


class _Judge:
    """Which words of some notes can be (part of) a theme."""

    def __init__(self, text: str, lang: str, names: Iterable[str]) -> None:
        self.lang = lang
        self.stop = _theme_stopwords(lang)
        self.uses = _uses(text, lang)
        self.names = _name_parts(names)

    def is_name(self, word: str) -> bool:
        folded = fold(word)
        use = self.uses.get(folded, _Use())
        if folded in self.names:
            # A name that is also a word (Buurthuis De Linde) is a theme where written as one.
            return not (use.lower_inside and words.known(word, self.lang))
        # Unknown, always capitalised (Sanne, Fatima) and no compound (Taalhuis, Vogelwijk).
        return (word[:1].isupper() and word[1:].islower() and use.count == use.capitalised
                and not words.known(word, self.lang)
                and (self.lang != "nl" or words.compound_head(word) is None))

    def fits(self, word: str, head: bool) -> bool:
        """Whether ``word`` may stand in a theme; as its ``head`` it must be a noun."""
        folded = fold(word)
        lemma = words.lemma(word, self.lang)
        if folded in self.stop or fold(lemma) in self.stop or len(folded) < 2:
            return False
        if words.is_time(word, self.lang) or words.is_number(word, self.lang) \
                or self.is_name(word):
            return False
        use = self.uses.get(folded)
        if use.verbal * 2 > use.count if use else words.is_verb_form(word, self.lang):
            return False
        if not head:
            return words.is_modifier(word, self.lang)
        return not (lemma[:1].islower() and words.is_adjective(lemma, self.lang))

    def is_street(self, parts: list[str]) -> bool:
        """A street alone (Kolkstraat 12) is a place; a service named so (Digitaal
        Hulpplein), or a word the notes also write in lower case, is not."""
        use = self.uses.get(fold(parts[0]))
        return len(parts) == 1 and words.is_street(parts[0]) and not (use and use.lower_inside)

    def theme(self, parts: list[str]) -> bool:
        """Whether these words, in this order, make a theme."""
        return bool(parts) and not self.is_street(parts) and all(
            self.fits(w, head=i == len(parts) - 1) for i, w in enumerate(parts))

    def key(self, word: str) -> str:
        return fold(words.lemma(word, self.lang))


def themes(
    notes: list[str],
    lang: str,
    person_name: str | None = None,
    top: int = TOP_THEMES,
    *,
    names: Iterable[str] = (),
) -> list[str]:
    """Main themes of some notes: hashtags first, then nouns and noun phrases YAKE ranks.

    The notes' own language (by stop-word counts, ``lang`` on a tie) picks the word lists.
    ``person_name`` and ``names`` (other people met, places) are never themes. A theme is
    one noun or an adjective/noun and a noun, shown as lemma (vrijwilligers → vrijwilliger);
    themes sharing a lemma count once. Returns at most ``top`` themes; ``[]`` for empty
    input. Deterministic.
    """
    text = _theme_text(notes)
    if not text or top <= 0:
        return []
    lg = notes_language(text, lang)
    judge = _Judge(text, lg, [person_name or "", *names])

    picked: list[str] = []
    covered: set[str] = set()

    def take(shown: str, keys: set[str]) -> None:
        if keys & covered:
            return
        covered.update(keys)
        picked.append(shown)

    tag_counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for note in notes:
        for tag in hashtags(note):
            tag_counts[tag] += 1
            first_seen.setdefault(tag, len(first_seen))
    for tag in sorted(tag_counts, key=lambda t: (-tag_counts[t], first_seen[t])):
        folded = [fold(t) for t in tokenize(tag)]
        # A hashtag is the librarian's choice: only a tag of stop words, a time or a name is out.
        if len(picked) < top and not (all(f in judge.stop for f in folded)
                                      or words.is_time(tag, lg) or judge.is_name(tag)):
            take(tag, {judge.key(tag), fold(tag)})

    import yake

    extractor = yake.KeywordExtractor(
        lan=lg, n=2, top=max(top * 10, 40), dedup_lim=0.9, stopwords=set(judge.stop)
    )
    ranked = sorted(
        ((float(score), kw) for kw, score in extractor.extract_keywords(text)),
        key=lambda pair: (pair[0], pair[1].lower(), pair[1]),
    )
    for _, kw in ranked:
        if len(picked) >= top:
            break
        shown = _surface(kw, text)
        parts = _WORD.findall(shown)
        if not judge.theme(parts):
            continue
        take(" ".join([*parts[:-1], _shown(parts[-1], lg)]),
             {judge.key(w) for w in parts} | {fold(shown)})
    return picked


def _shown(word: str, lang: str) -> str:
    """A theme's last word as its lemma, in the case it was written in."""
    lemma = words.lemma(word, lang)
    if lang == "nl" and words.is_verb(lemma.lower(), lang) or word.endswith("ing"):
        return word  # boer (not boeren), cooking (not cook): nouns the dictionary reads as verbs
    if not word[:1].isupper():
        return lemma.lower()
    return word if fold(lemma) == fold(word) else lemma[:1].upper() + lemma[1:]
