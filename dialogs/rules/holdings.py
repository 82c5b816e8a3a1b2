"""What each checklist item holds, read from the definitions: texts (a phase 2 scan's
findings, phase 6's agreements: entries steps), an answer (phase 1's frame, phase 3's known
person: question steps), shown under the item in the chat (fieldwork), in summaries and in
exports."""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.catalog import Catalog
from dialogs.model import Step, Text


@dataclass(frozen=True)
class Holding:
    """How one checklist item holds text, read from the definitions."""

    item: str  # "p2.themes"
    label: Text
    phase: Text  # the title of the checklist's dialog
    entries: bool  # several texts, kept by an entries step
    answer: str | None  # the answer key a typed text is filed under ("phase1.frame")
    shown: tuple[tuple[str, Step], ...]  # (answer key, step) of every answer shown under it


def holdings(catalog: Catalog) -> dict[str, Holding]:
    """Every checklist item, with where its texts and answers live."""
    filling: dict[str, list[tuple[str, Step]]] = {}
    for dialog in catalog.dialogs.values():
        for step in dialog.steps.values():
            if step.ticks and step.save and step.kind in ("question", "choice"):
                filling.setdefault(step.ticks, []).append((f"{dialog.id}.{step.save}", step))
    out: dict[str, Holding] = {}
    for dialog in catalog.dialogs.values():
        for step in dialog.steps.values():
            for item in step.items if step.checklist else []:
                key = f"{step.checklist}.{item.id}"
                asked = dialog.steps.get(item.ask) if item.ask else None
                shown = list(filling.get(key, []))
                answer = None
                if asked is not None and asked.save and asked.kind in ("question", "choice"):
                    answer = f"{dialog.id}.{asked.save}"
                    if all(a != answer for a, _ in shown):
                        shown.insert(0, (answer, asked))
                out[key] = Holding(
                    item=key, label=item.label, phase=dialog.title,
                    entries=asked is not None and asked.holds == key,
                    answer=answer if asked is not None and asked.kind == "question" else None,
                    shown=tuple(shown))
    return out


def answer_text(step: Step, value: str, lang: str) -> str | None:
    """An answer as the librarian gave it: typed text, or the label of the option tapped
    (not for a 1–5 scale: a bare number says little under an item)."""
    if step.kind == "question":
        return value
    option = next((o for o in step.options if (o.value or o.id) == value), None)
    if option is None:
        return None
    label = option.label.get(lang)
    return None if len(label) <= 3 else label
