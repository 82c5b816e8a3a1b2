"""Forged button data with non-ASCII digits ('²', which str.isdigit accepts and int()
refuses) or numbers too large for SQLite is answered like any forged button (issue 13)."""

from __future__ import annotations

import pytest

from storage.access import AccessRepo
from tests.chat import Chat

HUGE = "9" * 55
FORGED = [
    "ex:s:²", f"ex:s:{HUGE}", "ex:f:²:md", f"ex:f:{HUGE}:docx", "ex:pg:²", f"ex:pg:{HUGE}",
    "fg:yes:1:²", f"fg:yes:1:{HUGE}", f"fg:yes:{HUGE}:1",
    "goal:log:²", f"goal:log:{HUGE}", "goal:pg:²", f"goal:pe:{HUGE}",
    "ac:rv:²:7:0", f"ac:rv:{HUGE}:7:0", "ac:ok:1:²:0", "ac:pg:²", f"ac:pg:{HUGE}",
    "².o:switch", f"{HUGE[:50]}.o:switch", "1.p:²", f"1.p:{HUGE[:40]}", "1.d:²",
]


@pytest.mark.parametrize("data", FORGED)
def test_a_forged_number_is_a_stale_button(chat: Chat, data: str) -> None:
    chat.onboard("Taalcafé Noord")
    AccessRepo(chat.service.store).set_admin(chat.service.user(chat.who).id, True)
    chat.send("/community")  # a step with stored choices (paged), so "p:" and "d:" mean something
    chat.press("Wisselen")
    before = chat.service.store.state(chat.service.user(chat.who).id)
    outcome = chat.press_data(data)
    assert outcome.notice or outcome.replies  # answered, not raised
    user = chat.service.store.user_by_telegram(1001)
    assert user is not None and user.status == "active"  # nothing was erased or revoked
    assert chat.service.store.communities(user.id)
    after = chat.service.store.state(user.id)
    assert (after.dialog, after.rev) == (before.dialog, before.rev) or after.dialog == "goals"
