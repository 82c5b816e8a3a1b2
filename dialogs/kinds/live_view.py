"""Live mode's state in the dialog data, and how the step shows it (dialogs/kinds/live.py).

State kept in the dialog data: q (index; -1 while no question is chosen, as in a follow-up
that covered every question last time: notes then belong to the conversation, not to a
question), noted {question: count}, skipped, shared, nudged; `opening` (text shown once
above the first question), `open` (the questions a follow-up still has to cover, in order;
"next" goes to the next of those), `prompted` (the question last written to the transcript),
`fresh` (the prompt was shown and no note typed since: the next question may replace it),
`view` ("list" while the list of questions shows), `own_next` (🙋 tapped: the next note is
what the librarian shared herself, until a note, 🙋 again or another question), `_unsure`
(a lone number or a button's label typed: not kept until ✍️ says it was a note).
"""

from __future__ import annotations

from typing import Any

from dialogs.kinds.base import option_buttons
from dialogs.model import Step
from dialogs.replies import Button, Reply, label
from dialogs.run import Run
from dialogs.state import DialogState

FREE = -1  # no question chosen


def live_data(state: DialogState) -> dict[str, Any]:
    """The state's data, with live mode's keys there."""
    data = state.data
    data.setdefault("q", 0)
    data.setdefault("noted", {})
    data.setdefault("skipped", [])
    data.setdefault("shared", False)
    data.setdefault("nudged", False)
    return data


def current(data: dict[str, Any], step: Step) -> int | None:
    """The index of the question shown, or None while none is chosen."""
    index = int(data.get("q", 0))
    return min(index, len(step.questions) - 1) if index >= 0 else None


def question_id(step: Step, index: int | None) -> str | None:
    return None if index is None else step.questions[index].id


def hand(run: Run, data: dict[str, Any]) -> str:
    """The 🙋 button's label: tap to make the next note hers, or to undo that."""
    if data.get("own_next"):
        return run.text("live_own_cancel")
    return run.text("live_shared_done" if data["shared"] else "live_shared")


def _extra(run: Run, state: DialogState, step: Step) -> list[Button]:
    """The step's own options (details, ...), as buttons beside the live ones."""
    return option_buttons(run, step, run.values(state))


def render(run: Run, state: DialogState, step: Step, *, edit: bool = False) -> Reply:
    data = live_data(state)
    index = current(data, step)
    if data.get("view") == "list" or index is None:
        reply = _render_list(run, state, step, edit=edit)
    else:
        reply = _render_question(run, state, step, index, edit=edit)
    if data.get("own_next"):  # said on top of the question: one message, and how to undo it
        person = data.get("person_name") or "?"
        reply = reply.model_copy(update={
            "text": f"{run.text('live_own_next', person=person)}\n\n{reply.text}"})
    opening = data.get("opening")
    return reply.model_copy(update={"text": f"{opening}\n\n{reply.text}"}) if opening else reply


def _render_question(run: Run, state: DialogState, step: Step, index: int, *,
                     edit: bool) -> Reply:
    data = state.data
    lang = run.ctx.lang
    t = run.text
    question = step.questions[index]
    lines = [t("live_header", n=index + 1, total=len(step.questions)),
             question.text.get(lang), "💡 " + question.hint.get(lang)]
    count = int(data["noted"].get(question.id, 0))
    if count:
        lines.append(run.catalog.counted("live_noted", lang, count))
    shared = hand(run, data)
    rows = [
        [run.button(t("live_next"), "l:next")],
        [run.button(t("live_back"), "l:back"), run.button(t("live_skip"), "l:skip")],
        [run.button(shared, "l:shared")],
        [run.button(t("live_list"), "l:list"), *_extra(run, state, step)],
        [run.button(t("live_end"), "l:end")],
    ]
    return Reply(text="\n".join(lines), buttons=rows, edit=edit)


def _render_list(run: Run, state: DialogState, step: Step, *, edit: bool) -> Reply:
    data = state.data
    lang = run.ctx.lang
    rows = []
    for number, question in enumerate(step.questions):
        count = int(data["noted"].get(question.id, 0))
        mark = f"✍️ {count}" if count else ("⏩" if question.id in data["skipped"] else "○")
        # The mark after the question, so its count never stands beside the question's number
        text = label(f"{number + 1}. {question.text.get(lang)}", tail=mark)
        rows.append([run.button(text, f"l:q{number}")])
    free = current(data, step) is None
    if free:  # no question to go back to: the live buttons stand here
        shared = hand(run, data)
        rows.append([run.button(shared, "l:shared")])
        rows.append([*_extra(run, state, step), run.button(run.text("live_end"), "l:end")])
    else:
        rows.append([run.button(run.text("live_resume"), "l:resume"),
                     run.button(run.text("live_end"), "l:end")])
    title = run.text("live_list_free" if free else "live_list_title")
    return Reply(text=title, buttons=rows, edit=edit)
