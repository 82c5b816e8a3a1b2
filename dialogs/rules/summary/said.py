"""Who said what, in a conversation's summary: the person's notes per question with the
quote she marked ⭐ first, what she shared herself in a block of its own, and the actions
made during the conversation as they are now (dialogs/rules/summary/report.py uses these)."""

from __future__ import annotations

from datetime import date

from dialogs.rules.dates import day_month_year, weekday
from dialogs.rules.summary.models import FollowUpAction, OwnNote, QuestionNotes
from dialogs.rules.summary.notes import (
    NOTE_LIMIT,
    as_sentence,
    clean,
    condense,
    cut_words,
    split_note,
)
from dialogs.rules.summary.texts import texts


def _shorten(text: str) -> str:
    return as_sentence(cut_words(text, NOTE_LIMIT))


def question_line(q: QuestionNotes, lang: str) -> str | None:
    """"• Title? ⭐ “quote.” The other notes, condensed." (None without any notes)."""
    quotes = [c for c in (split_note(n)[0] for n in q.quotes) if c]
    contents = [c for c in (split_note(n)[0] for n in q.notes) if c]
    if not (quotes or contents):
        return None
    title = clean(q.title) or q.key
    sep = " " if title[-1:] in "?:" else ": "
    said = [f"⭐ “{_shorten(quote)}”" for quote in quotes]
    if contents:
        said.append(condense(contents, lang))
    return f"• {title}{sep}{' '.join(said)}"


def own_block(own: list[OwnNote], lang: str) -> str | None:
    """What she shared herself, a line each, with the question it came up at."""
    t = texts(lang)
    lines = []
    for note in own:
        text = clean(split_note(note.text)[0])
        if not text:
            continue
        at = f" {t['own_at'].format(n=note.number)}" if note.number else ""
        lines.append(f"• {_shorten(text)}{at}")
    return f"{t['own']}:\n" + "\n".join(lines) if lines else None


def _day(day: date, lang: str) -> str:
    return f"{weekday(day.weekday(), lang)} {day_month_year(day, lang)}"


def action_line(action: FollowUpAction, lang: str) -> str:
    """"• ✅ What (for whom) — done on …" or "• What — by …"."""
    t = texts(lang)
    what = cut_words(clean(action.what), 200)
    whom = f" ({clean(action.who)})" if action.who and clean(action.who) else ""
    if action.done is not None:
        return f"• ✅ {what}{whom} — {t['action_done'].format(date=_day(action.done, lang))}"
    when = f" — {t['action_due'].format(date=_day(action.due, lang))}" if action.due else ""
    return f"• {what}{whom}{when}"
