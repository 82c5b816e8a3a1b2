"""An entries step: the texts a checklist item holds (`holds: p2.themes`), several of them.

Typed text adds one (or replaces the one being changed); buttons change or remove one, and
"done" leads on (`next`). The texts come from the context as the stored choices
`entries.<item>` (id and full text); adding, changing and removing are effects the
application records (`entry_add`, `entry_edit`, `entry_remove`), after which it shows the
step again with the texts as they are now.
Press codes: "n:<action>" (edit, remove, back, done), "e:<id>" (change), "r:<id>" (remove),
"p:<n>" (page n of the change or remove buttons: a long scan outgrows one keyboard).
"""

from __future__ import annotations

from collections.abc import Iterable

from dialogs import paging, validators
from dialogs.kinds.base import MAX_PAGE_DIGITS, PAGE, Kind
from dialogs.model import Step
from dialogs.replies import Button, Effect, Reply, shorten
from dialogs.run import Result, Run
from dialogs.state import Choice, DialogState

SHOWN = 280  # characters of each text shown in the chat; the whole text is kept
LABEL = 40  # characters of a text on its button


def entries_of(run: Run, step: Step) -> list[Choice]:
    return list(run.ctx.choices.get(f"entries.{step.holds}", []))


class Entries(Kind):
    takes_text = True  # a checklist may offer typed text to it

    def check(self, step: Step) -> Iterable[str]:
        if not step.holds or step.holds.count(".") != 1:
            yield "an entries step needs holds: <checklist>.<item>"
        if not step.next:
            yield "an entries step needs next (where done leads)"

    def render(self, run: Run, state: DialogState, step: Step, edit: bool) -> Reply:
        t = run.text
        entries = entries_of(run, step)
        view = state.data.get("_view")
        lines = []
        said = state.data.get("_said")
        if said:
            lines.append(t(said))
        lines.append(step.text.get(run.ctx.lang).format_map(run.values(state)))
        editing = next((e for e in entries if e.id == state.data.get("_editing")), None)
        if editing is not None:
            lines.append(t("entries_retype", text=shorten(editing.label, SHOWN)))
        elif entries:
            listed = "\n".join(f"{n}. {shorten(e.label, SHOWN)}"
                               for n, e in enumerate(entries, start=1))
            lines.append(run.catalog.counted("entries_kept", run.ctx.lang, len(entries))
                         + "\n" + listed)
        rows: list[list[Button]] = []
        if view in ("edit", "remove") and editing is None:
            icon, code = ("✏️", "e") if view == "edit" else ("🗑", "r")
            items = [run.button(f"{icon} {n}. {shorten(e.label, LABEL)}", f"{code}:{e.id}")
                     for n, e in enumerate(entries, start=1)]
            shown = paging.page(items, int(state.data.get(PAGE) or 0))
            nav = shown.nav(lambda n: f"{run.rev}.p:{n}", t)
            rows += [[b] for b in shown.items] + ([nav] if nav else [])
            rows.append([run.button(t("entries_back"), "n:back")])
        elif editing is not None:
            rows.append([run.button(t("entries_keep"), "n:back")])
        else:
            if entries:
                rows.append([run.button(t("entries_edit"), "n:edit"),
                             run.button(t("entries_remove"), "n:remove")])
            rows.append([run.button(t("entries_done"), "n:done")])
        return Reply(text="\n\n".join(lines), buttons=rows, edit=edit)

    def say(self, run: Run, state: DialogState, step: Step, text: str) -> Result:
        state.data.pop("_said", None)
        checked = validators.run(step.validate_, text, run.ctx, state.data,
                                 run.catalog.validators)
        if isinstance(checked, validators.Rejected):
            return run.again(state, checked.key, params=checked.params)
        editing = state.data.pop("_editing", None)
        state.data.pop("_view", None)
        known = {e.id for e in entries_of(run, step)}
        if editing in known:
            run.effects.append(Effect(name="entry_edit", data={
                "item": step.holds, "id": editing, "text": checked}))
            state.data["_said"] = "entries_changed"
        else:
            run.effects.append(Effect(name="entry_add", data={"item": step.holds,
                                                              "text": checked}))
            state.data["_said"] = "entries_added"
        return run.finish(state, [run.render(state)])

    def press(self, run: Run, state: DialogState, step: Step, code: str,
              ident: str) -> Result | None:
        known = {e.id for e in entries_of(run, step)}
        state.data.pop("_said", None)
        if code == "p" and state.data.get("_view") in ("edit", "remove"):
            if not (ident.isascii() and ident.isdigit() and len(ident) <= MAX_PAGE_DIGITS):
                return None
            state.data[PAGE] = int(ident)  # the message's other buttons stay valid
            run.keep_rev()
            return run.finish(state, [run.render(state, edit=True)])
        if code != "p":
            state.data.pop(PAGE, None)
        if code == "n" and ident == "done":
            for key in ("_view", "_editing"):
                state.data.pop(key, None)
            return run.enter(state, step.next, edit=True)
        if code == "n" and ident in ("edit", "remove", "back"):
            state.data.pop("_editing", None)
            if ident == "back":
                state.data.pop("_view", None)
            else:
                state.data["_view"] = ident
            return run.finish(state, [run.render(state, edit=True)])
        if code == "e" and ident in known:
            state.data["_editing"] = ident
            return run.finish(state, [run.render(state, edit=True)])
        if code == "r" and ident in known:
            run.effects.append(Effect(name="entry_remove", data={"item": step.holds,
                                                                 "id": ident}))
            state.data.pop("_view", None)
            state.data["_said"] = "entries_removed"
            return run.finish(state, [run.render(state, edit=True)])
        return super().press(run, state, step, code, ident)
