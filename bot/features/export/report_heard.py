""""Wat we hoorden" in the report, as /samenvatting's 👂 shows it: what recurs across people
(with who said it), then per question of the method what each person said (⭐ first), and
the conversations in brief: when, with whom, where and how many notes; then the ⭐ quotes
page 1 had no room for ("Meer citaten").

The recurring themes come from dialogs/rules/heard.py, the same rule the chat uses.
"""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import Any

from bot.features.export.report_base import Writer
from bot.features.export.report_glance import QUOTES, quoted, quotes
from dialogs.rules.heard import GENERAL, Said, Talked, recurring_themes, texts
from dialogs.rules.summary.notes import sentence

BRIEF_CHARS = 160


def _notes(conv: dict[str, Any]) -> list[dict[str, Any]]:
    """The librarian's notes of what the person said (not what she shared herself)."""
    return [t for t in conv.get("turns") or []
            if t.get("who") == "librarian" and (t.get("text") or "").strip()]


def talked(conversations: list[dict[str, Any]]) -> list[Talked]:
    """The conversations as the rule takes them, newest first; a forgotten person's left out."""
    out = []
    for conv in conversations:
        person = conv.get("person") or {}
        if not person.get("name") or not conv.get("started_at"):
            continue
        ident = person.get("id")
        out.append(Talked(
            person_id=int(ident) if ident is not None else zlib.crc32(
                person["name"].casefold().encode()),
            person=person["name"], started_at=datetime.fromisoformat(conv["started_at"]),
            said=[Said(t.get("question") or GENERAL, t["text"], bool(t.get("starred")))
                  for t in _notes(conv)]))
    return sorted(out, key=lambda c: c.started_at, reverse=True)


def heard(w: Writer, c: dict[str, Any]) -> None:
    conversations = c.get("conversations") or []
    w.add("h", w.t("export_heard"), level=3)
    talks = talked(conversations)
    if not talks:
        w.add("p", w.t("export_heard_none"))
        brief(w, conversations)
        more(w, c)
        return
    said = texts(w.lang)
    names = [w.data["librarian"]["name"] or "", *(v.get("place") or "" for v in conversations)]
    recurring = recurring_themes(talks, w.lang, [n for n in names if n])
    w.add("h", said["recurring"], level=4)
    if not recurring:
        w.add("p", said["recurring_none"])
    for found in recurring:
        w.add("li", f"{found.theme} — {w.joined(found.people)}")
    live = w.catalog.dialogs.get("talk")
    questions = [(q.id, said.get(f"q_{q.id}") or q.text.get(w.lang))
                 for q in (live.step("live").questions if live else [])]
    for question, heading in [*questions, (GENERAL, said["q_general"])]:
        lines = _answers(w, question, talks)
        if lines:
            w.add("h", heading, level=4)
            for label, text in lines:
                w.add("li", text, label=label)
    brief(w, conversations)
    more(w, c)


def more(w: Writer, c: dict[str, Any]) -> None:
    """The ⭐ quotes page 1 had no room for."""
    rest = quotes(c, w.zone)[QUOTES:]
    if rest:
        w.add("h", w.t("export_quotes_rest"), level=4)
    for quote in rest:
        w.add("li", quoted(w, quote))


def _answers(w: Writer, question: str, talks: list[Talked]) -> list[tuple[str, str]]:
    lines = []
    for talk in talks:
        notes = sorted((s for s in talk.said if s.question == question),
                       key=lambda s: not s.starred)
        if notes:
            text = " · ".join(("⭐ " if s.starred else "") + " ".join(s.text.split())
                              for s in notes)
            lines.append((f"{talk.person}, {w.day(talk.started_at.isoformat())}:", text))
    return lines


def brief(w: Writer, conversations: list[dict[str, Any]]) -> None:
    """One line per conversation, as a register of the work: when, with whom, where and how
    many notes (with ⭐). What was said stands under the questions above, so it is not
    repeated; only a conversation whose notes are not there (nobody named) shows its first
    line."""
    if not conversations:
        return
    w.add("h", w.t("export_brief"), level=4)
    for conv in sorted(conversations, key=lambda v: v.get("started_at") or ""):
        person = conv.get("person") or {}
        extra = ", ".join(x for x in (person.get("role"), person.get("organisation")) if x)
        name = (person.get("name") or "?") + (f" ({extra})" if extra else "")
        notes = _notes(conv)
        parts = [name] + ([conv["place"]] if conv.get("place") else [])
        if not notes:
            parts.append(w.t("export_brief_nothing"))
        else:
            stars = sum(1 for t in notes if t.get("starred"))
            counted = w.counted("export_brief_notes", len(notes))
            parts.append(counted + (", " + w.counted("export_brief_stars", stars)
                                    if stars else ""))
        shown = bool(person.get("name") and conv.get("started_at"))  # under the questions
        if notes and not shown:
            parts.append(_first_sentence(notes[0]["text"]))
        w.add("li", " · ".join(parts), label=w.day(conv.get("started_at")) + ":")


def _first_sentence(text: str) -> str:
    """The note's first sentence, whole words, at most BRIEF_CHARS."""
    flat = " ".join(text.split())
    for end in (". ", "! ", "? "):
        if end in flat:
            flat = flat[:flat.index(end) + 1]
    if len(flat) > BRIEF_CHARS:
        flat = flat[:BRIEF_CHARS].rsplit(" ", 1)[0] + " …"
    return flat if flat.endswith("…") else sentence(flat)
