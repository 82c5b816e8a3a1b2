"""Computed values of the conversation dialog, from its own data (no reads while notes come
in): what is known of the person talked with."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from dialogs.catalog import DEFINITIONS, read_yaml
from dialogs.computed import Computed, computed
from dialogs.extension import Extension
from dialogs.model import Text

COMPUTED: dict[str, Computed] = {}


@computed(COMPUTED, "person_known")
def person_known(data: dict[str, Any], lang: str) -> str:
    """What is known so far (role, organisation, place) as a sentence of its own."""
    known = [str(data[k]).strip() for k in ("role", "organisation", "place") if data.get(k)]
    known = [k for k in known if k]
    if not known:
        return _text("talk_known_nothing", lang)
    return _text("talk_known", lang).format(known=", ".join(known))


@lru_cache(maxsize=4)
def _text(key: str, lang: str) -> str:
    # The catalog loads and checks these with every other text; a computed value has no
    # catalog at hand, so it reads its two sentences itself.
    return Text.model_validate(read_yaml(DEFINITIONS / "talk" / "texts_talk.yaml")[key]).get(lang)


EXTENSION = Extension(computed=COMPUTED)
