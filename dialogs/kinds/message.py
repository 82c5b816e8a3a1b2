"""A message step: says something and leads straight on to the next step."""

from __future__ import annotations

from collections.abc import Iterable

from dialogs.kinds.base import Kind
from dialogs.model import Route, Step
from dialogs.run import Result, Run
from dialogs.state import DialogState


class Message(Kind):
    def check(self, step: Step) -> Iterable[str]:
        if not step.next:
            yield "a message step needs next"

    def enter(self, run: Run, state: DialogState, step: Step,
              edit: bool) -> Result | list[Route]:
        # Its text may go above the next step's, as one message (`joined`).
        run.replies.append(run.render(state, edit=edit).model_copy(update={"lead": True}))
        return step.next
