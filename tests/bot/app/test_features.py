"""Features plug in through one interface; the service refuses a name given twice, and every
command, effect and definition name is backed by a handler or provider."""

from __future__ import annotations

from typing import Any

import pytest

from bot.app.context import ProviderConflict
from bot.app.events import Outcome, Turn
from bot.app.feature import Ask, Feature, command, provides, slot
from bot.app.registry import COMMANDS, FEATURES, Service, load_catalog, names
from bot.app.service import FeatureConflict
from dialogs.catalog import Catalog
from dialogs.needs import ENGINE_EFFECTS
from storage.store import Store

# Effects the engine emits only to say something happened; nothing needs recording.
INFORMATIONAL = {"ended"}


def test_every_registered_command_has_a_handler(service: Service) -> None:
    missing = [c.name for c in COMMANDS if c.name not in service.commands]
    assert missing == []


def test_every_effect_has_a_handler(service: Service, catalog: Catalog) -> None:
    named = {s.effect for d in catalog.dialogs.values() for s in d.steps.values() if s.effect}
    wanted = (named | ENGINE_EFFECTS) - INFORMATIONAL
    assert sorted(wanted - service.effects.keys()) == []
    assert names().effects == set(service.effects)  # declared is exactly what is handled


def test_every_declared_name_has_a_provider(service: Service) -> None:
    provided: set[str] = set()
    for _, declared, _load in service.builder.providers:
        provided |= declared.facts | declared.values | declared.choices
    declared_names = names()
    assert declared_names.facts | declared_names.values | declared_names.choices == provided


class SecondTalk(Feature):
    name = "second_talk"

    @command("talk")
    def talk(self, turn: Turn) -> Outcome:
        return Outcome()


class OtherEdit(Feature):
    name = "other_edit"

    @slot("edit")
    def edit(self, turn: Turn) -> Outcome:
        return Outcome()


class OtherPeople(Feature):
    name = "other_people"

    @provides(choices=("people",))
    def people(self, ask: Ask) -> dict[str, Any]:
        return {"people": []}


@pytest.mark.parametrize(("extra", "error", "message"), [
    (SecondTalk, FeatureConflict, "command 'talk' comes from both talk and second_talk"),
    (OtherEdit, FeatureConflict, "slot 'edit' is taken by both talk and other_edit"),
    (OtherPeople, ProviderConflict, "'people' is provided by both talk.people and "
                                    "other_people.people"),
])
def test_a_name_given_twice_is_refused_at_start_up(store: Store, extra: type[Feature],
                                                   error: type[Exception],
                                                   message: str) -> None:
    with pytest.raises(error, match=message):
        Service(store, load_catalog(), features=(*FEATURES, extra))


def test_a_feature_may_take_over_a_slot_the_core_fills(store: Store) -> None:
    service = Service(store, load_catalog(), features=(OtherEdit,))
    assert service.slots["edit"].__self__.name == "other_edit"
