"""An end step: its text closes the dialog, which leaves no state behind."""

from __future__ import annotations

from collections.abc import Iterable

from dialogs.kinds.base import Kind
from dialogs.model import Route, Step
from dialogs.replies import Effect
from dialogs.run import Result, Run
from dialogs.state import DialogState


class End(Kind):
    def check(self, step: Step) -> Iterable[str]:
        if step.next or step.options:
            yield "an end step has no next and no options"

    def enter(self, run: Run, state: DialogState, step: Step,
              edit: bool) -> Result | list[Route]:
        # A lead: what the application adds after the dialog (a summary) joins it in one message.
        run.replies.append(run.render(state, edit=edit).model_copy(update={"lead": True}))
        run.effects.append(Effect(name="ended", data={"dialog": state.dialog}))
        return run.finish(None, [])
