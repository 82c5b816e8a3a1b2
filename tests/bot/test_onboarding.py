"""Nothing typed is lost during onboarding: a command in the middle keeps the name."""

from __future__ import annotations

from bot.service import Service
from storage.store import Store
from tests.chat import Chat


def test_a_command_after_the_name_keeps_the_community(service: Service, store: Store) -> None:
    anna = Chat(service)
    anna.send("/start")
    anna.send("Leesclub Zuid")
    assert "Rond welk thema draait Leesclub Zuid?" in anna.text()
    outcome = anna.send("/fase")
    [reply] = outcome.replies  # one message: what was kept, then the phases
    assert reply.text.startswith("Vastgelegd: je werkt nu met Leesclub Zuid.")
    assert "via /community" in reply.text  # the theme was not given: where to add it
    assert "De zes fasen voor Leesclub Zuid" in reply.text
    assert "Met welke community" not in reply.text
    user = store.user_by_telegram(1001)
    assert user is not None
    assert [c.name for c in store.communities(user.id)] == ["Leesclub Zuid"]


def test_cancel_and_language_during_onboarding_keep_the_name_too(service: Service,
                                                                  store: Store) -> None:
    anna = Chat(service)
    anna.send("/start")
    anna.send("Moestuin Oost")
    anna.send("/annuleer")
    assert "Vastgelegd: je werkt nu met Moestuin Oost" in anna.text()
    assert "Gestopt" in anna.text()
    bram = Chat(service, telegram_id=1002, name="Bram")
    bram.send("/start")
    bram.send("Wijkcafé")
    bram.send("/taal")
    user = store.user_by_telegram(1002)
    assert user is not None and [c.name for c in store.communities(user.id)] == ["Wijkcafé"]


def test_a_command_before_any_name_still_asks_for_the_community(service: Service,
                                                                store: Store) -> None:
    anna = Chat(service)
    anna.send("/start")
    anna.send("/gesprek")
    assert "Met welke community werk je?" in anna.text()
    user = store.user_by_telegram(1001)
    assert user is not None and store.communities(user.id) == []


def test_the_theme_can_be_added_later(chat: Chat, store: Store) -> None:
    chat.send("/start")
    chat.send("Leesclub Zuid")
    chat.send("/community")
    chat.press("Thema")
    assert "Nu: —" in chat.text()
    chat.send("lezen en ontmoeten")
    assert "Het thema van Leesclub Zuid is nu: lezen en ontmoeten." in chat.text()
    user = store.user_by_telegram(1001)
    assert user is not None and store.communities(user.id)[0].theme == "lezen en ontmoeten"
