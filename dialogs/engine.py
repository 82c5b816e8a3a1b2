"""The state machine: (definition, state, event, context) -> (new state, replies, effects).

Pure: no I/O and no clock. The application layer loads the state and context, calls `step`,
records the effects and the new state in one transaction, and only then sends the replies.
Buttons carry "<rev>.<code>"; a press whose rev is not the user's current one is outdated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dialogs import live, validators
from dialogs.catalog import Catalog
from dialogs.computed import Computed
from dialogs.model import Dialog, Route, Step
from dialogs.replies import Button, Effect, Reply
from dialogs.state import Begin, Context, DialogState, Event, Other, Press, Say

MAX_HOPS = 32
NOTE_MIN_WORDS = 4
CHECK_ON, CHECK_OFF = "✅", "⬜"


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


PENDING = "_confirm"


class _Values(dict[str, str]):
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


def step(catalog: Catalog, state: DialogState | None, event: Event, ctx: Context) -> Result:
    """Apply one event. With no state only `Begin` means anything."""
    if isinstance(event, Begin):
        missing = set(catalog.dialog(event.dialog).given) - event.data.keys()
        if missing:
            raise ValueError(f"dialog {event.dialog!r} is begun without {sorted(missing)}")
        run = _Run(catalog, ctx, ctx.rev + 1)
        first = event.step or catalog.dialog(event.dialog).start
        return run.enter(DialogState(dialog=event.dialog, step="", data=dict(event.data)),
                         [Route(to=first)])
    if state is None:
        raise ValueError("no dialog is active")
    # The engine changes the state it returns; the caller's stays as it was.
    state = DialogState.model_construct(dialog=state.dialog, step=state.step,
                                        data=_copied(state.data))
    if isinstance(event, Press):
        return _press(catalog, state, event, ctx)
    if isinstance(event, Say):
        return _say(catalog, state, event.text, ctx)
    assert isinstance(event, Other)
    if catalog.dialog(state.dialog).step(state.step).rest:
        return Result(state=state, rev=ctx.rev, passthrough=True)
    return _Run(catalog, ctx, ctx.rev).again(state, "expects_text")


def _copied(value: Any) -> Any:
    """A deep copy of JSON-like data (what a dialog state holds); much cheaper than
    `copy.deepcopy`, which is most of a step's time otherwise."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


def render(catalog: Catalog, state: DialogState, ctx: Context, *, edit: bool = False) -> Reply:
    """The current step as a message, with buttons carrying `ctx.rev`."""
    return _Run(catalog, ctx, ctx.rev).render(state, edit=edit)


def parse_button(data: str) -> tuple[int, str] | None:
    rev, dot, code = data.partition(".")
    if not dot or not rev.isdigit() or len(data) > 64 or not code:
        return None
    return int(rev), code


def _press(catalog: Catalog, state: DialogState, event: Press, ctx: Context) -> Result:
    run = _Run(catalog, ctx, ctx.rev + 1)
    parsed = parse_button(event.data)
    if parsed is None or parsed[0] != ctx.rev:
        return run.stale(state)
    code = parsed[1]
    current = run.current(state)
    kind, _, ident = code.partition(":")
    if kind == "l" and current.kind == "live":
        return live.press(run, state, current, ident)
    if kind == "o":
        option = next((o for o in current.options if o.id == ident), None)
        if option is None:
            return run.stale(state)
        run.save(state, current, option.value or option.id)
        return run.enter(state, option.next or current.next, edit=True)
    if kind == "d" and current.options_from:
        known = {c.id for c in ctx.choices.get(current.options_from, [])}
        if ident not in known:
            return run.stale(state)
        run.save(state, current, ident)
        return run.enter(state, current.next, edit=True)
    if kind == "i" and current.kind == "checklist":
        item = next((i for i in current.items if i.id == ident), None)
        if item is None:
            return run.stale(state)
        if item.ask:
            return run.enter(state, [Route(to=item.ask)], edit=True)
        assert current.checklist is not None
        ticked = set(ctx.ticks.get(current.checklist, set()))
        on = item.id not in ticked
        ticked.symmetric_difference_update({item.id})
        run.effects.append(Effect(name="tick", data={"item": f"{current.checklist}.{item.id}",
                                                     "on": on}, shown=True))
        run.keep_rev()  # quick taps on several items of one checklist must all count
        run.ctx = ctx.model_copy(update={"ticks": {**ctx.ticks, current.checklist: ticked}})
        return run.finish(state, [run.render(state, edit=True)])
    if kind == "c" and current.kind == "question":
        pending = state.data.pop(PENDING, None)
        if not isinstance(pending, dict) or pending.get("step") != state.step:
            return run.stale(state)
        if ident == "yes":
            run.save(state, current, str(pending["value"]))
            return run.enter(state, current.next, edit=True)
        return run.finish(state, [run.render(state, edit=True)])
    if kind == "s" and current.kind == "question" and current.optional:
        run.save(state, current, None)
        return run.enter(state, current.next, edit=True)
    return run.stale(state)


