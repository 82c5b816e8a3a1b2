"""An action's row of buttons (✅ ⏰ ✏️), wherever the action is shown: /acties, the day's
message, the weekly overview. Pure, so the goals' weekly overview shows actions' buttons
without depending on the actions feature."""

from __future__ import annotations

from dialogs.replies import Button, shorten

ACT = "act"  # the prefix of every action button the actions feature handles
LABEL = 28  # characters of an action on its ✅ button


def action_buttons(action_id: int, what: str, number: int | None = None, *,
                   apart: bool = False) -> list[Button]:
    """✅ done, ⏰ later, ✏️ change; `apart`: pressed in a message of its own (not /acties)."""
    head = f"{number}. " if number is not None else ""
    tail = ":n" if apart else ""
    return [Button(label="✅ " + head + shorten(what, LABEL), data=f"{ACT}:d:{action_id}{tail}"),
            Button(label="⏰", data=f"{ACT}:l:{action_id}{tail}"),
            Button(label="✏️", data=f"{ACT}:c:{action_id}{tail}")]
