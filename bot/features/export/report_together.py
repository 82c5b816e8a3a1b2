"""The report's "what we did" and "roles": activities by kind and month with who led them
(each activity under its month, with its note and files), the actions done, and the
ambassadors, partners and library colleagues, and the people met."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from bot.features.export.report_base import Writer
from dialogs.rules.activities import attendance
from dialogs.rules.dates import month_name

# Rendered here, so the report's "other" section leaves them out.
TABLES = ("activities", "roles", "outcomes", "goal_links")


def participants(count: int, w: Writer) -> str:
    """"14 deelnemers", "1 deelnemer"."""
    return w.t("participants_one") if count == 1 else w.t("participants", count=count)


def files(kept: list[dict[str, Any]], w: Writer) -> str:
    """" (📎 folder.pdf, 📷 2 foto's)": the files kept with a record, named where they have one."""
    if not kept:
        return ""
    named = [f"📎 {f['name']}" for f in kept if f.get("name")]
    photos = sum(1 for f in kept if not f.get("name"))
    counted = w.t("export_photos_one") if photos == 1 else w.t("export_photos", count=photos)
    parts = named + ([counted] if photos else [])
    return f" ({', '.join(parts)})"


def _month(day: str, lang: str) -> str:
    try:
        found = date.fromisoformat(day[:10])
    except ValueError:
        return day
    return f"{month_name(found.month, lang)} {found.year}"


def done(w: Writer, c: dict[str, Any]) -> None:
    w.add("h", w.t("export_done"), level=3)
    activities = sorted(c.get("activities") or [], key=lambda a: a["day"])
    if not activities:
        w.add("p", w.t("export_done_none"))
    else:
        total(w, activities)
        kinds: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(dict)
        for a in activities:
            kinds[a["kind"]].setdefault(_month(a["day"], w.lang), []).append(a)
        for kind, months in kinds.items():
            w.add("h", kind[:1].upper() + kind[1:], level=4)
            for month, those in months.items():
                month_(w, month, those)
    actions = sorted((a for a in c.get("actions") or [] if a.get("done_at")),
                     key=lambda a: a["done_at"])
    if actions:
        w.add("h", w.t("export_actions_done"), level=4)
    for a in actions:
        who = f" ({a['who']})" if a.get("who") else ""
        w.add("li", f"{a['what']}{who} — "
              + w.t("export_action_done", date=w.day(a["done_at"])), checked=True)


def visits(count: int, w: Writer) -> str:
    """"82 bezoeken", "1 bezoek": attendance added up, as page 1 calls it."""
    return w.counted("export_visits", count)


def total(w: Writer, activities: list[dict[str, Any]]) -> None:
    """"6 keer samen aan de slag: 82 bezoeken (alle deelnemers opgeteld), door minstens 27
    verschillende deelnemers*", the estimate's note under it, as on page 1."""
    seen = attendance(activities)
    if seen.estimated and not seen.distinct:
        w.add("p", w.t("export_activities_visits", count=seen.activities,
                       visits=visits(seen.visits, w)))
        w.add("meta", w.t("export_distinct_not_kept"))
        return
    distinct = w.t("export_distinct_at_least" if seen.estimated else "export_distinct_count",
                   count=seen.distinct)
    w.add("p", w.t("export_activities_visits_distinct", count=seen.activities,
                   visits=visits(seen.visits, w), distinct=distinct))
    if seen.estimated:
        w.add("meta", w.t("export_fig_estimated_note"))


def month_(w: Writer, month: str, those: list[dict[str, Any]]) -> None:
    """"november 2026: 4 keer, 46 bezoeken, 12 nieuwe deelnemers · geleid door Fatima en
    Anna", each activity under it with its participants and first-timers."""
    led = list(dict.fromkeys(a["led_by"] for a in those if a.get("led_by")))
    seen = attendance(those)
    counts = [w.counted("export_times", len(those)), visits(seen.visits, w)]
    if seen.distinct or not seen.estimated:  # the first-timers of the month: new people
        counts.append(w.t("export_new_at_least" if seen.estimated else "export_new",
                          count=seen.distinct))
    w.add("li", w.t("export_month_counts", counts=", ".join(counts), led=w.joined(led) or "—"),
          label=month + ":")
    for a in those:
        people = participants(int(a.get("participants") or 0), w)
        if a.get("first_time") is not None:
            people += ", " + w.t("export_first_time" if a["first_time"]
                                 else "export_first_time_none", count=a["first_time"])
        line = w.t("export_activity_line", what=a["what"], people=people, led=a["led_by"])
        w.add("li", line + (f" — {a['note']}" if a.get("note") else "")
              + files(a.get("files") or [], w), label=w.day_of(a["day"]) + ":", level=1)


def roles(w: Writer, c: dict[str, Any]) -> None:
    """Ambassadors and partners, the library (the librarian and her colleagues), the people met."""
    w.add("h", w.t("export_roles_heading"), level=3)
    grouped: dict[str, list[str]] = {}  # "Ambassadeurs: Fatima en Mariam", one line a role
    for r in c.get("roles") or []:
        grouped.setdefault(r["role"], []).append(r["name"])
    for role, names in grouped.items():
        label = (w.t(f"role_{role}").capitalize() if len(names) == 1
                 else w.t(f"export_role_{role}_many"))
        w.add("li", w.joined(names), label=label + ":")
    members = [m["name"] for m in c.get("members") or [] if m.get("name")]
    library = members or [w.data["librarian"]["name"] or "—"]
    w.add("li", w.joined(library), label=w.t("export_role_library") + ":")
    people = c.get("people") or []
    if people:
        w.add("h", w.t("export_people_met"), level=4)
    for p in people:
        extra = ", ".join(x for x in (p.get("role"), p.get("organisation")) if x)
        w.add("li", p["name"] + (f" ({extra})" if extra else ""))
