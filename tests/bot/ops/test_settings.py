"""Settings come from the environment or a `.env` file, the log level included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.ops import cli
from bot.ops.settings import Settings

TOKEN = "123456:" + "A" * 35


@pytest.fixture
def in_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder of its own, with no Veldgids variables in the environment."""
    for name in ("VELDGIDS_LOG_LEVEL", "TELEGRAM_BOT_TOKEN", "VELDGIDS_DB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_log_level_defaults_to_info(in_folder: Path) -> None:
    assert Settings().log_level == "INFO"


def test_log_level_in_a_dotenv_file_is_honoured(in_folder: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (in_folder / ".env").write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nVELDGIDS_LOG_LEVEL=debug\n",
                                    encoding="utf-8")
    assert Settings().log_level == "DEBUG"
    levels: list[str] = []

    async def serve(*_args: Any, **_kwargs: Any) -> None:
        return None

    monkeypatch.setattr("bot.ops.logsafe.configure", lambda _token, level: levels.append(level))
    monkeypatch.setattr("bot.telegram.runner.serve", serve)
    monkeypatch.setattr(cli, "_service", lambda _settings: None)
    assert cli.main(["run"]) == 0
    assert levels == ["DEBUG"]


def test_an_unknown_log_level_is_a_configuration_error(in_folder: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VELDGIDS_LOG_LEVEL", "chatty")
    with pytest.raises(cli.CliError, match="VELDGIDS_LOG_LEVEL"):
        cli._settings()


def test_the_download_cap_defaults_to_telegrams_20_mb_and_refuses_nonsense(
        in_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VELDGIDS_MAX_DOWNLOAD_MB", raising=False)
    assert Settings().max_download_mb == 20
    monkeypatch.setenv("VELDGIDS_MAX_DOWNLOAD_MB", "200")
    assert Settings().max_download_mb == 200
    for bad in ("0", "-5", "inf", "lots"):
        monkeypatch.setenv("VELDGIDS_MAX_DOWNLOAD_MB", bad)
        with pytest.raises(ValueError, match="VELDGIDS_MAX_DOWNLOAD_MB"):
            Settings()
