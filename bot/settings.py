"""The one Settings object, read from the environment and `.env`."""

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGED_MODEL = "all-MiniLM-L6-v2-int8"
# The entry in SLACK_ALLOWED_CHANNELS that lets the bot answer direct messages (and show its App Home).
DIRECT_MESSAGES = "dm"
_TEAM_ID = re.compile(r"[TE][A-Z0-9]{2,}")  # a workspace (T…) or an Enterprise Grid organisation (E…)
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{2,}")


def split_ids(value: str) -> frozenset[str]:
    """The entries of a comma-separated setting, stripped, without empties."""
    return frozenset(part.strip() for part in value.split(",") if part.strip())


class Settings(BaseSettings):
    """Every setting Findings reads; precedence is init > environment > .env > defaults."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    knowledge_dir: Path = Path("knowledge")
    chroma_path: Path = Path(".findings/chroma")
    chroma_url: str | None = None
    collection: str = "findings"
    embedding_model: str = PACKAGED_MODEL
    embedding_model_sha256: str | None = None
    embedding_tokenizer_sha256: str | None = None
    embedding_batch_size: int = Field(default=4, ge=1, le=256)
    embedding_threads: int = Field(default=0, ge=0, le=64)
    ingest_workers: int = Field(default=0, ge=0, le=64)
    max_file_mb: float = Field(default=25.0, gt=0)
    max_pdf_pages: int = Field(default=2000, ge=1)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["auto", "console", "json"] = "auto"

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    # A plain string, split by the property below: pydantic-settings would parse a list field as JSON.
    slack_listen_channels: str = ""
    slack_allowed_teams: str = ""
    slack_allowed_channels: str = ""
    slack_rate_limit: int = Field(default=10, ge=0, le=10_000)
    slack_timeout: float = Field(default=10.0, gt=0)
    feedback_path: Path = Path(".findings/feedback.sqlite3")
    # Questions answered at once by one replica, each on its own worker thread (the work is mostly Python, so more
    # threads than cores only contend).
    answer_workers: int = Field(default=2, ge=1, le=64)
    # Redis shared by replicas for event claims, threads, shared answers and the rate limit; unset keeps them in
    # memory. A SecretStr because the URL may carry a password.
    redis_url: SecretStr | None = None
    redis_prefix: str = "findings:"
    host: str = "127.0.0.1"
    port: int = Field(default=3000, ge=0, le=65535)
    # Keeping current from Ofsted's site (`findings sync`): the provider pages' base (a mirror or a test server may
    # stand in; PDF links are followed as the pages give them), a pause between requests, a contact for the
    # User-Agent, a timeout per request and retries for 429/5xx; `findings serve` syncs every SYNC_HOURS (0: never).
    ofsted_url: str = "https://reports.ofsted.gov.uk/"
    sync_pause: float = Field(default=2.0, ge=0)
    sync_contact: str = ""
    sync_timeout: float = Field(default=30.0, gt=0)
    sync_retries: int = Field(default=4, ge=0, le=10)
    sync_hours: float = Field(default=0.0, ge=0)
    # A channel id where each new report is announced once; empty announces nothing.
    slack_announce_channel: str = ""

    @property
    def max_file_bytes(self) -> int:
        """The size limit for one knowledge file, in bytes."""
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def listen_channels(self) -> frozenset[str]:
        """Channel ids where every top-level message is a question, from the comma-separated setting."""
        return split_ids(self.slack_listen_channels)

    @property
    def allowed_teams(self) -> frozenset[str]:
        """Workspace or organisation ids the bot answers in; empty means any."""
        return split_ids(self.slack_allowed_teams)

    @property
    def allowed_channels(self) -> frozenset[str]:
        """Channel ids the bot answers in, and `dm` for direct messages; empty means anywhere."""
        return frozenset(DIRECT_MESSAGES if part.lower() == DIRECT_MESSAGES else part
                         for part in split_ids(self.slack_allowed_channels))

    @field_validator("slack_allowed_teams")
    @classmethod
    def _team_ids(cls, value: str) -> str:
        for part in split_ids(value):
            if not _TEAM_ID.fullmatch(part):
                raise ValueError(f"{part!r} is not a workspace id like T0123ABCD (or an organisation id, E…)")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: SecretStr | None) -> SecretStr | None:
        # Said here, in one line, rather than by redis-py's traceback once the model has loaded.
        if value is not None and value.get_secret_value() and not value.get_secret_value().startswith(REDIS_SCHEMES):
            raise ValueError("is not a Redis URL: it must start with redis://, rediss:// or unix://")
        return value

    @field_validator("slack_allowed_channels")
    @classmethod
    def _channel_ids(cls, value: str) -> str:
        for part in split_ids(value):
            if part.lower() != DIRECT_MESSAGES and not _CHANNEL_ID.fullmatch(part):
                raise ValueError(f"{part!r} is not a channel id like C0123ABCD, nor `dm` for direct messages")
        return value
