"""Deterministic, offline summaries of open conversations (phase 4) and of a community.

Pure: no I/O of its own, no clock reads. Themes come from YAKE with its bundled
stop-word lists plus the supplements below (YAKE's Dutch list is 500 mostly
formal/archaic words and misses everyday interview words such as "echt",
"graag", "gaan", "mensen", "samen").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, Field

from search.terms import STOPWORDS, fold, tokenize

__all__ = [
    "Lang",
    "Answer",
    "QuestionNotes",
    "Reflection",
    "ConversationDigest",
    "Summary",
    "PhaseProgress",
    "CommunityDefinition",
    "ConversationLine",
    "CommunityDigest",
    "summarize_conversation",
    "summarize_community",
    "themes",
    "notes_language",
    "follow_ups_from",
    "hashtags",
    "format_date",
    "format_duration",
]

Lang = Literal["nl", "en"]
Answer = Literal["yes", "not_yet", "no"]

#: Longest condensed text per question line (characters, excluding the title).
QUESTION_BUDGET = 300
#: Notes longer than this are cut back to their first sentence(s).
NOTE_LIMIT = 160
#: Number of themes in a summary.
TOP_THEMES = 6


# --------------------------------------------------------------------------- models


class QuestionNotes(BaseModel):
    """Notes taken for one open question."""

    key: str
    title: str
    notes: list[str] = Field(default_factory=list)
    skipped: bool = False


class Reflection(BaseModel):
    """The librarian's reflection after the conversation."""

    value_both: Answer | None = None
    value_why: str = ""
    motivated: Answer | None = None
    motivated_why: str = ""
    success_line: str = ""


class ConversationDigest(BaseModel):
    """Everything the summary needs about one open conversation."""

    person_name: str
    role: str = ""
    organisation: str | None = None
    place: str = ""
    started_at: AwareDatetime
    ended_at: AwareDatetime | None = None
    language: Lang = "nl"
    questions: list[QuestionNotes] = Field(default_factory=list)
    shared_own: bool = False
    reflection: Reflection = Field(default_factory=Reflection)
    follow_ups: list[str] = Field(default_factory=list)
    attachments: list[str] = Field(default_factory=list)


class Summary(BaseModel):
    """A rendered conversation summary."""

    text: str
    headline: str
    keywords: list[str]
    note_count: int
    follow_ups: list[str] = Field(default_factory=list)


class PhaseProgress(NamedTuple):
    """Progress of one phase: title, steps done, steps in total."""

    title: str
    done: int
    total: int


class CommunityDefinition(BaseModel):
    """The community definition from phase 3."""

    known_person: str | None = None
    bond: Literal["region", "identity", "affinity"] | None = None
    bond_detail: str = ""
    characteristics: list[str] = Field(default_factory=list)
    strength_each_other: int | None = Field(default=None, ge=1, le=5)
    strength_library: int | None = Field(default=None, ge=1, le=5)


class ConversationLine(BaseModel):
    """One conversation as a single line in the community overview."""

    started_at: AwareDatetime
    person_name: str
    role: str = ""
    themes: list[str] = Field(default_factory=list)
    note_count: int = 0

    @classmethod
    def from_digest(cls, d: ConversationDigest, summary: Summary | None = None) -> ConversationLine:
        """Build the line from a digest (and its summary, if already computed)."""
        s = summary if summary is not None else _summary_core(d)
        return cls(
            started_at=d.started_at,
            person_name=d.person_name,
            role=d.role,
            themes=list(s.keywords),
            note_count=s.note_count,
        )


class CommunityDigest(BaseModel):
    """Input for :func:`summarize_community`."""

    name: str
    language: Lang = "nl"
    phases: list[PhaseProgress] = Field(default_factory=list)
    definition: CommunityDefinition | None = None
    conversations: list[ConversationLine] = Field(default_factory=list)
    tag_counts: dict[str, int] = Field(default_factory=dict)


# --------------------------------------------------------------------------- wording

_DAYS = {
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}

