"""The marker that makes a line a follow-up action: "actie: …", "Actie, …", "ACTIE - …",
"todo …", "action: …", in any case and with any punctuation, as a transcribed voice note
writes it.

Neutral ground (no dialog core, no storage): the dialogs read typed actions with it, and
storage's migration turns old "actie:" notes into actions with the same rule.
"""

from __future__ import annotations

import re
import unicodedata

_MARK = re.compile(r"(?is)^\s*(?:actie|action|to[\s-]?do)\b\s*[,.:;!\-–—]*\s*"
                   r"(?P<rest>[^\s,.:;!\-–—].*?)\s*$")
_WS = re.compile(r"\s+")


def follow_up(text: str) -> str | None:
    """The action a note marks ("actie: …" on its first line), or None."""
    text = unicodedata.normalize("NFC", text).strip()
    first, _, rest = text.partition("\n")
    m = _MARK.match(first)
    if not m:
        return None
    what = _WS.sub(" ", " ".join([m.group("rest"), rest])).strip()
    return what or None
