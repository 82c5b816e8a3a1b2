"""The report's words for what a snapshot holds: checklists and questions by their titles,
notes and turns of a conversation as what they are ("Spraakbericht (0:42)"), shared by the
report's blocks (bot/features/export/report.py) and the Markdown and CSV writers."""

from __future__ import annotations

from typing import Any

from dialogs.catalog import Catalog
from dialogs.rules.spoken import shown_text


def checklists(catalog: Catalog, lang: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(checklist id, dialog title, [(item id, label)]) for every checklist, in phase order."""
    out = []
    for dialog in catalog.dialogs.values():
        for step in dialog.steps.values():
            if step.checklist:
                out.append((step.checklist, dialog.title.get(lang),
                            [(i.id, i.label.get(lang)) for i in step.items]))
    return sorted(out)


def question_text(catalog: Catalog, question: str | None, lang: str) -> str | None:
    if not question:
        return None
    for dialog in catalog.dialogs.values():
        for step in dialog.steps.values():
            for q in getattr(step, "questions", []):
                if q.id == question:
                    return str(q.text.get(lang))
    return question


MEDIA = ("photo", "voice", "audio", "video", "video_note", "document")


def media_words(row: dict[str, Any], t: Any) -> str | None:
    """A voice note, photo or document as what it is: its kind, its length or file name,
    and its caption ("Spraakbericht (0:42)", "Document ‘flyer.pdf’: rooster"); None for
    text."""
    kind = row.get("kind") or "text"
    if kind == "text":
        return None
    words = t(f"export_media_{kind}") if kind in MEDIA else t("export_media_other")
    if row.get("duration"):
        minutes, seconds = divmod(int(row["duration"]), 60)
        words += f" ({minutes}:{seconds:02d})"
    if row.get("media_name"):
        words += f" ‘{row['media_name']}’"
    # A voice note's transcript is marked 🎙, or says why there is none
    # (dialogs/rules/spoken.py).
    text = shown_text(row.get("text") or "", row.get("speech"), t)
    return f"{words}: {text}" if text else words


def turn_words(turn: dict[str, Any], t: Any, question: str | None) -> tuple[str, str]:
    """Who did what in a conversation, in words: (label, text)."""
    who = turn.get("who") or ""
    if who == "bot":
        return t("export_turn_question"), turn["text"] or "—"
    if who in ("librarian", "own"):
        # What she shared herself is hers ("Ik vertelde"); a quote she marked is ⭐.
        label = t("export_turn_own" if who == "own" else "export_turn_note") + (
            f" ({question})" if question else "") + (" ⭐" if turn.get("starred") else "")
        return label, media_words(turn, t) or turn["text"] or "—"
    mark = turn.get("text") or ""
    key = f"export_mark_{mark}"
    words = t(key) if mark in ("skipped", "shared", "end") else mark or "—"
    return "", words + (f" ({question})" if question and mark == "skipped" else "")


def conversation_title(conv: dict[str, Any], t: Any, day: Any) -> str:
    person = conv.get("person") or {}
    name = person.get("name") or "—"
    return t("export_conversation", name=name, day=day(conv.get("started_at")))
