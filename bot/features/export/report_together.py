"""The community report's phase 6 sections: activities with participants, ambassadors and
partners, outcomes, and open and done actions, in words rather than table columns."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from dialogs.rules.dates import day_month_year

# Rendered here, so the report's "other" section leaves them out.
TABLES = ("activities", "roles", "outcomes", "goal_links")
Add = Callable[..., None]
T = Callable[..., str]


def _day(text: str | None, lang: str) -> str:
    try:
        return day_month_year(date.fromisoformat((text or "")[:10]), lang)
    except ValueError:
        return text or "—"


def _participants(count: int, t: T) -> str:
    """"14 deelnemers", "1 deelnemer"."""
    return t("participants_one") if count == 1 else t("participants", count=count)


def _files(files: list[dict[str, Any]], t: T) -> str:
    """" (📎 folder.pdf, 📷 2 foto's)": the files kept with a record, named where they have one."""
    if not files:
        return ""
    named = [f"📎 {f['name']}" for f in files if f.get("name")]
    photos = sum(1 for f in files if not f.get("name"))
    counted = t("export_photos_one") if photos == 1 else t("export_photos", count=photos)
    parts = named + ([counted] if photos else [])
    return f" ({', '.join(parts)})"


def together(c: dict[str, Any], other: dict[str, list[dict[str, Any]]], add: Add, t: T,
             lang: str) -> None:
    """Add the sections that have content (none is shown empty)."""
    activities = c.get("activities") or other.get("activities", [])
    if activities:
        people = sum(int(a.get("participants") or 0) for a in activities)
        add("h", t("export_activities"), level=3)
        add("p", t("export_activities_total", count=len(activities),
                   people=_participants(people, t)))
        for a in sorted(activities, key=lambda a: a["day"]):
            line = t("export_activity", kind=a["kind"], what=a["what"],
                     people=_participants(int(a["participants"] or 0), t), led=a["led_by"])
            add("li", line + (f" — {a['note']}" if a.get("note") else "")
                + _files(a.get("files", []), t), label=_day(a["day"], lang))
    roles = c.get("roles") or other.get("roles", [])
    if roles:
        add("h", t("export_roles"), level=3)
        for r in roles:
            add("li", r["name"], label=t(f"role_{r['role']}").capitalize())
    outcomes = c.get("outcomes") or other.get("outcomes", [])
    if outcomes:
        add("h", t("export_outcomes"), level=3)
        for o in outcomes:
            add("li", o["text"] + _files(o.get("files", []), t),
                label=t(f"outcome_{o['kind']}").capitalize())
    actions = c.get("actions", [])
    if actions:
        add("h", t("export_actions"), level=3)
        for a in sorted(actions, key=lambda a: (a["done_at"] is not None, a["due"] or "9")):
            if a["done_at"]:
                state = t("export_action_done", date=_day(a["done_at"], lang))
            elif a["due"]:
                state = t("export_action_due", date=_day(a["due"], lang))
            else:
                state = t("export_action_open")
            who = f" ({a['who']})" if a.get("who") else ""
            # What comes first, then how it stands: "☑ Zaal boeken — gedaan op 5 januari".
            add("li", f"{a['what']}{who} — {state}", checked=a["done_at"] is not None)
