"""A checklist step: a button per item that ticks it on or off in place; an item with `ask`
opens that question instead. A checklist may be spread over several steps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from dialogs.kinds.base import Kind, layout, option_buttons
from dialogs.model import Route, Step
from dialogs.replies import Button, Effect, Reply
from dialogs.state import DialogState

if TYPE_CHECKING:
    from dialogs.run import Result, Run

CHECK_ON, CHECK_OFF = "✅", "⬜"


class Checklist(Kind):
    rests = True
    hint = "tick_hint"

    def check(self, step: Step) -> Iterable[str]:
        if not step.items:
            yield "a checklist step needs items"
        if not step.checklist:
            yield "a checklist step needs a checklist id"

    def render(self, run: Run, state: DialogState, step: Step, edit: bool) -> Reply:
        assert step.checklist is not None
        lang = run.ctx.lang
        values = run.values(state)
        text = step.text.get(lang).format_map(values)
        ticked = run.ctx.ticks.get(step.checklist, set())
        rows: list[list[Button]] = []
        for item in step.items:
            mark = CHECK_ON if item.id in ticked else CHECK_OFF
            rows.append([run.button(f"{mark} {item.label.get(lang)}", f"i:{item.id}")])
        rows.extend(layout(option_buttons(run, step, values), step.columns))
        return Reply(text=text, buttons=rows, edit=edit)

    def press(self, run: Run, state: DialogState, step: Step, code: str,
              ident: str) -> Result | None:
        if code != "i":
            return super().press(run, state, step, code, ident)
        item = next((i for i in step.items if i.id == ident), None)
        if item is None:
            return None
        if item.ask:
            return run.enter(state, [Route(to=item.ask)], edit=True)
        assert step.checklist is not None
        ticks = run.ctx.ticks
        ticked = set(ticks.get(step.checklist, set()))
        on = item.id not in ticked
        ticked.symmetric_difference_update({item.id})
        run.effects.append(Effect(name="tick", data={"item": f"{step.checklist}.{item.id}",
                                                     "on": on}, shown=True))
        run.keep_rev()  # quick taps on several items of one checklist must all count
        # The message shows the ticks as this press leaves them.
        run.ctx = run.ctx.model_copy(update={"ticks": {**ticks, step.checklist: ticked}})
        return run.finish(state, [run.render(state, edit=True)])
