"""Assembling the service: the core plus each feature, and the catalog checked against what
they provide. A new feature is a Feature subclass (bot/app/feature.py) added to FEATURES.

The commands of /help, the command menu and the parsing of typed commands are those the
features declare (`MENU`); a service reads its own (`Service.menu`), these are the whole
bot's, for what runs without a service (a benchmark, the tests' chat).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.app import service
from bot.app.commands import Command, Menu
from bot.app.events import Defaults
from bot.app.feature import Feature, declared, menu_of
from bot.features.access.feature import Access
from bot.features.actions.assign import Assign
from bot.features.actions.days import ActionDays
from bot.features.actions.feature import Actions
from bot.features.activities.attachments import Attachments
from bot.features.activities.collaboration import Collaboration
from bot.features.activities.feature import Activities
from bot.features.core.feature import Core
from bot.features.export.feature import Rights
from bot.features.fieldwork.feature import Field
from bot.features.goals.feature import Goals
from bot.features.goals.reminders import Reminders
from bot.features.library.feature import Library
from bot.features.overview.feature import Overview
from bot.features.people.feature import People
from bot.features.sharing.feature import Sharing
from bot.features.sharing.handover import Handover
from bot.features.talk.feature import Talk
from bot.features.upkeep.feature import Upkeep
from bot.features.voice.feature import Voice
from bot.ops.clock import offset_clock
from bot.ops.settings import Settings
from dialogs import catalog as dialog_catalog
from dialogs.catalog import Catalog
from dialogs.kinds import KINDS, Kinds
from dialogs.needs import Names
from storage.store import Clock, Store, system_clock

# Order matters only for gates and media hooks, which run in this order.
FEATURES: tuple[type[Feature], ...] = (Access, Rights, Talk, Field, Goals, Reminders, People,
                                       Upkeep, Voice, Actions, ActionDays,
                                       Activities, Collaboration, Attachments, Library,
                                       Overview, Sharing, Handover, Assign)


MENU: Menu = menu_of((Core, *FEATURES))
COMMANDS: tuple[Command, ...] = MENU.commands  # in the order of /help and the command menu
ALIASES: dict[str, str] = MENU.aliases
help_short = MENU.help_short
help_text = MENU.help_text
parse = MENU.parse
suggest = MENU.suggest


class Service(service.Service):
    """The service with the core (/start, /help, notes, communities, phases, language and
    the defaults of every slot) installed first, then the features given."""

    def __init__(self, store: Store, catalog: Catalog, defaults: Defaults | None = None,
                 features: Sequence[type[Feature]] = ()) -> None:
        super().__init__(store, catalog, defaults, (Core, *features))


def names(features: Sequence[type[Feature]] = FEATURES) -> Names:
    """Every fact, value, choice source and effect the bot provides (core included)."""
    return declared((Core, *features))


def load_catalog(folder: Path = dialog_catalog.DEFINITIONS, kinds: Kinds = KINDS,
                 features: Sequence[type[Feature]] = FEATURES) -> Catalog:
    """The dialog definitions, refused if they name anything the features don't provide."""
    every: list[type[Feature]] = [Core, *features]
    extensions = [e for feature in every for e in feature.extensions]
    return dialog_catalog.load_catalog(folder, names=names(features), extensions=extensions,
                                       kinds=kinds)


def build_service(settings: Settings, clock: Clock = system_clock) -> Service:
    if settings.clock_offset_file is not None:  # end-to-end tests move the clock
        clock = offset_clock(settings.clock_offset_file, clock)
    store = Store(settings.db, clock=clock)
    defaults = Defaults(language=settings.language, timezone=settings.timezone,
                        data_dir=settings.data_dir, admins=tuple(settings.admins),
                        reminder_tick=settings.reminder_tick,
                        transcribe=settings.transcribe, whisper_model=settings.whisper_model,
                        max_download_mb=settings.max_download_mb)
    return Service(store, load_catalog(), defaults, FEATURES)

