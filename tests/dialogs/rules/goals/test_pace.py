"""Progress, pace and the progress bar."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogs.rules.goals.pace import (
    Pace,
    expected_value,
    pace,
    planned_shown,
    progress,
    progress_bar,
)

CREATED = date(2027, 1, 1)
DEADLINE = date(2027, 12, 31)  # 364 days
MIDWAY = date(2027, 7, 2)  # 182 days: half-way


def test_progress_up_and_down() -> None:
    assert progress(4, 12, 8) == 0.5
    assert progress(40, 10, 25) == 0.5  # reducing a waiting list
    assert progress(4, 12, 2) == 0.0  # went backwards: clamped
    assert progress(4, 12, 20) == 1.0  # overshot: clamped
    assert progress(40, 10, 5) == 1.0


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.floats(-1e7, 1e7))
def test_progress_always_between_0_and_1(baseline: float, target: float, current: float) -> None:
    assert 0.0 <= progress(baseline, target, current) <= 1.0


def test_expected_value_is_the_straight_line() -> None:
    assert expected_value(4, 12, CREATED, DEADLINE, MIDWAY) == 8
    assert expected_value(4, 12, CREATED, DEADLINE, date(2030, 1, 1)) == 12


@pytest.mark.parametrize(
    ("current", "today", "expected"),
    [
        (8, MIDWAY, Pace.ON_TRACK),  # exactly on the line
        (7.3, MIDWAY, Pace.ON_TRACK),  # 41% vs 50%: within 10 points
        (7, MIDWAY, Pace.BEHIND),  # 37.5% vs 50%
        (12, MIDWAY, Pace.DONE),
        (13, date(2028, 6, 1), Pace.DONE),  # done stays done after the deadline
        (4, CREATED, Pace.ON_TRACK),  # nothing expected on day one
        (11, DEADLINE, Pace.BEHIND),  # deadline day itself is not overdue yet
        (11, date(2028, 1, 1), Pace.OVERDUE),
    ],
)
def test_pace(current: float, today: date, expected: Pace) -> None:
    assert pace(4, 12, CREATED, DEADLINE, current, today) == expected


def test_pace_for_a_reduction_goal() -> None:
    assert pace(40, 10, CREATED, DEADLINE, 25, MIDWAY) == Pace.ON_TRACK
    assert pace(40, 10, CREATED, DEADLINE, 35, MIDWAY) == Pace.BEHIND
    assert pace(40, 10, CREATED, DEADLINE, 9, MIDWAY) == Pace.DONE


def test_pace_values_are_stable_keys() -> None:
    assert [p.value for p in Pace] == ["on_track", "behind", "done", "overdue"]


@pytest.mark.parametrize(
    ("fraction", "bar"),
    [
        (0.4, "▓▓▓▓░░░░░░ 40%"),
        (0.0, "░░░░░░░░░░ 0%"),
        (1.0, "▓▓▓▓▓▓▓▓▓▓ 100%"),
        (0.999, "▓▓▓▓▓▓▓▓▓░ 99%"),  # never looks finished before it is
        (0.29, "▓▓░░░░░░░░ 29%"),
        (1.7, "▓▓▓▓▓▓▓▓▓▓ 100%"),
        (-0.2, "░░░░░░░░░░ 0%"),
        (float("nan"), "░░░░░░░░░░ 0%"),
    ],
)
def test_progress_bar(fraction: float, bar: str) -> None:
    assert progress_bar(fraction) == bar


def test_progress_bar_width() -> None:
    assert progress_bar(0.5, width=4) == "▓▓░░ 50%"


def test_a_plan_in_whole_numbers_is_shown_in_whole_numbers() -> None:
    assert planned_shown(4, 12, 4.7) == 5  # people: the next whole one towards the target
    assert planned_shown(40, 12, 31.3) == 31  # a waiting list going down
    assert planned_shown(4, 12, 5.0000000001) == 5  # no float dust
    assert planned_shown(0, 12.5, 4.66) == 4.7  # a target with decimals keeps one
