"""Live mode: one open question at a time while the librarian talks with someone.

Typed text is a note on the current question and gets a quiet acknowledgement, not a new
message (dialogs/kinds/live_notes.py). Buttons move between questions; the prompt is edited
in place unless notes were typed since it was shown (then the next question comes as a new
message, at the bottom). The step's options (e.g. details about the person) are extra
buttons that lead elsewhere. What the dialog data holds, and how the step shows it, is in
dialogs/kinds/live_view.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from dialogs.kinds.base import Kind
from dialogs.kinds.live_notes import keep, note, own_next
from dialogs.kinds.live_view import current, live_data, question_id, render
from dialogs.model import Route, Step
from dialogs.replies import Effect, Reply
from dialogs.run import Result, Run
from dialogs.state import DialogState


class Live(Kind):
    """Presses are "l:<action>"; typed text is always a note, never an answer."""

    def check(self, step: Step) -> Iterable[str]:
        if not step.questions or not step.next:
            yield "a live step needs questions and next (where 'end' leads)"

    def render(self, run: Run, state: DialogState, step: Step, edit: bool) -> Reply:
        return render(run, state, step, edit=edit)

    def enter(self, run: Run, state: DialogState, step: Step,
              edit: bool) -> Result | list[Route]:
        run.replies.append(start(run, state, step))
        return run.finish(state, [])

    def say(self, run: Run, state: DialogState, step: Step, text: str) -> Result:
        return note(run, state, step, text)

    def press(self, run: Run, state: DialogState, step: Step, code: str,
              ident: str) -> Result | None:
        data = live_data(state)
        data.pop("opening", None)
        unsure = data.pop("_unsure", None)
        if not (code == "l" and ident in ("shared", "keep")):
            data.pop("own_next", None)  # 🙋 holds for the next note on this question only
        if code == "l" and ident == "keep":
            return keep(run, state, step, unsure)
        if code == "l":
            return press(run, state, step, ident)
        return super().press(run, state, step, code, ident)


def _prompt(run: Run, state: DialogState, step: Step, index: int) -> None:
    """Write the question to the transcript, once per time it is put on screen."""
    question = step.questions[index]
    state.data["prompted"] = index
    run.effects.append(Effect(name="live_prompt", data={
        "question": question.id, "text": question.text.get(run.ctx.lang)}))


def _show(run: Run, state: DialogState, step: Step, index: int) -> Result:
    """Move to question `index`: prompt it (logged in the transcript), nudge once at half-way."""
    data = live_data(state)
    edit = bool(data.get("fresh"))
    data["q"] = index
    data.pop("view", None)
    data["fresh"] = True
    replies = []
    halfway = index >= len(step.questions) // 2
    if halfway and not data["shared"] and not data["nudged"]:
        data["nudged"] = True
        replies.append(Reply(text=run.text("live_nudge")))
        edit = False
    _prompt(run, state, step, index)
    replies.append(render(run, state, step, edit=edit))
    return run.finish(state, replies)


def start(run: Run, state: DialogState, step: Step) -> Reply:
    """Entering live mode shows the question in hand (coming back from another step of the
    dialog, it is not written to the transcript again)."""
    data = live_data(state)
    data["fresh"] = True
    index = current(data, step)
    if index is not None and data.get("prompted") != index:
        _prompt(run, state, step, index)
    return render(run, state, step)


def _following(data: dict[str, Any], step: Step, index: int | None) -> int:
    """Where "next" leads: the next question a follow-up still has to cover, else the next."""
    ids = [q.id for q in step.questions]
    after = -1 if index is None else index
    for qid in data.get("open", []):
        if qid in ids and ids.index(qid) > after:
            return ids.index(qid)
    return after + 1


def _shown_again(run: Run, state: DialogState, step: Step, notice: str | None = None) -> Result:
    """The step shown again in place, with a notice on the press if there is one."""
    result = run.finish(state, [render(run, state, step, edit=True)])
    if notice is not None:
        result.notice = run.text(notice, person=state.data.get("person_name") or "?")
    return result


def _same_question(action: str, index: int | None, target: int, last: int) -> bool:
    """Whether the press leaves the same question on screen."""
    return action in ("shared", "list", "resume") or (action == "next" and target > last) or (
        action == "back" and not index)


# What a live button does: (run, state, step, question shown, where "next" leads).
Move = Callable[[Run, DialogState, Step, int | None, int], Result]


def _next(run: Run, state: DialogState, step: Step, index: int | None, target: int) -> Result:
    if target > len(step.questions) - 1:
        state.data["view"] = "list"
        return _shown_again(run, state, step, "live_was_last")
    return _show(run, state, step, target)


def _back(run: Run, state: DialogState, step: Step, index: int | None, target: int) -> Result:
    if not index:
        return _shown_again(run, state, step, "live_is_first")
    return _show(run, state, step, index - 1)


def _skip(run: Run, state: DialogState, step: Step, index: int | None, target: int) -> Result:
    if index is None:
        return run.stale(state)
    question = step.questions[index]
    if question.id not in state.data["skipped"]:
        state.data["skipped"].append(question.id)
    run.effects.append(Effect(name="live_mark", data={"question": question.id,
                                                     "mark": "skipped"}))
    if target > len(step.questions) - 1:
        state.data["view"] = "list"
        return _shown_again(run, state, step)
    return _show(run, state, step, target)


def _shared(run: Run, state: DialogState, step: Step, index: int | None, target: int) -> Result:
    """🙋: the next note is what she shared herself; tapped again, it is the person's after
    all. The tap ticks "iets van jezelf gedeeld", as it always did."""
    if state.data.pop("own_next", None):
        return _shown_again(run, state, step, "live_own_undone")
    own_next(run, state, step)
    return _shown_again(run, state, step, "live_shared_notice")


def _list(run: Run, state: DialogState, step: Step, index: int | None, target: int) -> Result:
    state.data["view"] = "list"
    return _shown_again(run, state, step)


def _resume(run: Run, state: DialogState, step: Step, index: int | None, target: int) -> Result:
    state.data.pop("view", None)
    return _shown_again(run, state, step)


def _end(run: Run, state: DialogState, step: Step, index: int | None, target: int) -> Result:
    run.effects.append(Effect(name="live_mark", data={
        "question": question_id(step, index), "mark": "end"}))
    return run.enter(state, step.next, edit=False)


MOVES: dict[str, Move] = {"next": _next, "back": _back, "skip": _skip, "shared": _shared,
                          "list": _list, "resume": _resume, "end": _end}


def press(run: Run, state: DialogState, step: Step, action: str) -> Result:
    """A live button: a move above, or "q<n>" (question n from the list)."""
    data = live_data(state)
    index = current(data, step)
    last = len(step.questions) - 1
    target = _following(data, step, index)
    if _same_question(action, index, target, last):
        run.keep_rev()  # same question: the prompt's other buttons stay valid
    move = MOVES.get(action)
    if move is not None:
        return move(run, state, step, index, target)
    if action.startswith("q") and action[1:].isdigit() and int(action[1:]) <= last:
        return _show(run, state, step, int(action[1:]))
    return run.stale(state)
