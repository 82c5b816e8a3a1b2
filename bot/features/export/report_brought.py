"""The report's "what it brought" (its "lessons and next steps" are in report_lessons.py).

What it brought: per goal (a sub-goal) the chain the method asks for: where it stands in
the pace words of page 1, what was done for it (the activities it counts, their visits and
distinct participants: only numbers she recorded), then the outcomes she tied to it, in the
community's own words, and its history; then the outcomes tied to no goal.
"""

from __future__ import annotations

from typing import Any

from bot.features.export.report_base import Writer
from bot.features.export.report_goals import Standing, history, measured, standing
from bot.features.export.report_together import files
from dialogs.rules.activities import attendance


def _link(w: Writer, link: dict[str, Any]) -> str:
    """What the goal counts, in words: "De activiteiten ‘taalcafé’ tellen mee voor dit doel."
    (how many stands in "Wat we deden" just above)."""
    kind = link.get("kind")
    measure = link.get("measure")
    key = "export_link_" + (measure if measure in ("sum", "distinct") else "count")
    said = w.t(key + ("_kind" if kind else ""), kind=kind or "")
    return said[:1].upper() + said[1:] + "."


def counted(link: dict[str, Any], activities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The activities a goal counts (of its kind, or all)."""
    kind = link.get("kind")
    return [a for a in activities if kind in (None, a.get("kind"))]


def output(w: Writer, link: dict[str, Any], activities: list[dict[str, Any]]) -> str:
    """What was done for a goal, as recorded: "5 keer taalcafé, 55 bezoeken, (minstens) 18
    verschillende deelnemers"; the distinct count only where first-timers were noted."""
    seen = attendance(activities)
    kind = link.get("kind")
    parts = [w.counted("export_done_kind", seen.activities, kind=kind) if kind
             else w.counted("export_done_all", seen.activities),
             w.counted("visits", seen.visits)]
    if any(a.get("first_time") is not None for a in activities):
        distinct = w.counted("distinct_participants", seen.distinct)
        parts.append(w.t("at_least", what=distinct) if seen.estimated else distinct)
    return ", ".join(parts)


def where(w: Writer, goal: dict[str, Any], s: Standing, estimate: bool) -> str:
    """Where the goal stands, in the pace words the report uses elsewhere: "op koers — nu 4
    van 10 verschillende deelnemers (begonnen bij 0), einddatum 31 maart 2027"."""
    pace = "done" if goal.get("status") == "done" else s.pace.value if s.pace else "unknown"
    current = w.num(s.current)
    return w.t(f"export_where_{pace}", current=w.t("at_least", what=current) if estimate
               else current, target=measured(s.target, goal.get("metric") or "", w)
               if s.target is not None else "—", baseline=w.num(s.baseline),
               planned=w.num(s.planned), date=w.day_of(goal.get("deadline")))


def brought(w: Writer, c: dict[str, Any]) -> None:
    """Per goal: where it stands, what was done for it, what it brought; then the outcomes
    tied to no goal (or to one deleted since)."""
    w.add("h", w.t("export_brought"), level=3)
    goals = c.get("goals") or []
    outcomes = c.get("outcomes") or []
    if not goals and not outcomes:
        w.add("p", w.t("export_brought_none"))
        return
    ids = {g.get("id") for g in goals}
    for goal in goals:
        _goal(w, goal, c.get("activities") or [],
              [o for o in outcomes if o.get("goal_id") == goal.get("id")])
    untied = [o for o in outcomes if o.get("goal_id") not in ids or o.get("goal_id") is None]
    if untied:
        w.add("h", w.t("export_outcomes_untied" if goals else "export_outcomes_words"),
              level=4)
    for o in untied:
        _outcome(w, o)


def _goal(w: Writer, goal: dict[str, Any], activities: list[dict[str, Any]],
          outcomes: list[dict[str, Any]]) -> None:
    w.add("h", goal["specific"], level=4)
    link = goal.get("counts")
    done = counted(link, activities) if link is not None else []
    estimate = bool(link and link.get("measure") == "distinct"
                    and any(a.get("first_time") is None for a in done))
    w.add("kv", where(w, goal, standing(goal, w.today, w.zone), estimate),
          label=w.t("export_where"))
    if link is not None and done:
        w.add("kv", output(w, link, done), label=w.t("export_we_did"))
        w.add("meta", _link(w, link))
    if outcomes:
        w.add("p", w.t("export_it_brought") + ":")
    for o in outcomes:
        _outcome(w, o)
    for key in ("achievable", "relevant"):
        if goal.get(key):
            w.add("kv", goal[key], label=w.t(f"export_goal_{key}"))
    if goal.get("needs"):
        w.add("kv", ", ".join(goal["needs"]), label=w.t("goal_needs_label"))
    history(goal, w)


def _outcome(w: Writer, o: dict[str, Any]) -> None:
    """In the community's own words, with its kind and the files kept with it."""
    w.add("li", o["text"] + files(o.get("files") or [], w),
          label=w.t(f"outcome_{o['kind']}").capitalize() + ":")

