"""Assembling the service: the core plus each feature module's commands, effects and hooks."""

from __future__ import annotations

from collections.abc import Callable

from bot.service import Defaults, Service
from bot.settings import Settings
from dialogs.catalog import load_catalog
from storage.store import Clock, Store, system_clock

# Each feature installs itself on the service; order matters only for overlapping hooks.
FEATURES: tuple[Callable[[Service], None], ...] = ()


def build_service(settings: Settings, clock: Clock = system_clock) -> Service:
    store = Store(settings.db, clock=clock)
    defaults = Defaults(language=settings.language, timezone=settings.timezone,
                        data_dir=settings.data_dir, admins=tuple(settings.admins))
    service = Service(store, load_catalog(), defaults)
    for install in FEATURES:
        install(service)
    return service
