"""The report's appendix, only when the librarian asks for it: every conversation's
transcript and every note, per community and without one, and rows of tables the report
has no section for. Without it, one line says where they are."""

from __future__ import annotations

from typing import Any

from bot.features.export.report_base import Writer
from bot.features.export.report_words import (
    conversation_title,
    media_words,
    question_text,
    turn_words,
)
from storage.membership import FORMER_AUTHOR


def appendix(w: Writer, skip: tuple[str, ...]) -> None:
    """Transcripts and notes at the end; `skip`: tables the report shows elsewhere."""
    data = w.data
    w.add("pagebreak", "")
    w.add("h", w.t("export_appendix"), level=2)
    for c in data["communities"]:
        w.add("h", c["name"], level=3)
        conversations(w, c.get("conversations") or [])
        notes(w, c.get("notes") or [])
        other(w, {k: v for k, v in (c.get("other") or {}).items() if k not in skip})
    if data.get("loose_notes") or data.get("loose_conversations"):
        w.add("h", w.t("export_loose"), level=3)
        conversations(w, data.get("loose_conversations") or [])
        notes(w, data.get("loose_notes") or [])
    # A link table without a community of its own (goal_links) lands here in the export of
    # everything; the report shows it already ("telt mee voor dit doel"), not as raw rows.
    other(w, {k: v for k, v in (data.get("other") or {}).items() if k not in skip})


def held_back(w: Writer) -> str | None:
    """What the appendix would hold that the librarian left out, in words ("1 gespreksverslag
    en 12 notities"); None when there is nothing."""
    data = w.data
    every = [*data["communities"], {"notes": data.get("loose_notes") or [],
                                    "conversations": data.get("loose_conversations") or []}]
    notes = sum(len(c.get("notes") or []) for c in every)
    talks = sum(len(c.get("conversations") or []) for c in every)
    parts = ([w.counted("export_left_transcripts", talks)] if talks else []) + (
        [w.counted("export_left_notes", notes)] if notes else [])
    return w.joined(parts) or None


def conversations(w: Writer, every: list[dict[str, Any]]) -> None:
    if not every:
        return
    w.add("h", w.t("export_conversations"), level=4)
    for conv in every:
        w.add("h", conversation_title(conv, w.t, w.day), level=5)
        if conv.get("place"):
            w.add("kv", conv["place"], label=w.t("export_place"))
        if conv.get("summary"):
            w.add("kv", conv["summary"], label=w.t("export_summary"))
        if conv["turns"] and not w.options.shareable:  # a shareable file holds no transcript
            w.add("p", w.t("export_transcript"))
        for turn in conv["turns"] if not w.options.shareable else []:
            moment = w.local(turn["created_at"])
            stamp = f"{moment:%H:%M}" if moment else ""
            question = question_text(w.catalog, turn.get("question"), w.lang)
            who, text = turn_words(turn, w.t, question)
            w.add("li", text, label=f"{stamp} {who}".strip())


def notes(w: Writer, every: list[dict[str, Any]]) -> None:
    if not every:
        return
    w.add("h", w.t("export_notes"), level=4)
    current = None
    for note in every:
        day = w.day(note["created_at"])
        if day != current:
            w.add("h", day, level=5)
            current = day
        moment = w.local(note["created_at"])
        label = " · ".join([f"{moment:%H:%M}" if moment else ""]
                           + ["#" + t for t in note["tags"]]
                           + author(w, note.get("author"))).strip(" ·")
        w.add("li", media_words(note, w.t) or note["text"] or "—", label=label)


def author(w: Writer, name: str | None) -> list[str]:
    """A colleague's name on their note in a shared community (one's own has none)."""
    if not name or name == w.data["librarian"]["name"]:
        return []
    return [w.t("former_colleague") if name == FORMER_AUTHOR else name]


def other(w: Writer, tables: dict[str, list[dict[str, Any]]]) -> None:
    for table, rows in tables.items():
        key = f"export_table_{table}"
        w.add("h", w.t(key) if key in w.catalog.texts else table, level=4)
        for row in rows:
            parts = [f"{k}: {v}" for k, v in row.items() if k != "id" and v not in (None, "")]
            w.add("li", "\n".join(parts) or "—")
