"""Hashtags in what a librarian writes: the service tags notes with them, the summaries
rank them first among the themes."""

from __future__ import annotations

import re
import unicodedata

URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
HASHTAG = re.compile(r"(?<![\w/#&])#(\w+)")


def hashtags(text: str) -> list[str]:
    """Hashtags in ``text``, lower-cased, de-duplicated, in order; URLs are ignored.

    A hashtag is ``#`` followed by unicode letters, digits or underscores, with at
    least one letter, not glued to a preceding word (``abc#x`` is no tag).
    """
    text = URL.sub(" ", unicodedata.normalize("NFC", text))
    seen: set[str] = set()
    out: list[str] = []
    for m in HASHTAG.finditer(text):
        tag = m.group(1).lower()
        if not any(ch.isalpha() for ch in tag) or tag in seen:
            continue
        seen.add(tag)
        out.append(tag)
    return out
