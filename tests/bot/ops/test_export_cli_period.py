"""`veldgids export --from DATE --to DATE --appendix --share`: the choices /export offers, on
the command line (for files over Telegram's 50 MB)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.features.export import feature as rights
from bot.features.export.options import Options
from storage.store import Store
from tests.access_helpers import Clock
from tests.bot.ops.test_export_cli import Run, run  # noqa: F401 - the fixture

__all__ = ["run"]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "veldgids.db"
    clock = Clock(datetime(2025, 9, 10, 10, tzinfo=UTC))
    store = Store(path, clock=clock)
    anna = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=1001)
    community = store.create_community(anna.id, "Taalcafé Noord", "taal")
    store.add_note(anna.id, community, "September: taalcafé gestart", [])
    clock.now = datetime(2025, 10, 20, 10, tzinfo=UTC)
    store.add_note(anna.id, community, "Oktober: twaalf deelnemers", [])
    store.close()
    return path


def notes(path: Path) -> list[str]:
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig")), delimiter=";"))
    return [row[-1] for row in rows[1:]]


def test_a_period_on_the_command_line(db: Path, tmp_path: Path, run: Run) -> None:  # noqa: F811
    code, out, err = run(db, "--user", "1001", "--format", "csv", "--from", "2025-10-01",
                         "--to", "2025-10-31", cwd=tmp_path)
    assert code == 0, err
    written = tmp_path / "veldgids-alles-2025-10-01-tot-2025-10-31.csv"
    assert written.name in out
    assert notes(written) == ["Oktober: twaalf deelnemers"]
    code, _, err = run(db, "--user", "1001", "--format", "json", "--from", "2025-10-01",
                       "-o", "oktober.json", cwd=tmp_path)
    assert code == 0, err
    data = json.loads((tmp_path / "oktober.json").read_text("utf-8"))
    assert data["period"] == {"start": "2025-10-01", "end": None}
    assert [n["text"] for n in data["communities"][0]["notes"]] == [
        "Oktober: twaalf deelnemers"]


def test_appendix_and_share_reach_the_file(db: Path, tmp_path: Path, run: Run,  # noqa: F811
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[Options] = []
    render = rights.render

    def spy(data: dict[str, Any], catalog: Any, fmt: Any, options: Options) -> bytes:
        asked.append(options)
        return render(data, catalog, fmt, options)

    monkeypatch.setattr(rights, "render", spy)
    code, _, err = run(db, "--user", "1001", "--format", "md", "--to", "2025-09-30",
                       "--appendix", "--share", "-o", "x.md", cwd=tmp_path)
    assert code == 0, err
    assert asked == [Options(start=None, end=date(2025, 9, 30), appendix=True, shareable=True)]
    code, out, err = run(db, "--user", "1001", "--format", "md", "--to", "2025-09-30",
                         cwd=tmp_path)
    assert code == 0 and "veldgids-alles-tot-2025-09-30.md" in out, err


@pytest.mark.parametrize(("args", "message"), [
    (("--from", "2025-10-31", "--to", "2025-10-01"),
     "veldgids: error: --to 2025-10-01 comes before --from 2025-10-31"),
    (("--from", "1 oktober"), "argument --from: '1 oktober' is not a date; write it as"
     " 2025-10-01"),
    (("--from", "2999-01-01"), "veldgids: error: --from 2999-01-01 is still to come"),
])
def test_a_period_that_cannot_be_is_one_line(db: Path, tmp_path: Path, run: Run,  # noqa: F811
                                             args: tuple[str, ...], message: str) -> None:
    code, out, err = run(db, "--user", "1001", "--format", "csv", *args, cwd=tmp_path)
    assert code != 0 and not out
    assert message in err.strip().splitlines()[-1], err
    assert not list(tmp_path.glob("*.csv"))
