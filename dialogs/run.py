"""One event's walk through the steps: the public object a step kind works with, and the
step kind protocol itself.

A kind reads the catalog and context from it, builds buttons, saves answers, records effects,
and ends the walk with `finish`, `enter`, `again`, `confirm` or `stale`. The kinds build on
this module, and the catalog on the kinds, so a run knows the catalog only as `Definitions`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from dialogs import validators
from dialogs.computed import Computed
from dialogs.model import Dialog, KindRules, Route, Step
from dialogs.replies import Button, Effect, Reply, shorten
from dialogs.state import Context, DialogState

MAX_HOPS = 32
MAX_NOTICE = 200  # characters Telegram shows of a button press's answer
PENDING = "_confirm"
# The dialog's data as it was when the librarian last left a resting step (or the dialog
# began): what differs from it, she typed since (see dialogs/rules/unsaved.py).
SINCE_REST = "_since_rest"


@dataclass
class Result:
    state: DialogState | None
    rev: int
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    stale: bool = False
    notice: str | None = None
    passthrough: bool = False
    ack: bool = False
    # A route to `/command args`: the dialog ended and the application runs this command.
    command: str | None = None


@runtime_checkable
class StepKind(KindRules, Protocol):
    """What a kind of step does; the engine asks the current step's kind and nothing else.
    Loading a definition asks only its part in `KindRules` (dialogs/model.py)."""

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


class Definitions(Protocol):
    """What a run reads of the catalog (dialogs.catalog.Catalog): the dialogs, the shared
    texts, and the kinds, validators and computed values it was loaded with."""

    @property
    def kinds(self) -> Mapping[str, StepKind]: ...

    @property
    def validators(self) -> Mapping[str, validators.Validator]: ...

    @property
    def computed(self) -> Mapping[str, Computed]: ...

    @property
    def checklists(self) -> dict[str, frozenset[str]]: ...

    def dialog(self, dialog_id: str) -> Dialog: ...

    def text(self, key: str, lang: str, **params: object) -> str: ...

    def counted(self, key: str, lang: str, count: int, **params: object) -> str: ...


class Values(dict[str, str]):
    """Template values: the context's, the dialog's data over them, then checklist progress
    and computed values on demand; a name nobody provides shows as an ellipsis."""

    def __init__(self, base: dict[str, str], data: dict[str, Any], lang: str,
                 computed: Mapping[str, Computed],
                 progress: Callable[[str], str | None] = lambda key: None) -> None:
        super().__init__(base)
        self.data = data
        self.lang = lang
        self.computed = computed
        self.progress = progress

    def __missing__(self, key: str) -> str:
        done = self.progress(key)
        if done is not None:
            return done
        fn = self.computed.get(key)
        # The dialog's data over the context's values, so a computed text can quote stored ones.
        return fn({**self, **self.data}, self.lang) if fn else "…"


class Run:
    """Collects replies and effects while one event walks through the steps.

    `rev` is the revision the new buttons carry: one more than the context's when the step
    moves on, the context's own (`keep_rev`) when the shown message's buttons stay valid.
    """

    def __init__(self, catalog: Definitions, ctx: Context, rev: int) -> None:
        self.catalog = catalog
        self.ctx = ctx
        self.rev = rev
        self.replies: list[Reply] = []
        self.effects: list[Effect] = []

    def dialog(self, state: DialogState) -> Dialog:
        return self.catalog.dialog(state.dialog)

    def current(self, state: DialogState) -> Step:
        return self.dialog(state).step(state.step)

    def kind(self, step: Step) -> StepKind:
        return self.catalog.kinds[step.kind]

    def text(self, key: str, **params: object) -> str:
        """A shared text in the user's language."""
        return self.catalog.text(key, self.ctx.lang, **params)

    def button(self, label: str, code: str) -> Button:
        return Button(label=label, data=f"{self.rev}.{code}")

    def finish(self, state: DialogState | None, replies: list[Reply]) -> Result:
        return Result(state=state, rev=self.rev, replies=self.replies + replies,
                      effects=self.effects)

    def keep_rev(self) -> None:
        """Stay on the same step: the message's other buttons remain valid."""
        self.rev = self.ctx.rev

    def passthrough(self, state: DialogState) -> Result:
        """Input the dialog leaves to the application layer (text on a resting step is a
        field note); the step stays as it is."""
        return Result(state=state, rev=self.ctx.rev, passthrough=True)

    def stale(self, state: DialogState) -> Result:
        """An outdated or unknown press: one answer saying where the librarian is (the first
        line of the current step), nothing recorded. The step's own message is already on
        her screen, so it is not sent again."""
        again = Run(self.catalog, self.ctx, self.ctx.rev)
        text = again.render(state).text
        opening = state.data.get("opening")
        if isinstance(opening, str) and opening:  # above a conversation's first question
            text = text.removeprefix(opening).lstrip("\n")
        where = next((line for line in text.splitlines() if line.strip()), "")
        room = MAX_NOTICE - len(self.text("stale_button_here", where=""))
        result = again.finish(state, [])
        result.stale = True
        result.notice = self.text("stale_button_here", where=shorten(where, room))
        return result

    def again(self, state: DialogState, key: str, *, kept: bool = False,
              params: dict[str, str] | None = None) -> Result:
        """Re-prompt in one message: why, then the same step with its buttons (same rev, so
        the buttons shown before still work too)."""
        self.keep_rev()
        reason = self.text(key, **(params or {}))
        if kept:
            reason = self.text("kept_as_note") + " " + reason
        shown = self.render(state)
        return self.finish(state, [shown.model_copy(update={"text": f"{reason}\n\n{shown.text}",
                                                            "edit": False})])

    def confirm(self, state: DialogState, rejected: validators.Rejected) -> Result:
        """An unusual answer: ask "is that right?" and keep the value until the answer."""
        state.data[PENDING] = {"step": state.step, "value": rejected.confirm_value}
        text = self.text(rejected.key, **rejected.params)
        buttons = [[self.button(self.text("confirm_yes"), "c:yes")],
                   [self.button(self.text("confirm_no"), "c:no")]]
        return self.finish(state, [Reply(text=text, buttons=buttons)])

    def save(self, state: DialogState, current: Step, value: str | None, *,
             key: str | None = None) -> None:
        """Record an accepted answer (None when skipped) under `key` (the step's `save` by
        default), and the step's effects."""
        key = key or current.save
        for obsolete in current.clears:
            state.data.pop(obsolete, None)
        if key and value is not None:
            state.data[key] = value
            if self.dialog(state).answers:
                self.effects.append(Effect(name="answer", data={
                    "key": f"{state.dialog}.{key}", "value": value}))
        if current.ticks:
            self.effects.append(Effect(name="tick", data={"item": current.ticks, "on": True}))
        if current.effect:
            self.effects.append(Effect(name=current.effect, data=dict(state.data)))

    def enter(self, state: DialogState, routes: list[Route], *, edit: bool = False) -> Result:
        """Follow routes until a step that waits for the user (or an end); each step reached
        says, through its kind, whether the walk stops there or goes on."""
        current = state
        resting = not state.step or self.current(state).rest
        for _ in range(MAX_HOPS):
            target = self._pick(routes)
            if target.startswith("/"):
                result = self.finish(None, [])
                result.command = target.format_map(self.values(current)).strip()
                return result
            if target.startswith("@"):
                dialog = self.catalog.dialog(target[1:])
                current = DialogState(dialog=dialog.id, step=dialog.start, data={})
                resting = True
            else:
                current = DialogState(dialog=current.dialog, step=target, data=current.data)
            reached = self.current(current)
            if resting and not reached.rest and not self.dialog(current).answers:
                before = {k: v for k, v in current.data.items() if not k.startswith("_")}
                current.data.pop(SINCE_REST, None)
                if before:
                    current.data[SINCE_REST] = before
            resting = reached.rest
            onward = self.kind(reached).enter(self, current, reached,
                                              edit and not self.replies)
            if isinstance(onward, Result):
                return onward
            routes = onward
        raise RuntimeError(f"dialog {state.dialog!r} loops through message steps")

    def render(self, state: DialogState, *, edit: bool = False) -> Reply:
        """The current step as a message, with buttons carrying this run's rev."""
        current = self.current(state)
        return self.kind(current).render(self, state, current, edit)

    def values(self, state: DialogState) -> Values:
        """What a step's texts may name: the context's values, the dialog's data, computed."""
        values = Values(self.ctx.values, state.data, self.ctx.lang, self.catalog.computed,
                         self._progress)
        values.update({k: str(v) for k, v in state.data.items() if not k.startswith("_")})
        return values

    def _pick(self, routes: list[Route]) -> str:
        for route in routes:
            if route.when is None or self.holds(route.when):
                return route.to
        raise RuntimeError("no route applies")

    def holds(self, condition: str | None) -> bool:
        if condition is None:
            return True
        negate = condition.startswith("!")
        value = self.ctx.facts.get(condition.lstrip("!"), False)
        return not value if negate else value

    def _progress(self, checklist: str) -> str | None:
        """A checklist's progress ("2/5"), from the ticks as this step leaves them."""
        items = self.catalog.checklists.get(checklist)
        if items is None:
            return None
        return f"{len(items.intersection(self.ctx.ticks.get(checklist, ())))}/{len(items)}"
