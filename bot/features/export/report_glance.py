"""Page 1 of a community's report, "In één oogopslag": the community and its vision, the
SMART goals as a table (start, now, target, date, pace), the figures of the period, three
quotes the librarian marked ⭐, and the goals' charts.

`at_a_glance` gives the same figures as plain data, for the JSON export.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.features.export.report_base import Writer
from bot.features.export.report_goals import Standing, chart, standing
from dialogs.rules.activities import attendance

QUOTES = 3  # ⭐ quotes on page 1, newest first (the rest under "Wat we hoorden")
QUOTE_CHARS = 300
GOAL_COLUMNS = ("goal", "baseline", "now", "target", "deadline", "pace")
# The goal widest, the numbers narrow: their widths relative to each other (in cm on A4's 17).
GOAL_WIDTHS = (4.0, 2.8, 1.0, 3.0, 2.8, 3.4)
FIGURE_WIDTHS = (5.6, 1.7, 6.8, 2.9)  # two figures a row: what, number, what, number


def person_key(conv: dict[str, Any]) -> str | None:
    """Who a conversation was with, as one key per person (None: nobody, or forgotten)."""
    person = conv.get("person") or {}
    if person.get("id") is not None:
        return f"id:{person['id']}"
    name = person.get("name") or conv.get("person_name")
    return f"name:{name.casefold()}" if name else None


def quotes(c: dict[str, Any], zone: ZoneInfo) -> list[dict[str, Any]]:
    """Every quote the librarian marked ⭐, newest first: a person's words from a conversation
    (with who said it) and an activity's note (with the activity). Page 1 shows the first
    QUOTES; "Wat we hoorden" the rest. A note that was deleted is not in the snapshot, so it is
    simply not among them."""
    found: list[tuple[str, dict[str, Any]]] = []
    for conv in c.get("conversations") or []:
        person = (conv.get("person") or {}).get("name") or ""
        for turn in conv.get("turns") or []:
            text = " ".join((turn.get("text") or "").split())
            if turn.get("starred") and turn.get("who") == "librarian" and text:
                stamp = conv.get("started_at") or turn["created_at"]
                day = datetime.fromisoformat(stamp).astimezone(zone).date().isoformat()
                found.append((day + turn["created_at"], {
                    "text": text[:QUOTE_CHARS], "person": person, "activity": None,
                    "day": day}))
    for activity in c.get("activities") or []:
        text = " ".join((activity.get("note") or "").split())
        if activity.get("starred") and text:
            found.append((activity["day"][:10] + (activity.get("created_at") or ""), {
                "text": text[:QUOTE_CHARS], "person": "", "activity": activity["kind"],
                "day": activity["day"][:10]}))
    return [quote for _, quote in sorted(found, key=lambda f: f[0], reverse=True)]


def at_a_glance(c: dict[str, Any], today: date, zone: ZoneInfo) -> dict[str, Any]:
    """Page 1's figures as data: counts, attendance, the goals' standing and the quotes."""
    conversations = c.get("conversations") or []
    activities = c.get("activities") or []
    roles = c.get("roles") or []
    actions = c.get("actions") or []
    seen = attendance(activities)
    return {
        "conversations": len(conversations),
        "people_met": len({k for k in map(person_key, conversations) if k}),
        "activities": seen.activities, "visits": seen.visits,
        "distinct_participants": seen.distinct, "distinct_estimated": seen.estimated,
        "ambassadors": sum(1 for r in roles if r.get("role") == "ambassador"),
        "partners": sum(1 for r in roles if r.get("role") == "partner"),
        "outcomes": len(c.get("outcomes") or []),
        "actions_done": sum(1 for a in actions if a.get("done_at")),
        "actions_open": sum(1 for a in actions if not a.get("done_at")),
        "goals": [_goal(goal, standing(goal, today, zone)) for goal in c.get("goals") or []],
        "quotes": quotes(c, zone)[:QUOTES],
    }


def _goal(goal: dict[str, Any], s: Standing) -> dict[str, Any]:
    return {"specific": goal["specific"], "metric": goal.get("metric"), "baseline": s.baseline,
            "current": s.current, "target": s.target,
            "deadline": (goal.get("deadline") or "")[:10] or None,
            "pace": s.pace.value if s.pace else None, "planned": s.planned}


def recorded(c: dict[str, Any]) -> bool:
    """Whether anything at all is recorded for the community (in the period)."""
    keys = ("answers", "ticks", "item_texts", "actions", "notes", "people", "goals",
            "conversations", "activities", "roles", "outcomes")
    vision = c.get("vision") or {}
    return any(c.get(k) for k in keys) or any(
        vision.get(k) for k in ("vision", "participant_goal", "library_goal"))


def page_one(w: Writer, c: dict[str, Any]) -> None:
    w.add("h", w.t("export_glance"), level=3)
    if not recorded(c):
        period = w.options.start is not None or w.options.end is not None
        w.add("p", w.t("export_nothing_period" if period else "export_nothing",
                       community=c["name"]))
        return
    vision(w, c.get("vision") or {})
    stood = goals(w, c.get("goals") or [], c.get("activities") or [])
    figures(w, at_a_glance(c, w.today, w.zone))
    said(w, quotes(c, w.zone))
    # The charts after the figures and quotes: a chart is a third of a page, so ten goals'
    # charts first would push the figures four pages back.
    if any(s.pace is not None for _, s in stood):
        w.add("h", w.t("export_charts"), level=4)
    for goal, s in stood:
        chart(goal, s, w)


def vision(w: Writer, v: dict[str, Any]) -> None:
    parts = [(k, str(v[k])) for k in ("vision", "participant_goal", "library_goal",
                                       "formulated_with") if v.get(k)]
    if not parts:
        w.add("p", w.t("export_vision_missing"))
    for key, value in parts:
        w.add("kv", value, label=w.t(f"export_vision_{key}"))


def goals(w: Writer, every: list[dict[str, Any]], activities: list[dict[str, Any]]
          ) -> list[tuple[dict[str, Any], Standing]]:
    """The goals' table (a distinct-participant count that is a lower bound marked
    "minstens 27*", explained under the figures); returns each goal with where it stands."""
    w.add("h", w.t("export_goals_heading"), level=4)
    if not every:
        w.add("p", w.t("export_goals_none"))
        return []
    rows = [tuple(w.t(f"export_col_{col}") for col in GOAL_COLUMNS)]
    stood = [(goal, standing(goal, w.today, w.zone)) for goal in every]
    for goal, s in stood:
        now = w.num(s.current)
        if s.current is not None and estimated(goal, activities):
            now = w.t("export_fig_estimated_short", count=now)
        rows.append((goal["specific"], w.num(s.baseline), now, w.num(s.target),
                     w.day_of(goal.get("deadline")), pace_short(s, w)))
    w.add("table", w.t("export_goals_heading"), rows=tuple(rows), widths=GOAL_WIDTHS)
    return stood


def estimated(goal: dict[str, Any], activities: list[dict[str, Any]]) -> bool:
    """Whether a goal counting distinct participants is a lower bound: an activity it counts
    did not record its first-timers."""
    link = goal.get("counts") or {}
    if link.get("measure") != "distinct":
        return False
    kind = link.get("kind")
    return any(a.get("first_time") is None for a in activities
               if kind in (None, a.get("kind")))


def pace_short(s: Standing, w: Writer) -> str:
    """The pace in a table cell: "op koers", "achter: 5 van 12, volgens planning nu 10"."""
    return w.t(f"export_pace_short_{s.pace.value if s.pace else 'unknown'}",
               current=w.num(s.current), target=w.num(s.target), planned=w.num(s.planned))


def figures(w: Writer, f: dict[str, Any]) -> None:
    """The figures two a row, so they take a few lines; an estimate says so under them."""
    w.add("h", w.t("export_figures"), level=4)
    distinct, note = str(f["distinct_participants"]), ""
    if f["distinct_estimated"]:
        kind = "estimated" if f["distinct_participants"] else "distinct_unknown"
        distinct = w.t(f"export_fig_{kind}_short", count=f["distinct_participants"])
        note = w.t(f"export_fig_{kind}_note")
    left = [("conversations", str(f["conversations"])), ("people", str(f["people_met"])),
            ("ambassadors", str(f["ambassadors"])), ("partners", str(f["partners"])),
            ("outcomes", str(f["outcomes"]))]
    right = [("activities", str(f["activities"])), ("visits", str(f["visits"])),
             ("distinct", distinct),
             ("actions", f"{f['actions_done']} / {f['actions_open']}")]
    what, count = w.t("export_col_what"), w.t("export_col_count")
    rows = [(what, count, what, count)]
    for number, (key, value) in enumerate(left):
        more = (w.t(f"export_fig_{right[number][0]}"), right[number][1]) \
            if number < len(right) else ("", "")
        rows.append((w.t(f"export_fig_{key}"), value, *more))
    w.add("table", w.t("export_figures"), rows=tuple(rows), widths=FIGURE_WIDTHS)
    if note:
        w.add("meta", note)


def said(w: Writer, found: list[dict[str, Any]]) -> None:
    """The newest QUOTES; a line says where the others are ("Wat we hoorden")."""
    w.add("h", w.t("export_quotes"), level=4)
    if not found:
        w.add("p", w.t("export_quotes_none"))
    for quote in found[:QUOTES]:
        w.add("li", quoted(w, quote))
    if len(found) > QUOTES:
        w.add("meta", w.counted("export_quotes_more", len(found) - QUOTES))


def quoted(w: Writer, quote: dict[str, Any]) -> str:
    """"“…” — Karim, 2 oktober 2026"; an activity's "— taalcafé, 12 november 2026"."""
    who = quote.get("activity") or quote.get("person")
    day = w.day_of(quote["day"])
    return f"“{quote['text']}” — " + (w.t("export_quote_who", name=who, day=day) if who
                                      else day)
