"""Step kinds: one module each, and the registry a catalog is loaded with.

A new kind is a module implementing `StepKind`, added under its name with `with_kinds`
(or to `KINDS` when it ships); the catalog checks definitions against the registry it was
given, and the engine asks the registry of the step's catalog, so neither names a kind.
The protocol (`StepKind`) is in dialogs/run.py, which the kinds build on.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from dialogs.kinds.base import Kind
from dialogs.kinds.checklist import Checklist
from dialogs.kinds.choice import Choice
from dialogs.kinds.end import End
from dialogs.kinds.entries import Entries
from dialogs.kinds.live import Live
from dialogs.kinds.message import Message
from dialogs.kinds.question import Question
from dialogs.kinds.several import Several
from dialogs.run import StepKind

Kinds = Mapping[str, StepKind]

KINDS: Kinds = MappingProxyType({
    "message": Message(),
    "question": Question(),
    "choice": Choice(),
    "checklist": Checklist(),
    "live": Live(),
    "entries": Entries(),
    "several": Several(),
    "end": End(),
})


def with_kinds(base: Kinds = KINDS, **extra: StepKind) -> Kinds:
    """`base` plus `extra`; a name already taken is refused rather than quietly replaced."""
    taken = sorted(base.keys() & extra.keys())
    if taken:
        raise ValueError(f"step kind {', '.join(map(repr, taken))} already exists")
    return MappingProxyType({**base, **extra})


__all__ = ["KINDS", "Kind", "Kinds", "StepKind", "with_kinds"]
