"""The report's goal charts and pace, and its conversations in brief.

Plain data in, blocks out: a chart travels as the numbers it is drawn from (a `chart` block)
and is drawn by the Word writer (bot/features/export/files.py), in whatever process renders the
report.
The chart is the one the weekly reminders send (bot/features/goals/charts.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.app.users import zone_named
from dialogs.rules.goals.pace import Pace, expected_value, pace, planned_shown
from dialogs.rules.goals.smart import format_number

Add = Callable[..., None]
T = Callable[..., str]


def goal_pace(goal: dict[str, Any], today: date, zone: ZoneInfo, t: T, lang: str) -> str:
    """"🟢 Op schema" and the like, as the weekly overview says it."""
    progress = goal.get("progress") or []
    current = float(progress[-1]["value"] if progress else goal["baseline"])
    created = datetime.fromisoformat(goal["created_at"]).astimezone(zone).date()
    deadline = date.fromisoformat(goal["deadline"][:10])
    state = pace(goal["baseline"], goal["target"], created, deadline, current, today)
    if state == Pace.BEHIND:
        planned = expected_value(goal["baseline"], goal["target"], created, deadline, today)
        shown = planned_shown(goal["baseline"], goal["target"], planned)
        return t("pace_behind", planned=format_number(shown, lang))
    return t(f"pace_{state.value}")


def chart_data(goal: dict[str, Any], lang: str, zone_name: str) -> dict[str, Any]:
    """What the chart is drawn from: numbers, dates and words only."""
    return {"points": [(p["logged_at"], p["value"]) for p in goal.get("progress") or []],
            "baseline": goal["baseline"], "target": goal["target"],
            "created": goal["created_at"], "deadline": goal["deadline"][:10],
            "title": goal["specific"], "lang": lang, "zone": zone_name}


def draw(chart: dict[str, Any]) -> bytes:
    """The PNG of a chart block (matplotlib is loaded only here)."""
    from bot.features.goals.charts import progress_chart

    zone = zone_named(chart["zone"])
    return progress_chart(
        [(datetime.fromisoformat(when).astimezone(zone), float(value))
         for when, value in chart["points"]],
        baseline=float(chart["baseline"]), target=float(chart["target"]),
        created=datetime.fromisoformat(chart["created"]).astimezone(zone),
        deadline=date.fromisoformat(chart["deadline"]), title=chart["title"],
        lang=chart["lang"])


def brief(conversations: list[dict[str, Any]], add: Add, t: T,
          day: Callable[[str | None], str]) -> None:
    """One line per conversation: when, with whom, and the summary's first line."""
    if not conversations:
        return
    add("h", t("export_brief"), level=3)
    for conv in sorted(conversations, key=lambda c: c["started_at"]):
        who = conv.get("person") or {}
        name = who.get("name") if isinstance(who, dict) else None
        name = name or conv.get("person_name") or "?"
        first = _first_line(conv.get("summary") or "") or t("export_not_yet")
        add("li", f"{name} — {first}", label=day(conv["started_at"]))


def _first_line(summary: str) -> str:
    """The summary's first line that says something (not its heading)."""
    lines = [line.strip(" •-") for line in summary.splitlines() if line.strip(" •-")]
    body = lines[1:] if len(lines) > 1 else lines
    return body[0][:200] if body else ""
