"""The command line: each command has --help, errors are one line, no tracebacks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.ops.cli import main, parser
from dialogs.catalog import DEFINITIONS

ROOT = Path(__file__).resolve().parents[3]
COMMANDS = ["run", "chat", "backup", "restore-check", "export", "validate-dialogs", "diagram"]


def veldgids(*args: str, env: dict[str, str] | None = None,
             cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("VELDGIDS_", "TELEGRAM_"))}
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot.ops.cli", *args], capture_output=True,
                          text=True, env=full, cwd=cwd or ROOT, timeout=60)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert "usage: veldgids " + command in capsys.readouterr().out


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in parser()._actions if a.dest == "==SUPPRESS==" or a.choices)
    for name in sub.choices:  # type: ignore[union-attr]
        assert f"veldgids {name}" in readme, name


def test_validate_dialogs_ok() -> None:
    proc = veldgids("validate-dialogs")
    assert proc.returncode == 0 and proc.stdout.startswith("OK:")


def test_validate_dialogs_reports_a_broken_file_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "defs"
    shutil.copytree(DEFINITIONS, folder)
    path = folder / "fieldwork" / "phase2.yaml"
    path.write_text(path.read_text().replace("start: checklist", "start: nowhere"))
    proc = veldgids("validate-dialogs", str(folder))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "phase2.yaml" in proc.stderr


def test_validate_dialogs_names_a_misspelled_fact_with_its_file_and_step(tmp_path: Path) -> None:
    folder = tmp_path / "defs"
    shutil.copytree(DEFINITIONS, folder)
    path = folder / "talk" / "talk.yaml"
    path.write_text(path.read_text().replace("when: talk_pending", "when: talk_pendnig"))
    proc = veldgids("validate-dialogs", str(folder))
    assert proc.returncode == 1
    assert "talk.yaml, step success: unknown fact 'talk_pendnig'" in proc.stderr


def test_diagram_is_mermaid() -> None:
    proc = veldgids("diagram", "phase3")
    assert proc.returncode == 0
    assert proc.stdout.startswith("stateDiagram-v2")
    assert re.search(r"checklist --> person", proc.stdout)


def test_diagram_of_an_unknown_dialog_is_one_line() -> None:
    proc = veldgids("diagram", "nope")
    assert proc.returncode == 1 and "no dialog 'nope'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_run_without_token_is_one_clear_line(tmp_path: Path) -> None:
    proc = veldgids("run", env={"VELDGIDS_DB": str(tmp_path / "x.db")}, cwd=tmp_path)
    assert proc.returncode == 1 and "TELEGRAM_BOT_TOKEN is not set" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_setting_is_one_clear_line(tmp_path: Path) -> None:
    proc = veldgids("validate-dialogs", env={"VELDGIDS_TIMEZONE": "Mars/Olympus"}, cwd=tmp_path)
    assert proc.returncode == 0  # validate-dialogs needs no settings
    proc = veldgids("backup", str(tmp_path / "b.db"),
                    env={"VELDGIDS_TIMEZONE": "Mars/Olympus"}, cwd=tmp_path)
    assert proc.returncode == 1 and "unknown time zone" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_backup_copies_and_refuses_to_overwrite(tmp_path: Path) -> None:
    env = {"VELDGIDS_DB": str(tmp_path / "v.db")}
    missing = veldgids("backup", str(tmp_path / "b.db"), env=env, cwd=tmp_path)
    assert missing.returncode == 1 and "no database" in missing.stderr
    from storage.store import Store

    store = Store(tmp_path / "v.db")
    user = store.create_user(name="A", language="nl", timezone="UTC", telegram_id=1)
    store.create_community(user.id, "Moestuin", None)
    done = veldgids("backup", str(tmp_path / "b.db"), env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    copy = Store(tmp_path / "b.db")
    assert [c.name for c in copy.communities(user.id)] == ["Moestuin"]
    again = veldgids("backup", str(tmp_path / "b.db"), env=env, cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr
    store.close()
    copy.close()
