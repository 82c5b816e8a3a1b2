"""Live mode: one open question at a time while the librarian talks with someone.

Typed text is a note on the current question and gets a quiet acknowledgement, not a new
message. Buttons move between questions; the prompt is edited in place unless notes were
typed since it was shown (then the next question comes as a new message, at the bottom).
The step's options (e.g. details about the person) are extra buttons that lead elsewhere.

State kept in the dialog data: q (index; -1 while no question is chosen, as in a follow-up
that covered every question last time: notes then belong to the conversation, not to a
question), noted {question: count}, skipped, shared, nudged; `opening` (text shown once
above the first question), `open` (the questions a follow-up still has to cover, in order;
"next" goes to the next of those), `prompted` (the question last written to the transcript),
`_unsure` (a lone number or a button's label typed: not kept until ✍️ says it was a note).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from dialogs.kinds.base import Kind, option_buttons
from dialogs.model import Route, Step
from dialogs.replies import Button, Effect, Reply, label
from dialogs.run import Result, Run
from dialogs.state import DialogState

FREE = -1  # no question chosen


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
        data = _data(state)
        data.pop("opening", None)
        unsure = data.pop("_unsure", None)
        if code == "l" and ident == "keep":
            return keep(run, state, step, unsure)
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


def current(data: dict[str, Any], step: Step) -> int | None:
    """The index of the question shown, or None while none is chosen."""
    index = int(data.get("q", 0))
    return min(index, len(step.questions) - 1) if index >= 0 else None


def _extra(run: Run, state: DialogState, step: Step) -> list[Button]:
    """The step's own options (details, ...), as buttons beside the live ones."""
    return option_buttons(run, step, run.values(state))


def render(run: Run, state: DialogState, step: Step, *, edit: bool = False) -> Reply:
    data = _data(state)
    index = current(data, step)
    if data.get("view") == "list" or index is None:
        reply = _render_list(run, state, step, edit=edit)
    else:
        reply = _render_question(run, state, step, index, edit=edit)
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
    shared = t("live_shared_done" if data["shared"] else "live_shared")
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
        shared = run.text("live_shared_done" if data["shared"] else "live_shared")
        rows.append([run.button(shared, "l:shared")])
        rows.append([*_extra(run, state, step), run.button(run.text("live_end"), "l:end")])
    else:
        rows.append([run.button(run.text("live_resume"), "l:resume"),
                     run.button(run.text("live_end"), "l:end")])
    title = run.text("live_list_free" if free else "live_list_title")
    return Reply(text=title, buttons=rows, edit=edit)


def _prompt(run: Run, state: DialogState, step: Step, index: int) -> None:
    """Write the question to the transcript, once per time it is put on screen."""
    question = step.questions[index]
    state.data["prompted"] = index
    run.effects.append(Effect(name="live_prompt", data={
        "question": question.id, "text": question.text.get(run.ctx.lang)}))


def _show(run: Run, state: DialogState, step: Step, index: int) -> Result:
    """Move to question `index`: prompt it (logged in the transcript), nudge once at half-way."""
    data = _data(state)
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
    data = _data(state)
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


