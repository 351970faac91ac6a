"""Settings from the environment and `.env` (pydantic-settings)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_URL = f"sqlite+aiosqlite:///{PROJECT_ROOT / 'data' / 'bot.sqlite3'}"
SUPPORTED_LANGUAGES = ("ru", "en")


class Settings(BaseSettings):
    """Every knob of the bot. Names match the environment variables (case-insensitive)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: str = ""
    database_url: str = DEFAULT_SQLITE_URL
    bot_api_base_url: str = "https://api.telegram.org/bot"
    bot_api_base_file_url: str = "https://api.telegram.org/file/bot"
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    default_language: str = "ru"
    default_timezone: str = "Europe/Moscow"
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    log_level: str = "INFO"
    # "text" (for people) or "json" (one object per line, for log collectors).
    log_format: str = "text"
    # Prometheus metrics at http://<host>:METRICS_PORT/metrics; 0: not served.
    metrics_port: int = Field(default=0, ge=0, le=65535)
    auto_migrate: bool = True
    # Updates handled at once (different chats); see docs/ARCHITECTURE.md and bench/.
    concurrent_updates: int = Field(default=32, ge=1, le=1000)
    # false: this process receives, stores and delivers; `python -m bot worker` processes
    # (PostgreSQL, any machine) handle the updates (bot/workers.py).
    handle_updates: bool = True
    # How long a worker's claim on an update lasts unrenewed: a dead worker's updates are
    # taken over after this many seconds.
    worker_claim_seconds: float = Field(default=30.0, gt=1, le=600)
    http_pool_size: int = 64
    # Outbox delivery limits (Telegram: ~30/s overall, ~1/s per private chat, 20/min per group).
    outbox_rate_per_second: float = 25.0
    outbox_private_interval: float = 1.0
    outbox_group_per_minute: int = 20
    outbox_max_attempts: int = 8
    consent_version: str = "2026-09-01"
    # The resource bank: the largest file a member may upload (Telegram lets bots receive up
    # to 2 GB), and where `python -m bot archive-files` keeps copies of the files.
    max_upload_mb: int = Field(default=50, ge=1, le=2000)
    files_dir: Path = PROJECT_ROOT / "data" / "files"
    admin_alert_interval: int = 300
    # The public verification page's address: certificates' QR codes point to
    # <WEB_BASE_URL>/verify/<code> when set, else to the bot's `verify_` deep link.
    web_base_url: str | None = None

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(f"DEFAULT_LANGUAGE must be one of {', '.join(SUPPORTED_LANGUAGES)}")
        return value

    @field_validator("log_format")
    @classmethod
    def _known_log_format(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in ("text", "json"):
            raise ValueError("LOG_FORMAT must be text or json")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        ZoneInfo(value)
        return value

    @field_validator("outbox_rate_per_second")
    @classmethod
    def _telegram_cap(cls, value: float) -> float:
        if not 0 < value <= 30:
            raise ValueError("OUTBOX_RATE_PER_SECOND must be in (0, 30]: Telegram allows ~30/s")
        return value

    @field_validator("files_dir", mode="after")
    @classmethod
    def _from_project_root(cls, value: Path) -> Path:
        # The bot and `python -m bot archive-files` agree wherever they are started from.
        return value if value.is_absolute() else PROJECT_ROOT / value

    @cached_property
    def admin_set(self) -> frozenset[int]:
        return frozenset(self.admin_ids)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(**overrides: object) -> Settings:
    """Read the settings; keyword overrides win over the environment (used by tests)."""
    return Settings(**overrides)  # type: ignore[arg-type]
