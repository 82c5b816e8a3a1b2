"""The step kind protocol, and the behaviour most kinds share (option buttons, stray text).

A kind is stateless: everything it needs comes in as the run, the dialog state and the step.
Press codes are "<prefix>:<ident>"; "o" (an option) and "d" (a stored choice) belong to every
kind through `Kind`, so a new kind picks a prefix of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from dialogs.model import Route, Step
from dialogs.replies import Button, Effect, Reply
from dialogs.state import DialogState

if TYPE_CHECKING:
    from dialogs.run import Result, Run, _Values

NOTE_MIN_WORDS = 4


@runtime_checkable
class StepKind(Protocol):
    """What a kind of step does; the engine asks the current step's kind and nothing else."""

    # Whether a step of this kind may be a resting step (`rest: true`).
    rests: bool

    def check(self, step: Step) -> Iterable[str]:
        """Problems with a step of this kind, found when its definition loads."""
        ...

    def render(self, run: Run, state: DialogState, step: Step, edit: bool) -> Reply:
        """The step as a message, buttons built with `run.button`."""
        ...

    def enter(self, run: Run, state: DialogState, step: Step,
              edit: bool) -> Result | list[Route]:
        """Arriving at the step: a Result ends the walk, routes lead on to the next step."""
        ...

    def say(self, run: Run, state: DialogState, step: Step, text: str) -> Result:
        """The user typed `text` while at the step."""
        ...

    def press(self, run: Run, state: DialogState, step: Step, code: str,
              ident: str) -> Result | None:
        """A current button was pressed; None when the press means nothing here (stale)."""
        ...


class Kind:
    """Defaults: a step that shows its text and options, waits there, and takes option presses
    and stored choices. Typed text is a field note (or passes through on a resting step)."""

    rests = False
    hint = "choose_button"  # what a re-prompt says when text comes where a tap was expected

    def check(self, step: Step) -> Iterable[str]:
        return ()

    def render(self, run: Run, state: DialogState, step: Step, edit: bool) -> Reply:
        values = run.values(state)
        text = step.text.get(run.ctx.lang).format_map(values)
        return Reply(text=text, buttons=layout(option_buttons(run, step, values), step.columns),
                     edit=edit)

    def enter(self, run: Run, state: DialogState, step: Step,
              edit: bool) -> Result | list[Route]:
        run.replies.append(run.render(state, edit=edit))
        return run.finish(state, [])

    def say(self, run: Run, state: DialogState, step: Step, text: str) -> Result:
        return stray_text(run, state, step, text, self.hint)

    def press(self, run: Run, state: DialogState, step: Step, code: str,
              ident: str) -> Result | None:
        if code == "o":
            option = next((o for o in step.options if o.id == ident), None)
            if option is None:
                return None
            run.save(state, step, option.value or option.id)
            return run.enter(state, option.next or step.next, edit=True)
        if code == "d" and step.options_from:
            known = {c.id for c in run.ctx.choices.get(step.options_from, [])}
            if ident not in known:
                return None
            run.save(state, step, ident, key=step.choice_save)
            return run.enter(state, step.next, edit=True)
        return None


def option_buttons(run: Run, step: Step, values: _Values) -> list[Button]:
    """The stored choices (options_from) first, then the step's own options."""
    lang = run.ctx.lang
    options = [run.button(o.label.get(lang).format_map(values), f"o:{o.id}")
               for o in step.options]
    if step.options_from:
        options = [run.button(c.label, f"d:{c.id}")
                   for c in run.ctx.choices.get(step.options_from, [])] + options
    return options


def stray_text(run: Run, state: DialogState, step: Step, text: str, hint: str) -> Result:
    """Text where a tap was expected: on a resting step it is the application's (a field
    note); elsewhere a long one is kept as a note and the step is shown again."""
    if step.rest:
        return run.passthrough(state)
    keep = len(text.split()) >= NOTE_MIN_WORDS
    if keep:
        run.effects.append(Effect(name="note", data={"text": text}))
    return run.again(state, hint, kept=keep)


def layout(buttons: list[Button], columns: int = 1) -> list[list[Button]]:
    """Short labels (a 1–5 scale) share a row; others `columns` to a row (one by default)."""
    if buttons and all(len(b.label) <= 3 for b in buttons):
        return [buttons]
    return [buttons[i:i + columns] for i in range(0, len(buttons), columns)]
