"""Computed values of the conversation dialog, from its own data (no reads while notes come
in): what is known of the person talked with."""

from __future__ import annotations

from typing import Any

from dialogs.computed import Computed, computed
from dialogs.extension import Extension

COMPUTED: dict[str, Computed] = {}


@computed(COMPUTED, "person_known")
def person_known(data: dict[str, Any], _lang: str) -> str:
    """Role, organisation and place as given so far ("—" when none)."""
    known = [str(data[k]).strip() for k in ("role", "organisation", "place") if data.get(k)]
    return ", ".join(k for k in known if k) or "—"


EXTENSION = Extension(computed=COMPUTED)