def _say(catalog: Catalog, state: DialogState, text: str, ctx: Context) -> Result:
    run = _Run(catalog, ctx, ctx.rev + 1)
    current = run.current(state)
    if current.kind == "live":
        return live.note(run, state, current, text)
    if current.kind == "question":
        state.data.pop(PENDING, None)
        checked = validators.run(current.validate_, text, ctx, state.data,
                                  catalog.validators)
        if isinstance(checked, validators.Rejected) and checked.confirm_value is not None:
            return run.confirm(state, checked)
        if isinstance(checked, validators.Rejected):
            return _Run(catalog, ctx, ctx.rev).again(state, checked.key, params=checked.params)
        run.save(state, current, checked)
        return run.enter(state, current.next)
    if current.kind == "choice":
        match = _match_option(current, text, ctx)
        if match is not None:
            target, value = match
            run.save(state, current, value)
            return run.enter(state, target or current.next)
        checked = validators.run(current.validate_, text, ctx, state.data,
                                  catalog.validators)
        if isinstance(checked, validators.Rejected):
            return _Run(catalog, ctx, ctx.rev).again(state, checked.key, params=checked.params)
    if current.rest:
        # A menu or checklist waits for taps, but text typed there is a field note, not an error.
        return Result(state=state, rev=ctx.rev, passthrough=True)
    keep = len(text.split()) >= NOTE_MIN_WORDS
    again = _Run(catalog, ctx, ctx.rev)
    if keep:
        again.effects.append(Effect(name="note", data={"text": text}))
    key = "tick_hint" if current.kind == "checklist" else "choose_button"
    return again.again(state, key, kept=keep)


def _match_option(current: Step, text: str, ctx: Context) -> tuple[list[Route], str] | None:
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    lang = ctx.lang
    for number, option in enumerate(current.options, start=1):
        if wanted in (option.id, option.label.get(lang).casefold(), str(number)):
            return option.next, option.value or option.id
    if current.options_from:
        for number, choice in enumerate(ctx.choices.get(current.options_from, []), start=1):
            if wanted in (choice.label.casefold(), str(number)):
                return [], choice.id
    return None


