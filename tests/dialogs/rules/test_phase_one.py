"""The one rule for phase 1 that every view uses (dialogs/rules/phase_one.py)."""

from __future__ import annotations

from dialogs.rules.phase_one import phase_one

P1 = {"p1": frozenset({"policy", "goals", "values", "frame", "fit"})}


def said(key: str, **params: object) -> str:
    return f"{key} {params['progress']}"


def test_until_phase_one_is_done_views_lead_with_it_and_nothing_is_blocked() -> None:
    fresh = phase_one({"p4": {"meet", "open"}}, P1)
    assert not fresh.complete and fresh.progress == "0/5"
    assert fresh.lead(said) == "phase1_lead 0/5"
    assert fresh.facts() == {"phase1_done": False, "phase1_by_frame": False,
                             "phase1_by_hand": True}


def test_with_the_librarys_frame_the_lead_offers_it() -> None:
    half = phase_one({"p1": {"policy", "goals"}}, P1, library_frame=True)
    assert half.lead(said) == "phase1_lead_frame 2/5"
    assert half.facts() == {"phase1_done": False, "phase1_by_frame": True,
                            "phase1_by_hand": False}


def test_once_done_no_view_mentions_it() -> None:
    for frame in (False, True):
        done = phase_one({"p1": set(P1["p1"]) | {"gone"}}, P1, library_frame=frame)
        assert done.complete and done.progress == "5/5" and done.lead(said) == ""
        assert done.facts() == {"phase1_done": True, "phase1_by_frame": False,
                                "phase1_by_hand": False}
