"""`veldgids export` from the command line: files that open, errors in one line."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import docx as python_docx
import jsonschema
import pytest

from bot.ops.cli import main
from storage.export import schema
from storage.store import Store
from tests.bot.ops.test_cli import veldgids


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "veldgids.db"
    store = Store(path)
    anna = store.create_user(name="Anna", language="nl", timezone="Europe/Amsterdam",
                             telegram_id=1001)
    community = store.create_community(anna.id, "Taalcafé Noord", "taal")
    store.add_note(anna.id, community, 'Sanne: "ja; graag"\nvolgende week 👍', [])
    store.create_community(anna.id, "Moestuin", None)
    store.create_user(name="piet", language="nl", timezone="UTC", console_name="piet")
    store.close()
    return path


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """`main()` in this process (a subprocess costs seconds each): (exit code, out, err)."""
    for key in list(os.environ):
        if key.startswith(("VELDGIDS_", "TELEGRAM_")):
            monkeypatch.delenv(key)

    def go(db: Path, *args: str, cwd: Path) -> tuple[int, str, str]:
        monkeypatch.setenv("VELDGIDS_DB", str(db))
        monkeypatch.chdir(cwd)
        try:
            code = main(["export", *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return go


def test_as_a_real_process_errors_are_one_line(db: Path, tmp_path: Path) -> None:
    proc = veldgids("export", "--user", "4242", "--format", "md",
                    env={"VELDGIDS_DB": str(db)}, cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == "veldgids: error: no user '4242' (give a Telegram id or a" \
        " console name)"


def test_every_format_is_written_and_opens(db: Path, tmp_path: Path, run: Run) -> None:
    for fmt in ("md", "docx", "csv", "json"):
        code, out, err = run(db, "--user", "1001", "--format", fmt, "-o", f"anna.{fmt}",
                             "--appendix", cwd=tmp_path)
        assert code == 0 and f"anna.{fmt}" in out, err
    assert "Taalcafé Noord" in (tmp_path / "anna.md").read_text(encoding="utf-8")
    doc = python_docx.Document(io.BytesIO((tmp_path / "anna.docx").read_bytes()))
    assert any("volgende week 👍" in p.text for p in doc.paragraphs)
    rows = list(csv.reader(io.StringIO((tmp_path / "anna.csv").read_text("utf-8-sig")),
                           delimiter=";"))
    assert rows[1][-1] == 'Sanne: "ja; graag"\nvolgende week 👍'
    jsonschema.validate(json.loads((tmp_path / "anna.json").read_text("utf-8")), schema())


def test_one_community_by_name_and_a_console_user(db: Path, tmp_path: Path,
                                                  run: Run) -> None:
    code, out, _ = run(db, "--user", "1001", "--format", "md", "--community", "moestuin",
                       cwd=tmp_path)
    assert code == 0
    written = next(tmp_path.glob("veldgids-moestuin-*.md"))
    assert "Taalcafé" not in written.read_text(encoding="utf-8")
    code, _, err = run(db, "--user", "piet", "--format", "json", "-o", "piet.json", cwd=tmp_path)
    assert code == 0, err
    assert json.loads((tmp_path / "piet.json").read_text())["communities"] == []


@pytest.mark.parametrize(("args", "message"), [
    (["--user", "4242", "--format", "md"], "no user '4242'"),
    (["--user", "1001", "--format", "md", "--community", "Nergens"], "no community 'Nergens'"),
    (["--user", "1001", "--format", "md", "-o", "exists.md"], "already exists"),
])
def test_problems_are_one_line(db: Path, tmp_path: Path, args: list[str], message: str,
                               run: Run) -> None:
    (tmp_path / "exists.md").write_text("keep")
    code, _, err = run(db, *args, cwd=tmp_path)
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert (tmp_path / "exists.md").read_text() == "keep"


def test_no_database_and_bad_format(tmp_path: Path, run: Run) -> None:
    code, _, err = run(tmp_path / "missing.db", "--user", "1", "--format", "md", cwd=tmp_path)
    assert code == 1 and "no database" in err
    code, _, err = run(tmp_path / "missing.db", "--user", "1", "--format", "pdf", cwd=tmp_path)
    assert code == 2 and "invalid choice" in err
