"""The report's "lessons and next steps": what the librarian concluded after each open
conversation, as the method asks (phase 4's reflection: value for both sides, the
community's own motivation, what success looks like for this person), then the actions
still open (the overdue ones say so) and the goals behind their pace, as of the period's end.
"""

from __future__ import annotations

from typing import Any

from bot.features.export.report_base import Writer
from bot.features.export.report_goals import pace_words, standing
from bot.features.export.report_route import answer_value
from dialogs.rules.goals.pace import Pace

# The reflection's answers (dialogs/definitions/talk/talk.yaml), each with its reason.
REFLECTION = (("value_both", "value_why"), ("motivated", "motivated_why"),
              ("success_line", None))


def lessons(w: Writer, c: dict[str, Any]) -> None:
    w.add("h", w.t("export_lessons"), level=3)
    learned = reflections(w, c.get("conversations") or [])
    open_ = sorted((a for a in c.get("actions") or [] if not a.get("done_at")),
                   key=lambda a: a.get("due") or "9")
    behind = [(g, s) for g in c.get("goals") or []
              if (s := standing(g, w.today, w.zone)).pace in (Pace.BEHIND, Pace.OVERDUE)]
    if not learned and not open_ and not behind:
        w.add("p", w.t("export_lessons_none"))
        return
    if learned:
        w.add("h", w.t("export_learned"), level=4)
    for who, line in learned:
        w.add("li", line, label=who)
    if open_:
        w.add("h", w.t("export_open_actions"), level=4)
    for a in open_:
        who = f" ({a['who']})" if a.get("who") else ""
        w.add("li", f"{a['what']}{who} — {action_state(w, a.get('due'))}", checked=False)
    if behind:
        w.add("h", w.t("export_goals_behind"), level=4)
    for goal, s in behind:
        w.add("li", f"{goal['specific']} — {pace_words(s, w)}")


def action_state(w: Writer, due: str | None) -> str:
    """"te laat, moest uiterlijk 30 november 2026 af zijn" (as of the period's end),
    "uiterlijk 18 december 2026", "open"."""
    if not due:
        return w.t("export_action_open")
    if due[:10] < w.today.isoformat():
        return w.t("export_action_late", date=w.day_of(due))
    return w.t("export_action_due", date=w.day_of(due))


def reflections(w: Writer, conversations: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """("Fatima, 30 oktober 2026:", "Meerwaarde voor beide partijen: ja — Zij hebben mensen … ·
    …") per conversation she reflected on, oldest first."""
    out = []
    for conv in sorted(conversations, key=lambda v: v.get("started_at") or ""):
        said = conv.get("reflection")
        if not isinstance(said, dict):
            continue
        parts = []
        for answer, why in REFLECTION:
            value = str(said.get(answer) or "").strip()
            reason = str(said.get(why) or "").strip() if why else ""
            if not value:
                continue
            words = value if why is None else answer_value(w, f"talk.{answer}", value)
            parts.append(w.t(f"export_learned_{answer}") + ": " + words
                         + (f" — {reason}" if reason else ""))
        if parts:
            person = (conv.get("person") or {}).get("name") or "?"
            out.append((f"{person}, {w.day(conv.get('started_at'))}:", " · ".join(parts)))
    return out
