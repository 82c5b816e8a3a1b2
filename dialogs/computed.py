"""Values a text can show that are computed from the dialog's data, e.g. `{smart_sentence}`.

Each function is pure: (data collected so far, language) -> text. The data dict also holds
the context's values underneath (the dialog's own answers win on a clash); `uses` names the
context values a function reads, so a step showing it asks the application for those.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ComputedFn = Callable[[dict[str, Any], str], str]


@dataclass(frozen=True)
class Computed:
    fn: ComputedFn
    uses: frozenset[str] = frozenset()

    def __call__(self, data: dict[str, Any], lang: str) -> str:
        return self.fn(data, lang)


def computed(registry: dict[str, Computed], name: str,
             uses: tuple[str, ...] = ()) -> Callable[[ComputedFn], ComputedFn]:
    """Decorator: add the function to `registry` under `name`."""
    def register(fn: ComputedFn) -> ComputedFn:
        registry[name] = Computed(fn, frozenset(uses))
        return fn
    return register
