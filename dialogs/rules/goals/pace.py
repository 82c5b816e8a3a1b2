"""Progress towards a goal and whether it is on pace. Pure: dates are passed in."""

from __future__ import annotations

import math
from datetime import date
from enum import StrEnum

# On track while actual progress is at most this far (as a fraction of the whole
# way from baseline to target) below the straight line from creation to deadline.
# Ten points, because community numbers move in steps (one participant in a 4 -> 12
# goal is already 12.5 points).
TOLERANCE = 0.10


class Pace(StrEnum):
    """How a goal is doing; values are stable keys for the bot's texts."""

    ON_TRACK = "on_track"
    BEHIND = "behind"
    DONE = "done"
    OVERDUE = "overdue"  # deadline passed, target not reached


def progress(baseline: float, target: float, current: float) -> float:
    """Fraction of the way from baseline to target, clamped to 0..1.

    Works for goals that reduce something (target below baseline). A goal whose
    target equals its baseline counts as complete.
    """
    if target == baseline:
        return 1.0
    fraction = (current - baseline) / (target - baseline)
    if math.isnan(fraction):
        return 0.0
    return min(1.0, max(0.0, fraction))


def expected_fraction(created: date, deadline: date, today: date) -> float:
    """Where the straight-line plan says progress should be today, 0..1."""
    span = (deadline - created).days
    if span <= 0:
        return 1.0
    return min(1.0, max(0.0, (today - created).days / span))


def expected_value(
    baseline: float, target: float, created: date, deadline: date, today: date
) -> float:
    """The planned value today on the straight line from baseline to target."""
    return baseline + (target - baseline) * expected_fraction(created, deadline, today)


def pace(
    baseline: float,
    target: float,
    created: date,
    deadline: date,
    current: float,
    today: date,
    *,
    tolerance: float = TOLERANCE,
) -> Pace:
    """Done once the target is reached; overdue after the deadline; else on track or behind.

    On the deadline day itself the goal is not yet overdue.
    """
    done = progress(baseline, target, current)
    if done >= 1.0:
        return Pace.DONE
    if today > deadline:
        return Pace.OVERDUE
    if done >= expected_fraction(created, deadline, today) - tolerance:
        return Pace.ON_TRACK
    return Pace.BEHIND


def progress_bar(fraction: float, width: int = 10) -> str:
    """A phone-friendly bar such as "▓▓▓▓░░░░░░ 40%".

    Rounds down, so the bar is only full and "100%" only shows when the target is
    really reached.
    """
    if math.isnan(fraction):
        fraction = 0.0
    fraction = min(1.0, max(0.0, fraction))
    filled = math.floor(round(fraction * width, 9))
    percent = math.floor(round(fraction * 100, 9))
    return "▓" * filled + "░" * (width - filled) + f" {percent}%"


def planned_shown(baseline: float, target: float, planned: float) -> float:
    """The planned value as the weekly overview says it. A goal counted in whole numbers
    (people, evenings) is planned in whole numbers, rounded towards the target, so "behind"
    never reads "4,7 participants"; other goals keep one decimal."""
    if float(baseline).is_integer() and float(target).is_integer():
        planned = round(planned, 6)  # no float dust becoming a whole step
        return float(math.ceil(planned) if target >= baseline else math.floor(planned))
    return round(planned, 1)
