"""Visits and distinct participants: what a goal "aantal verschillende deelnemers" counts."""

from dialogs.rules.activities import attendance


def test_first_timers_count_once_visits_count_every_time() -> None:
    evenings = [{"participants": 12, "first_time": 12}, {"participants": 10, "first_time": 3},
                {"participants": 9, "first_time": 0}]
    seen = attendance(evenings)
    assert (seen.activities, seen.visits, seen.distinct, seen.estimated) == (3, 31, 15, False)


def test_an_activity_without_first_timers_makes_the_count_an_estimate() -> None:
    seen = attendance([{"participants": 12, "first_time": 12}, {"participants": 10,
                                                                  "first_time": None}])
    assert (seen.visits, seen.distinct, seen.estimated) == (22, 12, True)


def test_more_first_timers_than_participants_counts_no_more_than_were_there() -> None:
    assert attendance([{"participants": 5, "first_time": 8}]).distinct == 5


def test_no_activities_is_nothing_not_an_estimate() -> None:
    seen = attendance([])
    assert (seen.activities, seen.visits, seen.distinct, seen.estimated) == (0, 0, 0, False)
