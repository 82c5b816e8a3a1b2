"""The behaviour most step kinds share (option buttons, stored choices, stray text).

A kind is stateless: everything it needs comes in as the run, the dialog state and the step
(the protocol, `StepKind`, is in dialogs/run.py). Press codes are "<prefix>:<ident>"; "o" (an
option), "d" (a stored choice) and "p" (a page of stored choices) belong to every kind
through `Kind`, so a new kind picks a prefix of its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from dialogs import paging
from dialogs.model import Option, Route, Step
from dialogs.replies import Button, Effect, Reply
from dialogs.run import Result, Run, Values
from dialogs.state import DialogState

NOTE_MIN_WORDS = 4
# Where a step shows its stored choices from: {"step": step id, "n": page number}.
PAGE = "_page"
MAX_PAGE_DIGITS = 4


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
        return Reply(text=text, buttons=option_rows(run, state, step, values), edit=edit)

    def enter(self, run: Run, state: DialogState, step: Step,
              edit: bool) -> Result | list[Route]:
        run.replies.append(run.render(state, edit=edit))
        return run.finish(state, [])

    def say(self, run: Run, state: DialogState, step: Step, text: str) -> Result:
        return stray_text(run, state, step, text, self.hint)

    def press(self, run: Run, state: DialogState, step: Step, code: str,
              ident: str) -> Result | None:
        if code == "o":
            option = next((o for o in shown_options(run, step) if o.id == ident), None)
            if option is None:
                return None
            state.data.pop(PAGE, None)
            run.save(state, step, option.value or option.id)
            return run.enter(state, option.next or step.next, edit=True)
        if code == "d" and step.options_from:
            known = {c.id for c in run.ctx.choices.get(step.options_from, [])}
            if ident not in known:
                return None
            state.data.pop(PAGE, None)
            run.save(state, step, ident, key=step.choice_save)
            return run.enter(state, step.next, edit=True)
        if code == "p" and step.options_from:
            if not (ident.isascii() and ident.isdigit() and len(ident) <= MAX_PAGE_DIGITS):
                return None
            # Another page of the same step: the message's other buttons stay valid.
            state.data[PAGE] = {"step": state.step, "n": int(ident)}
            run.keep_rev()
            return run.finish(state, [run.render(state, edit=True)])
        return None


def shown_options(run: Run, step: Step) -> list[Option]:
    """The step's options whose condition holds (a hidden one is not taken either)."""
    return [o for o in step.options if run.holds(o.when)]


def option_buttons(run: Run, step: Step, values: Values) -> list[Button]:
    """The step's own options (not its stored choices: see `option_rows`)."""
    lang = run.ctx.lang
    return [run.button(o.label.get(lang).format_map(values), f"o:{o.id}")
            for o in shown_options(run, step)]


def option_rows(run: Run, state: DialogState, step: Step, values: Values,
                extra: list[Button] | None = None) -> list[list[Button]]:
    """The stored choices (options_from) a page at a time, with buttons to the other
    pages, then the step's own options and `extra` ones. A list built from data can grow
    past what Telegram shows under one message (dialogs/paging.py)."""
    own = option_buttons(run, step, values) + (extra or [])
    if not step.options_from:
        return layout(own, step.columns)
    stored = [run.button(c.label, f"d:{c.id}")
              for c in run.ctx.choices.get(step.options_from, [])]
    where = state.data.get(PAGE)
    number = int(where["n"]) if isinstance(where, dict) and where.get("step") == state.step \
        else 0
    shown = paging.page(stored, number)
    nav = shown.nav(lambda n: f"{run.rev}.p:{n}", run.text)
    return (layout(shown.items, step.columns) + ([nav] if nav else [])
            + layout(own, step.columns))


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
