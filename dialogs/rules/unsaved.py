"""What a librarian typed in a dialog that is not stored yet: what `/cancel` would drop.

A wizard (a new goal, an activity) stores what was typed in one go, at its step with an
`effect`; until then the answers live only in the dialog's state. What she typed is what
differs from the data she left the last resting step with (an earlier goal's answers stay
in the data, stored). A dialog with `answers:
true` stores each answer as it is given, and a resting step (an overview) comes after the
writing, so neither holds anything unstored.
"""

from __future__ import annotations

import re
from datetime import date

from dialogs.model import Dialog, Step
from dialogs.rules.dates import day_month_year
from dialogs.run import PENDING, SINCE_REST
from dialogs.state import DialogState


def unsaved(dialog: Dialog, state: DialogState, lang: str) -> list[str]:
    """The answers typed in `state` that no step has stored yet, in the dialog's order (a
    day as words, as she typed one)."""
    current = dialog.steps.get(state.step)
    if dialog.answers or current is None or current.rest or not _writes_ahead(dialog, state.step):
        return []
    before = state.data.get(SINCE_REST) or {}
    found: list[str] = []
    for step in dialog.steps.values():
        value = state.data.get(step.save) if step.kind == "question" and step.save else None
        if value == before.get(step.save):  # not typed on this pass: stored before, or given
            continue
        if _typed(step, value) and (shown := _labelled(step, _shown(str(value), lang), lang)) \
                not in found:
            found.append(shown)
    pending = state.data.get(PENDING)  # an unusual answer awaiting "is that right?"
    if isinstance(pending, dict) and isinstance(pending.get("value"), str) \
            and pending["value"].strip() and pending["value"] not in found:
        found.append(pending["value"])
    return found


def _shown(value: str, lang: str) -> str:
    try:  # a day is kept as 2027-06-01
        return day_month_year(date.fromisoformat(value), lang) if len(value) == 10 else value
    except ValueError:
        return value


def _labelled(step: Step, value: str, lang: str) -> str:
    """The answer after its question's first words ("Waar staan jullie nu? 0", "S ·
    Specifiek: een taalcafé"), so a bare number in a draft says what it was."""
    first = re.split(r"(?<=[.?])\s", step.text.get(lang).strip(), maxsplit=1)[0]
    first = re.sub(r"\s*\(\{[^}]*\}\)", "", first)  # "(…{metric})": the wizard's own data
    if "{" in first or len(first) > 60:
        return value
    first = first.rstrip(".")
    return f"{first} {value}" if first.endswith("?") else f"{first}: {value}"


def _typed(step: Step, value: object) -> bool:
    """Words she typed, not a tapped option's value (`library`, `-`)."""
    return isinstance(value, str) and bool(value.strip()) \
        and value not in {option.value for option in step.options}


def _writes_ahead(dialog: Dialog, start: str) -> bool:
    """Whether a step that stores (an `effect`) lies ahead of `start`, before any resting
    step: the answers typed on the way are for that step to store."""
    seen, todo = set(), [start]
    while todo:
        step_id = todo.pop()
        if step_id in seen or step_id not in dialog.steps:
            continue  # another dialog (`@x`), a command (`/x`), or done already
        seen.add(step_id)
        step = dialog.steps[step_id]
        if step.rest and step_id != start:
            continue
        if step.effect:
            return True
        routes = step.next + [route for option in step.options for route in option.next]
        todo += [route.to for route in routes]
    return False
