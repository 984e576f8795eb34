"""Settings: built once from a TOML file plus ``GONGKAI_*`` environment variables.

A key the schema does not know is an error (a typo must not be silently ignored), a
``--config`` path that does not exist is an error, and the bot token comes only from the
environment (``GONGKAI_BOT__TOKEN``) and is never printed.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict


class ConfigError(Exception):
    """The configuration file is missing, unreadable or invalid."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ServerSettings(_Section):
    """The HTTP endpoint."""

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    max_query_length: int = Field(default=500, ge=1)
    max_page_size: int = Field(default=50, ge=1)
    # Where people reach the web page (https://gongkai.example.org); the bot links to
    # report pages under it. Unset: no links.
    public_url: str | None = None


class BotSettings(_Section):
    """The Telegram bot; the token comes from the environment only."""

    token: SecretStr | None = None
    api_base_url: str = "https://api.telegram.org/bot"
    allowed_chat_ids: list[int] = Field(default_factory=list)  # empty: every chat
    rate_limit_per_minute: int = Field(default=20, ge=1)
    webhook_url: str | None = None  # set: `gongkai serve` also takes updates by webhook
    webhook_path: str = "/telegram/webhook"
    webhook_secret: SecretStr | None = None
    page_size: int = Field(default=5, ge=1, le=20)


class IndexSettings(_Section):
    """`gongkai index`: what one report file may cost before it is reported and passed over,
    and the full-text engine new stores are written with."""

    seconds_per_file: float = Field(default=120.0, gt=0)
    memory_per_file_mb: int = Field(default=1024, ge=16)
    engine: Literal["whoosh", "tantivy"] = "whoosh"


class FetchSettings(_Section):
    """`gongkai fetch`: where reports go and how politely they are asked for."""

    out_dir: Path = Path("var/reports")
    # A page or mailto: address where a site's operators can reach whoever runs the fetch;
    # it goes into the User-Agent, and fetching refuses to start without it.
    contact: str | None = None
    delay: float = Field(default=1.0, ge=0)  # seconds between two requests to one host
    timeout: float = Field(default=30.0, gt=0)
    retries: int = Field(default=3, ge=0)
    backoff: float = Field(default=2.0, ge=0)  # first wait before a retry; doubles each time
    max_retry_after: float = Field(default=120.0, ge=0)
    max_pages: int = Field(default=1000, ge=1)  # requests per run
    max_file_mb: int = Field(default=100, ge=1)


class Settings(BaseSettings):
    """All of gongkai's settings."""

    model_config = SettingsConfigDict(
        env_prefix="GONGKAI_", env_nested_delimiter="__", extra="forbid"
    )

    index_dir: Path = Path("var/index")
    corpus_dirs: list[Path] = Field(default_factory=lambda: [Path("samples")])
    index: IndexSettings = Field(default_factory=IndexSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    bot: BotSettings = Field(default_factory=BotSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment wins over the file, which arrives as init kwargs.
        return (env_settings, init_settings)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    if "token" in data.get("bot", {}):
        raise ConfigError(
            f"{path}: the bot token must not be in a file; set GONGKAI_BOT__TOKEN instead"
        )
    return data


def load_settings(path: Path | None = None, **overrides: Any) -> Settings:
    """Build settings from ``path`` (optional), the environment and explicit overrides."""
    data = _read_toml(path) if path is not None else {}
    data.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings(**data)
    except ValidationError as exc:
        where = f" in {path}" if path is not None else ""
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid configuration{where}: {problems}") from None
