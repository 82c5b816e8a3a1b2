"""An export for a period: the snapshot (storage/export.py) holding what happened in it.

A record belongs to the period when its day, in the librarian's time zone, falls between the
first and the last day (both included): a note by when it was written, a conversation by when
it started, an activity by its day, an outcome by when it was recorded. An action belongs to
it when it was open at some moment of it (made before its end, not done before its start); one
done after the end stands as it stood then: open. Goals, people, the vision, roles and the
phases stay: they are where the community stands, not what happened. A goal's progress is cut
to the period, and `at_start` holds the last value logged before it (None: the baseline), so
the report's "now" and its chart are as of the period's end.

Pure: the snapshot given is not changed; JSON and CSV follow the period as the report does.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.app.users import zone_named
from bot.features.export.options import Options

Row = dict[str, Any]
# A community's records of something that happened, and the field holding when.
DATED = {"notes": "created_at", "conversations": "started_at", "activities": "day",
         "outcomes": "created_at"}


class _Days:
    """Which local day a stored moment fell on, and whether that day is in the period."""

    def __init__(self, options: Options, zone: ZoneInfo) -> None:
        self.start, self.end, self.zone = options.start, options.end, zone

    def day(self, value: str | None) -> date | None:
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
        if len(value) == 10:  # a day already (an activity's)
            return moment.date()
        if moment.tzinfo is None:  # stored as UTC
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(self.zone).date()

    def before_end(self, day: date | None) -> bool:
        return day is None or self.end is None or day <= self.end

    def after_start(self, day: date | None) -> bool:
        return day is None or self.start is None or day >= self.start

    def holds(self, value: str | None) -> bool:
        day = self.day(value)
        return self.after_start(day) and self.before_end(day)

    def keep(self, rows: list[Row], field: str) -> list[Row]:
        return [r for r in rows if self.holds(r.get(field))]


def _actions(rows: list[Row], days: _Days) -> list[Row]:
    out = []
    for action in rows:
        done = days.day(action.get("done_at"))
        if not days.before_end(days.day(action.get("created_at"))) \
                or (done is not None and not days.after_start(done)):
            continue
        out.append(action if days.before_end(done) else {**action, "done_at": None})
    return out


def _goal(goal: Row, days: _Days) -> Row:
    before = [p for p in goal.get("progress", []) if not days.after_start(days.day(
        p.get("logged_at")))]
    return {**goal, "progress": days.keep(goal.get("progress", []), "logged_at"),
            "at_start": before[-1]["value"] if before else None}


def _community(community: Row, days: _Days) -> Row:
    out = dict(community)
    for key, field in DATED.items():
        if key in out:
            out[key] = days.keep(out[key], field)
    out["actions"] = _actions(out.get("actions", []), days)
    out["goals"] = [_goal(g, days) for g in out.get("goals", [])]
    return out


def within(data: dict[str, Any], options: Options) -> dict[str, Any]:
    """The snapshot for the period `options` names (since the start: everything)."""
    zone = zone_named((data.get("librarian") or {}).get("timezone") or "")
    days = _Days(options, zone)
    out = dict(data)  # new lists and dicts where it differs; no row of `data` is changed
    out["communities"] = [_community(c, days) for c in out.get("communities", [])]
    if "loose_notes" in out:
        out["loose_notes"] = days.keep(out["loose_notes"], "created_at")
    if "loose_conversations" in out:
        out["loose_conversations"] = days.keep(out["loose_conversations"], "started_at")
    out["period"] = {"start": options.start.isoformat() if options.start else None,
                     "end": options.end.isoformat() if options.end else None}
    return out
