"""A clock tests can move: real time plus an offset read from a file on every call.

For end-to-end tests only (`VELDGIDS_CLOCK_OFFSET_FILE`): the test writes a number of
seconds into the file and the running bot's "now" jumps by that much, so reminders and
deadlines can be tested without sleeping.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from storage.store import Clock, system_clock


def offset_clock(path: Path, base: Clock = system_clock) -> Clock:
    """`base()` plus the seconds in `path`; a missing or unreadable file counts as 0."""
    logging.getLogger("veldgids.clock").warning(
        "VELDGIDS_CLOCK_OFFSET_FILE is set: the clock is shifted (meant for tests only)")

    def now() -> datetime:
        try:
            seconds = float(path.read_text(encoding="utf-8").strip() or 0)
        except (OSError, ValueError):
            seconds = 0.0
        return base() + timedelta(seconds=seconds)

    return now
