"""A several step: pick any number of the stored choices (`options_from`), or add your own.

Each choice is a button that ticks on and off in place (✓); the buttons are paged when there
are many (dialogs/paging.py). Typed text (checked by the step's validators) is added in her
own words, or ticks the choice it names; text refused by them is kept as a note when it is
long, so nothing typed is lost. "Klaar" leads on (`next`) with what is ticked, "Overslaan"
(shown while nothing is) with nothing. What is ticked is saved under `save` as a list of
labels: the words she saw, which stay true when the choices change later.

Press codes: "t:<id>" (tick on or off; an id is a choice's, or `own_id` of her own words),
"n:done", "n:skip", "p:<n>" (page n). A choice that is gone meanwhile (or a forged id) is
answered with a notice and the step as it is now.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from dialogs import paging, validators
from dialogs.kinds.base import MAX_PAGE_DIGITS, NOTE_MIN_WORDS, PAGE, Kind
from dialogs.model import Step
from dialogs.replies import Button, Effect, Reply, label
from dialogs.run import Result, Run
from dialogs.state import Choice, DialogState

MOST = 12  # picks at most: each is a line under the goal
ON = "✓ "
LABEL = 56  # characters of a pick on its button
KEPT_LENGTH = 100  # refused text this long is kept as a note, however few its words


def own_id(text: str) -> str:
    """A short id for words of her own (a button's data must stay within 64 bytes)."""
    return "w" + hashlib.sha1(" ".join(text.split()).casefold().encode()).hexdigest()[:10]


def picked(state: DialogState, step: Step) -> list[str]:
    value = state.data.get(step.save or "")
    return [str(v) for v in value] if isinstance(value, list) else []


class Several(Kind):
    takes_text = True  # a checklist may offer typed text to it

    def check(self, step: Step) -> Iterable[str]:
        if not step.options_from:
            yield "a several step needs options_from (the choices to tick)"
        if not step.save:
            yield "a several step needs save (where the ticked ones go)"
        if not step.next:
            yield "a several step needs next (where done leads)"

    def render(self, run: Run, state: DialogState, step: Step, edit: bool) -> Reply:
        text = step.text.get(run.ctx.lang).format_map(run.values(state))
        chosen = picked(state, step)
        if chosen:
            text += "\n\n" + run.text("several_chosen", chosen=", ".join(chosen))
        where = state.data.get(PAGE)
        number = int(where["n"]) if isinstance(where, dict) and where.get("step") == state.step \
            else 0
        shown = paging.page(_buttons(run, step, chosen), number)
        nav = shown.nav(lambda n: f"{run.rev}.p:{n}", run.text)
        last = (run.button(run.text("several_done"), "n:done") if chosen
                else run.button(run.text("skip"), "n:skip"))
        rows = [[b] for b in shown.items] + ([nav] if nav else []) + [[last]]
        return Reply(text=text, buttons=rows, edit=edit)

    def say(self, run: Run, state: DialogState, step: Step, text: str) -> Result:
        checked = validators.run(step.validate_, text, run.ctx, state.data,
                                 run.catalog.validators)
        if isinstance(checked, validators.Rejected):
            keep = len(text.split()) >= NOTE_MIN_WORDS or len(text.strip()) >= KEPT_LENGTH
            if keep:  # kept as a note, which changes nothing this step shows
                run.effects.append(Effect(name="note", data={"text": text}, shown=True))
            return run.again(state, checked.key, kept=keep, params=checked.params)
        chosen = picked(state, step)
        named = _choice_named(run, step, checked)
        words = named.label if named else checked
        if words.casefold() not in {c.casefold() for c in chosen}:
            if len(chosen) >= MOST:
                return run.again(state, "several_full", params={"most": str(MOST)})
            state.data[step.save or ""] = [*chosen, words]
        return run.finish(state, [run.render(state)])

    def press(self, run: Run, state: DialogState, step: Step, code: str,
              ident: str) -> Result | None:
        if code == "p":
            if not (ident.isascii() and ident.isdigit() and len(ident) <= MAX_PAGE_DIGITS):
                return None
            state.data[PAGE] = {"step": state.step, "n": int(ident)}
            run.keep_rev()  # another page of the same step: the message's buttons stay valid
            return run.finish(state, [run.render(state, edit=True)])
        if code == "n" and ident in ("done", "skip"):
            state.data.pop(PAGE, None)
            if ident == "skip":
                state.data[step.save or ""] = []
            run.save(state, step, None)  # the step's effects and ticks, if any
            return run.enter(state, step.next, edit=True)
        if code == "t":
            return self._toggle(run, state, step, ident)
        return None

    def _toggle(self, run: Run, state: DialogState, step: Step, ident: str) -> Result:
        run.keep_rev()  # ticked in place: the message's other buttons stay valid
        chosen = picked(state, step)
        choice = next((c for c in _choices(run, step) if c.id == ident), None)
        words = choice.label if choice else next(
            (c for c in chosen if own_id(c) == ident), None)
        if words is None:  # gone meanwhile, or never there
            result = run.finish(state, [run.render(state, edit=True)])
            result.notice = run.text("several_gone")
            return result
        on = [c for c in chosen if c.casefold() != words.casefold()]
        if len(on) == len(chosen):
            if len(chosen) >= MOST:
                result = run.finish(state, [])
                result.notice = run.text("several_full", most=str(MOST))
                return result
            on.append(words)
        state.data[step.save or ""] = on
        return run.finish(state, [run.render(state, edit=True)])


def _choices(run: Run, step: Step) -> list[Choice]:
    return list(run.ctx.choices.get(step.options_from or "", []))


def _choice_named(run: Run, step: Step, text: str) -> Choice | None:
    wanted = text.casefold()
    return next((c for c in _choices(run, step) if c.label.casefold() == wanted), None)


def _buttons(run: Run, step: Step, chosen: list[str]) -> list[Button]:
    """A button per choice, then one per pick of her own (so it can be ticked off again)."""
    on = {c.casefold() for c in chosen}
    choices = _choices(run, step)
    labels = {c.label.casefold() for c in choices}
    out = [run.button((ON if c.label.casefold() in on else "") + label(c.label, LABEL),
                      f"t:{c.id}") for c in choices]
    out += [run.button(ON + label(c, LABEL), f"t:{own_id(c)}")
            for c in chosen if c.casefold() not in labels]
    return out
