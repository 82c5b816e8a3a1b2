"""A scripted librarian for service-level tests: send text, press buttons by label."""

from __future__ import annotations

import itertools

from bot.app.registry import Service
from bot.app.service import Incoming, Outcome, Who
from dialogs.replies import Button, Reply, label, resolved
from tests.fakebotapi.limits import check_keyboard

_update_ids = itertools.count(1)


class Chat:
    def __init__(self, service: Service, *, telegram_id: int = 1001, name: str = "Anna",
                 language_code: str | None = "nl", admitted: bool = True) -> None:
        self.service = service
        self.who = Who(telegram_id=telegram_id, name=name, language_code=language_code)
        self.replies: list[Reply] = []
        self.last: Outcome = Outcome()
        if admitted:
            # Access is closed by default: this librarian was invited before the test starts.
            with service.store.atomic():
                service.user(self.who)

    def _go(self, event: Incoming) -> Outcome:
        if event.update_id is None:
            event.update_id = next(_update_ids)
        self.last = self.service.handle(self.who, event)
        # Heavy replies (exports, charts) are made here, as a front end makes them.
        self.last.replies = [resolved(reply) for reply in self.last.replies]
        for reply in self.last.replies:  # a keyboard Telegram would refuse fails the test
            check_keyboard({"reply_markup": {"inline_keyboard": [
                [{"text": label(b.label), "callback_data": b.data} for b in row]
                for row in reply.buttons]}})
        self.replies.extend(self.last.replies)
        return self.last

    def send(self, text: str) -> Outcome:
        if text.startswith("/"):
            head, _, args = text[1:].partition(" ")
            from bot.app.registry import ALIASES

            return self._go(Incoming(kind="command", command=ALIASES.get(head, head), args=args))
        return self._go(Incoming(kind="text", text=text))

    def other(self, kind: str) -> Outcome:
        return self._go(Incoming(kind="other", other=kind))

    def press_data(self, data: str) -> Outcome:
        return self._go(Incoming(kind="press", data=data))

    def button(self, label_part: str) -> Button:
        """The newest button whose label contains `label_part`."""
        for reply in reversed(self.replies):
            for row in reply.buttons:
                for button in row:
                    if label_part in button.label:
                        return button
        raise AssertionError(f"no button with {label_part!r}; last: {self.text()!r}")

    def press(self, label_part: str) -> Outcome:
        return self.press_data(self.button(label_part).data)

    def text(self) -> str:
        """All text of the last outcome."""
        return "\n".join(r.text for r in self.last.replies)

    def labels(self) -> list[str]:
        return [b.label for r in self.last.replies for row in r.buttons for b in row]

    def onboard(self, community: str = "Taalcafé Noord", theme: str | None = "taal") -> None:
        self.send("/start")
        self.send(community)
        if theme is None:
            self.press("Overslaan")
        else:
            self.send(theme)
