"""All configuration in one pydantic-settings object (environment or `.env`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_url: str = Field(default="https://api.telegram.org/bot",
                                  alias="TELEGRAM_API_URL")
    db: Path = Field(default=Path("data/veldgids.db"), alias="VELDGIDS_DB")
    data_dir: Path = Field(default=Path("data"), alias="VELDGIDS_DATA_DIR")
    admins: Annotated[list[int], NoDecode] = Field(default=[], alias="VELDGIDS_ADMINS")
    timezone: str = Field(default="Europe/Amsterdam", alias="VELDGIDS_TIMEZONE")
    language: Literal["nl", "en"] = Field(default="nl", alias="VELDGIDS_LANGUAGE")
    poll_timeout: int = Field(default=20, ge=0, le=50, alias="VELDGIDS_POLL_TIMEOUT")
    reminder_tick: float = Field(default=30.0, gt=0, le=3600, alias="VELDGIDS_REMINDER_TICK")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="INFO", alias="VELDGIDS_LOG_LEVEL")
    transcribe: bool = Field(default=True, alias="VELDGIDS_TRANSCRIBE")
    whisper_model: str = Field(default="", alias="VELDGIDS_WHISPER_MODEL")
    # For tests only: a file holding seconds added to the real time on every clock read.
    clock_offset_file: Path | None = Field(default=None, alias="VELDGIDS_CLOCK_OFFSET_FILE")

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    @property
    def base_file_url(self) -> str:
        """Telegram serves files at /file/bot<token>/...; derive it from the API URL."""
        base = self.telegram_api_url.rstrip("/")
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base + "/file/bot"
