"""What the librarian chose for an export: the period, the appendix, and who it is for.

Read by the report (figures and charts follow the period), by the file name (a shareable
file says so) and by the heavy-work process that renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Options:
    start: date | None = None  # first local day of the period; None: since the start
    end: date | None = None  # last local day of the period; None: up to the export
    appendix: bool = False  # transcripts and every note at the end of the report
    shareable: bool = False  # "om te delen": names no community member, holds no transcript


EVERYTHING = Options()  # the default: since the start, no appendix, for internal use
