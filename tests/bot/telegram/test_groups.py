"""Updates from groups and channels are dropped before any work (bot/telegram/groups.py)."""

from __future__ import annotations

from typing import Any

from bot.telegram.groups import WAITING, Groups
from dialogs.catalog import Catalog

STRANGER = {"id": 6666, "is_bot": False, "first_name": "X", "language_code": "en"}


def message(chat_id: int, kind: str, update_id: int = 1) -> dict[str, Any]:
    return {"update_id": update_id, "message": {
        "message_id": 1, "date": 0, "chat": {"id": chat_id, "type": kind}, "from": STRANGER,
        "text": "hallo"}}


def member(chat_id: int, status: str) -> dict[str, Any]:
    me = {"id": 1, "is_bot": True, "first_name": "Veldgids"}
    return {"update_id": 2, "my_chat_member": {
        "chat": {"id": chat_id, "type": "group"}, "from": STRANGER, "date": 0,
        "old_chat_member": {"status": "member", "user": me},
        "new_chat_member": {"status": status, "user": me}}}


def test_private_updates_pass_groups_and_channels_are_dropped(catalog: Catalog) -> None:
    groups = Groups(catalog)
    press = {"update_id": 3, "callback_query": {"id": "1", "from": STRANGER, "data": "x",
                                                "chat_instance": "1",
                                                "message": message(-7, "supergroup")["message"]}}
    assert not groups.drop(message(1001, "private"))
    assert not groups.drop({"update_id": 4, "poll": {"id": "1"}})  # no chat: as before
    assert all(groups.drop(u) for u in (message(-5, "group"), message(-6, "supergroup"),
                                        message(-1008, "channel"), press))
    # Each chat is in line once; a group is told (in the sender's language), a channel not.
    assert [(f.chat_id, f.say, f.language) for f in groups.line] == [
        (-5, True, "en"), (-6, True, "en"), (-1008, False, "en"), (-7, True, "en")]
    assert groups.text("en") == catalog.text("private_only", "en")


def test_a_chat_is_told_once_and_left_again_when_added_again(catalog: Catalog) -> None:
    groups = Groups(catalog)
    for n in range(300):
        groups.drop(message(-5, "group", n))
    assert len(groups.line) == 1
    groups.line.clear()
    groups.queued.clear()
    assert groups.drop(member(-5, "left")) and not groups.line  # out already: nothing to do
    groups.drop(message(-5, "group"))
    assert not groups.line  # told before, and (as far as we know) left
    groups.drop(member(-5, "member"))  # added again
    assert [(f.chat_id, f.say) for f in groups.line] == [(-5, False)]


def test_the_line_is_short_and_a_chat_left_out_is_dealt_with_later(catalog: Catalog) -> None:
    groups = Groups(catalog)
    for n in range(WAITING + 50):
        assert groups.drop(message(-10 - n, "group"))
    assert len(groups.line) == WAITING
    groups.line.popleft()
    groups.drop(message(-10 - WAITING - 1, "group"))  # wrote again: now it is in line
    assert groups.line[-1].chat_id == -10 - WAITING - 1 and groups.line[-1].say
