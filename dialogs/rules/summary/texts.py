"""The summaries' sentences, from definitions/talk/texts_summary.yaml (which the catalog loads
and checks with every other text, so a trainer rewords them the same way)."""

from __future__ import annotations

from functools import lru_cache

from dialogs.catalog import DEFINITIONS, read_yaml
from dialogs.model import Text

TEXTS_FILE = DEFINITIONS / "talk" / "texts_summary.yaml"
PREFIX = "summary_"
#: Attachment kinds with their own words; any other kind is counted as `other`.
KINDS = ("photo", "voice", "audio", "video", "document")


def lang_of(lang: str) -> str:
    return "en" if lang == "en" else "nl"


@lru_cache(maxsize=2)
def texts(lang: str) -> dict[str, str]:
    """Every summary text in `lang`, by its key without the `summary_` prefix."""
    raw = read_yaml(TEXTS_FILE)
    return {key[len(PREFIX):]: Text.model_validate(value).get(lang)
            for key, value in raw.items() if key.startswith(PREFIX)}


def count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
