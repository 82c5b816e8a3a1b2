"""The main themes of some notes: hashtags first, then YAKE keywords, filtered.

Themes come from YAKE with its bundled stop-word lists plus the supplements below (YAKE's
Dutch list is 500 mostly formal/archaic words and misses everyday interview words such as
"echt", "graag", "gaan", "mensen", "samen").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

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
""")

_THEME_NOISE_EN = _words("""
actually also always bit come comes did does doing done get gets getting go goes going
good got great kind know like likes lot lots many maybe much need needs new often
people quite really said say says see sometimes sort still thing things think thinks
time times want wants way ways week weeks well year years action todo run runs ask asks
""")

_THEME_NOISE = {"nl": _THEME_NOISE_NL, "en": _THEME_NOISE_EN}


@lru_cache(maxsize=4)
def _theme_stopwords(lang: str) -> frozenset[str]:
    """YAKE's bundled list for ``lang`` plus the search stop words and theme noise."""
    import yake  # with numpy and networkx a fifth of the bot's start-up: load when first used

    bundled = yake.KeywordExtractor(lan=lang).stopword_set
    extra = STOPWORDS[lang] | _THEME_NOISE[lang]
    return frozenset(w for w in bundled if w) | extra | frozenset(fold(w) for w in extra)


def _stem(word: str) -> str:
    """Crude plural/spelling key so that bibliotheek/bibliotheken, café/cafés collide."""
    w = fold(word)
    if w.endswith("'s"):
        w = w[:-2]
    elif len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith("en"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s"):
        w = w[:-1]
    w = re.sub(r"([aeou])\1", r"\1", w)
    w = re.sub(r"([b-df-hj-np-tv-z])\1", r"\1", w)
    return w


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


def themes(
    notes: list[str], lang: str, person_name: str | None = None, top: int = TOP_THEMES
) -> list[str]:
    """Main themes of some notes: hashtags first, then YAKE keywords (n ≤ 2), filtered.

    The notes' own language (by stop-word counts, ``lang`` on a tie) picks the
    stop-word list. Drops keywords made of stop words or interview filler, parts
    of the interviewee's name and near-duplicates (bibliotheek/bibliotheken).
    Returns at most ``top`` themes; ``[]`` for empty input. Deterministic.
    """
    text = _theme_text(notes)
    if not text or top <= 0:
        return []
    lg = notes_language(text, lang)
    stop = _theme_stopwords(lg)
    name_parts = {fold(t) for t in tokenize(person_name or "") if len(t) >= 2}

    picked: list[str] = []
    covered: set[str] = set()

    def consider(candidate: str, hashtag: bool = False) -> None:
        toks = tokenize(candidate)
        if not toks or len(picked) >= top:
            return
        folded = [fold(t) for t in toks]
        if any(f in name_parts for f in folded):
            return
        # A hashtag was chosen by the librarian: only a tag that is one stop word is noise.
        noise = [f in stop for f in folded]
        if (all(noise) if hashtag else any(noise)):
            return
        if all(f.isdigit() for f in folded) or max(len(f) for f in folded) < 3:
            return
        stems = {_stem(t) for t in toks} | {_stem(candidate)}
        if stems & covered:
            return
        covered.update(stems)
        picked.append(candidate)

    tag_counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for note in notes:
        for tag in hashtags(note):
            tag_counts[tag] += 1
            first_seen.setdefault(tag, len(first_seen))
    for tag in sorted(tag_counts, key=lambda t: (-tag_counts[t], first_seen[t])):
        consider(tag, hashtag=True)

    import yake

    extractor = yake.KeywordExtractor(
        lan=lg, n=2, top=max(top * 4, 20), dedup_lim=0.9, stopwords=set(stop)
    )
    ranked = sorted(
        ((float(score), kw) for kw, score in extractor.extract_keywords(text)),
        key=lambda pair: (pair[0], pair[1].lower(), pair[1]),
    )
    for _, kw in ranked:
        consider(_surface(kw, text))
    return picked
