"""The report's goals: where each stands and at what pace, its chart, its history in words.

Plain data in, words and numbers out: a chart travels as the numbers it is drawn from (a
`chart` block) and is drawn by the Word writer (bot/features/export/files.py), in whatever
process renders the report. The chart is the one the weekly reminders send
(bot/features/goals/charts.py); the pace is the glance's (dialogs/rules/goals/pace.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.app.users import zone_named
from bot.features.export.report_base import Writer
from dialogs.rules.goals.pace import Pace, expected_value, pace, planned_shown


@dataclass(frozen=True)
class Standing:
    """Where a goal stands on the day of the export. `pace` is None when it cannot be told
    (no baseline, a number stored before numbers were checked, no dates)."""

    baseline: float | None
    current: float | None
    target: float | None
    pace: Pace | None
    planned: float | None  # what the plan says by now, when behind


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def standing(goal: dict[str, Any], today: date, zone: ZoneInfo) -> Standing:
    progress = goal.get("progress") or []
    baseline, target = _finite(goal.get("baseline")), _finite(goal.get("target"))
    # No value logged in the period: it stood where it was when the period began.
    current = _finite(progress[-1]["value"]) if progress else (
        _finite(goal["at_start"]) if goal.get("at_start") is not None else baseline)
    if None in (baseline, target, current) or not goal.get("created_at") \
            or not goal.get("deadline"):
        return Standing(baseline, current, target, None, None)
    assert baseline is not None and target is not None and current is not None
    created = datetime.fromisoformat(goal["created_at"]).astimezone(zone).date()
    deadline = date.fromisoformat(goal["deadline"][:10])
    state = pace(baseline, target, created, deadline, current, today)
    planned = None
    if state == Pace.BEHIND:
        planned = planned_shown(baseline, target,
                                expected_value(baseline, target, created, deadline, today))
    return Standing(baseline, current, target, state, planned)


def pace_words(s: Standing, w: Writer) -> str:
    """"op koers", "achter: 4 van 10, volgens planning nu 6", as /samenvatting says it."""
    if s.pace is None:
        return w.t("export_pace_unknown")
    return w.t(f"export_pace_{s.pace.value}", current=w.num(s.current), target=w.num(s.target),
               planned=w.num(s.planned))


def daily(progress: list[dict[str, Any]], zone: ZoneInfo) -> list[dict[str, Any]]:
    """One value per local day, the day's last: a mistyped activity deleted again logs the
    count three times in a day (27, 22, 27), which is one value, not a dip."""
    last: dict[date, dict[str, Any]] = {}
    for entry in progress:
        last[datetime.fromisoformat(entry["logged_at"]).astimezone(zone).date()] = entry
    return list(last.values())


def chart_data(goal: dict[str, Any], lang: str, zone_name: str) -> dict[str, Any]:
    """What the chart is drawn from: numbers, dates and words only, one point a day."""
    points = daily(goal.get("progress") or [], zone_named(zone_name))
    return {"points": [(p["logged_at"], p["value"]) for p in points],
            "baseline": goal["baseline"], "target": goal["target"],
            "created": goal["created_at"], "deadline": goal["deadline"][:10],
            "title": goal["specific"], "metric": goal.get("metric") or "", "lang": lang,
            "zone": zone_name}


def chart(goal: dict[str, Any], s: Standing, w: Writer) -> None:
    """The goal's chart with what it shows in words (Word's alt text); none without pace."""
    if s.pace is None:
        return
    alt = w.t("export_chart_alt", goal=goal["specific"], metric=goal.get("metric") or "",
              baseline=w.num(s.baseline), target=w.num(s.target), current=w.num(s.current),
              deadline=w.day_of(goal["deadline"]))
    w.add("chart", goal["specific"], label=w.t("export_chart_in_word"), alt=alt,
          chart=chart_data(goal, w.lang, w.data["librarian"]["timezone"]))


SMALL_INCHES = (6.4, 4.4)  # two a row on A4: 8,4 cm wide, its letters 7–9 pt


def draw(chart: dict[str, Any], small: bool = False) -> bytes:
    """The PNG of a chart block (matplotlib is loaded only here); `small` for two a row."""
    from bot.features.goals.charts import SIZE_INCHES, progress_chart

    zone = zone_named(chart["zone"])
    return progress_chart(
        [(datetime.fromisoformat(when).astimezone(zone), float(value))
         for when, value in chart["points"]],
        baseline=float(chart["baseline"]), target=float(chart["target"]),
        created=datetime.fromisoformat(chart["created"]).astimezone(zone),
        deadline=date.fromisoformat(chart["deadline"]), title=chart["title"],
        lang=chart["lang"], size=SMALL_INCHES if small else SIZE_INCHES,
        unit=chart.get("metric") or "")


_COUNTED = ("aantal ", "het aantal ", "number of ", "the number of ")


def measured(value: float, metric: str, w: Writer) -> str:
    """"1 deelnemer", "9 bezoekers": a value with what it counts ("aantal" left off)."""
    words = (metric or "").strip()
    for lead in _COUNTED:
        if words.lower().startswith(lead):
            words = words[len(lead):]
            break
    if value == 1 and " " not in words:
        words = _one(words)
    return f"{w.num(value)} {words}".strip()


def _one(plural: str) -> str:
    """One of a plural noun, where Dutch or English makes it plainly: deelnemers → deelnemer,
    avonden → avond, passen → pas, participants → participant; else as it is."""
    if plural.endswith(("rs", "ts", "ns", "ls")):
        return plural[:-1]
    if plural.endswith("en") and len(plural) > 4 and plural[-3] not in "aeiou":
        stem = plural[:-2]
        return stem[:-1] if stem[-1] == stem[-2] else stem
    return plural


def history(goal: dict[str, Any], w: Writer) -> None:
    """The value of each day something was logged (the day's last), in words: "29 december
    2026: 1 deelnemer — goede start"."""
    progress = daily(goal.get("progress") or [], w.zone)
    if not progress:
        return
    w.add("p", w.t("export_history") + ":")
    for entry in progress:
        value = _finite(entry["value"])
        said = measured(value, goal.get("metric") or "", w) if value is not None else "—"
        note = f" — {entry['note']}" if entry.get("note") else ""
        w.add("li", said + note, label=w.day(entry["logged_at"]) + ":")
