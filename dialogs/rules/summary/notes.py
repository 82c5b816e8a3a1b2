"""Notes as the summaries show them: cleaned, split from their follow-ups, shortened."""

from __future__ import annotations

import re
import unicodedata

from dialogs.rules.summary.texts import texts

#: Longest condensed text per question line (characters, excluding the title).
QUESTION_BUDGET = 300
#: Notes longer than this are cut back to their first sentence(s).
NOTE_LIMIT = 160

_WS = re.compile(r"\s+")
_FOLLOW_UP = re.compile(r"(?is)^\s*(?:to[\s-]?do|actie|action)\s*:\s*(?P<rest>.*?)\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_TERMINAL = ".!?…:;"
_ENDS_WITH_TAG = re.compile(r"(?<![\w/#&])#\w+$")


def clean(text: str) -> str:
    """NFC, whitespace collapsed to single spaces, stripped."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def split_note(note: str) -> tuple[str, list[str]]:
    """Split a note into its content and the follow-ups marked on its own lines."""
    content: list[str] = []
    actions: list[str] = []
    for line in unicodedata.normalize("NFC", note).splitlines():
        m = _FOLLOW_UP.match(line)
        if m:
            rest = clean(m.group("rest"))
            if rest:
                actions.append(rest)
        else:
            content.append(line)
    return clean(" ".join(content)), actions


def follow_ups_from(notes: list[str]) -> list[str]:
    """Follow-ups marked in notes: lines starting with todo:/to do:/actie:/action: (any case).

    Returns the text after the marker, in order, empty ones dropped.
    """
    out: list[str] = []
    for note in notes:
        out.extend(split_note(note)[1])
    return out


def sentence(text: str) -> str:
    """``text`` with terminal punctuation added if missing."""
    text = text.strip()
    if not text:
        return text
    if _ENDS_WITH_TAG.search(text):  # "… begeleiding #vrijwilligers." ends the sentence too
        return text + "."
    return text if text[-1] in _TERMINAL or text[-1] in "\"')»”" else text + "."


def _capitalise(text: str) -> str:
    """Upper-case the first letter unless the first word already has capitals (``iPad``)."""
    if not text:
        return text
    first = text.split(" ", 1)[0]
    if first != first.lower():
        return text
    return text[0].upper() + text[1:]


def as_sentence(text: str) -> str:
    """A note or item text as a sentence of its own: capital first, terminal punctuation."""
    return sentence(_capitalise(text))


def cut_words(text: str, limit: int) -> str:
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
    return cut_words(text, limit)


def condense(notes: list[str], lang: str) -> str:
    """Join a question's notes into one line of at most :data:`QUESTION_BUDGET` characters."""
    pieces = [as_sentence(_shorten(n, NOTE_LIMIT)) for n in notes]
    out: list[str] = []
    length = 0
    for i, piece in enumerate(pieces):
        sep = 1 if out else 0
        if length + sep + len(piece) <= QUESTION_BUDGET:
            out.append(piece)
            length += sep + len(piece)
            continue
        after = len(pieces) - i - 1
        marker = texts(lang)["more"].format(n=after) if after else ""
        room = QUESTION_BUDGET - length - sep - (len(marker) + 1 if marker else 0)
        if room >= 40:
            out.append(cut_words(piece, room))
        else:
            marker = texts(lang)["more"].format(n=after + 1)
        if marker:
            out.append(marker)
        break
    return " ".join(out)