class _Run:
    """Collects replies and effects while one event walks through the steps."""

    def __init__(self, catalog: Catalog, ctx: Context, rev: int) -> None:
        self.catalog = catalog
        self.ctx = ctx
        self.rev = rev
        self.replies: list[Reply] = []
        self.effects: list[Effect] = []

    def dialog(self, state: DialogState) -> Dialog:
        return self.catalog.dialog(state.dialog)

    def current(self, state: DialogState) -> Step:
        return self.dialog(state).step(state.step)

    def finish(self, state: DialogState | None, replies: list[Reply]) -> Result:
        return Result(state=state, rev=self.rev, replies=self.replies + replies,
                      effects=self.effects)

    def keep_rev(self) -> None:
        """Stay on the same step: the message's other buttons remain valid."""
        self.rev = self.ctx.rev

    def stale(self, state: DialogState) -> Result:
        again = _Run(self.catalog, self.ctx, self.ctx.rev)
        result = again.finish(state, [again.render(state)])
        result.stale = True
        result.notice = self.catalog.text("stale_button", self.ctx.lang)
        return result

    def again(self, state: DialogState, key: str, *, kept: bool = False,
              params: dict[str, str] | None = None) -> Result:
        """Re-prompt: say why, then show the same step (same rev, so its buttons still work)."""
        lang = self.ctx.lang
        reason = self.catalog.text(key, lang, **(params or {}))
        if kept:
            reason = self.catalog.text("kept_as_note", lang) + "\n" + reason
        return self.finish(state, [Reply(text=reason), self.render(state)])

    def confirm(self, state: DialogState, rejected: validators.Rejected) -> Result:
        """An unusual answer: ask "is that right?" and keep the value until the answer."""
        state.data[PENDING] = {"step": state.step, "value": rejected.confirm_value}
        lang = self.ctx.lang
        text = self.catalog.text(rejected.key, lang, **rejected.params)
        buttons = [[self._button(self.catalog.text("confirm_yes", lang), "c:yes")],
                   [self._button(self.catalog.text("confirm_no", lang), "c:no")]]
        return self.finish(state, [Reply(text=text, buttons=buttons)])

    def save(self, state: DialogState, current: Step, value: str | None) -> None:
        """Record an accepted answer (None when skipped) and the step's effects."""
        if current.save and value is not None:
            state.data[current.save] = value
            if self.dialog(state).answers:
                self.effects.append(Effect(name="answer", data={
                    "key": f"{state.dialog}.{current.save}", "value": value}))
        if current.ticks:
            self.effects.append(Effect(name="tick", data={"item": current.ticks, "on": True}))
        if current.effect:
            self.effects.append(Effect(name=current.effect, data=dict(state.data)))

    def enter(self, state: DialogState, routes: list[Route], *, edit: bool = False) -> Result:
        """Follow routes until a step that waits for the user (or an end)."""
        current: DialogState | None = state
        for _ in range(MAX_HOPS):
            assert current is not None
            target = self._pick(routes)
            if target.startswith("@"):
                dialog = self.catalog.dialog(target[1:])
                current = DialogState(dialog=dialog.id, step=dialog.start, data={})
            else:
                current = DialogState(dialog=current.dialog, step=target, data=current.data)
            reached = self.current(current)
            if reached.kind == "live":
                self.replies.append(live.start(self, current, reached))
                return self.finish(current, [])
            reply = self.render(current, edit=edit and not self.replies)
            if reached.kind == "message":
                # Its text may go above the next step's, as one message (`joined`).
                self.replies.append(reply.model_copy(update={"lead": True}))
                routes = reached.next
                continue
            self.replies.append(reply)
            if reached.kind == "end":
                self.effects.append(Effect(name="ended", data={"dialog": current.dialog}))
                return self.finish(None, [])
            return self.finish(current, [])
        raise RuntimeError(f"dialog {state.dialog!r} loops through message steps")

    def _pick(self, routes: list[Route]) -> str:
        for route in routes:
            if route.when is None or self._holds(route.when):
                return route.to
        raise RuntimeError("no route applies")

    def _holds(self, condition: str) -> bool:
        negate = condition.startswith("!")
        value = self.ctx.facts.get(condition.lstrip("!"), False)
        return not value if negate else value

    def _values(self, state: DialogState) -> _Values:
        values = _Values(self.ctx.values, state.data, self.ctx.lang, self.catalog.computed,
                         self._progress)
        values.update({k: str(v) for k, v in state.data.items() if not k.startswith("_")})
        return values

    def _progress(self, checklist: str) -> str | None:
        """A checklist's progress ("2/5"), from the ticks as this step leaves them."""
        items = self.catalog.checklists.get(checklist)
        if items is None:
            return None
        return f"{len(items.intersection(self.ctx.ticks.get(checklist, ())))}/{len(items)}"

    def render(self, state: DialogState, *, edit: bool = False) -> Reply:
        current = self.current(state)
        if current.kind == "live":
            return live.render(self, state, current, edit=edit)
        lang = self.ctx.lang
        values = self._values(state)
        text = current.text.get(lang).format_map(values)
        rows: list[list[Button]] = []
        if current.kind == "checklist":
            assert current.checklist is not None
            ticked = self.ctx.ticks.get(current.checklist, set())
            for item in current.items:
                mark = CHECK_ON if item.id in ticked else CHECK_OFF
                label = f"{mark} {item.label.get(lang)}"
                rows.append([self._button(label, f"i:{item.id}")])
        if current.kind == "question" and current.save:
            existing = self.ctx.values.get(f"answer.{state.dialog}.{current.save}")
            if existing:
                text += "\n\n" + self.catalog.text("current_value", lang, value=existing)
        options = [self._button(o.label.get(lang).format_map(values), f"o:{o.id}")
                   for o in current.options]
        if current.options_from:
            options = [self._button(c.label, f"d:{c.id}")
                       for c in self.ctx.choices.get(current.options_from, [])] + options
        if current.kind == "question" and current.optional:
            options.append(self._button(self.catalog.text("skip", lang), "s"))
        rows.extend(_layout(options))
        return Reply(text=text, buttons=rows, edit=edit)

    def _button(self, label: str, code: str) -> Button:
        return Button(label=label, data=f"{self.rev}.{code}")


def _layout(buttons: list[Button]) -> list[list[Button]]:
    """Short labels (a 1–5 scale) share a row; longer ones get a row each."""
    if buttons and all(len(b.label) <= 3 for b in buttons):
        return [buttons]
    return [[b] for b in buttons]
