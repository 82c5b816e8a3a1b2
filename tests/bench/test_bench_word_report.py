"""Section 15's community: what the Word report is measured on holds what the issue names —
50 conversations, 200 activities and 10 goals, each with progress to chart — plus a vision,
outcomes, roles, actions and quotes, as a librarian's community after half a year would."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bench import word_report
from storage.export import snapshot
from storage.store import Store


def test_the_measured_community_holds_what_the_issue_names(tmp_path: Path) -> None:
    built = word_report.build(tmp_path / "report.db")
    store = Store(tmp_path / "report.db", clock=lambda: datetime(2027, 5, 1))
    try:
        data = snapshot(store, built.user_id, built.community_id)
        empty = snapshot(store, built.user_id, built.empty_id)
        user = store.user_by_telegram(built.telegram_id)
    finally:
        store.close()
    assert user is not None and user.id == built.user_id
    community = data["communities"][0]
    assert len(community["conversations"]) == 50
    assert len(community["activities"]) == 200
    assert len(community["goals"]) == 10
    assert all(len(g["progress"]) >= 3 for g in community["goals"])  # a line to draw
    assert community["vision"] is not None
    assert community["outcomes"] and community["roles"] and community["actions"]
    starred = [t for c in community["conversations"] for t in c["turns"] if t.get("starred")]
    assert len(starred) >= 3
    nothing = empty["communities"][0]
    assert not nothing["conversations"] and not nothing["goals"] and not nothing["activities"]
