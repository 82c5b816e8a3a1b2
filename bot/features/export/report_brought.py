"""The report's "what it brought" (its "lessons and next steps" are in report_lessons.py).

What it brought: per goal the chain the method asks for, activity → output → outcome, in
the community's own words (no number the librarian did not record), the goal's history in
words and whether it is reached; then the outcomes she recorded, by kind.
"""

from __future__ import annotations

from typing import Any

from bot.features.export.report_base import Writer
from bot.features.export.report_goals import history, standing
from bot.features.export.report_together import files
from dialogs.rules.goals.pace import Pace


def _link(w: Writer, link: dict[str, Any], activities: list[dict[str, Any]]) -> str:
    """What the goal counts, in words: "de activiteiten ‘taalcafé’ tellen mee voor dit doel (8 in
    totaal)"."""
    kind = link.get("kind")
    counted = [a for a in activities if kind in (None, a.get("kind"))]
    measure = link.get("measure")
    key = "export_link_" + (measure if measure in ("sum", "distinct") else "count")
    return w.t(key + ("_kind" if kind else ""), kind=kind or "", count=len(counted))


def brought(w: Writer, c: dict[str, Any]) -> None:
    w.add("h", w.t("export_brought"), level=3)
    goals = c.get("goals") or []
    outcomes = c.get("outcomes") or []
    if not goals and not outcomes:
        w.add("p", w.t("export_brought_none"))
        return
    for goal in goals:
        w.add("h", goal["specific"], level=4)
        link = goal.get("counts")
        if link is not None:
            w.add("kv", _link(w, link, c.get("activities") or []),
                  label=w.t("export_chain_activity"))
        s = standing(goal, w.today, w.zone)
        w.add("kv", w.t("export_output", metric=goal.get("metric") or "",
                        current=w.num(s.current), baseline=w.num(s.baseline),
                        target=w.num(s.target)), label=w.t("export_chain_output"))
        for key in ("achievable", "relevant"):
            if goal.get(key):
                w.add("kv", goal[key], label=w.t(f"export_goal_{key}"))
        if goal.get("needs"):
            w.add("kv", ", ".join(goal["needs"]), label=w.t("goal_needs_label"))
        reached = goal.get("status") == "done" or s.pace == Pace.DONE
        w.add("p", w.t("export_status_done") if reached else w.t(
            "export_status_active", date=w.day_of(goal.get("deadline"))))
        history(goal, w)
    if outcomes:
        w.add("h", w.t("export_outcomes_words"), level=4)
    for o in outcomes:
        w.add("li", o["text"] + files(o.get("files") or [], w),
              label=w.t(f"outcome_{o['kind']}").capitalize() + ":")

