"""The CSV's rows for what page 1 holds beyond the records: the vision, each goal with its
baseline, value now, target, deadline and pace, and each day's value of its progress (the
day's last, as the report shows it). In the columns every CSV row has: kind, community, (no
conversation or question), time, (no tags), who, text."""

from __future__ import annotations

from typing import Any

from bot.features.export.report_base import Writer
from bot.features.export.report_glance import estimated
from bot.features.export.report_goals import daily, measured, pace_words, standing

VISION = ("vision", "participant_goal", "library_goal", "formulated_with")


def goal_rows(c: dict[str, Any], w: Writer, stamp: Any, librarian: str) -> list[list[str]]:
    name, rows = c["name"], []
    vision = c.get("vision") or {}
    for key in VISION:
        if vision.get(key):
            rows.append([w.t("export_csv_vision"), name, "", "", stamp(vision.get("updated_at")),
                         "", librarian, f"{w.t(f'export_vision_{key}')}: {vision[key]}"])
    for goal in c.get("goals") or []:
        s = standing(goal, w.today, w.zone)
        now = w.num(s.current)  # "minstens 27" as page 1 says it, when it is a lower bound
        if s.current is not None and estimated(goal, c.get("activities") or []):
            now = w.t("export_csv_at_least", count=now)
        rows.append([w.t("export_csv_goal"), name, "", "", stamp(goal.get("created_at")), "",
                     librarian, w.t("export_csv_goal_text", goal=goal["specific"],
                                    metric=goal.get("metric") or "",
                                    baseline=w.num(s.baseline), current=now,
                                    target=w.num(s.target),
                                    deadline=w.day_of(goal.get("deadline")),
                                    pace=pace_words(s, w))])
        for entry in daily(goal.get("progress") or [], w.zone):
            said = measured(float(entry["value"]), goal.get("metric") or "", w)
            note = f" — {entry['note']}" if entry.get("note") else ""
            rows.append([w.t("export_csv_progress"), name, "", "", stamp(entry["logged_at"]),
                         "", librarian, f"{goal['specific']}: {said}{note}"])
    return rows
