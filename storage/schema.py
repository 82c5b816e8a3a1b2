"""The database's schema: every storage module's migration set, in the order they apply.

Each set runs on every open, in this order, which is the order existing databases got them
in: a feature's new set goes at the end (one entry in MODULES, and its import). SQL
functions that triggers call are registered on the connection before any migration runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage import (
    access,
    actions,
    activities,
    attachments,
    charts,
    collaboration,
    delivery,
    downloads,
    drafts,
    fieldwork,
    goals,
    library,
    membership,
    ops,
    search,
    search_sources,
    talk,
    team,
    transcriptions,
)
from storage import migrations as foundation


class Part(Protocol):
    """A storage module that owns tables: its migration set."""

    __name__: str
    migrations: Migrations


MODULES: tuple[Part, ...] = (
    foundation,
    talk,
    access,
    delivery,
    goals,
    search,
    downloads,
    ops,
    transcriptions,
    fieldwork,
    actions,
    activities,
    collaboration,
    attachments,
    library,
    membership,
    team,
    charts,
    drafts,
    search_sources,
)

#: Called by triggers (the search index's), so registered on every connection.
SQL_FUNCTIONS: tuple[Callable[..., Any], ...] = (*talk.SQL_FUNCTIONS,)

#: The modules' names, in the same order: how a set is named when picked out by hand.
MIGRATION_SETS: tuple[str, ...] = tuple(module.__name__ for module in MODULES)


def migration_sets(parts: Sequence[Part] = MODULES) -> list[Migrations]:
    """Every migration set, in order (each read from its module when asked)."""
    return [module.migrations for module in parts]


def apply(db: Database, parts: Sequence[Part] = MODULES) -> None:
    """Register the SQL functions, then apply whatever migrations are pending, in order."""
    for function in SQL_FUNCTIONS:
        db.register_function(function, deterministic=True, replace=True)
    for migrations in migration_sets(parts):
        migrations.apply(db)
