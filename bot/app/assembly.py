"""The features of a service, merged: their commands, effects, buttons, slots, hooks,
context providers, jobs and menu, each name owned by one feature (a name given twice is
refused at start-up)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from bot.app.commands import Command, Menu
from bot.app.context import Load
from bot.app.events import CommandFn, Defaults, EffectFn, GateFn, Outcome, PressFn, Turn
from bot.app.feature import Ask, Every, Feature, Job, Provides
from dialogs.replies import Reply
from storage.store import User

Offer = TypeVar("Offer")


class FeatureConflict(ValueError):
    """Two features contribute the same command, effect, button prefix, slot or name."""


class Assembly:
    def __init__(self, defaults: Defaults, menu: Menu) -> None:
        self.defaults = defaults
        self.menu = menu
        self.commands: dict[str, CommandFn] = {}
        self.effects: dict[str, EffectFn] = {}
        self.presses: dict[str, PressFn] = {}
        self.gates: list[GateFn] = []
        self.media_hooks: list[Callable[[Turn], Outcome | None]] = []
        self.reply_hooks: list[Callable[[Turn], Outcome | None]] = []
        self.greetings: list[Callable[[Turn], list[Reply]]] = []
        self.leaving: list[Callable[[Turn], list[Reply]]] = []
        self.listed: list[Callable[[Ask], dict[str, list[str]]]] = []
        self.noted: list[Callable[[User, int | None, str], list[Reply]]] = []
        self.startup: list[Callable[[], None]] = []
        self.jobs: list[Job] = []
        self.slots: dict[str, Any] = {}
        self.features: dict[str, Feature] = {}
        self.providers: list[tuple[str, Provides, Load]] = []
        self._slot_owner: dict[str, tuple[str, bool]] = {}  # name, its slots are defaults
        self._owners: dict[tuple[str, str], str] = {}

    def install(self, feature: Feature) -> None:
        cls = type(feature)
        name = cls.name or cls.__name__.lower()
        if name in self.features:
            raise FeatureConflict(f"feature {name!r} is given twice")
        self.features[name] = feature
        for kind, key, attr in cls.marks():
            fn = getattr(feature, attr)
            if kind in ("command", "effect", "press"):
                word = key.name if isinstance(key, Command) else str(key)
                if (kind, word) in self._owners:
                    raise FeatureConflict(f"{kind} {word!r} comes from both "
                                          f"{self._owners[kind, word]} and {name}")
                self._owners[kind, word] = name
                self._table(kind)[word] = fn
            elif kind == "provides":
                assert isinstance(key, Provides)
                self.providers.append((f"{name}.{attr}", key, fn))
            elif kind == "slot":
                self._fill(str(key), (name, cls.default_slots), fn)
            elif kind == "job":
                assert isinstance(key, Every)
                self.jobs.append(self._job(key, fn))
            else:
                self._hooks(kind).append(fn)

    def _fill(self, slot: str, owner: tuple[str, bool], fn: Any) -> None:
        """The core fills every slot with a default another feature may take over."""
        before = self._slot_owner.get(slot)
        if before is not None and not before[1]:
            if owner[1]:
                return
            raise FeatureConflict(f"slot {slot!r} is taken by both {before[0]} and "
                                  f"{owner[0]}")
        self._slot_owner[slot] = owner
        self.slots[slot] = fn

    def _table(self, kind: str) -> dict[str, Any]:
        tables: dict[str, dict[str, Any]] = {
            "command": self.commands, "effect": self.effects, "press": self.presses}
        return tables[kind]

    def _hooks(self, kind: str) -> list[Any]:
        hooks: dict[str, list[Any]] = {"gate": self.gates, "media": self.media_hooks,
                                       "reply": self.reply_hooks,
                                       "greeting": self.greetings, "startup": self.startup,
                                       "leaving": self.leaving, "listed": self.listed,
                                       "noted": self.noted}
        return hooks[kind]

    def _job(self, every: Every, run: Callable[[Any], Any]) -> Job:
        interval = (float(getattr(self.defaults, every.interval))
                    if isinstance(every.interval, str) else float(every.interval))
        first = min(every.first, interval) if every.first is not None else interval
        return Job(every.name, interval, first, every.overlap, run)

    def offered(self, kind: type[Offer]) -> Offer | None:
        """The feature offering this interface (bot/app/offers.py), if one is installed."""
        return next((f for f in self.features.values() if isinstance(f, kind)), None)
