"""The console front end: the same dialogs and database, buttons shown as numbers.

A typed number picks a button, except on a question that takes typed text (an amount, a
name, a day): there the buttons read [#1], [#2], a bare number is the answer, and "#2" (or
"2.") taps a button. "#2" and "2." pick a button on any screen."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path

from bot.app.service import Incoming, Outcome, Service, Who
from dialogs.replies import Attachment, Button, resolved
from storage.faults import write_private

QUIT = {"/quit", "/exit", "/stop", "q"}
HELP = "help"  # the core feature's /help (/hulp): the console says how its numbers work
_TAG = re.compile(r"</?(?:b|strong|i|em|u|ins|s|strike|del|code|pre|a|tg-spoiler)\b[^>]*>")
_REV = re.compile(r"^\d+\.")  # a dialog button's step revision, new at every redraw
_PICK = re.compile(r"^(?:#\s*(\d+)|(\d+)\.)$")  # "#2" or "2.": a button, on any screen


def plain(text: str) -> str:
    """A reply written for Telegram's HTML as the text a librarian reads."""
    return html.unescape(_TAG.sub("", text))


def _key(button: Button) -> str:
    """What a button does, whatever step revision it carries."""
    return _REV.sub("", button.data)


class Console:
    def __init__(self, service: Service, name: str, language: str,
                 write: Callable[[str], None] = print) -> None:
        self.service = service
        self.who = Who(console_name=name, name=name, language_code=language)
        self.write = write
        self.buttons: dict[int, Button] = {}
        self.typing = False  # the step shown takes typed text: a bare number is text

    def show(self, outcome: Outcome) -> None:
        if outcome.notice:
            self.write(f"({outcome.notice})")
        if outcome.ack:
            self.write("✍ ✓")
        for reply in map(resolved, outcome.replies):  # the console waits for an export
            self.write(plain(reply.text) if reply.html else reply.text)
            for attachment in reply.attachments:
                self.write(f"📎 {self._save(outcome, attachment)}")
            flat = [b for row in reply.buttons for b in row]
            if flat or not reply.attachments:  # a chart after a menu keeps the menu's numbers
                self.buttons = self._numbered(flat, redrawn=reply.edit)
            mark = "#" if self.typing else ""
            for number, button in self.buttons.items():
                self.write(f"  [{mark}{number}] {button.label}")
            self.write("")

    def _numbered(self, buttons: list[Button], *, redrawn: bool) -> dict[int, Button]:
        """Numbers for a screen's buttons, in keyboard order. A redrawn screen (Telegram
        edits that message in place) keeps each button's number, so a number typed from
        memory still means the same: a button that stayed (or changed in place, as a
        ticked item does) keeps it, a gone one leaves a gap, a new one gets the next."""
        old = list(self.buttons.items())
        match = SequenceMatcher(None, [_key(b) for _, b in old], [_key(b) for b in buttons],
                                autojunk=False)
        kept = sum(block.size for block in match.get_matching_blocks())
        if not redrawn or 2 * kept < max(len(old), len(buttons)):
            # Another screen, even when Telegram would edit the same message (a phase's
            # list opening one item, say): counted afresh. The same screen keeps at least
            # half its buttons.
            return dict(enumerate(buttons, start=1))
        numbers: dict[int, Button] = {}
        following = max(n for n, _ in old)
        for tag, i1, i2, j1, j2 in match.get_opcodes():
            if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
                numbers.update((old[i1 + k][0], buttons[j1 + k]) for k in range(j2 - j1))
            else:  # inserted, or replaced by more or fewer: new numbers
                for button in buttons[j1:j2]:
                    following += 1
                    numbers[following] = button
        return numbers

    def _save(self, outcome: Outcome, attachment: Attachment) -> Path:
        """Files (exports, charts) go to the user's own folder, which /forget removes."""
        folder = (Path(self.service.defaults.data_dir) / "users" / str(outcome.user_id or 0)
                  / "files")
        path = folder / Path(attachment.filename).name
        write_private(path, attachment.content, replace=True)
        return path

    def _takes_text(self) -> bool:
        """Whether typed text answers the step the librarian is at (a question, a list to
        add to), so a bare number typed there is an answer rather than a button."""
        saved = self.service.store.state(self.service.user(self.who).id)
        dialog = self.service.catalog.dialogs.get(saved.dialog or "")
        step = dialog.steps.get(saved.step or "") if dialog is not None else None
        kind = self.service.catalog.kinds.get(step.kind) if step is not None else None
        return bool(getattr(kind, "takes_text", False))

    def _number(self, typed: str) -> int:
        """The button a line picks: "#2" or "2." always, a bare "2" unless the step shown
        takes typed text; 0 for none."""
        if (found := _PICK.match(typed)) is not None:
            return int(found.group(1) or found.group(2))
        bare = typed.isascii() and typed.isdigit()
        return int(typed) if bare and not self.typing else 0

    def send(self, line: str) -> Outcome:
        """One line typed by the librarian: a number picks a button (see the module's
        docstring for a question that takes a typed number), /x is a command."""
        text = line.rstrip("\n")
        stripped = text.strip()
        number = self._number(stripped)
        if number in self.buttons:
            event = Incoming(kind="press", data=self.buttons[number].data)
        elif 0 < number < max(self.buttons, default=0):  # a gap a redrawn screen left
            user = self.service.user(self.who)
            self.write(f"({self.service.t(user, 'console_button_gone', number=number)})")
            self.write("")
            return Outcome()
        elif (parsed := self.service.menu.parse(stripped)) is not None:
            event = Incoming(kind="command", command=parsed[0], args=parsed[1])
        else:
            event = Incoming(kind="text", text=text)
        outcome = self.service.handle(self.who, event)
        self.typing = self._takes_text()
        if event.kind == "command" and event.command == HELP:
            self.write(self.service.t(self.service.user(self.who), "console_help"))
            self.write("")
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
