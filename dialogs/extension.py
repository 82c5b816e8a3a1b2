"""What a part of the core adds for definitions to name: validators and computed values.

The catalog is given its extensions when it loads; nothing registers itself on import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from dialogs.computed import Computed
from dialogs.validators import Validator


@dataclass(frozen=True)
class Extension:
    validators: Mapping[str, Validator] = field(default_factory=dict)
    computed: Mapping[str, Computed] = field(default_factory=dict)
