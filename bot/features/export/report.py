"""The export report as a list of blocks, in the librarian's language and time zone.

Built once from a snapshot (storage/export.py), then written as Markdown or Word by
bot/features/export/files.py, so both always show the same content.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from bot.app.users import zone_named, zone_words
from bot.features.export.report_goals import brief, chart_data, goal_pace
from bot.features.export.report_together import TABLES as TOGETHER
from bot.features.export.report_together import together
from bot.features.export.report_words import (
    checklists,
    conversation_title,
    media_words,
    question_text,
    turn_words,
)
from dialogs.catalog import Catalog
from dialogs.kinds.checklist import TEXT_MARK
from dialogs.rules.dates import day_month_year
from dialogs.rules.goals.smart import format_number
from dialogs.rules.holdings import answer_text, holdings
from storage.membership import FORMER_AUTHOR

# Answers with a section of their own in the report: the frame, the definition, the vision.
OWN_SECTIONS = ("phase1.", "phase3.", "vision.")


@dataclass(frozen=True)
class Block:
    kind: Literal["h", "p", "kv", "li", "meta", "chart"]
    text: str
    level: int = 0
    label: str = ""
    checked: bool | None = None
    # a goal's chart as plain numbers (bot/features/export/report_goals.py)
    chart: dict[str, Any] | None = None


class Report:
    """Turns a snapshot into blocks, in the user's language and time zone."""

    def __init__(self, data: dict[str, Any], catalog: Catalog) -> None:
        self.data = data
        self.catalog = catalog
        self.holdings = holdings(catalog)
        self.lang = data["librarian"]["language"]
        self.zone = zone_named(data["librarian"]["timezone"])
        self.blocks: list[Block] = []
        # The pace as on the day of the export (a pure function of the data).
        self.today = datetime.fromisoformat(data["exported_at"]).astimezone(self.zone).date()

    def t(self, key: str, **params: object) -> str:
        return self.catalog.text(key, self.lang, **params)

    def add(self, kind: Literal["h", "p", "kv", "li", "meta", "chart"], text: str,
            **kw: Any) -> None:
        self.blocks.append(Block(kind, text, **kw))

    def local(self, stamp: str | None) -> datetime | None:
        return datetime.fromisoformat(stamp).astimezone(self.zone) if stamp else None

    def day(self, stamp: str | None) -> str:
        moment = self.local(stamp)
        return day_month_year(moment.date(), self.lang) if moment else "—"

    def build(self) -> list[Block]:
        data = self.data
        self.add("h", self.t("export_title", name=data["librarian"]["name"] or "—"), level=1)
        made = self.local(data["exported_at"])
        self.add("meta", self.t("export_made", day=self.day(data["exported_at"]),
                                time=f"{made:%H:%M}" if made else "—",
                                zone=zone_words(data["librarian"]["timezone"], self.t,
                                               self.lang)))
        empty = not data["communities"] and not data.get("loose_notes") \
            and not data.get("loose_conversations") and not data.get("other")
        if empty:
            self.add("p", self.t("export_empty"))
        for community in data["communities"]:
            self.community(community)
        if data.get("loose_notes") or data.get("loose_conversations"):
            self.add("h", self.t("export_loose"), level=2)
            self.conversations(data.get("loose_conversations", []))
            self.notes(data.get("loose_notes", []))
        self.other(data.get("other", {}), level=2)
        return self.blocks

    def community(self, c: dict[str, Any]) -> None:
        self.add("h", c["name"], level=2)
        if c.get("theme"):
            self.add("kv", c["theme"], label=self.t("export_theme"))
        answers = {a["key"]: a["value"] for a in c["answers"]}
        # What the checklist items hold is shown under them (phases below).
        held = self.held(c, answers)
        # The vision dialog keeps its answers as it goes; the vision table has the result.
        vision_answers = {k.partition(".")[2]: answers.pop(k) for k in list(answers)
                          if k.startswith("vision.")}
        self.frame_and_definition(answers)
        brief(c.get("conversations", []), self.add, self.t, self.day)
        if answers:
            self.add("h", self.t("export_other_answers"), level=3)
            for key, value in answers.items():
                self.add("kv", self.answer_value(key, value), label=self.label(key))
        self.phases({t["item"] for t in c["ticks"]}, held)
        self.people(c.get("people") or [])
        self.conversations(c.get("conversations", []))
        self.notes(c["notes"])
        self.vision(c.get("vision") or vision_answers, c.get("goals", []))
        other = dict(c.get("other", {}))
        together(c, other, self.add, self.t, self.lang)
        self.other({k: v for k, v in other.items() if k not in TOGETHER}, level=3)

    def frame_and_definition(self, answers: dict[str, Any]) -> None:
        """The frame (phase 1) and the definition (phase 3), taken out of `answers`."""
        self.add("h", self.t("export_frame"), level=3)
        self.add("p", answers.pop("phase1.frame", None) or self.t("export_not_yet"))
        self.add("h", self.t("export_definition"), level=3)
        definition = [k for k in answers if k.startswith("phase3.")]
        if not definition:
            self.add("p", self.t("export_not_yet"))
        for key in definition:
            self.add("kv", self.answer_value(key, answers.pop(key)), label=self.label(key))

    def people(self, people: list[dict[str, Any]]) -> None:
        if not people:
            return
        self.add("h", self.t("export_people"), level=3)
        for p in people:
            extra = ", ".join(x for x in (p.get("role"), p.get("organisation")) if x)
            self.add("li", p["name"] + (f" ({extra})" if extra else ""))

    def vision(self, vision: dict[str, Any], goals: list[dict[str, Any]]) -> None:
        parts = [(k, vision.get(k)) for k in ("library_goal", "participant_goal", "vision",
                                              "formulated_with")]
        if not goals and not any(v for _, v in parts):
            return
        self.add("h", self.t("export_vision_goals"), level=3)
        for key, value in parts:
            if value:
                self.add("kv", value, label=self.t(f"export_vision_{key}"))
        for goal in goals:
            self.goal(goal)

    def goal(self, goal: dict[str, Any]) -> None:
        """One SMART goal: its numbers, deadline, pace and chart, and its progress."""
        self.add("h", goal["specific"], level=4)
        progress = goal.get("progress") or []
        current = progress[-1]["value"] if progress else goal["baseline"]
        # A goal stored before numbers were checked may hold inf: no share, pace or chart.
        sound = all(math.isfinite(float(v)) for v in (goal["baseline"], goal["target"],
                                                      current))
        span = goal["target"] - goal["baseline"] if sound else 0
        share = round(100 * (current - goal["baseline"]) / span) if span else 0
        self.add("kv", self.t("export_goal_measure", metric=goal["metric"],
                              baseline=_num(goal["baseline"], self.lang),
                              target=_num(goal["target"], self.lang),
                              current=_num(current, self.lang),
                              percent=max(0, min(share, 100))),
                 label=self.t("export_goal_measurable"))
        self.add("kv", self.day_of(goal["deadline"]), label=self.t("export_goal_deadline"))
        if sound and goal.get("created_at") and goal.get("deadline"):
            self.add("kv", goal_pace(goal, self.today, self.zone, self.t, self.lang),
                     label=self.t("export_goal_pace"))
            self.add("chart", goal["specific"], label=self.t("export_chart_word"),
                     chart=chart_data(goal, self.lang, self.data["librarian"]["timezone"]))
        for key in ("achievable", "relevant"):
            if goal.get(key):
                self.add("kv", goal[key], label=self.t(f"export_goal_{key}"))
        if goal.get("needs"):
            self.add("kv", ", ".join(goal["needs"]), label=self.t("goal_needs_label"))
        status = "export_goal_done" if goal.get("status") == "done" else "export_goal_active"
        self.add("kv", self.t(status), label=self.t("export_goal_status"))
        for entry in progress:
            note = f" — {entry['note']}" if entry.get("note") else ""
            self.add("li", _num(entry["value"], self.lang) + note,
                     label=self.day(entry["logged_at"]))

    def day_of(self, text: str | None) -> str:
        try:
            return day_month_year(date.fromisoformat((text or "")[:10]), self.lang)
        except ValueError:
            return text or "—"

    def held(self, c: dict[str, Any], answers: dict[str, str]) -> dict[str, list[str]]:
        """Per item ("p2.themes"): the texts it holds, the answers shown under it (taken out
        of `answers`, so they don't appear again) or else where its tick came from. The
        frame, the definition and the vision keep sections of their own."""
        out: dict[str, list[str]] = {}
        for row in c.get("item_texts", []):
            out.setdefault(row["item"], []).append(row["text"])
        for key, holding in self.holdings.items():
            for answer, step in holding.shown:
                if answer.startswith(OWN_SECTIONS) or answer not in answers:
                    continue
                found = answer_text(step, answers.pop(answer), self.lang)
                out.setdefault(key, []).extend([found] if found else [])
        for tick in c["ticks"]:
            if tick.get("source") and not out.get(tick["item"]):
                out[tick["item"]] = [tick["source"]]
        return out

    def phases(self, ticked: set[str], held: dict[str, list[str]]) -> None:
        self.add("h", self.t("export_phases"), level=3)
        for checklist, title, items in checklists(self.catalog, self.lang):
            done = sum(1 for item_id, _ in items if f"{checklist}.{item_id}" in ticked)
            self.add("h", f"{title} ({done}/{len(items)})", level=4)
            for item_id, label in items:
                key = f"{checklist}.{item_id}"
                self.add("li", label.removesuffix(TEXT_MARK), checked=key in ticked)
                for text in held.get(key, []):
                    self.add("li", text, level=1)

    def conversations(self, conversations: list[dict[str, Any]]) -> None:
        if not conversations:
            return
        self.add("h", self.t("export_conversations"), level=3)
        for conv in conversations:
            self.add("h", conversation_title(conv, self.t, self.day), level=4)
            if conv.get("place"):
                self.add("kv", conv["place"], label=self.t("export_place"))
            self.add("kv", conv.get("summary") or self.t("export_not_yet"),
                     label=self.t("export_summary"))
            if conv.get("keywords"):
                self.add("kv", conv["keywords"], label=self.t("export_keywords"))
            if conv["turns"]:
                self.add("p", self.t("export_transcript"))
            for turn in conv["turns"]:
                moment = self.local(turn["created_at"])
                stamp = f"{moment:%H:%M}" if moment else ""
                question = question_text(self.catalog, turn.get("question"), self.lang)
                who, text = turn_words(turn, self.t, question)
                self.add("li", text, label=f"{stamp} {who}".strip())

    def notes(self, notes: list[dict[str, Any]]) -> None:
        if not notes:
            return
        self.add("h", self.t("export_notes"), level=3)
        current = None
        for note in notes:
            day = self.day(note["created_at"])
            if day != current:
                self.add("h", day, level=4)
                current = day
            moment = self.local(note["created_at"])
            label = " · ".join([f"{moment:%H:%M}" if moment else ""]
                               + ["#" + t for t in note["tags"]]
                               + self.author(note.get("author"))).strip(" ·")
            self.add("li", media_words(note, self.t) or note["text"] or "—", label=label)

    def author(self, name: str | None) -> list[str]:
        """A colleague's name on their note in a shared community (one's own has none)."""
        if not name or name == self.data["librarian"]["name"]:
            return []
        return [self.t("former_colleague") if name == FORMER_AUTHOR else name]

    def other(self, other: dict[str, list[dict[str, Any]]], level: int) -> None:
        for table, rows in other.items():
            key = f"export_table_{table}"
            title = self.t(key) if key in self.catalog.texts else table
            self.add("h", title, level=level + 1 if level == 2 else level)
            for row in rows:
                parts = [f"{k}: {v}" for k, v in row.items() if k != "id" and v not in (None, "")]
                self.add("li", "\n".join(parts) or "—")

    def label(self, key: str) -> str:
        text_key = "export_answer_" + key.replace(".", "_")
        return self.t(text_key) if text_key in self.catalog.texts else key

    def answer_value(self, key: str, value: str) -> str:
        dialog_id, _, save = key.partition(".")
        dialog = self.catalog.dialogs.get(dialog_id)
        for step in dialog.steps.values() if dialog else []:
            if step.save == save:
                for option in step.options:
                    if (option.value or option.id) == value:
                        return option.label.get(self.lang)
        return value


def _num(value: float | int | None, lang: str) -> str:
    """A number as the librarian writes it ("12,5" in Dutch)."""
    return "—" if value is None else format_number(float(value), lang)


