"""The one Settings object, read from the environment and `.env`."""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGED_MODEL = "all-MiniLM-L6-v2-int8"


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
    slack_timeout: float = Field(default=10.0, gt=0)
    feedback_path: Path = Path(".findings/feedback.sqlite3")
    host: str = "127.0.0.1"
    port: int = Field(default=3000, ge=0, le=65535)

    @property
    def max_file_bytes(self) -> int:
        """The size limit for one knowledge file, in bytes."""
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def listen_channels(self) -> frozenset[str]:
        """Channel ids where every top-level message is a question, from the comma-separated setting."""
        return frozenset(part.strip() for part in self.slack_listen_channels.split(",") if part.strip())
