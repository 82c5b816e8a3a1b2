"""The console front end: the same dialogs and database, buttons shown as numbers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.commands import parse
from bot.service import Incoming, Outcome, Service, Who
from dialogs.replies import Attachment, Button, resolved
from storage.faults import write_private

QUIT = {"/quit", "/exit", "/stop", "q"}


class Console:
    def __init__(self, service: Service, name: str, language: str,
                 write: Callable[[str], None] = print) -> None:
        self.service = service
        self.who = Who(console_name=name, name=name, language_code=language)
        self.write = write
        self.buttons: list[Button] = []

    def show(self, outcome: Outcome) -> None:
        if outcome.notice:
            self.write(f"({outcome.notice})")
        if outcome.ack:
            self.write("✍ ✓")
        for reply in map(resolved, outcome.replies):  # the console waits for an export
            self.write(reply.text)
            for attachment in reply.attachments:
                self.write(f"📎 {self._save(outcome, attachment)}")
            flat = [b for row in reply.buttons for b in row]
            if flat or not reply.attachments:  # a chart after a menu keeps the menu's numbers
                self.buttons = flat
            if flat:
                for number, button in enumerate(flat, start=1):
                    self.write(f"  [{number}] {button.label}")
            self.write("")

    def _save(self, outcome: Outcome, attachment: Attachment) -> Path:
        """Files (exports, charts) go to the user's own folder, which /forget removes."""
        folder = (Path(self.service.defaults.data_dir) / "users" / str(outcome.user_id or 0)
                  / "files")
        path = folder / Path(attachment.filename).name
        write_private(path, attachment.content, replace=True)
        return path

    def send(self, line: str) -> Outcome:
        """One line typed by the librarian: a number picks a button, /x is a command."""
        text = line.rstrip("\n")
        stripped = text.strip()
        number = int(stripped) if stripped.isascii() and stripped.isdigit() else 0
        if self.buttons and 1 <= number <= len(self.buttons):
            event = Incoming(kind="press", data=self.buttons[number - 1].data)
        elif (parsed := parse(stripped)) is not None:
            event = Incoming(kind="command", command=parsed[0], args=parsed[1])
        else:
            event = Incoming(kind="text", text=text)
        outcome = self.service.handle(self.who, event)
        self.show(outcome)
        return outcome

    def loop(self, read: Callable[[str], str] = input) -> None:
        user = self.service.user(self.who)
        self.write(self.service.t(user, "console_started"))
        self.write("")
        self.send("/start")
        while True:
            try:
                line = read("> ")
            except (EOFError, KeyboardInterrupt):
                self.write("")
                return
            if line.strip().lower() in QUIT:
                return
            self.send(line)
