"""Assembling the service: the core plus each feature, and the catalog checked against what
they provide. A new feature is a Feature subclass (bot/feature.py) added to FEATURES."""

from __future__ import annotations

from pathlib import Path

from bot.access import Access
from bot.action_days import ActionDays
from bot.actions import Actions
from bot.activities import Activities
from bot.assign import Assign
from bot.attachments import Attachments
from bot.clock import offset_clock
from bot.collaboration import Collaboration
from bot.core import Core
from bot.feature import Feature, declared
from bot.fieldwork import Field
from bot.goals import Goals
from bot.handover import Handover
from bot.library import Library
from bot.overview import Overview
from bot.people import People
from bot.reminders import Reminders
from bot.rights import Rights
from bot.service import Defaults, Service
from bot.settings import Settings
from bot.sharing import Sharing
from bot.talk import Talk
from bot.upkeep import Upkeep
from bot.voice.feature import Voice
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


def names() -> Names:
    """Every fact, value, choice source and effect the bot provides (core included)."""
    return declared((Core, *FEATURES))


def load_catalog(folder: Path = dialog_catalog.DEFINITIONS, kinds: Kinds = KINDS) -> Catalog:
    """The dialog definitions, refused if they name anything the features don't provide."""
    every: list[type[Feature]] = [Core, *FEATURES]
    extensions = [e for feature in every for e in feature.extensions]
    return dialog_catalog.load_catalog(folder, names=names(), extensions=extensions,
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

