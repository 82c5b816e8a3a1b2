"""Assembling the service: the core plus each feature module's commands, effects and hooks."""

from __future__ import annotations

from collections.abc import Callable

from bot import access, goals, rights, talk
from bot.clock import offset_clock
from bot.service import Defaults, Service
from bot.settings import Settings
from dialogs.catalog import load_catalog
from storage.store import Clock, Store, system_clock

# Each feature installs itself on the service; order matters only for overlapping hooks.
FEATURES: tuple[Callable[[Service], None], ...] = (
    access.install, rights.install, talk.install, goals.install,
)


def build_service(settings: Settings, clock: Clock = system_clock) -> Service:
    if settings.clock_offset_file is not None:  # end-to-end tests move the clock
        clock = offset_clock(settings.clock_offset_file, clock)
    store = Store(settings.db, clock=clock)
    defaults = Defaults(language=settings.language, timezone=settings.timezone,
                        data_dir=settings.data_dir, admins=tuple(settings.admins),
                        reminder_tick=settings.reminder_tick)
    service = Service(store, load_catalog(), defaults)
    for install in FEATURES:
        install(service)
    return service
