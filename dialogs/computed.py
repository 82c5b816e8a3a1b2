"""Values a text can show that are computed from the dialog's data, e.g. `{smart_sentence}`.

Each function is pure: (data collected so far, language) -> text. The data dict also holds
the context's values underneath (the dialog's own answers win on a clash).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Computed = Callable[[dict[str, Any], str], str]

COMPUTED: dict[str, Computed] = {}


def computed(name: str) -> Callable[[Computed], Computed]:
    def register(fn: Computed) -> Computed:
        COMPUTED[name] = fn
        return fn
    return register
