"""Phase 1 first: one rule for every view.

The method says never to skip phase 1 (map the library's strategy). Work in the field is
never blocked by it: a conversation, a goal or a note is kept and counts whatever phase 1
stands at. But until phase 1 is done, every phase view, the summary and the weekly overview
lead with it, and once an admin recorded the library's frame, taking that over completes
phase 1 in one tap. Views ask this module, so they all say the same.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

CHECKLIST = "p1"

# Facts the dialogs route and show buttons on.
DONE = "phase1_done"
BY_FRAME = "phase1_by_frame"  # not done, and the library's frame can complete it
BY_HAND = "phase1_by_hand"  # not done, and no library frame to take over


@dataclass(frozen=True)
class PhaseOne:
    done: int
    total: int
    library_frame: bool = False

    @property
    def complete(self) -> bool:
        return self.done >= self.total

    @property
    def progress(self) -> str:
        return f"{self.done}/{self.total}"

    def facts(self) -> dict[str, bool]:
        return {DONE: self.complete,
                BY_FRAME: not self.complete and self.library_frame,
                BY_HAND: not self.complete and not self.library_frame}

    def lead(self, text: Callable[..., str]) -> str:
        """The line a view opens with ("" once phase 1 is done); `text(key, **params)` looks
        up a text in the librarian's language."""
        if self.complete:
            return ""
        key = "phase1_lead_frame" if self.library_frame else "phase1_lead"
        return text(key, progress=self.progress)


def phase_one(ticks: Mapping[str, Collection[str]], checklists: Mapping[str, Collection[str]],
              library_frame: bool = False) -> PhaseOne:
    """Where phase 1 stands, from a community's ticks and the catalog's checklists."""
    items = set(checklists.get(CHECKLIST, ()))
    done = len(items & set(ticks.get(CHECKLIST, ())))
    return PhaseOne(done=done, total=len(items), library_frame=library_frame)
