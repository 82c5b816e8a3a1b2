"""The commands both front ends understand: English names, Dutch aliases, what each does.

Each command is declared where it is handled (`@command("talk", aliases=("gesprek",),
group="field", order=1)`, bot/app/feature.py); a `Menu` gathers the declarations of the
installed features. It is the one source of `/help`, the Telegram command menu
(setMyCommands), the parsing of typed commands and the README's command table (a test compares
them). A command's menu text is the text `cmd_<name>`, its line in /help `help_<name>`; both
in every language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Protocol


@dataclass(frozen=True)
class Command:
    name: str
    aliases: tuple[str, ...] = ()
    group: str | None = None  # the /help heading it stands under (`help_group_<group>`);
    # None: not in /help nor the menu (a command the bot's own buttons send)
    order: int = 0  # its place within the group

    @property
    def description(self) -> str:
        """Text key of its line in the Telegram command menu."""
        return f"cmd_{self.name}"

    def shown(self, lang: str) -> str:
        """How a librarian types it: the Dutch alias in Dutch, the English name otherwise."""
        return self.aliases[0] if lang == "nl" and self.aliases else self.name


# In the order of /help and the command menu: what a librarian does in the field first.
GROUPS = ("field", "method", "data", "settings", "admin")
FIRST = "field"  # the group /help shows in full; the others are one tap away


class Texts(Protocol):
    def text(self, key: str, lang: str, **params: object) -> str: ...


class Menu:
    """The declared commands: those in a group in the order of /help, and every alias."""

    def __init__(self, declared: Iterable[Command]) -> None:
        every = list(declared)
        for command in every:
            if command.group is not None and command.group not in GROUPS:
                raise ValueError(f"command {command.name!r}: unknown group {command.group!r}")
        listed = [c for c in every if c.group is not None]
        self.commands: tuple[Command, ...] = tuple(sorted(
            listed, key=lambda c: (GROUPS.index(c.group or ""), c.order)))
        self.aliases: dict[str, str] = {
            alias: command.name for command in (*self.commands, *every)
            for alias in (command.name, *command.aliases)}
        self._words = [alias for command in self.commands
                       for alias in (command.name, *command.aliases)]

    def help_short(self, texts: Texts, lang: str) -> str:
        """/help on one phone screen: a line on what the bot does, the field commands with
        their menu text, the other commands by name (`help_text` has them all)."""
        field = [f"/{c.shown(lang)} – {texts.text(c.description, lang)}"
                 for c in self.commands if c.group == FIRST]
        others = ", ".join(f"/{c.shown(lang)}" for c in self.commands
                           if c.group not in (FIRST, "admin") and c.name != "help")
        return "\n\n".join([texts.text("help_short_intro", lang),
                             "\n".join([texts.text(f"help_group_{FIRST}", lang), *field]),
                             texts.text("help_short_more", lang, commands=others)])

    def help_text(self, texts: Texts, lang: str) -> str:
        """/help's full list: what the bot does, then every command under its task."""
        parts = [texts.text("help_intro", lang)]
        for group in GROUPS:
            lines = [texts.text(f"help_group_{group}", lang)]
            lines += [f"/{c.shown(lang)} – {texts.text(f'help_{c.name}', lang)}"
                      for c in self.commands if c.group == group]
            parts.append("\n".join(lines))
        parts.append(texts.text("help_outro", lang))
        return "\n\n".join(parts)

    def parse(self, text: str) -> tuple[str, str] | None:
        """`/fase@veldgids_bot args` -> ("phase", "args"); unknown commands keep their own
        name."""
        if not text.startswith("/") or len(text) < 2:
            return None
        head, _, args = text[1:].partition(" ")
        word = head.split("@", 1)[0].lower()
        return self.aliases.get(word, word), args.strip()

    def suggest(self, word: str, most: int = 3) -> list[Command]:
        """The commands a mistyped `word` may have meant, in the order of the command list:
        those it begins (/ac: /acties and /activiteit), else those it resembles (/zeok:
        /zoek)."""
        word = word.lower()
        if not word:
            return []
        names = self._words
        found = {self.aliases[n] for n in names if n.startswith(word)}
        if not found:
            found = {self.aliases[n] for n in get_close_matches(word, names, n=most,
                                                                cutoff=0.7)}
        return [c for c in self.commands if c.name in found][:most]