_T: dict[str, dict[str, str]] = {
    "nl": {
        "heading": "Gesprek met {who}",
        "note": "notitie",
        "notes": "notities",
        "hours": "{h} uur",
        "hours_min": "{h} uur {m} min",
        "core": "Kern",
        "skipped": "Overgeslagen",
        "more": "(+{n} meer)",
        "no_notes": "Tijdens dit gesprek zijn geen notities gemaakt.",
        "reflection": "Reflectie",
        "reflection_empty": "Reflectie: nog niet ingevuld.",
        "value_yes": "Samenwerken heeft meerwaarde voor beide kanten",
        "value_not_yet": "De meerwaarde voor beide kanten is er nog niet",
        "value_no": "Samenwerken heeft geen meerwaarde voor beide kanten",
        "value_none": "Over de meerwaarde voor beide kanten",
        "mot_yes": "De community is zelf gemotiveerd om samen te werken",
        "mot_not_yet": "De community is zelf nog niet gemotiveerd om samen te werken",
        "mot_no": "De community is zelf niet gemotiveerd om samen te werken",
        "mot_none": "Over de motivatie van de community",
        "success": "Een geslaagde samenwerking is voor {name}",
        "shared_own": "Je hebt zelf ook iets van jezelf gedeeld.",
        "follow_ups": "Vervolgacties",
        "attachments": "Bijlagen",
        "community": "Community: {name}",
        "progress": "Voortgang",
        "definition": "Definitie",
        "no_definition": "Definitie: nog niet vastgelegd.",
        "known_person": "bekend persoon",
        "bond": "verbinding",
        "characteristics": "kenmerken",
        "strength_each_other": "onderlinge band",
        "strength_library": "band met de bibliotheek",
        "conversations": "Gesprekken",
        "no_conversations": "Nog geen gesprekken.",
        "tags": "Notities per tag",
        "region": "regio",
        "identity": "identiteit",
        "affinity": "affiniteit",
    },
    "en": {
        "heading": "Conversation with {who}",
        "note": "note",
        "notes": "notes",
        "hours": "{h} h",
        "hours_min": "{h} h {m} min",
        "core": "Main themes",
        "skipped": "Skipped",
        "more": "(+{n} more)",
        "no_notes": "No notes were taken during this conversation.",
        "reflection": "Reflection",
        "reflection_empty": "Reflection: not filled in yet.",
        "value_yes": "Working together adds value for both sides",
        "value_not_yet": "The value for both sides is not there yet",
        "value_no": "Working together does not add value for both sides",
        "value_none": "On the value for both sides",
        "mot_yes": "The community itself is motivated to work together",
        "mot_not_yet": "The community itself is not yet motivated to work together",
        "mot_no": "The community itself is not motivated to work together",
        "mot_none": "On the community's motivation",
        "success": "For {name}, a successful collaboration would be",
        "shared_own": "You also shared something of your own.",
        "follow_ups": "Follow-ups",
        "attachments": "Attachments",
        "community": "Community: {name}",
        "progress": "Progress",
        "definition": "Definition",
        "no_definition": "Definition: not recorded yet.",
        "known_person": "known person",
        "bond": "bond",
        "characteristics": "characteristics",
        "strength_each_other": "bond with each other",
        "strength_library": "bond with the library",
        "conversations": "Conversations",
        "no_conversations": "No conversations yet.",
        "tags": "Notes per tag",
        "region": "region",
        "identity": "identity",
        "affinity": "affinity",
    },
}

_ATTACHMENT_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "nl": {
        "photo": ("foto", "foto's"),
        "voice": ("spraakbericht", "spraakberichten"),
        "audio": ("geluidsopname", "geluidsopnamen"),
        "video": ("video", "video's"),
        "document": ("document", "documenten"),
        "": ("bijlage", "bijlagen"),
    },
    "en": {
        "photo": ("photo", "photos"),
        "voice": ("voice message", "voice messages"),
        "audio": ("audio recording", "audio recordings"),
        "video": ("video", "videos"),
        "document": ("document", "documents"),
        "": ("attachment", "attachments"),
    },
}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "nl"


def format_date(dt: datetime, tz: ZoneInfo, lang: str) -> str:
    """``di 3 nov 2026`` / ``Tue 3 Nov 2026`` in ``tz``, independent of the system locale."""
    lg = _lang(lang)
    local = dt.astimezone(tz)
    day = _DAYS[lg][local.weekday()]
    month = _MONTHS[lg][local.month - 1]
    return f"{day} {local.day} {month} {local.year}"


