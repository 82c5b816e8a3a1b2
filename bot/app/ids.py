"""Ids read from button data, which anyone can forge (a client can send any callback data)."""

from __future__ import annotations

MAX_ID = 2**63 - 1  # SQLite's INTEGER


def parse_id(text: str) -> int | None:
    """A row id or Telegram id: ASCII digits within SQLite's range, else None. `str.isdigit`
    accepts "²" (which `int()` refuses) and any length (which SQLite refuses)."""
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    value = int(text)
    return value if value <= MAX_ID else None
