"""Live mode: one open question at a time while the librarian talks with someone.

Typed text is a note on the current question and gets a quiet acknowledgement, not a new
message. Buttons move between questions; the prompt is edited in place unless notes were
typed since it was shown (then the next question comes as a new message, at the bottom).
State kept in the dialog data: q (index), noted {question: count}, skipped, shared, nudged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dialogs.model import Step
from dialogs.replies import Effect, Reply
from dialogs.state import DialogState

if TYPE_CHECKING:
    from dialogs.engine import Result, _Run


def _data(state: DialogState) -> dict[str, Any]:
    data = state.data
    data.setdefault("q", 0)
    data.setdefault("noted", {})
    data.setdefault("skipped", [])
    data.setdefault("shared", False)
    data.setdefault("nudged", False)
    return data


def render(run: _Run, state: DialogState, current: Step, *, edit: bool = False) -> Reply:
    data = _data(state)
    lang = run.ctx.lang
    t = run.catalog.text
    if data.get("view") == "list":
        return _render_list(run, current, data, edit=edit)
    index = min(int(data["q"]), len(current.questions) - 1)
    question = current.questions[index]
    lines = [t("live_header", lang, n=index + 1, total=len(current.questions)),
             question.text.get(lang), "💡 " + question.hint.get(lang)]
    count = int(data["noted"].get(question.id, 0))
    if count:
        lines.append(t("live_noted", lang, count=count))
    shared = t("live_shared_done" if data["shared"] else "live_shared", lang)
    rows = [
        [run._button(t("live_next", lang), "l:next")],
        [run._button(t("live_back", lang), "l:back"), run._button(t("live_skip", lang), "l:skip")],
        [run._button(shared, "l:shared")],
        [run._button(t("live_list", lang), "l:list"), run._button(t("live_end", lang), "l:end")],
    ]
    return Reply(text="\n".join(lines), buttons=rows, edit=edit)


def _render_list(run: _Run, current: Step, data: dict[str, Any], *, edit: bool) -> Reply:
    lang = run.ctx.lang
    rows = []
    for number, question in enumerate(current.questions):
        count = int(data["noted"].get(question.id, 0))
        mark = f"✍️ {count}" if count else ("⏩" if question.id in data["skipped"] else "○")
        label = f"{mark} {number + 1}. {question.text.get(lang)}"
        rows.append([run._button(label[:60], f"l:q{number}")])
    rows.append([run._button(run.catalog.text("live_resume", lang), "l:resume"),
                 run._button(run.catalog.text("live_end", lang), "l:end")])
    return Reply(text=run.catalog.text("live_list_title", lang), buttons=rows, edit=edit)


def _show(run: _Run, state: DialogState, current: Step, index: int) -> Result:
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
        replies.append(Reply(text=run.catalog.text("live_nudge", run.ctx.lang)))
        edit = False
    run.effects.append(Effect(name="live_prompt", data={
        "question": question.id, "text": question.text.get(run.ctx.lang)}))
    replies.append(render(run, state, current, edit=edit))
    return run.finish(state, replies)


def start(run: _Run, state: DialogState, current: Step) -> Reply:
    """Entering live mode shows the first question."""
    data = _data(state)
    data["fresh"] = True
    question = current.questions[int(data["q"])]
    run.effects.append(Effect(name="live_prompt", data={
        "question": question.id, "text": question.text.get(run.ctx.lang)}))
    return render(run, state, current)


def press(run: _Run, state: DialogState, current: Step, action: str) -> Result:
    data = _data(state)
    index = int(data["q"])
    last = len(current.questions) - 1
    lang = run.ctx.lang
    if action in ("shared", "list", "resume") or (action == "next" and index >= last) or (
            action == "back" and index == 0):
        run.keep_rev()  # same question: the prompt's other buttons stay valid
    if action == "next":
        if index >= last:
            data["view"] = "list"
            result = run.finish(state, [render(run, state, current, edit=True)])
            result.notice = run.catalog.text("live_was_last", lang)
            return result
        return _show(run, state, current, index + 1)
    if action == "back":
        if index == 0:
            result = run.finish(state, [render(run, state, current, edit=True)])
            result.notice = run.catalog.text("live_is_first", lang)
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
        result.notice = run.catalog.text("live_shared_notice", lang)
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


def note(run: _Run, state: DialogState, current: Step, text: str) -> Result:
    """Typed text is a note on the current question; the answer is a quiet acknowledgement."""
    data = _data(state)
    question = current.questions[int(data["q"])]
    data["noted"][question.id] = int(data["noted"].get(question.id, 0)) + 1
    data["fresh"] = False
    run.effects.append(Effect(name="live_note", data={"question": question.id, "text": text}))
    result = run.finish(state, [])
    result.rev = run.ctx.rev  # the prompt's buttons stay valid while notes come in
    result.ack = True
    return result