def format_duration(delta: timedelta, lang: str) -> str | None:
    """``45 min`` / ``1 uur 15 min`` / ``1 h 15 min``; ``None`` for a negative span."""
    seconds = delta.total_seconds()
    if seconds < 0:
        return None
    minutes = int(seconds // 60 + (1 if seconds % 60 >= 30 else 0))
    if minutes < 60:
        return f"{minutes} min"
    t = _T[_lang(lang)]
    h, m = divmod(minutes, 60)
    return t["hours"].format(h=h) if m == 0 else t["hours_min"].format(h=h, m=m)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# --------------------------------------------------------------------------- text helpers

_WS = re.compile(r"\s+")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_FOLLOW_UP = re.compile(r"(?is)^\s*(?:to[\s-]?do|actie|action)\s*:\s*(?P<rest>.*?)\s*$")
_HASHTAG = re.compile(r"(?<![\w/#&])#(\w+)")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_TERMINAL = ".!?…:;"
_ENDS_WITH_TAG = re.compile(r"(?<![\w/#&])#\w+$")


def _clean(text: str) -> str:
    """NFC, whitespace collapsed to single spaces, stripped."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _split_note(note: str) -> tuple[str, list[str]]:
    """Split a note into its content and the follow-ups marked on its own lines."""
    content: list[str] = []
    actions: list[str] = []
    for line in unicodedata.normalize("NFC", note).splitlines():
        m = _FOLLOW_UP.match(line)
        if m:
            rest = _clean(m.group("rest"))
            if rest:
                actions.append(rest)
        else:
            content.append(line)
    return _clean(" ".join(content)), actions


def follow_ups_from(notes: list[str]) -> list[str]:
    """Follow-ups marked in notes: lines starting with todo:/to do:/actie:/action: (any case).

    Returns the text after the marker, in order, empty ones dropped.
    """
    out: list[str] = []
    for note in notes:
        out.extend(_split_note(note)[1])
    return out


def hashtags(text: str) -> list[str]:
    """Hashtags in ``text``, lower-cased, de-duplicated, in order; URLs are ignored.

    A hashtag is ``#`` followed by unicode letters, digits or underscores, with at
    least one letter, not glued to a preceding word (``abc#x`` is no tag).
    """
    text = _URL.sub(" ", unicodedata.normalize("NFC", text))
    seen: set[str] = set()
    out: list[str] = []
    for m in _HASHTAG.finditer(text):
        tag = m.group(1).lower()
        if not any(ch.isalpha() for ch in tag) or tag in seen:
            continue
        seen.add(tag)
        out.append(tag)
    return out


def _sentence(text: str) -> str:
    """``text`` with terminal punctuation added if missing."""
    text = text.strip()
    if not text or _ENDS_WITH_TAG.search(text):
        return text
    return text if text[-1] in _TERMINAL or text[-1] in "\"')»”" else text + "."


def _capitalise(text: str) -> str:
    """Upper-case the first letter unless the first word already has capitals (``iPad``)."""
    if not text:
        return text
    first = text.split(" ", 1)[0]
    if first != first.lower():
        return text
    return text[0].upper() + text[1:]


def _cut_words(text: str, limit: int) -> str:
    """Cut ``text`` at a word boundary so that it fits ``limit`` including an ellipsis."""
    if len(text) <= limit:
        return text
    head = text[: max(limit - 1, 1)]
    if " " in head.strip():
        head = head[: head.rstrip().rfind(" ")]
    return head.rstrip(" ,;:-–—") + "…"


def _shorten(text: str, limit: int) -> str:
    """Shorten a long note to its first sentence(s) plus an ellipsis, within ``limit``."""
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in _SENTENCE_END.split(text):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) + 2 > limit:
            break
        kept = candidate
    if kept:
        return kept + " …"
    return _cut_words(text, limit)


def _condense(notes: list[str], lang: str) -> str:
    """Join a question's notes into one line of at most :data:`QUESTION_BUDGET` characters."""
    pieces = [_sentence(_capitalise(_shorten(n, NOTE_LIMIT))) for n in notes]
    out: list[str] = []
    length = 0
    for i, piece in enumerate(pieces):
        sep = 1 if out else 0
        if length + sep + len(piece) <= QUESTION_BUDGET:
            out.append(piece)
            length += sep + len(piece)
            continue
        after = len(pieces) - i - 1
        marker = _T[lang]["more"].format(n=after) if after else ""
        room = QUESTION_BUDGET - length - sep - (len(marker) + 1 if marker else 0)
        if room >= 40:
            out.append(_cut_words(piece, room))
        else:
            marker = _T[lang]["more"].format(n=after + 1)
        if marker:
            out.append(marker)
        break
    return " ".join(out)


# --------------------------------------------------------------------------- themes

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
        content, actions = _split_note(note)
        for piece in [content, *actions]:
            piece = _URL.sub(" ", piece)
            piece = _HASHTAG.sub(r"\1", piece)
            piece = _sentence(_clean(piece))
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
            forms[_clean(m.group(0))] += 1
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
        return _lang(default)
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


# --------------------------------------------------------------------------- conversation


def _who(d: ConversationDigest) -> str:
    extra = [p for p in (_clean(d.role), _clean(d.organisation or "")) if p]
    name = _clean(d.person_name) or "?"
    return f"{name} ({', '.join(extra)})" if extra else name


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        clean = _clean(item)
        key = fold(clean)
        if clean and key not in seen:
            seen.add(key)
            out.append(clean)
    return out


def _with_reason(base: str, why: str) -> str:
    why = _clean(why)
    return _sentence(f"{base}: {why}") if why else base + "."


def _reflection(d: ConversationDigest, lang: str) -> str:
    t = _T[lang]
    r = d.reflection
    parts: list[str] = []
    if r.value_both is not None:
        parts.append(_with_reason(t[f"value_{r.value_both}"], r.value_why))
    elif _clean(r.value_why):
        parts.append(_with_reason(t["value_none"], r.value_why))
    if r.motivated is not None:
        parts.append(_with_reason(t[f"mot_{r.motivated}"], r.motivated_why))
    elif _clean(r.motivated_why):
        parts.append(_with_reason(t["mot_none"], r.motivated_why))
    if _clean(r.success_line):
        name = _clean(d.person_name) or "?"
        parts.append(_with_reason(t["success"].format(name=name), r.success_line))
    if d.shared_own:
        parts.append(t["shared_own"])
    if not parts:
        return t["reflection_empty"]
    return f"{t['reflection']}: " + " ".join(parts)


def _attachments(kinds: list[str], lang: str) -> str | None:
    labels = _ATTACHMENT_LABELS[lang]
    counts: Counter[str] = Counter()
    order: list[str] = []
    for kind in kinds:
        key = kind.strip().lower()
        key = key if key in labels else ""
        if key not in counts:
            order.append(key)
        counts[key] += 1
    if not counts:
        return None
    parts = [_count(counts[k], *labels[k]) for k in order]
    return f"{_T[lang]['attachments']}: " + ", ".join(parts)


def _summary_core(d: ConversationDigest) -> Summary:
    """Note count, themes and follow-ups without the report text."""
    all_notes = [n for q in d.questions for n in q.notes if _clean(n)]
    lang = _lang(d.language)
    return Summary(
        text="",
        headline="",
        keywords=themes(all_notes, lang, person_name=d.person_name),
        note_count=len(all_notes),
        follow_ups=_dedupe([*d.follow_ups, *follow_ups_from(all_notes)]),
    )


def summarize_conversation(d: ConversationDigest, tz: ZoneInfo) -> Summary:
    """A short, colleague-style report of one open conversation, in ``d.language``."""
    lang = _lang(d.language)
    t = _T[lang]
    core = _summary_core(d)

    facts: list[str] = []
    if _clean(d.place):
        facts.append(_clean(d.place))
    facts.append(format_date(d.started_at, tz, lang))
    if d.ended_at is not None:
        duration = format_duration(d.ended_at - d.started_at, lang)
        if duration:
            facts.append(duration)
    facts.append(_count(core.note_count, t["note"], t["notes"]))
    headline = f"{t['heading'].format(who=_who(d))} — {', '.join(facts)}"

    blocks: list[str] = [headline]
    lines: list[str] = []
    skipped: list[str] = []
    for q in d.questions:
        contents = [c for c in (_split_note(n)[0] for n in q.notes) if c]
        title = _clean(q.title) or q.key
        if contents:
            sep = " " if title[-1:] in "?:" else ": "
            lines.append(f"• {title}{sep}{_condense(contents, lang)}")
        elif q.skipped:
            skipped.append(title)
    if skipped:
        lines.append(f"{t['skipped']}: " + " · ".join(skipped))
    if core.note_count == 0:
        blocks.append(t["no_notes"])
    elif core.keywords:
        blocks.append(f"{t['core']}: {', '.join(core.keywords)}")
    if lines:
        blocks.append("\n".join(lines))

    blocks.append(_reflection(d, lang))
    if core.follow_ups:
        blocks.append(
            f"{t['follow_ups']}:\n" + "\n".join(f"• {_cut_words(f, 200)}" for f in core.follow_ups)
        )
    attachments = _attachments(d.attachments, lang)
    if attachments:
        blocks.append(attachments)

    return Summary(
        text="\n\n".join(blocks),
        headline=headline,
        keywords=core.keywords,
        note_count=core.note_count,
        follow_ups=core.follow_ups,
    )


# --------------------------------------------------------------------------- community


def _definition(defn: CommunityDefinition | None, lang: str) -> str:
    t = _T[lang]
    if defn is None:
        return t["no_definition"]
    parts: list[str] = []
    if defn.known_person and _clean(defn.known_person):
        parts.append(f"{t['known_person']}: {_clean(defn.known_person)}")
    if defn.bond is not None:
        detail = _clean(defn.bond_detail)
        parts.append(f"{t['bond']}: {t[defn.bond]}" + (f" ({detail})" if detail else ""))
    chars = [c for c in (_clean(x) for x in defn.characteristics) if c]
    if chars:
        parts.append(f"{t['characteristics']}: " + ", ".join(chars))
    if defn.strength_each_other is not None:
        parts.append(f"{t['strength_each_other']} {defn.strength_each_other}/5")
    if defn.strength_library is not None:
        parts.append(f"{t['strength_library']} {defn.strength_library}/5")
    if not parts:
        return t["no_definition"]
    return f"{t['definition']}: " + "; ".join(parts) + "."


def summarize_community(c: CommunityDigest, tz: ZoneInfo) -> str:
    """Overview of a community: phase progress, definition, conversations, notes per tag."""
    lang = _lang(c.language)
    t = _T[lang]
    blocks: list[str] = [t["community"].format(name=_clean(c.name) or "?")]

    if c.phases:
        rows = []
        for p in c.phases:
            mark = " ✓" if p.total > 0 and p.done >= p.total else ""
            rows.append(f"• {_clean(p.title)}: {p.done}/{p.total}{mark}")
        blocks.append(f"{t['progress']}:\n" + "\n".join(rows))

    blocks.append(_definition(c.definition, lang))

    if c.conversations:
        rows = []
        ordered = sorted(c.conversations, key=lambda x: (x.started_at, fold(x.person_name)))
        for conv in ordered:
            who = _clean(conv.person_name) or "?"
            if _clean(conv.role):
                who += f" ({_clean(conv.role)})"
            row = f"• {format_date(conv.started_at, tz, lang)} — {who}"
            if conv.themes:
                row += ": " + ", ".join(conv.themes[:3])
            row += f" ({_count(conv.note_count, t['note'], t['notes'])})"
            rows.append(row)
        blocks.append(f"{t['conversations']} ({len(rows)}):\n" + "\n".join(rows))
    else:
        blocks.append(t["no_conversations"])

    tags = [(tag.lstrip("#"), n) for tag, n in c.tag_counts.items() if n > 0 and tag.strip("#")]
    if tags:
        tags.sort(key=lambda kv: (-kv[1], kv[0]))
        blocks.append(f"{t['tags']}: " + " · ".join(f"#{tag} {n}" for tag, n in tags))
    return "\n\n".join(blocks)
