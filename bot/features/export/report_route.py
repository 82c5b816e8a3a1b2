"""The report's route: the method's phases as evidence of the way taken — the frame (phase
1), the definition (phase 3), other answers, and each phase's checklist with what its items
hold (a scan's findings, the answer given, or where a tick came from)."""

from __future__ import annotations

from typing import Any

from bot.features.export.report_base import Writer
from bot.features.export.report_words import checklists
from dialogs.kinds.checklist import TEXT_MARK
from dialogs.rules.holdings import Holding, answer_text

# Answers with a place of their own: the frame, the definition, the vision (page 1).
OWN_SECTIONS = ("phase1.", "phase3.", "vision.")


def route(w: Writer, c: dict[str, Any], holdings: dict[str, Holding]) -> None:
    w.add("h", w.t("export_route"), level=3)
    answers = {a["key"]: a["value"] for a in c.get("answers") or []
               if not a["key"].startswith("vision.")}
    held = _held(w, c, answers, holdings)
    ticked = {t["item"] for t in c.get("ticks") or []}
    frame = answers.pop("phase1.frame", None)
    if frame:
        w.add("h", w.t("export_frame"), level=4)
        w.add("p", frame)
    definition = [k for k in answers if k.startswith("phase3.")]
    if definition:
        w.add("h", w.t("export_definition"), level=4)
    for key in definition:
        w.add("kv", answer_value(w, key, answers.pop(key)), label=label(w, key))
    if answers:
        w.add("h", w.t("export_other_answers"), level=4)
    for key, value in answers.items():
        w.add("kv", answer_value(w, key, value), label=label(w, key))
    if not ticked and not held:
        w.add("p", w.t("export_route_none"))
        return
    for checklist, title, items in checklists(w.catalog, w.lang):
        done = sum(1 for item_id, _ in items if f"{checklist}.{item_id}" in ticked)
        w.add("h", f"{title} ({done}/{len(items)})", level=4)
        for item_id, text in items:
            key = f"{checklist}.{item_id}"
            w.add("li", text.removesuffix(TEXT_MARK), checked=key in ticked)
            for found in held.get(key, []):
                w.add("li", found, level=1)


def _held(w: Writer, c: dict[str, Any], answers: dict[str, str],
          holdings: dict[str, Holding]) -> dict[str, list[str]]:
    """Per item ("p2.themes"): the texts it holds, the answers shown under it (taken out of
    `answers`, so they don't appear again) or else where its tick came from."""
    out: dict[str, list[str]] = {}
    for row in c.get("item_texts") or []:
        out.setdefault(row["item"], []).append(row["text"])
    for key, holding in holdings.items():
        for answer, step in holding.shown:
            if answer.startswith(OWN_SECTIONS) or answer not in answers:
                continue
            found = answer_text(step, answers.pop(answer), w.lang)
            out.setdefault(key, []).extend([found] if found else [])
    for tick in c.get("ticks") or []:
        if tick.get("source") and not out.get(tick["item"]):
            out[tick["item"]] = [tick["source"]]
    return out


def label(w: Writer, key: str) -> str:
    text_key = "export_answer_" + key.replace(".", "_")
    return w.t(text_key) if text_key in w.catalog.texts else key


def answer_value(w: Writer, key: str, value: str) -> str:
    dialog_id, _, save = key.partition(".")
    dialog = w.catalog.dialogs.get(dialog_id)
    for step in dialog.steps.values() if dialog else []:
        if step.save == save:
            for option in step.options:
                if (option.value or option.id) == value:
                    return option.label.get(w.lang)
    return value
