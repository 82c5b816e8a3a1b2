"""The features' context hooks run when a step needs what they provide, once per event."""

from __future__ import annotations

from bot.service import ContextFn, Service
from dialogs.state import Context
from storage.store import Community, User
from tests.chat import Chat


def counting_hook(calls: list[int]) -> ContextFn:
    def hook(user: User, active: Community | None, ctx: Context) -> None:
        calls.append(user.id)
        ctx.values["extra"] = "uit de hook"
        ctx.facts["extra_fact"] = True
        ctx.choices["extra_choices"] = []

    return hook


def test_hook_values_facts_and_choices_appear_when_asked_for(service: Service,
                                                             chat: Chat) -> None:
    chat.onboard()
    calls: list[int] = []
    service.context_hooks.append(counting_hook(calls))
    user = service.store.user_by_telegram(1001)
    assert user is not None
    ctx = service.context(user, 1)
    assert ctx.values["community"] == "Taalcafé Noord"  # the core's own: no hook needed
    assert calls == []
    assert ctx.values["extra"] == "uit de hook"
    assert ctx.facts.get("extra_fact") is True and "extra_choices" in ctx.choices
    assert ctx.values.get("missing", "—") == "—"
    assert len(calls) == 1  # once, however much is asked


def test_a_checklist_tap_does_not_build_the_features_context(service: Service,
                                                            chat: Chat) -> None:
    chat.onboard()
    chat.send("/fase")
    chat.press("1. Strategie")
    calls: list[int] = []
    service.context_hooks.append(counting_hook(calls))
    chat.press("Beleidsplan")
    assert "(1/5)" in chat.text() and "✅ Beleidsplan doorgenomen" in chat.labels()
    assert calls == []


def test_a_step_that_needs_a_hook_fact_still_routes_on_it(chat: Chat) -> None:
    """/gesprek routes on `talk_open` and `has_people`, which only the talk feature knows."""
    chat.onboard()
    chat.send("/gesprek")
    for answer in ("Fatima", "voorzitter", "Vrouwen van de Wijk", "Buurthuis De Linde"):
        chat.send(answer)
    chat.send("/fase")
    chat.send("/gesprek")
    assert "open gesprek met Fatima" in chat.text()
