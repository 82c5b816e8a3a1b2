"""All configuration in one pydantic-settings object (environment or `.env`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
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
    # Files librarians send are fetched up to this size; Telegram's cloud hands bots at most
    # 20 MB, a local Bot API server (TELEGRAM_API_URL) any size.
    max_download_mb: int = Field(default=20, ge=1, le=2000, alias="VELDGIDS_MAX_DOWNLOAD_MB")
    # For tests only: a file holding seconds added to the real time on every clock read.
    clock_offset_file: Path | None = Field(default=None, alias="VELDGIDS_CLOCK_OFFSET_FILE")
    # Running it at a library (bot/ops/listener.py): webhook mode, /healthz and /metrics.
    webhook_url: str | None = Field(default=None, alias="VELDGIDS_WEBHOOK_URL")
    listen: str = Field(default="127.0.0.1:8080", alias="VELDGIDS_LISTEN")
    metrics: Literal["on", "off"] = Field(default="off", alias="VELDGIDS_METRICS")

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

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_url")
    @classmethod
    def _public_https(cls, value: str | None) -> str | None:
        return None if value is None else webhook_url(value)

    @field_validator("listen")
    @classmethod
    def _address(cls, value: str) -> str:
        listen_address(value)
        return value.strip()

    @field_validator("metrics", mode="before")
    @classmethod
    def _on_off(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    @property
    def base_file_url(self) -> str:
        """Telegram serves files at /file/bot<token>/...; derive it from the API URL."""
        base = self.telegram_api_url.rstrip("/")
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base + "/file/bot"

    @property
    def listen_address(self) -> tuple[str, int]:
        return listen_address(self.listen)


# Telegram delivers webhooks only to these ports (Bot API, setWebhook).
WEBHOOK_PORTS = (443, 80, 88, 8443)
HEALTH_PATH, METRICS_PATH = "/healthz", "/metrics"  # on VELDGIDS_LISTEN
RESERVED_PATHS = (HEALTH_PATH, METRICS_PATH)


def webhook_url(value: str) -> str:
    """A URL Telegram accepts for a webhook: HTTPS, a host, one of its four ports."""
    url = urlsplit(value.strip())
    if url.scheme != "https" or not url.hostname:
        raise ValueError(f"must be a public https:// URL, not {value.strip()!r}")
    try:
        port = url.port or 443
    except ValueError:
        raise ValueError(f"has an invalid port: {value.strip()!r}") from None
    if port not in WEBHOOK_PORTS:
        raise ValueError(f"Telegram only delivers to ports 443, 80, 88 and 8443, not {port}")
    if (url.path or "/") in RESERVED_PATHS:
        raise ValueError(f"its path may not be {url.path}: that serves health or metrics")
    return value.strip()


def listen_address(value: str) -> tuple[str, int]:
    """`host:port` (IPv6 in brackets) as a (host, port) pair; port 0 picks a free one."""
    host, sep, port = value.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise ValueError(f"must be host:port, e.g. 127.0.0.1:8080, not {value!r}")
    return host, int(port)
