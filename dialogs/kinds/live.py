"""Live mode: one open question at a time while the librarian talks with someone.

Typed text is a note on the current question and gets a quiet acknowledgement, not a new
message. Buttons move between questions; the prompt is edited in place unless notes were
typed since it was shown (then the next question comes as a new message, at the bottom).
State kept in the dialog data: q (index), noted {question: count}, skipped, shared, nudged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from dialogs.kinds.base import Kind
from dialogs.model import Route, Step
from dialogs.replies import Effect, Reply
from dialogs.state import DialogState

if TYPE_CHECKING:
    from dialogs.run import Result, Run


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
        if code == "l":
            return press(run, state, step, ident)
        return super().press(run, state, step, code, ident)


def _data(state: DialogState) -> dict[str, Any]:
    data = state.data
    data.setdefault("q", 0)
    data.setdefault("noted", {})
    data.setdefault("skipped", [])
    data.setdefault("shared", False)
    data.setdefault("nudged", False)
    return data


def render(run: Run, state: DialogState, current: Step, *, edit: bool = False) -> Reply:
    data = _data(state)
    lang = run.ctx.lang
    t = run.text
    if data.get("view") == "list":
        return _render_list(run, current, data, edit=edit)
    index = min(int(data["q"]), len(current.questions) - 1)
    question = current.questions[index]
    lines = [t("live_header", n=index + 1, total=len(current.questions)),
             question.text.get(lang), "💡 " + question.hint.get(lang)]
    count = int(data["noted"].get(question.id, 0))
    if count:
        lines.append(t("live_noted", count=count))
    shared = t("live_shared_done" if data["shared"] else "live_shared")
    rows = [
        [run.button(t("live_next"), "l:next")],
        [run.button(t("live_back"), "l:back"), run.button(t("live_skip"), "l:skip")],
        [run.button(shared, "l:shared")],
        [run.button(t("live_list"), "l:list"), run.button(t("live_end"), "l:end")],
    ]
    return Reply(text="\n".join(lines), buttons=rows, edit=edit)


def _render_list(run: Run, current: Step, data: dict[str, Any], *, edit: bool) -> Reply:
    lang = run.ctx.lang
    rows = []
    for number, question in enumerate(current.questions):
        count = int(data["noted"].get(question.id, 0))
        mark = f"✍️ {count}" if count else ("⏩" if question.id in data["skipped"] else "○")
        label = f"{mark} {number + 1}. {question.text.get(lang)}"
        rows.append([run.button(label[:60], f"l:q{number}")])
    rows.append([run.button(run.text("live_resume"), "l:resume"),
                 run.button(run.text("live_end"), "l:end")])
    return Reply(text=run.text("live_list_title"), buttons=rows, edit=edit)


def _show(run: Run, state: DialogState, current: Step, index: int) -> Result:
    """Move to question `index`: prompt it (logged in the transcript), nudge once at half-way."""
    data = _data(state)
    edit = bool(data.get("fresh"))
    data["q"] = index
    data.pop("view", None)
    data["fresh"] = True
    question = current.questions[index]
    replies = []
    halfway = index >= len(current.questions) // 2
    if halfway and not data["shared"] and not data["nudged"]:
        data["nudged"] = True
        replies.append(Reply(text=run.text("live_nudge")))
        edit = False
    run.effects.append(Effect(name="live_prompt", data={
        "question": question.id, "text": question.text.get(run.ctx.lang)}))
    replies.append(render(run, state, current, edit=edit))
    return run.finish(state, replies)


def start(run: Run, state: DialogState, current: Step) -> Reply:
    """Entering live mode shows the first question."""
    data = _data(state)
    data["fresh"] = True
    question = current.questions[int(data["q"])]
    run.effects.append(Effect(name="live_prompt", data={
        "question": question.id, "text": question.text.get(run.ctx.lang)}))
    return render(run, state, current)


def press(run: Run, state: DialogState, current: Step, action: str) -> Result:
    data = _data(state)
    index = int(data["q"])
    last = len(current.questions) - 1
    if action in ("shared", "list", "resume") or (action == "next" and index >= last) or (
            action == "back" and index == 0):
        run.keep_rev()  # same question: the prompt's other buttons stay valid
    if action == "next":
        if index >= last:
            data["view"] = "list"
            result = run.finish(state, [render(run, state, current, edit=True)])
            result.notice = run.text("live_was_last")
            return result
        return _show(run, state, current, index + 1)
    if action == "back":
        if index == 0:
            result = run.finish(state, [render(run, state, current, edit=True)])
            result.notice = run.text("live_is_first")
            return result
        return _show(run, state, current, index - 1)
    if action == "skip":
        question = current.questions[index]
        if question.id not in data["skipped"]:
            data["skipped"].append(question.id)
        run.effects.append(Effect(name="live_mark", data={"question": question.id,
                                                         "mark": "skipped"}))
        if index >= last:
            data["view"] = "list"
            return run.finish(state, [render(run, state, current, edit=True)])
        return _show(run, state, current, index + 1)
    if action == "shared":
        data["shared"] = True
        run.effects.append(Effect(name="live_mark", data={
            "question": current.questions[index].id, "mark": "shared"}))
        result = run.finish(state, [render(run, state, current, edit=True)])
        result.notice = run.text("live_shared_notice")
        return result
    if action == "list":
        data["view"] = "list"
        return run.finish(state, [render(run, state, current, edit=True)])
    if action == "resume":
        data.pop("view", None)
        return run.finish(state, [render(run, state, current, edit=True)])
    if action.startswith("q") and action[1:].isdigit() and int(action[1:]) <= last:
        return _show(run, state, current, int(action[1:]))
    if action == "end":
        run.effects.append(Effect(name="live_mark", data={
            "question": current.questions[index].id, "mark": "end"}))
        return run.enter(state, current.next, edit=False)
    return run.stale(state)


def note(run: Run, state: DialogState, current: Step, text: str) -> Result:
    """Typed text is a note on the current question; the answer is a quiet acknowledgement."""
    data = _data(state)
    question = current.questions[int(data["q"])]
    data["noted"][question.id] = int(data["noted"].get(question.id, 0)) + 1
    data["fresh"] = False
    run.effects.append(Effect(name="live_note", data={"question": question.id, "text": text}))
    run.keep_rev()  # the prompt's buttons stay valid while notes come in
    result = run.finish(state, [])
    result.ack = True
    return result

