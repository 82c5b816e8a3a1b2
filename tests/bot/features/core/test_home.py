"""The way in: one greeting, a menu that leads with the field actions, and /help, the command
menu and the README's table listing the same commands from one source."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from bot.app.commands import GROUPS
from bot.app.registry import COMMANDS, Service, help_text
from bot.telegram.app import set_commands
from dialogs.catalog import Catalog
from tests.chat import Chat

README = Path(__file__).resolve().parents[4] / "README.md"
FIELD_FIRST = ["🗣️ Gesprek beginnen", "📝 Iets noteren", "🔎 Zoeken", "🧭 Fasen", "🎯 Doelen",
               "📋 Samenvatting"]


def test_a_new_librarian_gets_one_greeting_with_the_first_question(service: Service) -> None:
    anna = Chat(service, name="Anna")
    outcome = anna.send("/start")
    [reply] = outcome.replies
    assert reply.text.count("Hallo Anna") == 1 and "Met welke community werk je?" in reply.text
    assert "Fase 1" in reply.text


def test_start_with_a_community_says_welcome_back_and_shows_the_menu_in_one_message(
        chat: Chat) -> None:
    chat.onboard()
    outcome = chat.send("/start")
    [reply] = outcome.replies
    assert reply.text.startswith("Welkom terug, Anna.")
    assert "Je werkt nu met Taalcafé Noord" in reply.text
    labels = [b.label for row in reply.buttons for b in row]
    assert labels[:6] == FIELD_FIRST
    assert set(labels[6:]) == {"👥 Community's", "⏰ Weekoverzicht", "🌐 Taal · Language",
                               "📦 Exporteren"}
    assert max(len(row) for row in reply.buttons) == 2  # two to a row: the menu fits a phone


def test_each_field_action_is_one_tap_from_the_menu(chat: Chat) -> None:
    chat.onboard()
    chat.send("Sanne wil een leesclub beginnen #lezen")
    chat.send("/start")
    chat.press("Gesprek beginnen")
    [reply] = chat.last.replies
    assert reply.edit and "Met wie praat je?" in reply.text  # the menu becomes the question
    chat.send("/start")
    chat.press("Iets noteren")
    assert "Typ je notitie gewoon als bericht" in chat.text()
    chat.send("/start")
    chat.press("Zoeken")
    assert "Waar zoek je naar?" in chat.text()
    chat.send("leesclub")
    assert "<b>leesclub</b>" in chat.text()
    chat.send("/start")
    chat.press("Samenvatting")
    assert "Community: Taalcafé Noord" in chat.text()


def test_help_lists_every_command_under_its_task(service: Service, catalog: Catalog) -> None:
    anna = Chat(service)
    anna.send("/help")
    anna.press("Alle commando's")  # the short /help leads to the full list in one tap
    dutch = anna.text()
    for command in COMMANDS:
        assert re.search(rf"^/{command.shown('nl')} – ", dutch, re.M), command.name
    for word in ("/gesprek", "/zoek", "/samenvatting", "/notitie"):
        assert word in dutch
    english = help_text(catalog, "en")
    for command in COMMANDS:
        assert re.search(rf"^/{command.name} – ", english, re.M), command.name
    headings = [catalog.text(f"help_group_{g}", "nl") for g in GROUPS]
    positions = [dutch.index(h) for h in headings]
    assert positions == sorted(positions)
    assert dutch.index("/gesprek") < dutch.index("/fase") < dutch.index("/export")


class MenuBot:
    """What set_commands needs of an Application: a bot that remembers the menus it got."""

    def __init__(self) -> None:
        self.menus: dict[str | None, list[str]] = {}

    async def set_my_commands(self, commands: list[Any], scope: Any = None,
                              language_code: str | None = None) -> bool:
        self.menus[language_code] = [c.command for c in commands]
        return True


class App:
    def __init__(self) -> None:
        self.bot = MenuBot()


def readme_commands() -> set[tuple[str, str]]:
    """(command, Dutch alias) of every row of the README's command table."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## Telegram commands"):]
    table = table[:table.index("\n## ", 5)]
    rows = re.findall(r"^\| `/(\w+)` \| (?:`/(\w+)`)? *\|", table, re.M)
    return {(name, alias) for name, alias in rows}


def test_help_the_command_menu_and_the_readme_list_the_same_commands(
        service: Service, catalog: Catalog) -> None:
    listed = {(c.name, c.aliases[0] if c.aliases else "") for c in COMMANDS}
    app = App()
    asyncio.run(set_commands(app, service))  # type: ignore[arg-type]
    assert set(app.bot.menus["en"]) == {c.name for c in COMMANDS}
    assert set(app.bot.menus["nl"]) == {c.shown("nl") for c in COMMANDS}
    assert set(app.bot.menus[None]) == set(app.bot.menus["nl"])  # the default language
    assert readme_commands() == listed
    for lang in ("nl", "en"):
        shown = set(re.findall(r"^/(\w+) – ", help_text(catalog, lang), re.M))
        assert shown == {c.shown(lang) for c in COMMANDS}
    for command in COMMANDS:  # every command has its menu text and its help line
        assert command.description in catalog.texts and f"help_{command.name}" in catalog.texts
