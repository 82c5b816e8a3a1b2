"""The movable test clock behind VELDGIDS_CLOCK_OFFSET_FILE."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app.registry import build_service
from bot.ops.clock import offset_clock
from bot.ops.settings import Settings

BASE = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def test_offset_is_read_on_every_call(tmp_path: Path) -> None:
    path = tmp_path / "offset"
    clock = offset_clock(path, lambda: BASE)
    assert clock() == BASE  # no file yet
    path.write_text("3600")
    assert clock() == BASE + timedelta(hours=1)
    path.write_text("not a number")
    assert clock() == BASE


def test_settings_wire_the_clock_and_the_tick(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "offset"
    path.write_text(str(7 * 24 * 3600))
    monkeypatch.setenv("VELDGIDS_CLOCK_OFFSET_FILE", str(path))
    monkeypatch.setenv("VELDGIDS_REMINDER_TICK", "0.5")
    monkeypatch.setenv("VELDGIDS_DB", str(tmp_path / "x.db"))
    service = build_service(Settings(), clock=lambda: BASE)
    assert service.clock() == BASE + timedelta(days=7)
    assert service.defaults.reminder_tick == 0.5
    service.store.close()
