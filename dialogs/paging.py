"""Pages of buttons built from data, within Telegram's limits for one keyboard.

Telegram refuses a keyboard of more than 100 buttons, or of more than about 10 kB ("reply
markup is too long"), and then the librarian gets nothing at all. A list built from data (a
librarian's communities, people met, goals, the users an admin manages) can grow past both,
so it is shown a page at a time: a few items, and buttons to the previous and next page.
A page also stays within a byte budget measured the way python-telegram-bot sends the
keyboard (JSON, non-ASCII escaped), so long labels in any script fit too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dialogs.replies import Button, label

MAX_BUTTONS = 100  # Telegram: buttons in one inline keyboard
MAX_MARKUP = 10_000  # Telegram: bytes of one keyboard, about
PER_PAGE = 8  # items on a page: what fits on a phone screen without scrolling
BUDGET = 7_000  # bytes a page's items may take, leaving room for the step's own buttons
LABEL = 64  # characters of a label the front end sends


def size(rows: Sequence[Sequence[Button]]) -> int:
    """Bytes of a keyboard as sent: JSON with non-ASCII escaped, labels as cut for sending."""
    return len(json.dumps({"inline_keyboard": [
        [{"text": label(b.label, LABEL), "callback_data": b.data} for b in row] for row in rows]}))


def count(rows: Sequence[Sequence[Button]]) -> int:
    return sum(len(row) for row in rows)


def fits(rows: Sequence[Sequence[Button]]) -> bool:
    """Whether Telegram would take this keyboard."""
    return count(rows) <= MAX_BUTTONS and size(rows) <= MAX_MARKUP


def bounds(items: Sequence[Button], per_page: int = PER_PAGE,
           budget: int = BUDGET) -> list[tuple[int, int]]:
    """Where each page starts and ends: at most `per_page` items and `budget` bytes (each
    item on a row of its own); at least one item per page."""
    out: list[tuple[int, int]] = []
    start = 0
    while start < len(items):
        end, used = start, 0
        while end < len(items) and end - start < per_page:
            cost = size([[items[end]]])
            if end > start and used + cost > budget:
                break
            used += cost
            end += 1
        out.append((start, end))
        start = end
    return out or [(0, 0)]


@dataclass(frozen=True)
class Page:
    items: list[Button]
    number: int  # 0-based, within range
    total: int

    def nav(self, data: Callable[[int], str], text: Callable[[str], str]) -> list[Button]:
        """The previous/next buttons (none on a single page); `data(n)` is page n's press."""
        row: list[Button] = []
        if self.number > 0:
            row.append(Button(label=text("page_previous"), data=data(self.number - 1)))
        if self.number < self.total - 1:
            row.append(Button(label=text("page_next"), data=data(self.number + 1)))
        return row


def page(items: Sequence[Button], number: int, per_page: int = PER_PAGE,
         budget: int = BUDGET) -> Page:
    """Page `number` of `items` (clamped: a list that shrank shows its last page)."""
    spans = bounds(items, per_page, budget)
    number = max(0, min(number, len(spans) - 1))
    start, end = spans[number]
    return Page(list(items[start:end]), number, len(spans))


def page_of(items: Sequence[Button], wanted: Callable[[Button], bool],
            per_page: int = PER_PAGE, budget: int = BUDGET) -> int:
    """The page that holds the first item for which `wanted` is true (0 if none)."""
    for number, (start, end) in enumerate(bounds(items, per_page, budget)):
        if any(wanted(item) for item in items[start:end]):
            return number
    return 0
