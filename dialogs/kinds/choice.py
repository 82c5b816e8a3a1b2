"""A choice step: buttons for its options (and stored choices); typing an option's label or
number picks it too."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from dialogs import validators
from dialogs.kinds.base import Kind
from dialogs.model import Route, Step
from dialogs.run import Result, Run
from dialogs.state import Context, DialogState


class Choice(Kind):
    rests = True

    def check(self, step: Step) -> Iterable[str]:
        if not (step.options or step.options_from):
            yield "a choice step needs options or options_from"

    def say(self, run: Run, state: DialogState, step: Step, text: str) -> Result:
        match = match_option(step, text, run.ctx, run.holds)
        if match is not None:
            target, value, stored = match
            run.save(state, step, value, key=step.choice_save if stored else None)
            return run.enter(state, target or step.next)
        checked = validators.run(step.validate_, text, run.ctx, state.data,
                                  run.catalog.validators)
        if isinstance(checked, validators.Rejected):
            return run.again(state, checked.key, params=checked.params)
        return super().say(run, state, step, text)


def match_option(step: Step, text: str, ctx: Context,
                 holds: Callable[[str | None], bool] = lambda _: True,
                 ) -> tuple[list[Route], str, bool] | None:
    """The option (or stored choice) typed by id, label or number: its routes, its value
    and whether it is a stored choice."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    lang = ctx.lang
    for number, option in enumerate((o for o in step.options if holds(o.when)), start=1):
        if wanted in (option.id, option.label.get(lang).casefold(), str(number)):
            return option.next, option.value or option.id, False
    if step.options_from:
        for number, choice in enumerate(ctx.choices.get(step.options_from, []), start=1):
            if wanted in (choice.label.casefold(), str(number)):
                return [], choice.id, True
    return None
