"""The report's route: the method's phases as evidence of the way taken — each phase's
checklist with what its items hold: the frame under "Kapstok in eigen woorden", the
definition's answers under phase 3's items, a scan's findings, or where a tick came from.
Each answer once, in words: a tapped choice as its words without the button's emoji
("Vooral verbonden door: affiniteit"), a 1–5 scale with what its ends mean ("1 van 5
(nauwelijks)"). Answers no item holds follow under "Andere antwoorden"."""

from __future__ import annotations

import re
from typing import Any

from bot.features.export.report_base import Writer
from bot.features.export.report_words import checklists
from dialogs.kinds.checklist import TEXT_MARK
from dialogs.model import Step
from dialogs.rules.holdings import Holding

# The vision has its place on page 1.
OWN_SECTIONS = ("vision.",)
_EMOJI = re.compile(r"^[^\w(“‘\"']+")
_SCALE_END = re.compile(r"(\d+)\s*=\s*([^,.;\n]+)")


def route(w: Writer, c: dict[str, Any], holdings: dict[str, Holding]) -> None:
    w.add("h", w.t("export_route"), level=3)
    answers = {a["key"]: a["value"] for a in c.get("answers") or []
               if not a["key"].startswith(OWN_SECTIONS)}
    held = _held(w, c, answers, holdings)
    ticked = {t["item"] for t in c.get("ticks") or []}
    if not ticked and not held and not answers:
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
    if answers:
        w.add("h", w.t("export_other_answers"), level=4)
    for key, value in answers.items():
        w.add("kv", answer_value(w, key, value), label=label(w, key))


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
            said = step_words(w, answer, step, answers.pop(answer))
            named = "export_answer_" + answer.replace(".", "_")
            words = w.t(named) if named in w.catalog.texts else ""
            if words.casefold() == holding.label.get(w.lang).casefold():
                words = ""  # "Iemand die je al kent" says it already
            out.setdefault(key, []).append(f"{words}: {said}" if words else said)
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
            return step_words(w, key, step, value)
    return value


def step_words(w: Writer, key: str, step: Step, value: str) -> str:
    """An answer in words: typed text as typed; a tapped option as its words ("ja",
    "affiniteit"), a scale's number with what it means ("1 van 5 (nauwelijks)")."""
    if step.kind != "choice":
        return value
    option = next((o for o in step.options if (o.value or o.id) == value), None)
    if option is None:
        return value
    own = f"export_choice_{key.replace('.', '_')}_{option.id}"
    if own in w.catalog.texts:
        return w.t(own)
    ids = [o.id for o in step.options]
    if all(i.isdigit() for i in ids):
        ends = {int(n): words.strip() for n, words in _SCALE_END.findall(step.text.get(w.lang))}
        said = w.t("export_scale", value=value, most=max(map(int, ids)))
        meaning = ends.get(int(value))
        return f"{said} ({meaning})" if meaning else said
    words = _EMOJI.sub("", option.label.get(w.lang)).strip()
    return words[:1].lower() + words[1:]
