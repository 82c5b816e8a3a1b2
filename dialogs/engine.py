"""The state machine: (definition, state, event, context) -> (new state, replies, effects).

Pure: no I/O and no clock. The application layer loads the state and context, calls `step`,
records the effects and the new state in one transaction, and only then sends the replies.
Buttons carry "<rev>.<code>"; a press whose rev is not the user's current one is outdated.
What an event does at a step is up to the step's kind (`dialogs.kinds`): this module only
routes the event to it.
"""

from __future__ import annotations

from typing import Any

from dialogs.catalog import Catalog
from dialogs.kinds.base import NOTE_MIN_WORDS
from dialogs.kinds.checklist import CHECK_OFF, CHECK_ON
from dialogs.model import Route
from dialogs.replies import Reply
from dialogs.run import MAX_HOPS, PENDING, Result, Run
from dialogs.state import Begin, Context, DialogState, Event, Other, Press, Say

__all__ = ["CHECK_OFF", "CHECK_ON", "MAX_HOPS", "NOTE_MIN_WORDS", "PENDING", "Result", "Run",
           "parse_button", "render", "step"]


def step(catalog: Catalog, state: DialogState | None, event: Event, ctx: Context) -> Result:
    """Apply one event. With no state only `Begin` means anything."""
    if isinstance(event, Begin):
        missing = set(catalog.dialog(event.dialog).given) - event.data.keys()
        if missing:
            raise ValueError(f"dialog {event.dialog!r} is begun without {sorted(missing)}")
        run = Run(catalog, ctx, ctx.rev + 1)
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
    run = Run(catalog, ctx, ctx.rev + 1)
    current = run.current(state)
    if isinstance(event, Say):
        return run.kind(current).say(run, state, current, event.text)
    assert isinstance(event, Other)
    if current.rest:
        return run.passthrough(state)
    return run.again(state, "expects_text")


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
    return Run(catalog, ctx, ctx.rev).render(state, edit=edit)


def parse_button(data: str) -> tuple[int, str] | None:
    rev, dot, code = data.partition(".")
    if not dot or not (rev.isascii() and rev.isdigit()) or len(data) > 64 or not code:
        return None
    return int(rev), code


def _press(catalog: Catalog, state: DialogState, event: Press, ctx: Context) -> Result:
    run = Run(catalog, ctx, ctx.rev + 1)
    parsed = parse_button(event.data)
    if parsed is None or parsed[0] != ctx.rev:
        return run.stale(state)
    code, _, ident = parsed[1].partition(":")
    current = run.current(state)
    result = run.kind(current).press(run, state, current, code, ident)
    return result if result is not None else run.stale(state)
