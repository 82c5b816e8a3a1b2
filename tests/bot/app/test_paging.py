"""Lists over Telegram's keyboard limits are paged (issue 13, point 9).

With 120 communities, users or goals every keyboard built from data stays within 100
buttons and about 10 kB (the Chat helper checks each one as Telegram would, with the fake
Bot API's own check), and every item can still be reached and picked, a page at a time.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path

from bot.app.registry import Service
from bot.features.goals.reminders import ReminderTick
from dialogs import paging
from dialogs.catalog import Catalog
from dialogs.replies import Reply
from storage.access import AccessRepo
from storage.goals import GoalRepo
from tests import figures
from tests.bot.features.goals.test_goals import Clock
from tests.bot.features.goals.test_reminders import MONDAY_NINE, FakeSender, make_service
from tests.chat import Chat

MANY = 120
# Long labels in a script JSON escapes: a page must still fit.
LONG = "Буурткоор " * 6
NAME = LONG.strip()[:49]


def buttons(reply: Reply) -> list[str]:
    return [b.label for row in reply.buttons for b in row]


def page_to(chat: Chat, label: str, pages: int = 40) -> None:
    """Press "Volgende ›" until a button with `label` is shown."""
    for _ in range(pages):
        if any(label in text for text in chat.labels()):
            return
        chat.press("Volgende ›")
    raise AssertionError(f"{label!r} never shown")


def many_communities(service: Service, chat: Chat) -> None:
    user = service.store.user_by_telegram(chat.who.telegram_id or 0)
    assert user is not None
    with service.store.atomic():
        for n in range(MANY):
            service.store.create_community(user.id, f"{NAME} {n}", None)
    chat.send("/community")


def test_switching_among_120_communities(service: Service, chat: Chat) -> None:
    chat.onboard("Taalcafé Noord")
    many_communities(service, chat)
    chat.press("Wisselen")
    first = chat.last.replies[-1]
    assert len(buttons(first)) <= paging.PER_PAGE + 2 and "Volgende ›" in buttons(first)
    page_to(chat, f"{NAME} 117")
    assert "‹ Vorige" in chat.labels()
    chat.press(f"{NAME} 117")
    assert "Gewisseld" in chat.text()
    user = service.store.user_by_telegram(1001)
    assert user is not None and user.active_community is not None
    community = service.store.community(user.id, user.active_community)
    assert community is not None and community.name.endswith(" 117")


def test_typing_a_name_on_a_later_page_still_picks_it(service: Service, chat: Chat) -> None:
    chat.onboard("Taalcafé Noord")
    many_communities(service, chat)
    chat.press("Wisselen")
    chat.send(f"{NAME} 99")
    assert "Gewisseld" in chat.text()


def test_exporting_one_of_120_communities(service: Service, chat: Chat) -> None:
    chat.onboard("Taalcafé Noord")
    many_communities(service, chat)
    chat.send("/export")
    assert "Alles" in " ".join(chat.labels()) and len(chat.labels()) <= paging.PER_PAGE + 3
    page_to(chat, f"{NAME} 110")
    chat.press(f"{NAME} 110")
    chat.press("Markdown")
    [document] = chat.last.replies[-1].attachments
    assert f"{NAME} 110".encode() in document.content


def test_managing_120_users(service: Service, chat: Chat) -> None:
    admin = Chat(service, telegram_id=7, name="Beheer")
    AccessRepo(service.store).set_admin(service.user(admin.who).id, True)
    for n in range(MANY):
        Chat(service, telegram_id=50_000 + n, name=f"Bibliothecaris {n}")
    admin.send("/gebruikers")
    assert len(admin.labels()) <= 9 and "Volgende ›" in admin.labels()
    page_to(admin, "Bibliothecaris 100")
    admin.press("intrekken: Bibliothecaris 100")
    revoked = service.store.user_by_telegram(50_100)
    assert revoked is not None and revoked.status == "revoked"
    assert "teruggeven: Bibliothecaris 100" in " ".join(admin.labels())  # same page again


def test_picking_one_of_120_goals(service: Service, chat: Chat) -> None:
    chat.onboard("Taalcafé Noord")
    user = service.store.user_by_telegram(1001)
    assert user is not None and user.active_community is not None
    repo = GoalRepo(service.store)
    with service.store.atomic():
        for n in range(MANY):
            repo.add_goal(user.id, user.active_community, specific=f"doel nummer {n}",
                          metric="deelnemers", baseline=0, target=10, achievable="",
                          relevant="", relevant_part=None, deadline=date(2030, 1, 1))
    chat.send("/doelen")
    chat.press("Nieuwe stand")
    page_to(chat, "doel nummer 115")
    chat.press("doel nummer 115")
    assert "Wat is de nieuwe stand?" in chat.text()
    chat.send("4")
    chat.press("Zonder notitie")
    assert "Vastgelegd: 4" in chat.text()


def test_the_weekly_reminder_with_120_goals(db_path: Path, catalog: Catalog) -> None:
    clock = Clock(MONDAY_NINE - timedelta(days=1))
    service = make_service(db_path, catalog, clock)
    try:
        anna = Chat(service, telegram_id=1001, name="Anna")
        anna.onboard("Taalcafé Noord", "taal")
        user = service.store.user_by_telegram(1001)
        assert user is not None and user.active_community is not None
        repo = GoalRepo(service.store)
        with service.store.atomic():
            for n in range(MANY):
                repo.add_goal(user.id, user.active_community, specific=f"doel {n}: {LONG}",
                              metric="deelnemers", baseline=0, target=10, achievable="",
                              relevant="", relevant_part=None, deadline=date(2030, 1, 1))
        sender = FakeSender()
        tick = ReminderTick(service, sender)
        asyncio.run(tick.run_once())
        clock.now = MONDAY_NINE
        assert asyncio.run(tick.run_once()) == 1
        [(_, replies)] = sender.sent
        assert paging.fits(replies[0].buttons)
        more = replies[0].buttons[-1][0]
        assert more.label == "📈 Alle 120 doelen"
        anna.press_data(more.data)  # the button under the reminder
        assert "Van welk doel" in anna.text() and paging.fits(anna.last.replies[0].buttons)
        page_to(anna, "doel 119:")
        anna.press("doel 119:")
        assert "Wat is de nieuwe stand?" in anna.text()
        figures.record("hardening_paging", items=MANY, per_page=paging.PER_PAGE,
                       keyboards_refused=0)
    finally:
        service.store.close()
