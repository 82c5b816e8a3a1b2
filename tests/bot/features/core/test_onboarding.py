"""Nothing typed is lost during onboarding: a command in the middle keeps the name."""

from __future__ import annotations

import pytest

from bot.app.registry import Service
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


def _all_commands() -> list[str]:
    from bot.app.registry import COMMANDS

    return [c.aliases[0] if c.aliases else c.name for c in COMMANDS] + ["zeok"]


def _communities(store: Store) -> list[tuple[str, str | None]]:
    user = store.user_by_telegram(1001)
    assert user is not None
    return [(c.name, c.theme) for c in store.communities(user.id)]


@pytest.mark.parametrize("step", ["ask_name", "ask_theme"])
@pytest.mark.parametrize("command", _all_commands())
def test_any_command_at_any_onboarding_step_makes_one_community(
        service: Service, store: Store, step: str, command: str) -> None:
    """`/start` → a name → `/help` → the theme: before, the theme made a second community."""
    anna = Chat(service)
    anna.send("/start")
    if step == "ask_theme":
        anna.send("Taalcafé Noord")
    anna.send(f"/{command}")
    assert anna.text().strip()  # she is answered
    # She carries on where the screen leaves her: a question of the start still open is
    # answered, anything else is left as it is.
    answered_theme = False
    for _ in range(2):
        saved = store.state(store.user_by_telegram(1001).id)  # type: ignore[union-attr]
        if saved.dialog != "start":
            break
        if saved.step == "ask_name":
            assert "Met welke community werk je?" in anna.text()
            anna.send("Taalcafé Noord")
        else:
            assert anna.text().endswith(anna.last.replies[-1].text)
            assert "Rond welk thema draait Taalcafé Noord?" in anna.last.replies[-1].text
            anna.send("taal en ontmoeting")
            answered_theme = True
    found = _communities(store)
    if step == "ask_theme":
        assert [name for name, _ in found] == ["Taalcafé Noord"], anna.text()
    else:
        assert [name for name, _ in found] in ([], ["Taalcafé Noord"]), anna.text()
    if answered_theme:  # the theme question she answered was this community's
        assert found[0][1] == "taal en ontmoeting"
    user = store.user_by_telegram(1001)
    assert user is not None
    if found:
        assert user.active_community is not None


def test_help_at_the_theme_question_then_the_theme_is_one_community(service: Service,
                                                                     store: Store) -> None:
    anna = Chat(service)
    anna.send("/start")
    anna.send("Taalcafé Noord")
    anna.send("/help")
    assert anna.text().startswith("Vastgelegd: je werkt nu met Taalcafé Noord.")
    assert anna.last.replies[-1].text.startswith("Rond welk thema draait Taalcafé Noord?")
    anna.send("taal en ontmoeting")
    assert "✅ Vastgelegd." in anna.text()
    anna.send("/export")
    # Before: [Taalcafé Noord] [Taalcafé Noord] [📦 Alles], the first one empty.
    assert anna.labels() == ["Taalcafé Noord", "📦 Alles"]
    assert _communities(store) == [("Taalcafé Noord", "taal en ontmoeting")]
