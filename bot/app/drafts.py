"""Drafts: what /annuleer stopped before a wizard stored it is kept (storage/drafts.py), and
offered again when the librarian next starts that wizard in the same community."""

from __future__ import annotations

from bot.app.events import Outcome, Turn
from bot.app.host import Host
from dialogs.replies import Button, Reply
from dialogs.rules.unsaved import unsaved
from dialogs.state import DialogState
from storage.drafts import Draft, Drafts
from storage.store import User

DRAFT = "draft"  # button data: draft:go:<dialog> or draft:drop:<dialog>


def listed(texts: list[str]) -> str:
    return "\n".join(f"• {text}" for text in texts)


def keep(service: Host, user: User, state: DialogState) -> list[str]:
    """Keep what `state` holds unstored as a draft; what that is (empty: nothing to keep)."""
    typed = unsaved(service.catalog.dialog(state.dialog), state, user.language)
    if typed:
        Drafts(service.store).keep(user.id, user.active_community,
                                   Draft(state.dialog, state.step, state.data))
    return typed


def offer(service: Host, user: User, before: DialogState | None, after: DialogState,
          shown: Reply) -> Reply:
    """`shown` (the wizard's first question), with the draft offered above it when she
    starts a wizard she left a draft of here."""
    if not _begins(service, before, after):
        return shown
    draft = Drafts(service.store).get(user.id, user.active_community, after.dialog)
    if draft is None:
        return shown
    typed = unsaved(service.catalog.dialog(draft.dialog),
                    DialogState(dialog=draft.dialog, step=draft.step, data=draft.data),
                    user.language)
    if not typed:  # the wizard changed since (a step renamed): nothing to carry on with
        return shown
    text = service.t(user, "draft_offer", typed=listed(typed))
    buttons = [[Button(label=service.t(user, "draft_resume"), data=f"{DRAFT}:go:{after.dialog}")],
               *shown.buttons,
               [Button(label=service.t(user, "draft_drop"), data=f"{DRAFT}:drop:{after.dialog}")]]
    return shown.model_copy(update={"text": f"{text}\n\n{shown.text}", "buttons": buttons})


def _begins(service: Host, before: DialogState | None, after: DialogState) -> bool:
    """Whether this step starts a pass through a wizard: from nothing, another dialog or a
    resting step (an overview) to a step that is not one."""
    if service.catalog.dialog(after.dialog).steps[after.step].rest:
        return False
    return before is None or before.dialog != after.dialog \
        or before.step not in service.catalog.dialog(before.dialog).steps \
        or service.catalog.dialog(before.dialog).steps[before.step].rest


def press(service: Host, turn: Turn, payload: str) -> Outcome:
    """▶️ carries on where the draft stopped; 🗑 throws it away and leaves the question."""
    user = turn.user
    action, _, dialog = payload.partition(":")
    drafts = Drafts(service.store)
    draft = drafts.get(user.id, user.active_community, dialog)
    if draft is None or turn.state is None or turn.state.dialog != dialog \
            or action not in ("go", "drop") \
            or draft.step not in service.catalog.dialog(dialog).steps:
        return Outcome(notice=service.t(user, "stale_button"))
    drafts.drop(user.id, user.active_community, dialog)
    if action == "go":
        service.store.save_state(user.id, draft.dialog, draft.step, draft.data, turn.rev + 1)
    again = service.current(user)
    if again is None:
        return Outcome(notice=service.t(user, "stale_button"))
    lead = service.t(user, "draft_resumed" if action == "go" else "draft_dropped")
    return Outcome([again.model_copy(update={"text": f"{lead}\n\n{again.text}",
                                             "edit": True})])
