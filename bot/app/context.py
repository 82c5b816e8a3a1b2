"""Building the engine's context: only the providers a step needs are asked, once each.

A step's needs are known when the catalog loads (dialogs/needs.py); each provider declares
what it fills (bot/app/feature.py). So a checklist tap reads the ticks and nothing else, and a
step that routes on `talk_pending` asks the talk feature and no other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.app.ask import Ask
from bot.app.feature import Provides
from bot.app.users import lang_of
from dialogs.needs import Needs, covered
from dialogs.state import Context

LANG_NAMES = {"nl": "Nederlands", "en": "English"}

Load = Callable[[Ask], dict[str, Any]]


class ProviderConflict(ValueError):
    """Two providers declare the same name."""


class ContextBuilder:
    def __init__(self, providers: list[tuple[str, Provides, Load]]) -> None:
        owners: dict[str, str] = {}
        for owner, provides, _ in providers:
            names = [*provides.facts, *provides.values, *provides.choices]
            names += ["ticks"] if provides.ticks else []
            for name in names:
                if name in owners:
                    raise ProviderConflict(
                        f"{name!r} is provided by both {owners[name]} and {owner}")
                owners[name] = owner
        self.providers = providers
        self._chosen: dict[Needs, list[tuple[Provides, Load]]] = {}

    def chosen(self, needs: Needs) -> list[tuple[Provides, Load]]:
        """The providers that fill at least one of `needs` (cached per distinct needs)."""
        found = self._chosen.get(needs)
        if found is None:
            found = [(p, load) for _, p, load in self.providers if _wanted(p, needs)]
            self._chosen[needs] = found
        return found

    def build(self, ask: Ask, needs: Needs, rev: int) -> Context:
        user = ask.user
        facts: dict[str, bool] = {}
        values: dict[str, str] = {"name": user.name,
                                  "lang": LANG_NAMES.get(user.language, user.language)}
        choices: dict[str, Any] = {}
        ticks: dict[str, set[str]] = {}
        for provides, load in self.chosen(needs):
            for key, value in load(ask).items():
                if key in provides.facts:
                    facts[key] = bool(value)
                elif covered(key, provides.choices):
                    choices[key] = value
                elif key == "ticks" and provides.ticks:
                    ticks = value
                elif covered(key, provides.values):
                    values[key] = value
                else:
                    raise ProviderConflict(f"a provider returned {key!r}, which it does "
                                           "not declare")
        return Context(lang=lang_of(user), rev=rev, facts=facts,
                       values=values, ticks=ticks, choices=choices)


def _wanted(provides: Provides, needs: Needs) -> bool:
    if needs.ticks and provides.ticks:
        return True
    if provides.facts & needs.facts:
        return True
    if any(covered(name, provides.choices) for name in needs.choices):
        return True
    return any(covered(name, provides.values) for name in needs.values)
