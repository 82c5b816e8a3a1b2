"""One entry point per event: a front end takes its part inside the event's transaction."""

from __future__ import annotations

from dataclasses import replace

from bot.app.registry import Service
from bot.app.service import Finish, Incoming, Outcome, Who
from dialogs.catalog import Catalog
from storage.store import Store


class Noting:
    """A front end that takes text as a note and notes each outcome before the commit."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.received: list[int | None] = []
        self.finished: list[tuple[int | None, bool]] = []

    def receive(self, who: Who, event: Incoming) -> tuple[Incoming, Finish]:
        self.received.append(event.update_id)

        def finish(outcome: Outcome) -> None:
            self.finished.append((outcome.user_id, self.store.db.conn.in_transaction))

        return replace(event, kind="command", command="note", args=event.text), finish


def test_the_front_end_takes_its_part_once_per_update_in_its_transaction(
        store: Store, catalog: Catalog) -> None:
    service = Service(store, catalog)  # the core: no access gate
    anna = Who(telegram_id=1001, name="Anna")
    front = Noting(store)
    service.handle(anna, Incoming(kind="command", command="start", update_id=1))
    service.handle(anna, Incoming(kind="text", text="Taalcafé", update_id=2))
    outcome = service.handle(anna, Incoming(kind="text", text="eerste indruk", update_id=3),
                             front)
    again = service.handle(anna, Incoming(kind="text", text="eerste indruk", update_id=3),
                           front)
    assert again.duplicate and front.received == [3]
    assert front.finished == [(outcome.user_id, True)]
    assert [n.text for n in store.notes(outcome.user_id or 0)] == ["eerste indruk"]
