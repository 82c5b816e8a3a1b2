""""Wat we hoorden": what the people of one community said, brought together per question.

Phase 5 formulates the vision from what phase 4's conversations taught; this puts those
conversations side by side. Per question of the live step (in its order): each person's own
words (their notes on it; ⭐ marked ones first), with their name and the conversation's date,
newest conversation first; which themes recur across people (two or more different people's
notes give it; themes as dialogs/rules/summary/themes.py finds them: nouns, lemmatised); the
reflection's two judgements counted over the conversations; questions nobody was asked yet.

Pure: the caller (bot/features/talk/heard.py) reads storage and passes plain records; texts
come from definitions/talk/texts_heard.yaml. Long output comes as pages within Telegram's
limit, cut between lines (a section carried over repeats its heading).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from dialogs.catalog import DEFINITIONS, read_yaml
from dialogs.model import Text
from dialogs.replies import MAX_TEXT
from dialogs.rules.dates import day_month, short_date
from dialogs.rules.summary import words
from dialogs.rules.summary.themes import themes
from search.terms import fold

TEXTS_FILE = DEFINITIONS / "talk" / "texts_heard.yaml"
PREFIX = "heard_"
GENERAL = ""  # the question of notes taken while no question was chosen
PAGE = MAX_TEXT - 200  # room for the page's heading and number
CANDIDATES = 15  # themes of all notes together considered for recurring
SHOWN = 6  # recurring themes shown
JUDGED = ("yes", "not_yet", "no")
NAMED = 6  # people named with a recurring theme; more are counted


@dataclass(frozen=True)
class Said:
    """One note the librarian took of what the person said."""

    question: str  # a live question's id, or GENERAL
    text: str
    starred: bool = False


@dataclass(frozen=True)
class Talked:
    """One conversation: who (a person's id keeps two Fatimas apart), when, what was said."""

    person_id: int
    person: str
    started_at: datetime
    said: list[Said] = field(default_factory=list)
    value_both: str | None = None  # "yes", "not_yet", "no" or None (not answered)
    motivated: str | None = None
    author: str = ""  # a colleague's name (or "een oud-collega"); "" for the reader's own


@dataclass(frozen=True)
class Question:
    id: str
    text: str  # the question as asked, the heading when the texts have none for it


@dataclass(frozen=True)
class Recurring:
    theme: str
    people: list[str]


@dataclass(frozen=True)
class Heard:
    pages: list[str]
    short: str  # one paragraph for above the vision's first question ("" without talks)
    recurring: list[Recurring]


@lru_cache(maxsize=2)
def texts(lang: str) -> dict[str, str]:
    raw = read_yaml(TEXTS_FILE)
    return {key[len(PREFIX):]: Text.model_validate(value).get("en" if lang == "en" else "nl")
            for key, value in raw.items() if key.startswith(PREFIX)}


def heard(community: str, questions: list[Question], talks: list[Talked], lang: str,
          zone: ZoneInfo, names: Iterable[str] = ()) -> Heard:
    """What the community said, as pages; `names` (places, the librarian) are never themes."""
    t = texts(lang)
    title = t["title"].format(community=community)
    if not talks:
        return Heard([f"{title}\n\n{t['none'].format(community=community)}"], "", [])
    # Newest first; on the same moment, the one recorded later (the callers' order) first.
    talks = sorted(reversed(talks), key=lambda c: c.started_at, reverse=True)
    recurring = recurring_themes(talks, lang, names)
    blocks = [[_span(talks, t, lang, zone)], _recurring_block(recurring, t),
              [_judged(t["value"], talks, "value_both", t),
               _judged(t["motivated"], talks, "motivated", t)]]
    asked = {s.question for c in talks for s in c.said}
    missing = [_heading(q, t) for q in questions if q.id not in asked]
    if missing:
        blocks.append([f"{t['not_asked']}: " + " · ".join(missing)])
    for question in [*questions, Question(GENERAL, t["q_general"])]:
        lines = _answers(question.id, talks, lang, zone)
        if lines:
            blocks.append([_heading(question, t), *lines])
    return Heard(paged(title, blocks, t["continued"], t["page"]),
                 _short(talks, recurring, t), recurring)


def _heading(question: Question, t: dict[str, str]) -> str:
    return t.get(f"q_{question.id}") or question.text


def _span(talks: list[Talked], t: dict[str, str], lang: str, zone: ZoneInfo) -> str:
    first = short_date(talks[-1].started_at, zone, lang)
    if len(talks) == 1:
        return t["span_one"].format(first=first)
    people = len({c.person_id for c in talks})
    said = t["people_one"] if people == 1 else t["people"].format(n=people)
    last = short_date(talks[0].started_at, zone, lang)
    key = "span" if last != first else "span_day"
    return t[key].format(count=len(talks), people=said, first=first, last=last)


def _recurring_block(recurring: list[Recurring], t: dict[str, str]) -> list[str]:
    if not recurring:
        return [f"{t['recurring']}: {t['recurring_none']}"]
    return [t["recurring"], *(f"• {r.theme} — {_people(r.people, t)}" for r in recurring)]


def _people(people: list[str], t: dict[str, str], most: int = NAMED) -> str:
    """"Fatima, Ahmed, Mariam", or the first few and "+ 4 anderen"."""
    if len(people) <= most:
        return ", ".join(people)
    return ", ".join(people[:most]) + " " + t["others"].format(n=len(people) - most)


def _judged(label: str, talks: list[Talked], key: str, t: dict[str, str]) -> str:
    """"Meerwaarde voor beide partijen: 2 ja, 1 nog niet (Ahmed)"."""
    parts = []
    for answer in JUDGED:
        who = [c.person for c in talks if getattr(c, key) == answer]
        if who:
            named = f" ({', '.join(dict.fromkeys(who))})" if answer != "yes" else ""
            parts.append(f"{len(who)} {t[answer]}{named}")
    return f"{label}: {', '.join(parts) if parts else t['unjudged']}"


def _answers(question: str, talks: list[Talked], lang: str, zone: ZoneInfo) -> list[str]:
    """A line per conversation with notes on `question`, newest first; ⭐ notes first."""
    lines = []
    for talk in talks:
        said = [s for s in talk.said if s.question == question and s.text.strip()]
        if not said:
            continue
        said.sort(key=lambda s: not s.starred)  # stable: the order they were noted otherwise
        who = f"{talk.person}, {day_month(talk.started_at.astimezone(zone).date(), lang)}"
        if talk.author:
            who += f" ({talk.author})"
        notes = " · ".join(("⭐ " if s.starred else "") + " ".join(s.text.split()) for s in said)
        lines.append(f"• {who}: {notes}")
    return lines


def _short(talks: list[Talked], recurring: list[Recurring], t: dict[str, str]) -> str:
    count = t["conversations_one"] if len(talks) == 1 else t["conversations"].format(
        n=len(talks))
    if recurring:
        shown = [f"{r.theme} ({_people(r.people, t, 3)})" for r in recurring[:3]]
        joined = shown[0] if len(shown) == 1 else (
            f"{', '.join(shown[:-1])} {t['and']} {shown[-1]}")
        said = t["short_recurring"].format(themes=joined)
    else:
        said = t["short_none"]
    value = _judged(t["value"], talks, "value_both", t)
    return f"{t['short'].format(count=count, recurring=said)} {value}."


# recurring themes ------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def _keys(text: str, lang: str) -> list[str]:
    return [fold(words.lemma(w, lang)) for w in _WORD.findall(text)]


def recurring_themes(talks: list[Talked], lang: str, names: Iterable[str] = ()) -> list[Recurring]:
    """Themes of everyone's notes together that two or more different people's notes give,
    most people first; each with the people who gave it, in the order first met (`talks`
    newest first)."""
    notes = [s.text for c in talks for s in c.said]
    people = [c.person for c in talks]
    candidates = themes(notes, lang, top=CANDIDATES, names=[*people, *names])
    spoken: dict[int, set[tuple[str, ...]]] = {}
    named: dict[int, str] = {}
    for talk in reversed(talks):  # newest first: so the people in the order first met
        grams = spoken.setdefault(talk.person_id, set())
        named.setdefault(talk.person_id, talk.person)
        for s in talk.said:
            keys = _keys(s.text, lang)
            grams.update((k,) for k in keys)
            grams.update(zip(keys, keys[1:], strict=False))
    found = []
    for rank, theme in enumerate(candidates):
        key = tuple(_keys(theme, lang))
        who = [named[p] for p, grams in spoken.items() if key and key in grams]
        if len(who) >= 2:
            found.append((-len(who), rank, Recurring(theme, who)))
    return [r for *_, r in sorted(found, key=lambda x: (x[0], x[1]))][:SHOWN]


# pages -----------------------------------------------------------------------------------

def paged(title: str, blocks: list[list[str]], continued: str, numbered: str,
          limit: int = PAGE) -> list[str]:
    """Blocks (a heading and its lines) packed into pages of at most `limit` characters,
    blank lines between blocks; a block carried over repeats its heading, a line longer than
    a page is cut between words. Pages after the first say which they are."""
    pages: list[list[str]] = [[]]
    used = 0

    def put(line: str, gap: bool, heading: str | None) -> None:
        nonlocal used
        cost = len(line) + (2 if gap else 1)
        if pages[-1] and used + cost > limit:
            pages.append([])
            used = 0
            if heading is not None and line != heading:
                pages[-1].append(f"{heading} {continued}")
                used = len(pages[-1][0]) + 1
            gap = False
        pages[-1].append(("\n" if gap and pages[-1] else "") + line)
        used += cost

    for block in blocks:
        heading = block[0] if len(block) > 1 else None
        for index, line in enumerate(block):
            # Room on the next page for its heading and a carried-over section's heading.
            for piece in _pieces(line, max(limit - 200, limit // 2)):
                put(piece, index == 0, heading)
    total = len(pages)
    out = []
    for number, lines in enumerate(pages, start=1):
        head = title if total == 1 else f"{title} {numbered.format(n=number, total=total)}"
        out.append(head + "\n\n" + "\n".join(lines))
    return out


def _pieces(line: str, limit: int) -> list[str]:
    """`line` cut between words into pieces of at most `limit` characters."""
    out = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit)
        cut = cut if cut > limit // 2 else limit
        out.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    out.append(line)
    return out
