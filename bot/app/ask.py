"""What a context provider is asked about (bot/app/feature.py, `@provides`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from dialogs.state import DialogState
from storage.store import Community, Store, User


@dataclass
class Ask:
    """What a provider is asked about: the user, their dialog state as loaded before the
    event, and (read once, when first wanted) their communities."""

    store: Store
    user: User
    state: DialogState | None = None

    @cached_property
    def communities(self) -> list[Community]:
        return self.store.communities(self.user.id)

    @cached_property
    def answers(self) -> dict[str, str]:
        """The active community's stored answers (read once, whoever asks first)."""
        active = self.user.active_community
        return self.store.answers(active) if active else {}

    @cached_property
    def ticks(self) -> dict[str, set[str]]:
        """The active community's ticks (read once, whoever asks first)."""
        active = self.user.active_community
        return self.store.ticks(active) if active else {}

    @cached_property
    def community(self) -> Community | None:
        """The active community: always one of the user's own (storage checks switching)."""
        active = self.user.active_community
        if not active:
            return None
        return next((c for c in self.communities if c.id == active), None)
