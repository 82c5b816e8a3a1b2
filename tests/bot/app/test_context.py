"""The context holds what the step needs: only the providers that fill it are asked, once."""

from __future__ import annotations

from typing import Any

from bot.app.feature import Ask, Feature, provides
from bot.app.registry import FEATURES, Service, load_catalog
from dialogs.needs import Needs
from storage.store import Store
from tests.chat import Chat


class Extra(Feature):
    name = "extra"
    calls: list[int] = []

    @provides(facts=("extra_fact",), values=("extra",), choices=("extra_choices",))
    def extra(self, ask: Ask) -> dict[str, Any]:
        self.calls.append(ask.user.id)
        return {"extra_fact": True, "extra": "van de feature", "extra_choices": []}


def test_a_provider_fills_its_names_when_a_step_needs_them(store: Store) -> None:
    service = Service(store, load_catalog(), features=(*FEATURES, Extra))
    chat = Chat(service, telegram_id=1001, name="Anna")
    chat.onboard()
    Extra.calls.clear()
    user = service.store.user_by_telegram(1001)
    assert user is not None
    ctx = service.context(user, 1, Needs(values=frozenset({"community"})))
    assert ctx.values["community"] == "Taalcafé Noord"
    assert Extra.calls == []  # nobody asked for what it provides
    ctx = service.context(user, 1, Needs(facts=frozenset({"extra_fact"}),
                                         values=frozenset({"extra"})))
    assert ctx.values["extra"] == "van de feature" and ctx.facts["extra_fact"] is True
    assert "extra_choices" in ctx.choices and "missing" not in ctx.values
    assert len(Extra.calls) == 1  # once, however much of it is asked


def test_a_checklist_tap_reads_the_ticks_and_what_items_hold_and_nothing_else(
        service: Service, chat: Chat) -> None:
    chat.onboard()
    chat.send("/fase")
    chat.press("1. Strategie")
    called: list[str] = []
    wrapped = []
    for owner, declared, load in service.builder.providers:
        def counting(ask: Ask, owner: str = owner, load: Any = load) -> dict[str, Any]:
            called.append(owner)
            return load(ask)  # type: ignore[no-any-return]
        wrapped.append((owner, declared, counting))
    service.builder.providers = wrapped
    service.builder._chosen.clear()  # the cache holds the unwrapped loaders
    chat.press("Beleidsplan")
    assert "(1/5)" in chat.text() and "✅ Beleidsplan doorgenomen" in chat.labels()
    # Phase 1 shows the opening of the library's frame, and its 🏛️ button leads to the
    # frame (bot/features/library/feature.py): single-row reads.
    assert called and all(owner.startswith(("core.", "library.")) or owner == "field.item_texts"
                          for owner in called), called


def test_a_step_that_routes_on_a_feature_fact_still_routes_on_it(chat: Chat) -> None:
    """The wrap-up routes on `talk_pending`, which only the talk feature knows."""
    chat.onboard()
    chat.send("/gesprek Fatima, voorzitter")
    chat.send("/gesprek Jan")
    assert "Je gesprek met Fatima staat nog open" in chat.text()
    chat.press("Eerst afronden")
    for _ in range(2):
        chat.press("Ja")
        chat.press("Overslaan")
    chat.press("Overslaan")
    assert "Nu het gesprek met Jan beginnen?" in chat.text()
