"""Notes in live mode (dialogs/kinds/live.py): typed text, and media the application takes.

Typed text is a note on the current question (on the conversation while none is chosen) and
gets a quiet acknowledgement. A lone number or a shown button's label is asked about first:
kept silently, a tap typed by mistake would end up in the summary. A photo, voice message or
file is a note too; the application records it and keeps the books with `media_note`.
"""

from __future__ import annotations

import re
from typing import Any

from dialogs.kinds.live_view import current, live_data, question_id, render
from dialogs.model import Step
from dialogs.replies import Button, Effect
from dialogs.run import Result, Run
from dialogs.state import DialogState

NUMBER = re.compile(r"(\d{1,3})[.)]?")
# "ik: ik woonde zelf in Spanje" ("I: …" in English): what the librarian shared herself, not
# the person's answer.
OWN = re.compile(r"(?is)\s*(?:ik|i)\s*:(?P<rest>.*)")


def own_text(text: str) -> str | None:
    """What follows a leading "ik:" or "I:" (any case, spaces around the colon), stripped;
    None when the note does not start so."""
    found = OWN.fullmatch(text)
    return found["rest"].strip() if found else None


def mark_shared(run: Run, state: DialogState, step: Step) -> None:
    """"Iets van jezelf gedeeld" ticked, once."""
    data = live_data(state)
    if not data["shared"]:
        data["shared"] = True
        run.effects.append(Effect(name="live_mark", data={
            "question": question_id(step, current(data, step)), "mark": "shared"}))


def own_next(run: Run, state: DialogState, step: Step) -> None:
    """🙋 (or "ik:" alone): the next note is hers; ticks "iets van jezelf gedeeld"."""
    data = live_data(state)
    data["own_next"] = True
    data["shared"] = True  # each tap is written to the transcript, as before
    run.effects.append(Effect(name="live_mark", data={
        "question": question_id(step, current(data, step)), "mark": "shared"}))


def count_note(data: dict[str, Any], question: str | None) -> None:
    """The books of one note on `question` (None: on the conversation): counted under it,
    the opening gone, and the next question comes as a new message, below the notes."""
    data.pop("opening", None)
    if question is not None:
        noted = dict(data.get("noted", {}))
        noted[question] = int(noted.get(question, 0)) + 1
        data["noted"] = noted
    data["fresh"] = False


def media_note(state: DialogState, step: Step) -> tuple[str | None, dict[str, Any]]:
    """Media sent at a live step is a note, as typed text is: the question it belongs to,
    and the dialog data as the note leaves it (the state's own stays as it was)."""
    data = dict(state.data)
    question = question_id(step, current(data, step))
    count_note(data, question)
    return question, data


def _plain(text: str) -> str:
    """A label as typed: letters and digits only, lower case ("⏭ Volgende vraag": "volgende
    vraag")."""
    return " ".join("".join(c if c.isalnum() else " " for c in text).split()).casefold()


def slip(text: str, shown: list[Button]) -> tuple[bool, Button | None]:
    """Whether `text` looks like a tap typed rather than a note: a lone number (the console
    numbers buttons; the button of that number, if shown) or a shown button's label."""
    typed = text.strip()
    if found := NUMBER.fullmatch(typed):
        number = int(found[1])
        return True, shown[number - 1] if 1 <= number <= len(shown) else None
    plain = _plain(typed)
    meant = next((b for b in shown if plain and _plain(b.label) == plain), None)
    return meant is not None, meant


def _ask(run: Run, state: DialogState, step: Step, text: str, meant: Button | None) -> Result:
    """Not kept yet: the question again, asking whether a button was meant, with ✍️ to keep
    it after all (last, so the console's numbers of the other buttons stay)."""
    state.data["_unsure"] = text
    state.data["fresh"] = False
    shown = render(run, state, step)
    said = (run.text("live_unsure_button", text=text, label=meant.label) if meant
            else run.text("live_unsure", text=text))
    keep_row = [run.button(run.text("live_unsure_keep", text=text[:20]), "l:keep")]
    return run.finish(state, [shown.model_copy(update={
        "text": f"{said}\n\n{shown.text}", "buttons": [*shown.buttons, keep_row]})])


def keep(run: Run, state: DialogState, step: Step, unsure: object) -> Result:
    """✍️ under the question asked about a lone number: it was a note after all."""
    if not isinstance(unsure, str):
        return run.stale(state)
    result = note(run, state, step, unsure, sure=True)
    result.ack = False
    result.notice = run.text("live_kept_notice")
    result.replies = [render(run, state, step, edit=True)]
    return result


def note(run: Run, state: DialogState, step: Step, text: str, *, sure: bool = False) -> Result:
    """Typed text is a note on the current question (on the conversation while none is
    chosen); the answer is a quiet acknowledgement. A lone number or a button's label is
    asked about first."""
    data = live_data(state)
    data.pop("opening", None)
    data.pop("_unsure", None)
    run.keep_rev()  # the prompt's buttons stay valid while notes come in
    said = own_text(text)
    if said == "":  # "ik:" alone: as 🙋, the next note is hers (nothing to keep yet)
        own_next(run, state, step)
        return run.finish(state, [render(run, state, step)])
    if said is None and not sure:
        looks, meant = slip(text, [b for row in render(run, state, step).buttons for b in row])
        if looks:
            return _ask(run, state, step, text, meant)
    own = said is not None or bool(data.pop("own_next", None))
    question = question_id(step, current(data, step))
    if own:
        mark_shared(run, state, step)
    else:
        count_note(data, question)
    data["fresh"] = False
    found: dict[str, Any] = {"question": question, "text": said or text}
    run.effects.append(Effect(name="live_note", data={**found, "own": True} if own else found))
    result = run.finish(state, [])
    result.ack = True
    return result