def press(run: Run, state: DialogState, step: Step, action: str) -> Result:
    data = _data(state)
    index = current(data, step)
    last = len(step.questions) - 1
    target = _following(data, step, index)
    if action in ("shared", "list", "resume") or (action == "next" and target > last) or (
            action == "back" and not index):
        run.keep_rev()  # same question: the prompt's other buttons stay valid
    if action == "next":
        if target > last:
            data["view"] = "list"
            result = run.finish(state, [render(run, state, step, edit=True)])
            result.notice = run.text("live_was_last")
            return result
        return _show(run, state, step, target)
    if action == "back":
        if not index:
            result = run.finish(state, [render(run, state, step, edit=True)])
            result.notice = run.text("live_is_first")
            return result
        return _show(run, state, step, index - 1)
    if action == "skip" and index is not None:
        question = step.questions[index]
        if question.id not in data["skipped"]:
            data["skipped"].append(question.id)
        run.effects.append(Effect(name="live_mark", data={"question": question.id,
                                                         "mark": "skipped"}))
        if target > last:
            data["view"] = "list"
            return run.finish(state, [render(run, state, step, edit=True)])
        return _show(run, state, step, target)
    if action == "shared":
        data["shared"] = True
        run.effects.append(Effect(name="live_mark", data={
            "question": _question_id(step, index), "mark": "shared"}))
        result = run.finish(state, [render(run, state, step, edit=True)])
        result.notice = run.text("live_shared_notice")
        return result
    if action in ("list", "resume"):
        if action == "list":
            data["view"] = "list"
        else:
            data.pop("view", None)
        return run.finish(state, [render(run, state, step, edit=True)])
    if action.startswith("q") and action[1:].isdigit() and int(action[1:]) <= last:
        return _show(run, state, step, int(action[1:]))
    if action == "end":
        run.effects.append(Effect(name="live_mark", data={
            "question": _question_id(step, index), "mark": "end"}))
        return run.enter(state, step.next, edit=False)
    return run.stale(state)


def _question_id(step: Step, index: int | None) -> str | None:
    return None if index is None else step.questions[index].id


NUMBER = re.compile(r"(\d{1,3})[.)]?")


def _plain(text: str) -> str:
    """A label as typed: letters and digits only, lower case ("⏭ Volgende vraag": "volgende
    vraag")."""
    return " ".join("".join(c if c.isalnum() else " " for c in text).split()).casefold()


def slip(text: str, shown: list[Button]) -> tuple[bool, Button | None]:
    """Whether `text` looks like a tap typed rather than a note: a lone number (the console
    numbers buttons; the button of that number, if shown) or a shown button's label."""
    typed = text.strip()
    if found := NUMBER.fullmatch(typed):
        number = int(found[1])
        return True, shown[number - 1] if 1 <= number <= len(shown) else None
    plain = _plain(typed)
    meant = next((b for b in shown if plain and _plain(b.label) == plain), None)
    return meant is not None, meant


def _ask(run: Run, state: DialogState, step: Step, text: str, meant: Button | None) -> Result:
    """Not kept yet: the question again, asking whether a button was meant, with ✍️ to keep
    it after all (last, so the console's numbers of the other buttons stay)."""
    state.data["_unsure"] = text
    state.data["fresh"] = False
    shown = render(run, state, step)
    said = (run.text("live_unsure_button", text=text, label=meant.label) if meant
            else run.text("live_unsure", text=text))
    keep_row = [run.button(run.text("live_unsure_keep", text=text[:20]), "l:keep")]
    return run.finish(state, [shown.model_copy(update={
        "text": f"{said}\n\n{shown.text}", "buttons": [*shown.buttons, keep_row]})])


def keep(run: Run, state: DialogState, step: Step, unsure: object) -> Result:
    """✍️ under the question asked about a lone number: it was a note after all."""
    if not isinstance(unsure, str):
        return run.stale(state)
    result = note(run, state, step, unsure, sure=True)
    result.ack = False
    result.notice = run.text("live_kept_notice")
    result.replies = [render(run, state, step, edit=True)]
    return result


def note(run: Run, state: DialogState, step: Step, text: str, *, sure: bool = False) -> Result:
    """Typed text is a note on the current question (on the conversation while none is
    chosen); the answer is a quiet acknowledgement. A lone number or a button's label is
    asked about first: kept silently, it would end up in the summary."""
    data = _data(state)
    data.pop("opening", None)
    data.pop("_unsure", None)
    run.keep_rev()  # the prompt's buttons stay valid while notes come in
    if not sure:
        looks, meant = slip(text, [b for row in render(run, state, step).buttons for b in row])
        if looks:
            return _ask(run, state, step, text, meant)
    question = _question_id(step, current(data, step))
    if question is not None:
        data["noted"][question] = int(data["noted"].get(question, 0)) + 1
    data["fresh"] = False
    run.effects.append(Effect(name="live_note", data={"question": question, "text": text}))
    result = run.finish(state, [])
    result.ack = True
    return result
