"""How a conversation starts and what it leaves behind, for the talk feature
(bot/features/talk/feature.py):
reading "name, role, organisation, place" from one line, the questions a follow-up still
has to cover, and the phase 4 items a finished conversation ticks, with their sources."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dialogs.validators import visible
from storage.talk import NOTES, Conversation, TranscriptTurn

# The longest name, role, organisation and place a line may give (as the dialog asks).
LIMITS = {"name": 120, "role": 120, "organisation": 160, "place": 160}


@dataclass(frozen=True)
class PersonLine:
    """Who the librarian talks with, as typed: "Fatima, voorzitter, Vrouwen van de Wijk"."""

    name: str
    role: str | None = None
    organisation: str | None = None
    place: str | None = None


@dataclass(frozen=True)
class Refused:
    """Why a line can't be a person: a text key and its parameters."""

    key: str
    params: dict[str, str]


def read_person(line: str) -> PersonLine | Refused:
    """Name, then role, organisation and place, separated by commas; all but the name may be
    left out. Commas after the third belong to the place ("buurthuis, zaal 2")."""
    parts = [" ".join(p.split()) for p in line.split(",")]
    name, role, organisation = (parts + ["", "", ""])[:3]
    place = ", ".join(p for p in parts[3:] if p)
    if not name:
        return Refused("person_name_missing", {})
    if not visible(name):  # the same check as every name typed in a dialog
        return Refused("invalid_invisible", {})
    found = {"name": name, "role": role, "organisation": organisation, "place": place}
    for field, limit in LIMITS.items():
        if len(found[field]) > limit:
            return Refused(f"person_{field}_long", {"length": str(len(found[field])),
                                                    "max": str(limit)})
    return PersonLine(name=name, role=role or None, organisation=organisation or None,
                      place=place or None)


def notes_of(turns: Sequence[TranscriptTurn]) -> list[TranscriptTurn]:
    """A conversation's notes: everything the librarian typed, dictated or sent, what the
    person said and what she shared herself (one count for its own summary and for the
    community's)."""
    return [t for t in turns if t.who in NOTES]


def said_by_person(turns: Sequence[TranscriptTurn]) -> list[TranscriptTurn]:
    """The notes of what the person said (her own left out): the answers to the questions."""
    return [t for t in turns if t.who == "librarian"]


@dataclass(frozen=True)
class FollowUp:
    """A conversation with someone met before: what earlier ones covered."""

    last: Conversation
    open: list[str]  # question ids without notes in any earlier conversation, in order
    covered: int


def follow_up(order: list[str], earlier: list[Conversation],
              transcript: Callable[[int], list[TranscriptTurn]]) -> FollowUp | None:
    """None for a first conversation; else which questions are still open."""
    if not earlier:
        return None
    noted = {t.question for c in earlier for t in said_by_person(transcript(c.id))
             if t.question}
    still = [q for q in order if q not in noted]
    return FollowUp(last=earlier[-1], open=still, covered=len(order) - len(still))


def listed(numbers: list[int], joiner: str) -> str:
    """1, 2 and 3 ("en"/"and" as `joiner`)."""
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {joiner} {words[-1]}"


@dataclass(frozen=True)
class Tick:
    item: str  # "p4.meet"
    source: str  # where it came from, in the librarian's words


NOT_YET = "not_yet"  # the reflection's "Nog niet" (talk.yaml)


def phase4_ticks(conversation: Conversation, notes: int, t: Callable[..., str],
                 day: str, answer: Callable[[str], str]) -> list[Tick]:
    """The phase 4 items a finished conversation with notes ticks, and why."""
    if notes == 0:
        return []
    person = conversation.person_name or "?"
    extra = ", ".join(p for p in (conversation.person_role, conversation.person_org) if p)
    ticks = [Tick("p4.meet", f"{person} ({extra})" if extra else person),
             Tick("p4.open", t("p4_source_open", person=person, day=day))]
    if conversation.shared_own:
        ticks.append(Tick("p4.share", t("p4_source_share", person=person)))
    reflection = conversation.reflection
    for key, item in (("value_both", "p4.value"), ("motivated", "p4.motivated")):
        # "Nog niet" leaves it open: the question is not settled yet.
        if reflection.get(key) and reflection.get(key) != NOT_YET:
            why = " ".join(str(reflection.get(key.replace("_both", "") + "_why", "")).split())
            said = answer(str(reflection[key]))
            ticks.append(Tick(item, f"{said}: {why}" if why else said))
    return ticks
