"""Application settings, read from the environment and a `.env` file."""

from __future__ import annotations

import ipaddress
import os
import secrets
from copy import copy
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from limits import parse
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.counters import storage_scheme
from sandbox import SandboxConfig

PLACEHOLDER_SECRET = "change-me"
SECRET_MIN_LENGTH = 32
GENERATE_KEY_HINT = (
    "python -c 'import secrets; print(secrets.token_urlsafe(48))' and put it in .env as "
    "SECRET_KEY=..."
)


def is_weak_secret(secret: str) -> bool:
    """True for the placeholder and for any key too short to resist guessing."""
    return secret == PLACEHOLDER_SECRET or len(secret) < SECRET_MIN_LENGTH


def _as_in_sandbox(name: str) -> Any:
    """The sandbox's own field `name` (default, bounds, description) for a setting.

    The sandbox defines its defaults and limits once; the settings that configure it reuse them.
    """
    return copy(SandboxConfig.model_fields[name])


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(f".{path.name}.{os.getpid()}.new")
    descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(secrets.token_urlsafe(48) + "\n")
    try:
        os.link(fresh, path)  # atomic: of two processes starting at once, the first key wins
    except FileExistsError:
        pass
    finally:
        fresh.unlink()


def local_secret_key(path: Path) -> str:
    """The key kept in `path`, made (random, readable by its owner only) on first use.

    Raises `ValueError` when the file cannot be made or read, or holds no usable key.
    """
    try:
        if not path.exists():
            _create_key_file(path)
        key = path.read_text().strip()
    except OSError as error:
        raise ValueError(
            f"SECRET_KEY is not set and the key file {path} cannot be made or read "
            f"({error.strerror}). Set SECRET_KEY in .env, or SECRET_KEY_FILE to a writable path."
        ) from error
    if is_weak_secret(key):
        raise ValueError(
            f"the key file {path} holds no usable key; delete it to generate a new one, or set "
            "SECRET_KEY in .env"
        )
    return key


class GradingMode(StrEnum):
    """Where submissions are graded."""

    POOL = "pool"
    QUEUE = "queue"


