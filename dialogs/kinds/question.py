"""A question step: typed text is the answer, checked by the step's validators.

An unusual answer is confirmed first ("c:yes" / "c:no"); an optional question has a skip
button ("s"); a saved answer from before is shown under the question.
"""

from __future__ import annotations

from collections.abc import Iterable

from dialogs import validators
from dialogs.kinds.base import Kind, option_rows
from dialogs.model import Step
from dialogs.replies import Reply
from dialogs.run import PENDING, Result, Run
from dialogs.state import DialogState


class Question(Kind):
    takes_text = True  # a checklist may offer typed text to it

    def check(self, step: Step) -> Iterable[str]:
        if not step.next:
            yield "a question step needs next"

    def render(self, run: Run, state: DialogState, step: Step, edit: bool) -> Reply:
        lang = run.ctx.lang
        values = run.values(state)
        text = step.text.get(lang).format_map(values)
        if step.save:
            existing = run.ctx.values.get(f"answer.{state.dialog}.{step.save}")
            if existing:
                text += "\n\n" + run.text("current_value", value=existing)
        skip = [run.button(run.text("skip"), "s")] if step.optional else []
        return Reply(text=text, buttons=option_rows(run, state, step, values, skip),
                     edit=edit)

    def say(self, run: Run, state: DialogState, step: Step, text: str) -> Result:
        state.data.pop(PENDING, None)
        checked = validators.run(step.validate_, text, run.ctx, state.data,
                                  run.catalog.validators)
        if isinstance(checked, validators.Rejected) and checked.confirm_value is not None:
            return run.confirm(state, checked)
        if isinstance(checked, validators.Rejected):
            return run.again(state, checked.key, params=checked.params)
        run.save(state, step, checked)
        return run.enter(state, step.next)

    def press(self, run: Run, state: DialogState, step: Step, code: str,
              ident: str) -> Result | None:
        if code == "c":
            pending = state.data.pop(PENDING, None)
            if not isinstance(pending, dict) or pending.get("step") != state.step:
                return None
            if ident == "yes":
                run.save(state, step, str(pending["value"]))
                return run.enter(state, step.next, edit=True)
            return run.finish(state, [run.render(state, edit=True)])
        if code == "s" and step.optional:
            run.save(state, step, None)
            return run.enter(state, step.next, edit=True)
        return super().press(run, state, step, code, ident)
