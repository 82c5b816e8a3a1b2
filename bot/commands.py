"""The commands both front ends understand: English names, Dutch aliases, menu texts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    aliases: tuple[str, ...]
    description: str  # text key, per language in texts.yaml


COMMANDS: tuple[Command, ...] = (
    Command("start", (), "cmd_start"),
    Command("phase", ("fase",), "cmd_phase"),
    Command("community", (), "cmd_community"),
    Command("talk", ("gesprek",), "cmd_talk"),
    Command("note", ("notitie",), "cmd_note"),
    Command("summary", ("samenvatting",), "cmd_summary"),
    Command("search", ("zoek",), "cmd_search"),
    Command("goals", ("doelen",), "cmd_goals"),
    Command("reminders", ("herinneringen",), "cmd_reminders"),
    Command("language", ("taal",), "cmd_language"),
    Command("export", (), "cmd_export"),
    Command("mydata", ("mijngegevens",), "cmd_mydata"),
    Command("forget", ("vergeetmij",), "cmd_forget"),
    Command("cancel", ("annuleer",), "cmd_cancel"),
    Command("help", ("hulp",), "cmd_help"),
    Command("invite", ("uitnodigen",), "cmd_invite"),
    Command("users", ("gebruikers",), "cmd_users"),
)

ALIASES: dict[str, str] = {
    alias: command.name for command in COMMANDS for alias in (command.name, *command.aliases)
}


def parse(text: str) -> tuple[str, str] | None:
    """`/fase@veldgids_bot args` -> ("phase", "args"); unknown commands keep their own name."""
    if not text.startswith("/") or len(text) < 2:
        return None
    head, _, args = text[1:].partition(" ")
    word = head.split("@", 1)[0].lower()
    return ALIASES.get(word, word), args.strip()
