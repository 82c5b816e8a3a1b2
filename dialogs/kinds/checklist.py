"""A checklist step: a button per item that ticks it on or off in place; an item with `ask`
opens that question instead. A checklist may be spread over several steps."""

from __future__ import annotations

from collections.abc import Iterable

from dialogs.kinds.base import Kind, option_rows
from dialogs.model import Item, Route, Step
from dialogs.replies import Button, Effect, Reply, shorten
from dialogs.run import Result, Run
from dialogs.state import DialogState

CHECK_ON, CHECK_OFF = "✅", "⬜"


ITEM_SHOWN = 200  # characters of what an item holds, shown under the checklist
TEXT_MARK = " ✍️"  # ends the label of an item that asks for text


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
        held = [f"• {item.label.get(lang).removesuffix(TEXT_MARK)}: {shorten(found, ITEM_SHOWN)}"
                for item in step.items
                if (found := run.ctx.values.get(f"item.{step.checklist}.{item.id}"))]
        if held:
            text += "\n\n" + "\n".join(held)
        ticked = run.ctx.ticks.get(step.checklist, set())
        rows: list[list[Button]] = []
        for item in step.items:
            # The button says what it will do ("u": untick, "i": tick), not "toggle": when a
            # colleague ticked the item meanwhile, this press must not undo their tick.
            on = item.id in ticked
            rows.append([run.button(f"{CHECK_ON if on else CHECK_OFF} {item.label.get(lang)}",
                                    f"{'u' if on else 'i'}:{item.id}")])
        rows.extend(option_rows(run, state, step, values))
        return Reply(text=text, buttons=rows, edit=edit)

    def say(self, run: Run, state: DialogState, step: Step, text: str) -> Result:
        """Typed text is a note; while items that hold text are still open, the application
        offers to file it under one of them instead (effect `offer_note`)."""
        open_items = [f"{step.checklist}.{item.id}" for item in text_items(run, state, step)
                      if item.id not in run.ctx.ticks.get(step.checklist or "", set())]
        if not open_items or not text.strip():
            return super().say(run, state, step, text)
        run.effects.append(Effect(name="offer_note", data={"text": text, "items": open_items}))
        run.keep_rev()  # the checklist above stays usable
        return run.finish(state, [])

    def press(self, run: Run, state: DialogState, step: Step, code: str,
              ident: str) -> Result | None:
        if code not in ("i", "u"):
            return super().press(run, state, step, code, ident)
        item = next((i for i in step.items if i.id == ident), None)
        if item is None:
            return None
        if item.ask:
            return run.enter(state, [Route(to=item.ask)], edit=True)
        assert step.checklist is not None
        ticks = run.ctx.ticks
        ticked = set(ticks.get(step.checklist, set()))
        on = code == "i"
        if on != (item.id in ticked):  # else someone else got there first: show how it is
            (ticked.add if on else ticked.discard)(item.id)
            run.effects.append(Effect(name="tick", data={
                "item": f"{step.checklist}.{item.id}", "on": on}, shown=True))
        run.keep_rev()  # quick taps on several items of one checklist must all count
        # The message shows the ticks as this press leaves them.
        run.ctx = run.ctx.model_copy(update={"ticks": {**ticks, step.checklist: ticked}})
        return run.finish(state, [run.render(state, edit=True)])


def text_items(run: Run, state: DialogState, step: Step) -> list[Item]:
    """The items whose tap asks for text (a question or an entries step)."""
    dialog = run.dialog(state)
    return [item for item in step.items
            if item.ask and getattr(run.kind(dialog.step(item.ask)), "takes_text", False)]