class Settings(BaseSettings):
    """Every setting of codestreak; names match the environment variables (case-insensitive)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: Literal["development", "production"] = "development"
    database_url: str = "sqlite+aiosqlite:///var/codestreak.db"
    database_echo: bool = False
    #: empty: outside production, a random key kept in `secret_key_file` (made on first run)
    secret_key: SecretStr = SecretStr("")
    secret_key_file: Path = Path("var/secret_key")
    content_dir: Path = Path("data")
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    shutdown_grace_s: float = Field(default=30.0, ge=0)

    site_url: str = "http://127.0.0.1:8000"
    #: comma-separated addresses or networks of the reverse proxies whose X-Forwarded-For and
    #: X-Forwarded-Proto are believed; empty: none, `*`: any (only behind a firewall)
    forwarded_allow_ips: str = "127.0.0.1,::1"
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    smtp_tls: bool = False
    mail_from: str = "codestreak <noreply@localhost>"
    outbox_dir: Path = Path("var/outbox")

    discord_token: SecretStr | None = None
    discord_api_base: str = "https://discord.com/api/v10"
    discord_gateway_url: str | None = None
    discord_guild_ids: list[int] = Field(default_factory=list)
    #: "Sign in with Discord": the OAuth2 application's client id and secret and the site's
    #: callback URL (SITE_URL + /auth/discord/callback); all three or none (no button)
    discord_client_id: str | None = None
    discord_client_secret: SecretStr | None = None
    discord_redirect_url: str | None = None
    #: where Discord's OAuth2 pages and API are (`/oauth2/authorize`, `/api/oauth2/token`,
    #: `/api/users/@me`); a local fake in tests
    discord_oauth_url: str = "https://discord.com"
    #: the operator's own servers, comma-separated: their moderators curate the shared catalogue
    home_guild_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    submission_cooldown_s: float = Field(default=10.0, ge=0)
    max_code_bytes: int = _as_in_sandbox("max_code_bytes")

    #: where gradings run: `pool` in this process's own sandbox pool (the embedded default),
    #: `queue` through the Redis job queue to `codestreak grader` processes (REDIS_URL needed)
    grading_mode: GradingMode = GradingMode.POOL
    #: Redis for the grading queue and shared limits, e.g. redis://:password@redis:6379/0
    redis_url: SecretStr | None = None
    #: the arq queue the graders take jobs from
    queue_name: str = "codestreak:grading"
    #: submissions waiting in the queue beyond which learners are told the grader is busy
    queue_max_depth: int = Field(default=200, ge=1)
    #: a job not started by then is dropped and its submission fails as not graded; inside
    #: Discord's 15-minute window for follow-up messages
    queue_job_expiry_s: float = Field(default=600.0, gt=0, le=840)
    #: where rate limits and cooldowns are counted: `memory://` (this process) or a Redis URI
    #: shared by every replica, e.g. async+redis://:password@redis:6379/1
    limits_storage_uri: str = "memory://"
    #: requests one address may make to the public JSON API (limits' notation)
    api_rate_limit: str = "600/minute"
    #: shards of the Discord gateway: the total, and those this process runs (empty: all)
    discord_shard_count: int | None = Field(default=None, ge=1)
    discord_shard_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    #: whether this process syncs the slash commands (exactly one bot process should)
    discord_sync_commands: bool = True
    #: apply pending migrations at start (the embedded default); replicas set it to false and
    #: wait for `codestreak migrate` instead
    migrate_on_start: bool = True
    #: the port of the Prometheus metrics of `bot` and `grader` (none: not served)
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    #: the address METRICS_PORT listens on: loopback unless a scraper elsewhere needs it
    metrics_host: str = "127.0.0.1"
    #: comma-separated addresses or networks that may read the website's /metrics (as the site
    #: sees clients, after FORWARDED_ALLOW_IPS); empty: nobody, `*`: anyone
    metrics_allow_ips: str = "127.0.0.1,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"
    sandbox_docker_url: str | None = _as_in_sandbox("docker_url")
    sandbox_image: str = _as_in_sandbox("image")
    sandbox_pool_name: str = _as_in_sandbox("pool_name")
    sandbox_pool_size: int = _as_in_sandbox("pool_size")
    sandbox_max_concurrent: int = _as_in_sandbox("max_concurrent")
    sandbox_queue_size: int = _as_in_sandbox("queue_size")
    sandbox_memory_mb: int = _as_in_sandbox("memory_mb")
    sandbox_pids: int = _as_in_sandbox("pids_limit")
    sandbox_cpus: float = _as_in_sandbox("cpus")
    sandbox_max_time_s: float = _as_in_sandbox("max_time_s")
    sandbox_stdout_limit_bytes: int = _as_in_sandbox("stdout_limit_bytes")

    @field_validator("home_guild_ids", "discord_shard_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        ids = []
        for part in filter(None, (piece.strip() for piece in value.strip("[] ").split(","))):
            if not part.isdigit():
                raise ValueError(
                    f"{part!r} is not an id; list the ids (whole numbers) separated by commas, "
                    "like 123456789012345678,234567890123456789 or 0,1"
                )
            ids.append(int(part))
        return ids

    @field_validator("forwarded_allow_ips", "metrics_allow_ips")
    @classmethod
    def _check_address_lists(cls, value: str) -> str:
        for entry in filter(None, (part.strip() for part in value.split(","))):
            if entry == "*":
                continue
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an IP address or network; list addresses or networks, "
                    "like 127.0.0.1,10.0.0.0/8"
                ) from None
        return value

    @field_validator("api_rate_limit")
    @classmethod
    def _check_api_rate_limit(cls, value: str) -> str:
        parse(value)
        return value

    @field_validator("limits_storage_uri")
    @classmethod
    def _check_limits_storage(cls, value: str) -> str:
        storage_scheme(value)
        return value

    @model_validator(mode="after")
    def _check_scaling(self) -> Settings:
        if self.grading_mode is GradingMode.QUEUE and self.redis_url is None:
            raise ValueError(
                "GRADING_MODE=queue needs REDIS_URL, e.g. redis://:password@redis:6379/0"
            )
        if self.discord_shard_ids:
            if self.discord_shard_count is None:
                raise ValueError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT, the total")
            outside = [i for i in self.discord_shard_ids if i >= self.discord_shard_count]
            if outside:
                raise ValueError(
                    f"DISCORD_SHARD_IDS {outside} are not below DISCORD_SHARD_COUNT "
                    f"{self.discord_shard_count}; shards count from 0"
                )
        return self

    @model_validator(mode="after")
    def _check_discord_sign_in(self) -> Settings:
        given = {
            "DISCORD_CLIENT_ID": self.discord_client_id,
            "DISCORD_CLIENT_SECRET": self.discord_client_secret,
            "DISCORD_REDIRECT_URL": self.discord_redirect_url,
        }
        missing = [name for name, value in given.items() if not value]
        if 0 < len(missing) < len(given):
            raise ValueError(
                f"Sign in with Discord needs DISCORD_CLIENT_ID, DISCORD_CLIENT_SECRET and "
                f"DISCORD_REDIRECT_URL together; missing: {', '.join(missing)}"
            )
        for name, url in (
            ("DISCORD_REDIRECT_URL", self.discord_redirect_url or "https://"),
            ("DISCORD_OAUTH_URL", self.discord_oauth_url),
        ):
            if not url.startswith(("https://", "http://")):
                raise ValueError(f"{name} must be a full http(s):// URL, not {url!r}")
        return self

    @model_validator(mode="after")
    def _settle_secret_key(self) -> Settings:
        secret = self.secret_key.get_secret_value()
        if self.environment == "production" and is_weak_secret(secret):
            raise ValueError(
                "SECRET_KEY is a placeholder, unset or shorter than "
                f"{SECRET_MIN_LENGTH} characters; production needs a real secret. Generate one "
                f"with: {GENERATE_KEY_HINT}"
            )
        if not secret:
            self.secret_key = SecretStr(local_secret_key(self.secret_key_file))
        return self

    @property
    def bot_token(self) -> str:
        """DISCORD_TOKEN, or an empty string when the bot is not configured."""
        return self.discord_token.get_secret_value() if self.discord_token else ""

    @property
    def discord_sign_in(self) -> bool:
        """True when "Sign in with Discord" is configured (client id, secret, callback URL)."""
        return bool(
            self.discord_client_id and self.discord_client_secret and self.discord_redirect_url
        )

    @property
    def weak_secret_key(self) -> bool:
        """True when the key is the placeholder or short: fine on a laptop, not on a network."""
        return is_weak_secret(self.secret_key.get_secret_value())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once on first use."""
    return Settings()
